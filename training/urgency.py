"""Urgency classifier candidates: logistic regression on embeddings, on char n-gram TF-IDF,
or on both; calibrated; selected by validation macro-F1."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from evaluation.metrics import macro_f1


KINDS = ("embed", "char", "char+word", "embed+char", "embed+char+word")


@dataclass
class CandidateResult:
    kind: str
    C: float
    val_macro_f1: float


def fit_tfidf(texts: Sequence[str], ngram_range: tuple[int, int], min_df: int, max_features: int,
                        analyzer: str = "char_wb"):
    """scikit-learn TF-IDF with the settings ``model.features.NgramTfidf`` reproduces."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=analyzer, ngram_range=tuple(ngram_range), min_df=min_df,
                          max_features=max_features, lowercase=True, strip_accents="unicode",
                          sublinear_tf=True, dtype=np.float32)
    return vec.fit(list(texts))


def blocks(kind: str) -> list[str]:
    """The feature blocks of a candidate, in the order the head sees them."""
    return kind.split("+")


def features(kind: str, emb: np.ndarray | None, ngrams: dict[str, sparse.spmatrix], weight: float):
    """The design matrix of a candidate: dense for embeddings alone, sparse otherwise."""
    if kind == "embed":
        return np.asarray(emb, dtype=np.float32) * weight
    parts = [sparse.csr_matrix(np.asarray(emb, dtype=np.float32) * weight) if b == "embed" else ngrams[b]
             for b in blocks(kind)]
    return sparse.hstack(parts).tocsr() if len(parts) > 1 else parts[0]


def make_classifier(C: float, calibration: str, seed: int):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    base = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=seed)
    if calibration == "none":
        return base
    return CalibratedClassifierCV(base, method=calibration, cv=5)


def select(kinds: Sequence[str], c_grid: Sequence[float], xs_train: dict, y_train: Sequence[str],
           xs_val: dict, y_val: Sequence[str], labels: Sequence[str], seed: int,
           on_step=None) -> list[CandidateResult]:
    """Fit every (kind, C) without calibration and score it on validation."""
    results = []
    for kind in kinds:
        for C in c_grid:
            clf = make_classifier(C, "none", seed).fit(xs_train[kind], list(y_train))
            pred = clf.predict(xs_val[kind])
            results.append(CandidateResult(kind, C, macro_f1(list(y_val), list(pred), labels)))
            if on_step:
                on_step()
    return results


def best(results: Sequence[CandidateResult]) -> CandidateResult:
    """Highest validation macro-F1; ties go to the simpler kind, then the smaller C."""
    return max(results, key=lambda r: (round(r.val_macro_f1, 4), -len(r.kind), -r.C))
