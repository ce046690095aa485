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


def evaluate_suggestions(bundle_dir: Path, records: list[LabeledMessage], report_dir: Path | None = None) -> dict:
    """Reply-suggestion metrics (with baselines) and tone-check precision/recall on ``records``;
    appended to report.md when ``report_dir`` is given."""
    from evaluation.suggest_eval import evaluate_suggester, rankable, suggest_table
    from evaluation.tone_eval import evaluate_tone, tone_table
    from model.suggest import Suggester

    queries = [r for r in records if rankable(r)]
    sug = Suggester(bundle_dir, cache_size=0)
    m = {"suggest": evaluate_suggester(sug, queries, exact_pairs=[r for r in queries if r.reply]),
         "tone": evaluate_tone(records, learned=sug.tone_model)}
    if sug.tone_model is not None:
        m["tone_rules_only"] = evaluate_tone(records)
    if report_dir is not None:
        with open(Path(report_dir) / "report.md", "a", encoding="utf-8") as fh:
            fh.write("\n\n## Reply suggestions\n\nRelevant = written for a message of the same industry and "
                     "topic; tone = every guideline in the query's labelled context.\n\n")
            fh.write(suggest_table(m["suggest"]))
            fh.write("\n\n## Tone checks (detecting a broken guideline)\n\n" + tone_table(m["tone"]) + "\n")
            if "tone_rules_only" in m:
                fh.write("\n\nThe same, rules alone (without the bundle's learned detectors):\n\n"
                         + tone_table(m["tone_rules_only"]) + "\n")
    return m
