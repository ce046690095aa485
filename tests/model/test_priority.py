import pytest

from model.priority import priority_score, urgency_value

CRIT = {"critical": 0.9, "high": 0.1, "normal": 0.0, "low": 0.0}
LOW = {"critical": 0.0, "high": 0.0, "normal": 0.1, "low": 0.9}


def test_formula_by_hand():
    # urgency 0.9*1 + 0.1*0.7 = 0.97; overdue min(30/15, 2)/2 = 1; reach log10(1001)/6; public 1
    import math

    expected = 0.55 * 0.97 + 0.25 * 1.0 + 0.10 * math.log10(1001) / 6 + 0.10
    assert priority_score(CRIT, 30, 15, 1000, True) == pytest.approx(expected, abs=1e-6)


def test_orderings():
    assert priority_score(CRIT) > priority_score(LOW)
    assert priority_score(LOW, waited_minutes=120, sla_minutes=60) > priority_score(LOW, waited_minutes=0)
    assert priority_score(LOW, followers=500_000) > priority_score(LOW, followers=10)
    assert priority_score(LOW, public=True) > priority_score(LOW, public=False)


def test_bounds():
    top = priority_score({"critical": 1.0}, 10_000, 1, 10**9, True)
    bottom = priority_score({"low": 1.0}, 0, 60, 0, False)
    assert top == 1.0 and 0.0 <= bottom < 0.05
    assert urgency_value({"high": 0.5, "normal": 0.5}) == pytest.approx(0.525)
    with pytest.raises(ValueError, match="sla_minutes must be positive"):
        priority_score(LOW, sla_minutes=0)
