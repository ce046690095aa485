"""The shipped corpus: valid against its spec, split, no duplicates, and (once complete) its bars."""

from collections import Counter

import numpy as np
import pytest

from data.corpus import load_corpus, raw_files
from data.corpus.tools.check_batch import check_record
from data.taxonomy import INDUSTRY_TOPICS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_every_record_follows_the_spec():
    import json

    problems = []
    for path in raw_files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            problems += [f"{path.name}:{n}: {e}" for e in check_record(json.loads(line))]
    assert problems == []


def test_every_record_has_a_split_and_groups_do_not_cross(corpus):
    recs, splits = corpus
    assert {splits[r.id] for r in recs} == {"train", "validation", "test"}
    seen = {}
    for r in recs:
        assert seen.setdefault(r.group_key, splits[r.id]) == splits[r.id]


def test_no_exact_or_near_duplicate_texts(corpus):
    """Near-duplicate: char 3-5-gram TF-IDF cosine > 0.9 (catches Spanish paraphrases of one
    text that an English-only encoder would miss) between any two records."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    recs, _ = corpus
    texts = [" ".join(r.text.lower().split()) for r in recs]
    assert len(set(texts)) == len(texts)
    x = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(texts)
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, 0)
    i, j = np.unravel_index(sim.argmax(), sim.shape)
    assert sim.max() <= 0.9, f"near-duplicates: {recs[i].id} / {recs[j].id}"


def test_corpus_bars(corpus):
    recs, _ = corpus
    n = len(recs)
    labels = Counter(r.urgency for r in recs)
    assert n >= 1500
    assert sum(r.lang == "es" for r in recs) / n >= 0.55
    assert min(labels.values()) / n >= 0.12
    assert {r.industry for r in recs} >= set(INDUSTRY_TOPICS)
    assert {r.channel for r in recs} == {"twitter", "facebook", "instagram"}
    assert sum(r.reply is not None for r in recs) >= 500
    assert sum(r.bad_reply is not None for r in recs) >= 150


def test_no_two_posts_are_near_identical_for_the_encoder(corpus, trained):
    """The issue's definition: sentence-encoder cosine above 0.95 (MiniLM, fp32 ONNX)."""
    from model.encoder import OnnxEncoder
    from model.text import normalize_for_model

    _, bundle = trained
    recs, _ = corpus
    enc = OnnxEncoder(bundle / "encoder.onnx", bundle / "tokenizer" / "tokenizer.json")
    emb = enc.encode([normalize_for_model(r.text) for r in recs], batch_size=64)
    sim = emb @ emb.T
    np.fill_diagonal(sim, 0)
    i, j = np.unravel_index(sim.argmax(), sim.shape)
    assert sim.max() <= 0.95, f"near-duplicates for the encoder: {recs[i].id} / {recs[j].id} ({sim.max():.3f})"


def test_the_tone_training_replies_are_valid_and_never_in_an_evaluation_set(corpus):
    """``tone_train.jsonl`` only trains the tone detectors: none of its replies may also be a
    blind-set or test-split reply, or the detectors' reported precision would be flattered."""
    from data.corpus import TONE_TRAIN_FILE
    from evaluation.tone_eval import labelled_replies, tone_set_rows
    from model.tone import CHECKS

    rows = tone_set_rows(TONE_TRAIN_FILE)
    assert len(rows) >= 500 and len({r["id"] for r in rows}) == len(rows)
    assert {r["context"].lang for r in rows} == {"es", "en"}
    assert all(r["breaks"] in (None, *CHECKS) for r in rows)
    assert Counter(r["breaks"] for r in rows)["non_defensive"] >= 100
    records, splits = corpus
    held_out = {r["text"] for r in tone_set_rows()} | {r["text"] for r in labelled_replies(records, splits, ("test",))}
    assert not {r["text"] for r in rows} & held_out
