"""A fixed train/validation/test split, stratified by label and language, grouped by message."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from data.schema import LabeledMessage

SPLITS = ("train", "validation", "test")


def assign_splits(records: Sequence[LabeledMessage], seed: int = 13,
                  fractions: tuple[float, float, float] = (0.70, 0.15, 0.15)) -> dict[str, str]:
    """Map each record id to a split.

    Records sharing ``group_key`` (a message and its variants) land in the same split;
    within each (urgency, lang) stratum, groups are shuffled with ``seed`` and dealt out so
    each split gets its fraction of the stratum's records.
    """
    if abs(sum(fractions) - 1.0) > 1e-9 or min(fractions) < 0:
        raise ValueError(f"fractions must be non-negative and sum to 1, got {fractions}")
    groups: dict[str, list[LabeledMessage]] = defaultdict(list)
    for r in records:
        groups[r.group_key].append(r)
    strata: dict[tuple, list[str]] = defaultdict(list)
    for key, members in groups.items():
        strata[(members[0].urgency, members[0].lang or "?")].append(key)
    rng = random.Random(seed)
    out: dict[str, str] = {}
    for stratum in sorted(strata):
        keys = sorted(strata[stratum])
        rng.shuffle(keys)
        total = sum(len(groups[k]) for k in keys)
        filled = dict.fromkeys(SPLITS, 0)
        for k in keys:
            # deal to the split furthest below its target share
            split = max(SPLITS, key=lambda s: fractions[SPLITS.index(s)] * total - filled[s])
            filled[split] += len(groups[k])
            for r in groups[k]:
                out[r.id] = split
    return out
