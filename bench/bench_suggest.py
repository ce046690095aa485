"""End-to-end suggest latency (encode + triage + retrieve + re-rank + compose + tone checks,
ONNX int8) for reply banks of 1k, 10k, 50k and 200k entries.

Banks are grown from the bundle's own bank by augmentation: each copy's key embedding gets
a small random rotation and its text a light edit, so sizes are realistic while queries
still find near neighbours. Queries are the corpus test split, brand known (the helpdesk
case) and open bank. Writes bench/results/suggest.json.

Usage: python bench/bench_suggest.py [--bundle DIR] [--sizes 1000 10000 50000 200000] [--calls 1000]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def grown_bank(base, size: int, seed: int = 0):
    """``base`` (a ReplyBank) grown to ``size`` entries by noisy copies, kept sorted by (lang, industry)."""
    from model.bank import ReplyBank

    rng = np.random.default_rng(seed)
    n = len(base.entries)
    picks = np.concatenate([np.arange(min(n, size)), rng.integers(0, n, max(size - n, 0))])
    rows = base.lexical.to_rows(n)
    entries, lex = [], []
    emb = base.embeddings[picks].copy()
    noise = rng.normal(0, 0.02, emb.shape).astype(np.float32)
    emb[n:] += noise[n:]
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    for copy, i in enumerate(picks):
        e = base.entries[i]
        if copy >= n:
            e = dataclasses.replace(e, id=f"{e.id}~{copy}", text=e.text.replace(". ", f". ({copy}) ", 1))
        entries.append(e)
        lex.append(rows[i])
    return ReplyBank.build(entries, emb, lex, base.lexical.indptr.size - 1, base.spec)


def measure(sug, queries, calls: int, with_brand: bool) -> dict:
    from model.suggest import SuggestInput

    reqs = [SuggestInput(q.text, channel=q.channel or "twitter", handle=q.author_handle, k=3,
                         brand=q.brand if with_brand else None, created_at=q.created_at) for q in queries]
    for r in reqs[:10]:
        sug.suggest(r)
    ms = []
    for i in range(calls):
        t = time.perf_counter()
        sug.suggest(reqs[i % len(reqs)])
        ms.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "max_ms": float(np.max(ms))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", type=Path, default=None)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000, 200000])
    ap.add_argument("--calls", type=int, default=1000)
    args = ap.parse_args()
    from data.corpus import load_corpus
    from model.suggest import Suggester
    from training.config import state_dir

    bundle = args.bundle or state_dir() / "bundles" / "current"
    # No embedding cache: every call pays for its encoding, as a first-time message would.
    sug = Suggester(bundle, variant="int8", cache_size=0)
    base = sug.bank
    recs, split = load_corpus()
    queries = [r for r in recs if split[r.id] == "test"]
    rows = {}
    for size in args.sizes:
        sug.bank = grown_bank(base, size)
        rows[size] = {"brand_known": measure(sug, queries, args.calls, True),
                      "open_bank": measure(sug, queries, args.calls, False)}
        print(f"{size:>7} replies: brand known p50 {rows[size]['brand_known']['p50_ms']:.1f} ms, "
              f"p99 {rows[size]['brand_known']['p99_ms']:.1f} ms | open bank p50 "
              f"{rows[size]['open_bank']['p50_ms']:.1f} ms, p99 {rows[size]['open_bank']['p99_ms']:.1f} ms", flush=True)
    out = ROOT / "bench" / "results" / "suggest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"calls": args.calls, "variant": "int8", "sizes": rows}, indent=2))
    print("\n| bank size | brand known p50 / p99 ms | open bank p50 / p99 ms |\n|---|---|---|")
    for size, r in rows.items():
        print(f"| {size:,} | {r['brand_known']['p50_ms']:.1f} / {r['brand_known']['p99_ms']:.1f} | "
              f"{r['open_bank']['p50_ms']:.1f} / {r['open_bank']['p99_ms']:.1f} |")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
