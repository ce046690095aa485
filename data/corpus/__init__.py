"""The shipped bilingual corpus: ``raw/*.jsonl`` (one file per industry) and ``splits.json``."""

from __future__ import annotations

import json
from pathlib import Path

from data.loaders import load_records
from data.schema import LabeledMessage

CORPUS_DIR = Path(__file__).resolve().parent
SPLITS_FILE = CORPUS_DIR / "splits.json"
# Replies written only to train the learned tone detectors (never to evaluate them).
TONE_TRAIN_FILE = CORPUS_DIR / "tone_train.jsonl"


def raw_files() -> list[Path]:
    return sorted((CORPUS_DIR / "raw").glob("*.jsonl"))


def load_corpus(with_splits: bool = True) -> tuple[list[LabeledMessage], dict[str, str]]:
    """Every corpus record and its split (train / validation / test)."""
    records: list[LabeledMessage] = []
    for path in raw_files():
        recs, _ = load_records(path, LabeledMessage)
        records.extend(recs)
    if not with_splits:
        return records, {}
    splits = json.loads(SPLITS_FILE.read_text(encoding="utf-8")) if SPLITS_FILE.is_file() else {}
    missing = [r.id for r in records if r.id not in splits]
    if missing:
        raise ValueError(f"{len(missing)} corpus records have no split (e.g. {missing[:3]}); "
                         f"run `python -m data.corpus.tools.assign` to extend splits.json")
    return records, splits
