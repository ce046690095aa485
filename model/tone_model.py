"""Learned detectors of broken tone guidelines, for the checks the phrase rules miss.

The rules of ``model.tone`` find the words they were written from; a new writer's subtle
defensiveness ("en realidad la app avisa antes de confirmar") or warm reply with no next
step slips through them. Training (``training/tone_model.py``) fits one logistic regression
per context-free check on the corpus's labelled replies, over the bundle's character and
word n-gram TF-IDF, and keeps it only where it beat the rules on validation, in one of two
modes: ``model`` (the detector decides the check) or ``either`` (the check fails when the
rules or the detector say so).
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from model.bundle import ToneModelSpec
from model.features import NgramTfidf
from model.linear import SparseLinear
from model.text import normalize_for_model
from model.tone import CheckResult

# (es, en) reasons; {p} is the detector's probability that the guideline is broken.
_FAIL = {
    "thanks": ("El detector aprendido no ve un agradecimiento (puntuación {p:.2f}).",
               "The learned detector sees no thanks to the customer (score {p:.2f})."),
    "non_defensive": ("Suena a la defensiva para el detector aprendido (puntuación {p:.2f}): corrige, culpa o "
                      "minimiza al cliente.",
                      "Reads as defensive to the learned detector (score {p:.2f}): it corrects, blames or "
                      "minimises the customer."),
    "offers_solution": ("El detector aprendido no ve un paso concreto (puntuación {p:.2f}): diga qué se hizo, "
                        "qué hacer o cuándo.",
                        "The learned detector sees no concrete next step (score {p:.2f}): say what was done, "
                        "what to do or when."),
    "human": ("Suena a carta formulario para el detector aprendido (puntuación {p:.2f}).",
              "Reads like a form letter to the learned detector (score {p:.2f})."),
}
_PASS = ("El detector aprendido no ve el problema (puntuación {p:.2f}).",
         "The learned detector sees no problem (score {p:.2f}).")


class LearnedTone:
    """The bundle's tone detectors: ``revise`` overrides or adds to the rules' results."""

    def __init__(self, tfidf: list[NgramTfidf], detectors: dict[str, tuple[SparseLinear, float, str]],
                 cache_size: int = 4096):
        width = sum(t.dim for t in tfidf)
        for check, (lin, _, _) in detectors.items():
            if lin.n_features != width:
                raise ValueError(f"tone detector {check!r} has {lin.n_features} features, the TF-IDF gives {width}")
        self.tfidf, self.detectors = tfidf, detectors
        self._offsets = np.cumsum([0] + [t.dim for t in tfidf])[:-1]
        # Keyed by the normalised text, where handles are already "@user": the same bank reply
        # composed for different customers is scored once.
        self._scores = functools.lru_cache(maxsize=cache_size)(self._score_normalized)

    @classmethod
    def load(cls, bundle_dir: str | Path, spec: ToneModelSpec,
             loaded: dict[str, NgramTfidf] | None = None) -> LearnedTone:
        """``loaded``: TF-IDF already read by the caller, by file name (they are large JSON files)."""
        root, loaded = Path(bundle_dir), loaded or {}
        tfidf = [loaded.get(f) or NgramTfidf.from_dict(json.loads((root / f).read_text(encoding="utf-8")))
                 for f in spec.tfidf]
        return cls(tfidf, {c: (SparseLinear.load(root / d.file), d.threshold, d.mode) for c, d in spec.detectors.items()})

    def scores(self, text: str) -> dict[str, float]:
        """P(the reply breaks the guideline), per learned check (do not mutate: it is cached)."""
        return self._scores(normalize_for_model(text))

    def _score_normalized(self, text: str) -> dict[str, float]:
        parts = [t.sparse(text) for t in self.tfidf]
        idx = np.concatenate([i + off for (i, _), off in zip(parts, self._offsets, strict=True)])
        w = np.concatenate([v for _, v in parts])
        out = {}
        for check, (lin, _, _) in self.detectors.items():
            z = float(w @ lin.coef_t[idx, 0] + lin.intercept[0])
            out[check] = 1.0 / (1.0 + np.exp(-z))
        return out

    def revise(self, text: str, results: dict[str, CheckResult], lang: str) -> dict[str, CheckResult]:
        """The rules' ``results`` with each learned check decided as its mode says."""
        out = dict(results)
        at = 0 if lang == "es" else 1
        for check, p in self.scores(text).items():
            _, threshold, mode = self.detectors[check]
            rule = results[check]
            if not rule.applicable:
                continue
            fires = p >= threshold
            if fires and rule.passed:
                out[check] = replace(rule, passed=False, reason=_FAIL[check][at].format(p=p))
            elif not fires and mode == "model" and not rule.passed:
                out[check] = replace(rule, passed=True, reason=_PASS[at].format(p=p))
        return out
