"""Choose the re-ranking weights of the reply bank on validation messages.

The shipped topic head is fitted on train+validation, so its validation probabilities are
in-sample and would make any weight look good. The weights are chosen with a topic head fitted
on the training split alone (``heldout_topic``): the probabilities the shipped head will give
messages it has never seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import product

import numpy as np

from data.schema import LabeledMessage
from evaluation.suggest_eval import rankable, ranking_metrics, suggest_request
from model.suggest import Suggester

TOPIC_GRID = (1.0, 2.0, 3.0, 5.0, 8.0, 12.0)
DIVERSITY_GRID = (0.5, 2.0, 5.0, 10.0)
MIN_QUERIES = 50


def tune_rank_weights(sug: Suggester, queries: Sequence[LabeledMessage], heldout_topic: np.ndarray,
                      heldout_labels: Sequence[str], k: int = 3) -> tuple[dict[str, float], list[dict]]:
    """The (topic, topic_diversity) weights with the best precision@1 + hit@3 on ``queries``
    (brand known; ties keep the bank's current weights, then the smaller ones) and the grid's
    table. With fewer than MIN_QUERIES topic-labelled queries the weights stay as they are.
    ``sug.bank.spec.weights`` is left as it was."""
    base = dict(sug.bank.spec.weights)
    rows = [i for i, q in enumerate(queries) if rankable(q)]
    if len(rows) < MIN_QUERIES:
        return base, []
    queries, heldout_topic = [queries[i] for i in rows], heldout_topic[rows]
    shipped = list(sug.manifest.aux_heads["topic"].labels)
    cols = [list(heldout_labels).index(lab) if lab in heldout_labels else -1 for lab in shipped]
    topic = np.where(np.array(cols) >= 0, heldout_topic[:, np.maximum(cols, 0)], 0.0).astype(np.float32)
    now = dt.datetime.now(dt.timezone.utc)
    analysed = []
    for q, p in zip(queries, topic, strict=True):
        a = sug.analyse(q.text)
        analysed.append(a._replace(aux={**a.aux, "topic": p}))
    grid = [(base.get("topic", 1.0), base.get("topic_diversity", 0.0))]
    grid += [g for g in product(TOPIC_GRID, DIVERSITY_GRID) if g != grid[0]]
    table = []
    try:
        for tw, dw in grid:
            sug.bank.spec.weights = {**base, "topic": tw, "topic_diversity": dw}
            ranked = [[sug.bank.entry(s["id"]) for s in sug.respond(suggest_request(q, k, True), a, now,
                                                           q.outside_hours)["suggestions"]]
                      for q, a in zip(queries, analysed, strict=True)]
            table.append({"topic": tw, "topic_diversity": dw, **ranking_metrics(ranked, queries)})
    finally:
        sug.bank.spec.weights = base
    best = max(table, key=lambda r: round(r["precision_at_1"] + r["hit_at_3"], 4))  # the first of ties
    return {**base, "topic": best["topic"], "topic_diversity": best["topic_diversity"]}, table
