"""From probabilities to a label: argmax, except that a class with a threshold wins as soon as
its probability reaches it (used for `critical`, where a miss costs far more than a false alarm)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def decide(probs: np.ndarray, labels: Sequence[str], thresholds: Mapping[str, float] | None = None) -> np.ndarray:
    """Index of the chosen label for each row of ``probs`` (columns ordered as ``labels``)."""
    probs = np.asarray(probs)
    choice = probs.argmax(1)
    for label, t in sorted((thresholds or {}).items(), key=lambda kv: kv[1]):
        if label in labels:
            col = list(labels).index(label)
            choice = np.where(probs[:, col] >= t, col, choice)
    return choice


def threshold_for_recall(p_class: np.ndarray, is_class: np.ndarray, target: float) -> float:
    """The highest threshold on ``p_class`` whose recall on ``is_class`` reaches ``target``."""
    pos = np.sort(np.asarray(p_class)[np.asarray(is_class, dtype=bool)])
    if len(pos) == 0:
        return 1.0
    k = int(np.floor((1.0 - target) * len(pos) + 1e-9))  # positives allowed below the threshold
    return float(pos[min(k, len(pos) - 1)])
