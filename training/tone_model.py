"""Fit the learned tone detectors (``model.tone_model``) and keep each only where it beats the rules.

For every context-free check with enough labelled violations, a logistic regression over the
reply's char and word n-gram TF-IDF (the urgency head's vectorizers), classes balanced within
each source of replies, is fitted on the training split's replies and the tone-training file.
On validation it is compared, by F1 of detecting the broken guideline, with the rules alone,
with the detector alone ("model") and with either of them firing ("either") at a few
thresholds; a detector that does not beat the rules is dropped. The kept ones are refitted on train+validation with the chosen mode and
threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from model.text import normalize_for_model
from model.tone import CheckResult, check_reply

# The checks a reply's words alone decide (the others depend on the conversation's context).
LEARNABLE = ("thanks", "non_defensive", "offers_solution", "human")
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
MIN_TRAIN_POSITIVES = 20
MIN_VALIDATION_POSITIVES = 5
C = 16.0


def _f1(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & truth).sum())
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / truth.sum() if truth.sum() else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def _rule_fails(results: Sequence[dict[str, CheckResult]], check: str) -> np.ndarray:
    return np.array([r[check].applicable and not r[check].passed for r in results])


def features(vecs: Sequence, rows: Sequence[dict]):
    from scipy.sparse import hstack

    texts = [normalize_for_model(r["text"]) for r in rows]
    return hstack([v.transform(texts) for v in vecs]).tocsr()


def source_balanced_weights(rows: Sequence[dict], y: np.ndarray) -> np.ndarray:
    """Sample weights that balance the two classes within each source of ``rows`` (their
    ``source`` key): the corpus's replies and each file of tone-training replies.

    The violations are concentrated in the tone-training files, whose writers open and sign
    their replies in their own way; balanced per source, a phrase that only marks the writer
    ("gracias por escribirnos.") carries no label, and the detector has to learn the stance.
    With one source this is scikit-learn's ``class_weight="balanced"``."""
    src = np.array([r.get("source", "") for r in rows])
    w = np.ones(len(y))
    for s in np.unique(src):
        mine = src == s
        for cls in (True, False):
            k = mine & (y == cls)
            if k.any():
                w[k] = mine.sum() / (2 * k.sum())
    return w


def _fit(x, y: np.ndarray, weights: np.ndarray, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, random_state=seed).fit(x, y, sample_weight=weights)


def fit_tone_detectors(train: Sequence[dict], validation: Sequence[dict], vecs: Sequence,
                       seed: int) -> tuple[dict[str, tuple[object, float, str]], dict]:
    """``train`` / ``validation``: labelled reply rows (``evaluation.tone_eval.labelled_replies``).
    Returns the kept detectors (fitted classifier, threshold, mode) and, per check, the
    validation comparison that decided."""
    x_tr, x_va = features(vecs, train), features(vecs, validation)
    by_rules = [check_reply(r["text"], r["context"]).results for r in validation]
    kept, report = {}, {}
    for check in LEARNABLE:
        y_tr = np.array([r["breaks"] == check for r in train])
        y_va = np.array([r["breaks"] == check for r in validation])
        if y_tr.sum() < MIN_TRAIN_POSITIVES or y_va.sum() < MIN_VALIDATION_POSITIVES:
            report[check] = {"kept": False, "why": f"{int(y_tr.sum())} train / {int(y_va.sum())} validation violations"}
            continue
        p_va = _fit(x_tr, y_tr, source_balanced_weights(train, y_tr), seed).predict_proba(x_va)[:, 1]
        rules = _rule_fails(by_rules, check)
        f_rules, p_rules, r_rules = _f1(rules, y_va)
        best = (f_rules, "rules", None)
        table = []
        for t in THRESHOLDS:
            for mode, pred in (("model", p_va >= t), ("either", rules | (p_va >= t))):
                f, p, r = _f1(pred, y_va)
                table.append({"mode": mode, "threshold": t, "f1": round(f, 4), "precision": round(p, 4),
                              "recall": round(r, 4)})
                if f > best[0] + 1e-9:
                    best = (f, mode, t)
        report[check] = {"kept": best[1] != "rules", "mode": best[1], "threshold": best[2],
                         "rules": {"f1": round(f_rules, 4), "precision": round(p_rules, 4), "recall": round(r_rules, 4)},
                         "grid": table, "support": {"train": int(y_tr.sum()), "validation": int(y_va.sum())}}
        if best[1] != "rules":
            from scipy.sparse import vstack

            y_all = np.concatenate([y_tr, y_va])
            clf = _fit(vstack([x_tr, x_va]).tocsr(), y_all, source_balanced_weights([*train, *validation], y_all), seed)
            kept[check] = (clf, float(best[2]), best[1])
    return kept, report
