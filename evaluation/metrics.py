"""Classification metrics in numpy: macro-F1, per-class precision/recall, confusion, ECE."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def confusion(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """Counts[i, j]: true label i predicted as j."""
    index = {lab: i for i, lab in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for t, p in zip(y_true, y_pred, strict=True):
        m[index[t], index[p]] += 1
    return m


def per_class(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    m = confusion(y_true, y_pred, labels)
    out = {}
    for i, lab in enumerate(labels):
        tp, fp, fn = m[i, i], m[:, i].sum() - m[i, i], m[i, :].sum() - m[i, i]
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lab] = {"precision": float(prec), "recall": float(rec), "f1": float(f1), "support": int(m[i, :].sum())}
    return out


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> float:
    return float(np.mean([v["f1"] for v in per_class(y_true, y_pred, labels).values()]))


def expected_calibration_error(probs: np.ndarray, y_true_idx: np.ndarray, bins: int = 10) -> float:
    """Top-label ECE with equal-width confidence bins."""
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs.max(1)
    correct = (probs.argmax(1) == np.asarray(y_true_idx)).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if sel.any():
            ece += sel.mean() * abs(conf[sel].mean() - correct[sel].mean())
    return float(ece)


def reliability(probs: np.ndarray, y_true_idx: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Per-bin mean confidence, accuracy and count, for the reliability diagram."""
    conf = probs.max(1)
    correct = probs.argmax(1) == np.asarray(y_true_idx)
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        rows.append({"lo": float(lo), "hi": float(hi), "count": int(sel.sum()),
                     "confidence": float(conf[sel].mean()) if sel.any() else 0.0,
                     "accuracy": float(correct[sel].mean()) if sel.any() else 0.0})
    return rows


def summarize(y_true: Sequence[str], probs: np.ndarray, labels: Sequence[str],
              langs: Sequence[str] | None = None, thresholds: dict[str, float] | None = None) -> dict:
    """Everything the report shows, overall and per language; labels decided as serving does."""
    from model.decision import decide

    labels = list(labels)
    y_idx = np.array([labels.index(y) for y in y_true])
    y_pred = [labels[i] for i in decide(probs, labels, thresholds)]
    out = {"n": len(y_true), "macro_f1": macro_f1(y_true, y_pred, labels),
           "accuracy": float(np.mean([t == p for t, p in zip(y_true, y_pred, strict=True)])) if y_true else 0.0,
           "ece": expected_calibration_error(probs, y_idx), "per_class": per_class(y_true, y_pred, labels),
           "confusion": confusion(y_true, y_pred, labels).tolist(), "labels": labels}
    if langs is not None:
        out["per_lang"] = {}
        for lang in sorted(set(langs)):
            sel = [i for i, lg in enumerate(langs) if lg == lang]
            yt = [y_true[i] for i in sel]
            yp = [y_pred[i] for i in sel]
            out["per_lang"][lang] = {"n": len(sel), "macro_f1": macro_f1(yt, yp, labels),
                                     "ece": expected_calibration_error(probs[sel], y_idx[sel]),
                                     "critical_recall": per_class(yt, yp, labels)["critical"]["recall"]}
    return out
