"""Contrastive fine-tuning of the sentence encoder on the training split's topics.

Each step takes ``batch_size`` different topics ("industry::topic") and two training messages
of each; the loss (sentence-transformers' MultipleNegativesRankingLoss) pulls every message
towards its partner and away from the other topics' messages in the batch. The default encoder
is English-only: this teaches it which Spanish and English messages are about the same thing,
which is what the reply bank's nearest-neighbour search and the topic head need.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from collections.abc import Sequence

log = logging.getLogger(__name__)


def make_batches(labels: Sequence[str], steps: int, batch_size: int, seed: int) -> list[list[tuple[int, int]]]:
    """``steps`` batches of (anchor, positive) index pairs: one pair per label, labels distinct
    within a batch, both messages of a pair sharing its label. Labels with one message are skipped."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by_label[lab].append(i)
    keys = sorted(k for k, v in by_label.items() if len(v) > 1)
    if len(keys) < 2:
        raise ValueError(f"contrastive fine-tuning needs at least 2 topics with 2 messages each, got {len(keys)}")
    rng = random.Random(seed)
    size = min(batch_size, len(keys))
    return [[tuple(rng.sample(by_label[k], 2)) for k in rng.sample(keys, size)] for _ in range(steps)]


def finetune(st_model, texts: Sequence[str], labels: Sequence[str], steps: int, batch_size: int = 32,
             lr: float = 1e-4, seed: int = 13, on_step=None):
    """Fine-tune ``st_model`` in place for ``steps`` optimiser steps; returns it."""
    import torch
    from sentence_transformers import losses

    torch.manual_seed(seed)
    batches = make_batches(labels, steps, batch_size, seed)
    loss_fn = losses.MultipleNegativesRankingLoss(st_model)
    opt = torch.optim.AdamW(st_model.parameters(), lr=lr)
    # sentence-transformers 6 renamed `tokenize` to `preprocess`; older releases only have `tokenize`.
    prepare = getattr(st_model, "preprocess", None) or st_model.tokenize
    st_model.train()
    for s, batch in enumerate(batches):
        loss = loss_fn([prepare([texts[a] for a, _ in batch]), prepare([texts[b] for _, b in batch])], None)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if s % 25 == 0:
            log.info("fine-tuning step %d/%d: loss %.3f", s, steps, loss.item())
        if on_step:
            on_step()
    st_model.eval()
    return st_model
