"""The priority score that orders a queue, in [0, 1].

    priority = 0.55 * urgency + 0.25 * overdue + 0.10 * reach + 0.10 * public

- urgency: the probability-weighted urgency, sum_k p_k * w_k with weights
  critical 1.0, high 0.7, normal 0.35, low 0.05;
- overdue: time already waited over the SLA allowance, min(waited / sla, 2) / 2, so a
  message at its deadline scores 0.5 and one waiting twice its SLA scores 1;
- reach: log10(1 + followers) / 6, capped at 1 (a million followers reach 1);
- public: 1 for a public post, 0 for a private message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

URGENCY_WEIGHTS: dict[str, float] = {"critical": 1.0, "high": 0.7, "normal": 0.35, "low": 0.05}
MIX = {"urgency": 0.55, "overdue": 0.25, "reach": 0.10, "public": 0.10}


def urgency_value(probabilities: Mapping[str, float]) -> float:
    """Expected urgency weight under the predicted distribution."""
    return sum(URGENCY_WEIGHTS[k] * float(p) for k, p in probabilities.items())


def priority_score(
    probabilities: Mapping[str, float],
    waited_minutes: float = 0.0,
    sla_minutes: float = 60.0,
    followers: int | None = None,
    public: bool = True,
) -> float:
    """Combine urgency, waiting time, author reach and visibility into one score in [0, 1]."""
    if sla_minutes <= 0:
        raise ValueError(f"sla_minutes must be positive, got {sla_minutes}")
    overdue = min(max(waited_minutes, 0.0) / sla_minutes, 2.0) / 2.0
    reach = min(math.log10(1 + max(followers or 0, 0)) / 6.0, 1.0)
    score = (MIX["urgency"] * urgency_value(probabilities) + MIX["overdue"] * overdue
             + MIX["reach"] * reach + MIX["public"] * (1.0 if public else 0.0))
    return round(min(max(score, 0.0), 1.0), 6)
