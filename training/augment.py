"""Noisy copies of training messages: typos, dropped accents, texting shortcuts, other handles.

Only ever applied to the training side; each copy keeps its source's group so it can
never land in another split.
"""

from __future__ import annotations

import random

from data.schema import LabeledMessage
from model.features import strip_accents

_SHORT = {"que": "q", "por": "x", "porque": "xq", "también": "tb", "you": "u", "are": "r", "please": "pls",
          "para": "pa", "nada": "nd", "thanks": "thx", "because": "bc"}


def noisy(text: str, rng: random.Random) -> str:
    words = text.split()
    ops = rng.sample(["accents", "lower", "short", "typo", "double"], k=2)
    if "accents" in ops:
        words = [strip_accents(w) if rng.random() < 0.8 else w for w in words]
    if "lower" in ops:
        words = [w.lower() for w in words]
    if "short" in ops:
        words = [_SHORT.get(w.lower(), w) for w in words]
    if "typo" in ops and words:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1:] if rng.random() < 0.5 else w[:j] + w[j + 1] + w[j] + w[j + 2:]
    if "double" in ops and words:
        i = rng.randrange(len(words))
        if words[i] and words[i][-1].isalpha():
            words[i] = words[i] + words[i][-1] * rng.randint(1, 3)
    return " ".join(words)


def augment(records: list[LabeledMessage], copies: int, seed: int) -> list[LabeledMessage]:
    """``copies`` noisy variants of each record (text changed, labels and group kept)."""
    rng = random.Random(seed)
    out = []
    for r in records:
        seen = {r.text}
        for k in range(copies):
            text = noisy(r.text, rng)
            if text in seen or not text.strip():
                continue
            seen.add(text)
            out.append(r.model_copy(update={"id": f"{r.id}~aug{k}", "text": text, "group": r.group_key}))
    return out
