"""SetFit-style contrastive fine-tuning of the sentence encoder on the training split.

Pairs of training messages are labelled 1 when they share an urgency label and 0
otherwise; the encoder learns to put same-urgency messages close (cosine-similarity
loss), which teaches an English-only encoder something about Spanish urgency.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence


def make_pairs(texts: Sequence[str], labels: Sequence[str], n_pairs: int, seed: int) -> list[tuple[str, str, float]]:
    """Balanced positive/negative pairs, seeded."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by_label[lab].append(i)
    keys = sorted(by_label)
    pairs = []
    for k in range(n_pairs):
        a = rng.randrange(len(texts))
        if k % 2 == 0:
            b = rng.choice(by_label[labels[a]])
            pairs.append((texts[a], texts[b], 1.0))
        else:
            other = rng.choice([x for x in keys if x != labels[a]])
            pairs.append((texts[a], texts[rng.choice(by_label[other])], 0.0))
    return pairs


def finetune(st_model, texts: Sequence[str], labels: Sequence[str], steps: int, batch_size: int = 16,
             lr: float = 2e-5, seed: int = 13, on_step=None):
    """Fine-tune ``st_model`` in place for ``steps`` optimiser steps; returns it."""
    import torch
    from sentence_transformers import losses

    torch.manual_seed(seed)
    pairs = make_pairs(texts, labels, steps * batch_size, seed)
    loss_fn = losses.CosineSimilarityLoss(st_model)
    opt = torch.optim.AdamW(st_model.parameters(), lr=lr)
    # sentence-transformers 6 renamed `tokenize` to `preprocess`; older releases only have `tokenize`.
    prepare = getattr(st_model, "preprocess", None) or st_model.tokenize
    st_model.train()
    for s in range(steps):
        batch = pairs[s * batch_size:(s + 1) * batch_size]
        fa = prepare([p[0] for p in batch])
        fb = prepare([p[1] for p in batch])
        y = torch.tensor([p[2] for p in batch], dtype=torch.float32)
        loss = loss_fn([fa, fb], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if on_step:
            on_step()
    st_model.eval()
    return st_model
