"""The Ray engine of batch scoring, on a local Ray (skipped when Ray Data is not installed)."""

from __future__ import annotations

import json
import os

import pytest

from serving.batch import parts_dir
from tests.serving.test_batch import backlog, interrupt_commits_after, read_out, run, write_jsonl

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Ray Data's own, about its own settings


@pytest.fixture(scope="module")
def local_ray():
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 1024**2, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def backlog_file(tmp_path_factory):
    rows = backlog(90)
    rows.insert(33, {"id": "empty", "text": ""})
    path = tmp_path_factory.mktemp("ray") / "in.jsonl"
    write_jsonl(path, rows)
    with open(path, "ab") as fh:
        fh.write(b"not json\n")
    return path


@pytest.fixture(scope="module")
def local_out(trained, backlog_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out.jsonl"
    run(backlog_file, out, trained[1], chunk_size=20)
    return read_out(out)


def test_ray_engine_writes_what_the_local_engine_writes(local_ray, trained, backlog_file, local_out, tmp_path):
    out = tmp_path / "ray.jsonl"
    s = run(backlog_file, out, trained[1], chunk_size=20, engine="ray", workers=2)
    got = read_out(out)
    assert len(got) == 92 and [r["id"] for r in got][-1] == "row-92"
    assert got == local_out  # same chunks, same model: the same rows, byte for byte
    assert s["rows"] == 92 and s["errors"] == 2 and ray.is_initialized()  # a Ray it did not start is left up


def test_ray_resumes_a_run_the_local_engine_started(local_ray, trained, backlog_file, local_out, tmp_path,
                                                    monkeypatch):
    out = tmp_path / "out.jsonl"
    interrupt_commits_after(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        run(backlog_file, out, trained[1], chunk_size=20)
    monkeypatch.undo()
    assert json.loads((parts_dir(out) / "state.json").read_text())["chunks"] == 2
    s = run(backlog_file, out, trained[1], chunk_size=20, engine="ray", workers=2, resume=True)
    assert s["resumed_from_row"] == 40 and read_out(out) == local_out
