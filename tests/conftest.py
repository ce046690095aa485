"""Shared fixtures: a small bundle trained once per session on a slice of the shipped corpus."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


# The slice is drawn from the corpus as it stood after its fourth pass (ids up to 0760), so that
# adding records later does not reshuffle the small bundle every session-scoped test trains on.
SLICE_MAX_ID = 760


def corpus_slice(n_per_label: int = 30, seed: int = 7) -> list[dict]:
    """A label-balanced sample of the shipped corpus as plain dicts."""
    from data.corpus import load_corpus

    recs, _ = load_corpus(with_splits=False)
    recs = [r for r in recs if int(r.id.rsplit("-", 1)[1]) <= SLICE_MAX_ID]
    rng = random.Random(seed)
    out = []
    for label in ("critical", "high", "normal", "low"):
        pool = sorted((r for r in recs if r.urgency == label), key=lambda r: r.id)
        out += [r.model_dump(mode="json") for r in rng.sample(pool, min(n_per_label, len(pool)))]
    return out


@pytest.fixture(scope="session")
def small_data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "small.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in corpus_slice()) + "\n", encoding="utf-8")
    return path


def small_config(data: Path, bundle: Path):
    from training.config import TrainConfig

    return TrainConfig(use_shipped_corpus=False, data=[str(data)], c_grid=[1.0], augment_copies=1,
                       candidates=["embed+char+word"], bundle_dir=str(bundle), finetune_steps=0)


@pytest.fixture(scope="session")
def trained(small_data, tmp_path_factory):
    """(TrainResult, bundle dir) of a small but real training run."""
    from training.pipeline import run_training

    bundle = tmp_path_factory.mktemp("bundles") / "small"
    result = run_training(small_config(small_data, bundle), progress=False)
    return result, bundle
