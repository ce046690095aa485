"""Choosing the re-ranking weights on held-out topic probabilities."""

from __future__ import annotations

import json

import numpy as np
import pytest

from data.schema import LabeledMessage
from model.suggest import Suggester
from training.rank_weights import DIVERSITY_GRID, MIN_QUERIES, TOPIC_GRID, tune_rank_weights


@pytest.fixture(scope="module")
def setup(trained, small_data):
    _, bundle = trained
    sug = Suggester(bundle, cache_size=0)
    queries = [LabeledMessage.model_validate(json.loads(line))
               for line in small_data.read_text(encoding="utf-8").splitlines()]
    queries = [q for q in queries if q.topic and q.industry and q.lang in ("es", "en")]
    labels = list(sug.manifest.aux_heads["topic"].labels)
    oracle = np.array([[float(lab == f"{q.industry}::{q.topic}") for lab in labels] for q in queries])
    return sug, queries, labels, oracle


def _score(row: dict) -> float:
    return round(row["precision_at_1"] + row["hit_at_3"], 4)


def test_the_best_row_of_the_grid_is_chosen_and_the_bank_is_left_as_it_was(setup):
    sug, queries, labels, oracle = setup
    before = dict(sug.bank.spec.weights)
    weights, table = tune_rank_weights(sug, queries, oracle, labels)
    assert sug.bank.spec.weights == before
    settings = [(r["topic"], r["topic_diversity"]) for r in table]
    grid = {(t, d) for t in TOPIC_GRID for d in DIVERSITY_GRID} | {(before["topic"], before["topic_diversity"])}
    assert len(settings) == len(set(settings)) and set(settings) == grid
    assert (table[0]["topic"], table[0]["topic_diversity"]) == (before["topic"], before["topic_diversity"])
    best = max(_score(r) for r in table)
    chosen = next(r for r in table if (r["topic"], r["topic_diversity"]) == (weights["topic"], weights["topic_diversity"]))
    assert _score(chosen) == best and _score(table[0]) <= best
    assert {k: v for k, v in weights.items() if k not in ("topic", "topic_diversity")} == \
        {k: v for k, v in before.items() if k not in ("topic", "topic_diversity")}


def test_topic_probabilities_that_know_the_answer_rank_better_than_ones_that_know_nothing(setup):
    sug, queries, labels, oracle = setup
    _, informed = tune_rank_weights(sug, queries, oracle, labels)
    _, blind = tune_rank_weights(sug, queries, np.full_like(oracle, 1.0 / oracle.shape[1]), labels)
    assert max(r["precision_at_1"] for r in informed) > max(r["precision_at_1"] for r in blind) + 0.1


def test_held_out_labels_are_matched_by_name_not_position(setup):
    sug, queries, labels, oracle = setup
    perm = np.random.default_rng(0).permutation(len(labels))
    _, straight = tune_rank_weights(sug, queries, oracle, labels)
    _, shuffled = tune_rank_weights(sug, queries, oracle[:, perm], [labels[i] for i in perm])
    assert straight == shuffled


def test_too_few_labelled_queries_keep_the_weights(setup):
    sug, queries, labels, oracle = setup
    n = MIN_QUERIES - 1
    weights, table = tune_rank_weights(sug, queries[:n], oracle[:n], labels)
    assert weights == sug.bank.spec.weights and table == []
