import numpy as np

from model.decision import decide, threshold_for_recall

LABELS = ["critical", "high", "low", "normal"]


def test_threshold_overrides_argmax_only_for_its_class():
    probs = np.array([[0.30, 0.50, 0.10, 0.10], [0.10, 0.20, 0.60, 0.10], [0.05, 0.15, 0.20, 0.60]])
    assert decide(probs, LABELS).tolist() == [1, 2, 3]
    assert decide(probs, LABELS, {"critical": 0.25}).tolist() == [0, 2, 3]
    assert decide(probs, LABELS, {"critical": 0.05}).tolist() == [0, 0, 0]


def test_threshold_for_recall_reaches_the_target():
    rng = np.random.default_rng(3)
    p = rng.random(200)
    is_pos = rng.random(200) < 0.3
    for target in (0.5, 0.8, 0.9, 1.0):
        t = threshold_for_recall(p, is_pos, target)
        recall = (p[is_pos] >= t).mean()
        assert recall >= target
        # any higher threshold among the positives' scores would fall short
        higher = p[is_pos][p[is_pos] > t]
        if len(higher):
            assert (p[is_pos] >= higher.min()).mean() < target
