"""Batch scoring throughput and memory: the local engine, a naive baseline and Ray (local).

Generates a backlog of ``--rows`` messages (corpus messages in es/en, each made unique with an
order or ticket number, ids, timestamps over the last three days, follower counts, 0.2% rows
with an empty text) and scores it:

- ``local``: ``atiende score`` in-process (``serving.batch.score_file``, threads engine);
- ``naive``: what one writes first: pandas ``apply`` over rows calling sentence-transformers
  (torch) and a scikit-learn logistic regression on its embeddings, top reply by cosine over
  the bundle's bank; measured on the first ``--naive-rows`` rows and reported as rows/s;
- ``naive1``: the same naive baseline with ``OPENBLAS_NUM_THREADS=1``: on two cores numpy's
  BLAS threads (the classifier, the bank cosine) and torch's OpenMP threads spin against each
  other, which makes sentence-transformers' per-row call about 3x slower (16 -> 45 ms); this is
  the naive baseline with that one setting fixed, to show how much of the gap it is;
- ``ray``: the same scoring on Ray Data in a local Ray (``--engine ray``).

Each engine runs in its own process, so its peak RSS is its own (``ru_maxrss``; for Ray, the
largest sum of RSS over the driver and every Ray process it started, sampled every 0.5 s,
which counts shared pages once per process: an upper bound). rows/s is end to end: loading the
bundle, reading, scoring, checkpoints and writing the output (for the naive baseline: the apply
and the write, after its models are loaded). Writes bench/results/score.json (or --out).

Usage: python bench/bench_score.py [--rows 100000] [--naive-rows 2000] [--engines local naive ray]
       python bench/bench_score.py --rows 1000000 --engines local --sort priority --workdir /tmp/b1m \
           --out bench/results/score_1m.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NOW = dt.datetime(2026, 3, 9, 9, 30, tzinfo=dt.timezone.utc)  # a Monday morning after a weekend


def generate(path: Path, n: int, seed: int = 0) -> None:
    """``n`` backlog rows in JSONL, streamed to ``path``."""
    from data.corpus import load_corpus

    recs, _ = load_corpus(with_splits=False)
    rng = random.Random(seed)
    tags = {"es": ["pedido", "ticket", "ref.", "nº cliente", "incidencia"], "en": ["order", "ticket", "ref", "case"]}
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            r = recs[rng.randrange(len(recs))]
            lang = r.lang or "es"
            text = f"{r.text} ({rng.choice(tags[lang])} {rng.randint(10_000, 9_999_999)})"
            if rng.random() < 0.002:
                text = ""
            created = NOW - dt.timedelta(minutes=rng.randint(0, 72 * 60))
            row = {"id": f"msg-{i:08d}", "text": text, "channel": rng.choice(["twitter"] * 8 + ["facebook", "instagram"]),
                   "author_handle": f"@user{rng.randint(1, 10**6)}", "author_followers": int(rng.lognormvariate(5, 2)),
                   "created_at": created.isoformat()}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class TreeRss:
    """Samples the summed RSS of this process and all its descendants (psutil) in a thread."""

    def __init__(self, every: float = 0.5, log: Path | None = None):
        import psutil

        self.proc, self.every, self.peak, self.log = psutil.Process(), every, 0.0, log
        self.timeline: list[tuple[float, float]] = []  # (seconds, MB)
        self._t0 = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for p in [self.proc, *self.proc.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total / 2**20)
            self.timeline.append((round(time.perf_counter() - self._t0, 1), round(total / 2**20, 1)))
            if self.log:  # survives a killed run
                with open(self.log, "a", encoding="utf-8") as fh:
                    fh.write(f"{self.timeline[-1][0]}\t{self.timeline[-1][1]}\n")
            self._stop.wait(self.every)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def child_engine(engine: str, src: Path, bundle: Path, out_dir: Path, sort: str) -> dict:
    from serving.batch import ScoreConfig, score_file

    try:
        tree = TreeRss(every=0.5 if engine == "ray" else 5.0, log=out_dir / f"rss-{engine}-{os.getpid()}.tsv")
    except ImportError:  # psutil comes with Ray; without it, the local engine reports ru_maxrss alone
        tree = None
    if engine == "ray":
        import ray

        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, object_store_memory=100 * 1024**2,
                 log_to_driver=False)
    t = time.perf_counter()
    s = score_file(ScoreConfig(input=src, output=out_dir / f"{engine}.jsonl", bundle=bundle, engine=engine,
                               now=NOW, sort=sort, progress=False, resume=True))
    seconds = time.perf_counter() - t
    out = {"rows": s["rows"], "errors": s["errors"], "resumed_from_row": s["resumed_from_row"], "seconds": seconds,
           "rows_per_s": (s["rows"] - s["resumed_from_row"]) / seconds, "peak_rss_mb": peak_rss_mb(),
           "labels": s["labels"], "sla_breached": s["sla_breached"]}
    if engine == "ray":
        import ray

        ray.shutdown()
        out["driver_peak_rss_mb"] = out["peak_rss_mb"]
        out["peak_rss_mb"] = tree.stop()
    elif tree is not None:
        tree.stop()
    if tree is not None:
        out["rss_timeline_mb"] = tree.timeline[:: max(1, len(tree.timeline) // 40)]
    return out


def child_naive(src: Path, bundle: Path, out_dir: Path, rows: int) -> dict:
    import numpy as np
    import pandas as pd
    from naive_baseline import fit_naive

    st, clf, bank, bank_emb = fit_naive(bundle)

    def score_row(row: pd.Series) -> pd.Series:
        if not isinstance(row["text"], str) or not row["text"].strip():
            return pd.Series({"urgency": None, "probabilities": None, "suggestion_id": None, "suggestion_text": None,
                              "error": "text is empty"})
        emb = st.encode([row["text"]])
        probs = clf.predict_proba(emb)[0]
        top = int(np.argmax(bank_emb @ emb[0]))
        return pd.Series({"urgency": str(clf.classes_[int(np.argmax(probs))]),
                          "probabilities": dict(zip(map(str, clf.classes_), map(float, probs))),
                          "suggestion_id": bank[top]["id"], "suggestion_text": bank[top]["text"], "error": None})

    t = time.perf_counter()
    df = pd.read_json(src, lines=True, nrows=rows, dtype={"id": str})
    scored = pd.concat([df[["id"]], df.apply(score_row, axis=1)], axis=1)
    scored.to_json(out_dir / "naive.jsonl", orient="records", lines=True, force_ascii=False)
    seconds = time.perf_counter() - t
    return {"rows": len(df), "seconds": seconds, "rows_per_s": len(df) / seconds, "peak_rss_mb": peak_rss_mb()}


def run_child(args: list[str]) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    if args[0] == "naive1":
        env["OPENBLAS_NUM_THREADS"] = "1"
    p = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{p.stderr[-4000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--naive-rows", type=int, default=2000, help="rows the naive baseline scores (it is slow)")
    ap.add_argument("--engines", nargs="+", default=["local", "naive", "naive1", "ray"],
                    choices=["local", "naive", "naive1", "ray"])
    ap.add_argument("--bundle", type=Path, default=None)
    ap.add_argument("--sort", default="input", choices=["input", "priority"], help="output order (engines)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "score.json")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the backlog and outputs here (default: a temp "
                    "folder); a run killed midway resumes from its checkpoint when started again")
    ap.add_argument("--child", nargs=4, metavar=("ENGINE", "SRC", "BUNDLE", "OUTDIR"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        engine, src, bundle, out_dir = args.child[0], Path(args.child[1]), Path(args.child[2]), Path(args.child[3])
        res = child_naive(src, bundle, out_dir, args.naive_rows) if engine.startswith("naive") else \
            child_engine(engine, src, bundle, out_dir, args.sort)
        print(json.dumps(res))
        return

    from model.bundle import state_dir

    bundle = (args.bundle or state_dir() / "bundles" / "current").resolve()
    results: dict = {"rows": args.rows, "naive_rows": args.naive_rows, "sort": args.sort, "cores": os.cpu_count(),
                     "load_average_before": os.getloadavg(), "engines": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = args.workdir or Path(tmp)
        tmp_path.mkdir(parents=True, exist_ok=True)
        tmp = str(tmp_path)
        src = tmp_path / f"backlog-{args.rows}.jsonl"
        if not src.is_file():  # a --workdir keeps it, and the engines' checkpoints: a killed bench resumes
            t = time.perf_counter()
            generate(src.with_suffix(".tmp"), args.rows)
            src.with_suffix(".tmp").rename(src)
            print(f"generated {args.rows:,} rows in {time.perf_counter() - t:.1f} s "
                  f"({src.stat().st_size / 2**20:.0f} MB)", flush=True)
        for engine in args.engines:
            extra = ["--naive-rows", str(args.naive_rows), "--sort", args.sort]
            res = run_child([engine, str(src), str(bundle), tmp, *extra])
            results["engines"][engine] = res
            print(f"{engine}: {res['rows']:,} rows" + (f" (resumed at row {res['resumed_from_row']:,})"
                                                       if res.get("resumed_from_row") else "")
                  + f", {res['rows_per_s']:.1f} rows/s, peak RSS {res['peak_rss_mb']:.0f} MB", flush=True)
    results["load_average_after"] = os.getloadavg()
    eng = results["engines"]
    for base in ("naive", "naive1"):
        if base in eng:
            for r in eng.values():
                r[f"x_{base}"] = r["rows_per_s"] / eng[base]["rows_per_s"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print("\n| engine | rows scored | rows/s | x naive | x naive1 | peak RSS MB |\n|---|---|---|---|---|---|")
    for name, r in eng.items():
        print(f"| {name} | {r['rows']:,} | {r['rows_per_s']:.1f} | {r.get('x_naive', float('nan')):.2f} | "
              f"{r.get('x_naive1', float('nan')):.2f} | {r['peak_rss_mb']:.0f} |")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
