"""Batch scoring of backlog files on the small trained bundle: formats, bad rows, sorting, the
summary, kill -9 and resume, the command line. The Ray engine is in test_batch_ray.py."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from serving import batch as batch_mod
from serving.batch import ScoreConfig, ScoreError, parts_dir, partial_path, score_file
from serving.batch_io import OUTPUT_COLUMNS
from tests.conftest import ROOT, corpus_slice

NOW = dt.datetime(2026, 3, 9, 9, 30, tzinfo=dt.timezone.utc)  # a Monday morning


def backlog(n: int, seed: int = 3) -> list[dict]:
    """``n`` unique messages from the corpus with ids, authors and arrival times."""
    base = corpus_slice(n_per_label=40, seed=seed)
    rows = []
    for i in range(n):
        r = base[i % len(base)]
        rows.append({"id": f"m{i:05d}", "text": f"{r['text']} (ref {1000 + i})", "lang": r.get("lang"),
                     "author_handle": f"@user{i}", "author_followers": i * 37,
                     "created_at": (NOW - dt.timedelta(minutes=7 * i)).isoformat()})
    return rows


def write_jsonl(path, rows, gz: bool = False):
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def read_out(path) -> list[dict]:
    import pandas as pd

    name = path.name.removesuffix(".gz")
    if name.endswith(".parquet"):
        return pd.read_parquet(path).to_dict("records")
    if name.endswith(".csv"):
        df = pd.read_csv(path, dtype={"id": str, "error": str, "suggestion_id": str, "due_at": str},
                         true_values=["true"], false_values=["false"])
        return df.astype(object).where(df.notna(), None).to_dict("records")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def run(inp, out, bundle, **kw) -> dict:
    return score_file(ScoreConfig(input=inp, output=out, bundle=bundle, progress=False, **{"now": NOW, **kw}))


@pytest.fixture(scope="module")
def bundle(trained):
    return trained[1]


@pytest.fixture(scope="module")
def rows():
    return backlog(60)


@pytest.fixture(scope="module")
def reference(bundle, rows, tmp_path_factory):
    """The JSONL -> JSONL scores every other test compares with."""
    tmp = tmp_path_factory.mktemp("ref")
    out = tmp / "out.jsonl"
    summary = run(write_jsonl(tmp / "in.jsonl", rows), out, bundle, chunk_size=16)
    return read_out(out), summary


def test_one_row_per_input_row_in_order_with_the_contract_columns(reference, rows):
    out, summary = reference
    assert [r["id"] for r in out] == [r["id"] for r in rows]
    assert [r["row"] for r in out] == list(range(1, len(rows) + 1))
    assert all(list(r) == list(OUTPUT_COLUMNS) for r in out)
    for r in out:
        probs = [r[f"p_{k}"] for k in ("critical", "high", "normal", "low")]
        assert r["error"] is None and r["urgency"] in ("critical", "high", "normal", "low")
        assert abs(sum(probs) - 1) < 1e-3 and 0 <= r["priority"] <= 1
        assert r["sla_minutes"] in (15, 30, 60, 1440) and dt.datetime.fromisoformat(r["due_at"]).tzinfo
        assert r["suggestion_id"] and r["suggestion_text"] and "{" not in r["suggestion_text"]
    assert summary["rows"] == 60 and summary["errors"] == 0 and summary["scored"] == 60
    assert summary["labels"] == {k: sum(r["urgency"] == k for r in out) for k in summary["labels"]}
    assert summary["sla_breached"] == sum(dt.datetime.fromisoformat(r["due_at"]) < NOW for r in out) > 0


def test_batched_path_gives_what_suggest_gives(bundle, rows):
    from model.suggest import SuggestInput, Suggester

    for variant in ("fp32", "int8"):
        sug = Suggester(bundle, variant=variant, cache_size=0)
        reqs = [SuggestInput(r["text"], handle=r["author_handle"], followers=r["author_followers"], k=1,
                             created_at=dt.datetime.fromisoformat(r["created_at"])) for r in rows[:12]]
        batched = sug.suggest_batch(reqs, now=NOW, max_tokens=64)  # several encoder batches
        for req, b in zip(reqs, batched, strict=True):
            one = sug.suggest(req, now=NOW)
            assert b["urgency"]["label"] == one["urgency"]["label"]
            assert [s["id"] for s in b["suggestions"]] == [s["id"] for s in one["suggestions"]]
            assert b["suggestions"][0]["text"] == one["suggestions"][0]["text"]
            assert b["sla"] == one["sla"] and abs(b["priority"] - one["priority"]) < 2e-3


@pytest.mark.parametrize("src,dst", [("in.jsonl.gz", "out.csv"), ("in.csv", "out.parquet"),
                                     ("in.parquet", "out.jsonl.gz"), ("in.csv.gz", "out.csv.gz")])
def test_formats_round_trip_to_the_same_scores(bundle, rows, reference, tmp_path, src, dst):
    import pandas as pd

    inp = tmp_path / src
    if src.startswith("in.jsonl"):
        write_jsonl(inp, rows, gz=True)
    elif ".csv" in src:
        pd.DataFrame(rows).to_csv(inp, index=False, compression="gzip" if src.endswith(".gz") else None)
    else:
        pd.DataFrame(rows).to_parquet(inp)
    run(inp, tmp_path / dst, bundle, chunk_size=16)
    if dst.endswith(".gz"):
        assert gzip.open(tmp_path / dst).read(1)  # really gzipped
    out = read_out(tmp_path / dst)
    ref = reference[0]
    assert [r["id"] for r in out] == [r["id"] for r in ref]
    for a, b in zip(out, ref, strict=True):
        assert (a["urgency"], a["suggestion_id"], a["due_at"]) == (b["urgency"], b["suggestion_id"], b["due_at"])
        assert abs(a["priority"] - b["priority"]) < 1e-6 and bool(a["sla_breached"]) == b["sla_breached"]


def test_bad_rows_get_an_error_in_place_and_never_stop_the_run(bundle, rows, tmp_path):
    good = [json.dumps(r, ensure_ascii=False).encode() for r in rows[:4]]
    lines = [good[0],
             b'{"id": "empty", "text": "   "}',
             b'{"id": "latin1", "text": "el caf\xe9 lleg\xf3 fr\xedo"}',
             good[1],
             b'this is not json',
             b'{"id": "notext", "message": "no text column here"}',
             b'["a", "list"]',
             b'{"id": 77, "text": "my parcel never arrived", "author_followers": -5}',
             good[2], good[3]]
    inp = tmp_path / "bad.jsonl"
    inp.write_bytes(b"\n".join(lines) + b"\n")
    summary = run(inp, tmp_path / "out.jsonl", bundle, chunk_size=3)
    out = read_out(tmp_path / "out.jsonl")
    assert [r["id"] for r in out] == ["m00000", "empty", "row-3", "m00001", "row-5", "notext", "row-7", "77",
                                      "m00002", "m00003"]
    err = {r["id"]: r["error"] for r in out}
    assert err["empty"] == "field 'text': text is empty"
    assert err["row-3"].startswith("not valid UTF-8 (byte 0xe9")
    assert err["row-5"].startswith("not valid JSON")
    assert err["notext"].startswith("field 'text': missing; found columns ['id', 'message']") \
        and "--text-column" in err["notext"]
    assert err["row-7"] == "expected a JSON object, got list"
    assert err["77"].startswith("field 'author_followers'")
    assert all(err[i] is None and r["urgency"] for i, r in ((r["id"], r) for r in out) if i.startswith("m0"))
    assert all(r["urgency"] is None and r["priority"] is None for r in out if r["error"])
    assert summary["errors"] == 6 and summary["scored"] == 4 and summary["rows"] == 10


def test_a_file_without_the_text_column_is_all_errors_and_text_column_maps_it(bundle, rows, tmp_path):
    import pandas as pd

    df = pd.DataFrame(rows[:5]).rename(columns={"text": "message", "id": "tweet_id"})
    df.loc[3, "message"] = ""
    df.to_csv(tmp_path / "in.csv", index=False)
    s = run(tmp_path / "in.csv", tmp_path / "a.csv", bundle)
    assert s["errors"] == s["rows"] == 5
    assert batch_mod.summary_lines(s)[-1].endswith("(--text-column)")
    s = run(tmp_path / "in.csv", tmp_path / "b.csv", bundle, text_column="message", id_column="tweet_id")
    out = read_out(tmp_path / "b.csv")
    assert s["errors"] == 1 and [r["id"] for r in out] == [r["id"] for r in rows[:5]]
    assert out[3]["error"] == "field 'text': text is empty" and out[3]["row"] == 5  # CSV rows count the header


def test_sort_priority_writes_the_queue(bundle, rows, tmp_path):
    data = rows[:30] + [{"id": "bad", "text": ""}] + rows[30:]
    inp = write_jsonl(tmp_path / "in.jsonl", data)
    run(inp, tmp_path / "q.csv", bundle, chunk_size=7, sort="priority")
    run(inp, tmp_path / "plain.csv", bundle, chunk_size=7)
    queue, plain = read_out(tmp_path / "q.csv"), read_out(tmp_path / "plain.csv")
    prios = [r["priority"] for r in queue[:-1]]
    assert len(set(prios)) > 40 and prios == sorted(prios, reverse=True)
    assert queue[-1]["id"] == "bad" and queue[-1]["error"]  # errors last
    # The same rows as the input-order output, ordered by priority then input order.
    assert queue == sorted(plain, key=lambda r: (-(r["priority"] if r["priority"] is not None else -1), r["row"]))


def test_an_unfinished_run_needs_resume_and_the_same_options(bundle, rows, tmp_path, monkeypatch):
    inp = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    real_commit = interrupt_commits_after(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        run(inp, out, bundle, chunk_size=10)
    monkeypatch.setattr(batch_mod.Checkpoint, "commit", real_commit)
    assert not out.exists() and json.loads((parts_dir(out) / "state.json").read_text())["chunks"] == 2
    with pytest.raises(ScoreError, match=r"an unfinished run of this output is in .*\(2 chunks of 10 rows "
                                         r"committed\); pass --resume to continue it"):
        run(inp, out, bundle, chunk_size=10)
    with pytest.raises(ScoreError, match=r"cannot resume .*: chunk_size: was 10, now 12\."):
        run(inp, out, bundle, chunk_size=12, resume=True)
    s = run(inp, out, bundle, chunk_size=10, resume=True, now=NOW + dt.timedelta(days=3))
    assert s["resumed_from_row"] == 20 and s["rows"] == 60 and s["now"] == NOW.isoformat()  # keeps its own time
    assert [r["id"] for r in read_out(out)] == [r["id"] for r in rows]


def test_a_crash_while_merging_resumes_without_rescoring(bundle, rows, reference, tmp_path, monkeypatch):
    inp = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"

    def half_then_crash(parts, dest, *a, **kw):
        dest.write_text(parts[0].read_text())
        raise OSError("disk full")

    monkeypatch.setattr(batch_mod, "merge_parts", half_then_crash)
    with pytest.raises(OSError):
        run(inp, out, bundle, chunk_size=16)
    assert not out.exists() and partial_path(out).exists()  # a reader never sees the half file
    monkeypatch.undo()
    monkeypatch.setattr(batch_mod, "run_local", lambda *a, **kw: pytest.fail("rescored committed chunks"))
    s = run(inp, out, bundle, chunk_size=16, resume=True)
    assert s["resumed_from_row"] == 60 and not partial_path(out).exists() and not parts_dir(out).exists()
    assert read_out(out) == reference[0]


def _wait_for_chunks(state, n, proc, timeout=120.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if state.is_file():
            try:
                chunks = json.loads(state.read_text())["chunks"]
            except (ValueError, OSError):  # mid-rename
                chunks = -1
            if chunks >= n:
                return chunks
        if proc.poll() is not None:
            raise AssertionError(f"finished before being killed: {proc.stderr.read()}")
        time.sleep(0.003)
    raise TimeoutError(f"{state}: never reached {n} chunks")


def test_sigkill_and_resume_lose_and_duplicate_nothing(bundle, tmp_path):
    rows = backlog(600)
    inp = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.csv.gz"
    state = parts_dir(out) / "state.json"
    args = [sys.executable, "-m", "cli.score", "--input", str(inp), "--output", str(out), "--bundle", str(bundle),
            "--chunk-size", "20", "--now", NOW.isoformat(), "--quiet"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    killed_at = []
    for extra, wait_for in (([], 1), (["--resume"], None)):
        proc = subprocess.Popen(args + extra, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        target = wait_for or killed_at[-1] + 3
        killed_at.append(_wait_for_chunks(state, target, proc))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert not out.exists()
    assert killed_at[0] < killed_at[1] < 30  # killed twice, mid-way each time
    # A part written but not yet counted in state.json when the kill came: must not be kept.
    committed = json.loads(state.read_text())["chunks"]
    (parts_dir(out) / f"part-{committed:07d}.jsonl").write_text('{"id": "ghost"}\n')
    done = subprocess.run(args + ["--resume"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"resuming after chunk {committed}" in done.stderr and "600 rows ->" in done.stdout
    ids = [r["id"] for r in read_out(out)]
    assert len(ids) == len(set(ids)) == 600 and ids == [r["id"] for r in rows]
    assert not parts_dir(out).exists() and not partial_path(out).exists()


def test_the_cli_function_through_typer(bundle, rows, tmp_path):
    import typer
    from typer.testing import CliRunner

    from cli.score import score

    app = typer.Typer()
    app.command()(score)
    inp = write_jsonl(tmp_path / "in.jsonl", rows[:8] + [{"id": "x", "text": ""}])
    res = CliRunner().invoke(app, ["--input", str(inp), "--output", str(tmp_path / "o.parquet"), "--bundle",
                                   str(bundle), "--sort", "priority", "--quiet", "--now", NOW.isoformat(),
                                   "--summary-json", str(tmp_path / "s.json")])
    assert res.exit_code == 0, res.output
    assert "9 rows ->" in res.output and "errors: 1 (see the error column)" in res.output
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["rows"] == 9 and sum(s["labels"].values()) == 8 and len(read_out(tmp_path / "o.parquet")) == 9
    for argv, msg in ((["--input", str(tmp_path / "nope.jsonl")], "no input file"),
                      (["--input", str(inp), "--sort", "random"], "sort must be one of input, priority"),
                      (["--input", str(inp), "--engine", "spark"], "engine must be one of local, ray"),
                      (["--input", str(inp), "--output", str(tmp_path / "o.parquet.gz")], "drop the .gz"),
                      (["--input", str(inp), "--now", "monday"], "--now 'monday' is not an ISO 8601 time")):
        argv = argv if "--output" in argv else argv + ["--output", str(tmp_path / "o.jsonl")]
        res = CliRunner().invoke(app, argv + ["--bundle", str(bundle), "--quiet"])
        assert res.exit_code == 2 and msg in res.output, res.output


def test_the_ray_engine_says_how_to_install_ray(monkeypatch):
    from serving.batch_ray import ray_or_explain

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ImportError, match=r"pip install 'atiende\[ray\]'"):
        ray_or_explain()


def test_a_second_run_on_the_same_output_is_refused(bundle, rows, tmp_path):
    inp, out = write_jsonl(tmp_path / "in.jsonl", rows[:5]), tmp_path / "out.jsonl"
    held = batch_mod.Checkpoint.open(parts_dir(out), {}, NOW, resume=False)
    with pytest.raises(ScoreError, match=r"another run is writing this output \(.*out.jsonl.parts is locked\)"):
        run(inp, out, bundle, resume=True)
    held.release()
    with pytest.raises(ScoreError, match=r"cannot resume .*: input: was None, now '.*in.jsonl'"):
        run(inp, out, bundle, resume=True)  # a checkpoint of another job
    import shutil

    shutil.rmtree(parts_dir(out))
    assert run(inp, out, bundle)["rows"] == 5


def test_a_row_the_model_fails_on_gets_its_own_error(tmp_path):
    from model.suggest import SuggestInput
    from serving.batch import score_chunk
    from serving.batch_io import Pending

    class Flaky:
        def suggest_batch(self, reqs, now, batch_size):
            raise RuntimeError("boom")

        def suggest(self, req, now):
            if "poison" in req.text:
                raise ValueError("cannot compose")
            return {"urgency": {"label": "high", "probabilities": {"critical": 0.1, "high": 0.7, "normal": 0.1,
                                                                   "low": 0.1}},
                    "priority": 0.5, "sla": {"minutes": 30, "due_at": (NOW - dt.timedelta(minutes=1)).isoformat()},
                    "context": {"lang": "en"}, "suggestions": [], "fallback": False}

    chunk = [Pending(i, i + 1, f"r{i}", SuggestInput(t, k=1)) for i, t in enumerate(["ok", "poison", "fine"])]
    text, stats = score_chunk(Flaky(), chunk, NOW)
    out = [json.loads(line) for line in text.splitlines()]
    assert [r["id"] for r in out] == ["r0", "r1", "r2"]
    assert out[1]["error"] == "scoring failed: ValueError: cannot compose" and out[1]["urgency"] is None
    assert out[0]["urgency"] == out[2]["urgency"] == "high" and out[0]["sla_breached"] is True
    assert stats == {"rows": 3, "errors": 1, "labels": {"critical": 0, "high": 2, "normal": 0, "low": 0},
                     "sla_breached": 2}


def interrupt_commits_after(monkeypatch, n: int):
    """Make a run stop (KeyboardInterrupt) when it tries to commit chunk ``n``; returns the real commit."""
    real_commit = batch_mod.Checkpoint.commit

    def crash(self, i, text, stats):
        if i == n:
            raise KeyboardInterrupt
        real_commit(self, i, text, stats)

    monkeypatch.setattr(batch_mod.Checkpoint, "commit", crash)
    return real_commit
