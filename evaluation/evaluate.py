"""`atiende evaluate`: score a bundle on labelled data and write the report."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from data.loaders import load_records
from data.schema import LabeledMessage
from evaluation.metrics import summarize
from evaluation.report import write_report
from model.predictor import Predictor
from model.text import guess_lang


def evaluate_bundle(bundle_dir: Path, records: list[LabeledMessage], report_dir: Path | None = None,
                    variant: str | None = None) -> dict:
    """Metrics of the bundle's classifier on ``records``; writes report.md + PNGs to ``report_dir``."""
    pred = Predictor(bundle_dir, variant=variant)
    probs = pred.model.predict_proba([r.text for r in records])
    labels = pred.labels
    y = [r.urgency for r in records]
    m = summarize(y, probs, labels, [r.lang or guess_lang(r.text) for r in records], pred.manifest.thresholds)
    if report_dir is not None:
        write_report(m, probs, np.array([labels.index(t) for t in y]), Path(report_dir))
    return m


def load_eval_data(path: str | None) -> list[LabeledMessage]:
    """A labelled file, or the shipped corpus's test split when ``path`` is None."""
    if path:
        return load_records(path, LabeledMessage)[0]
    from data.corpus import load_corpus

    recs, splits = load_corpus()
    return [r for r in recs if splits[r.id] == "test"]
