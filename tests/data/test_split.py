from collections import Counter

from data.schema import LabeledMessage
from data.split import assign_splits


def make(n_groups=200):
    recs = []
    for g in range(n_groups):
        label = ("critical", "high", "normal", "low")[g % 4]
        lang = "es" if g % 5 < 3 else "en"
        for v in range(1 + g % 3):  # groups of 1-3 variants
            recs.append(LabeledMessage(id=f"m{g}-{v}", text=f"mensaje {g} {v}", urgency=label, lang=lang, group=f"g{g}"))
    return recs


def test_grouped_stratified_and_seeded():
    recs = make()
    splits = assign_splits(recs, seed=1)
    assert splits == assign_splits(recs, seed=1)
    by_group = {}
    for r in recs:
        by_group.setdefault(r.group_key, set()).add(splits[r.id])
    assert all(len(s) == 1 for s in by_group.values())
    share = Counter(splits.values())
    assert abs(share["train"] / len(recs) - 0.70) < 0.05 and abs(share["test"] / len(recs) - 0.15) < 0.05
    for label in ("critical", "low"):
        sub = [r for r in recs if r.urgency == label]
        test_share = sum(splits[r.id] == "test" for r in sub) / len(sub)
        assert abs(test_share - 0.15) < 0.07
