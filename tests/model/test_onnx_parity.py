import numpy as np

from model.encoder import OnnxEncoder
from model.predictor import TriageInput
from model.text import normalize_for_model


def test_fp32_onnx_matches_sentence_transformers(trained):
    from training.encoder_torch import load_sentence_encoder

    from data.corpus import load_corpus

    _, bundle = trained
    recs, split = load_corpus()
    test = [r for r in recs if split[r.id] == "test"][:200]
    assert len(test) == 200 and {r.lang for r in test} == {"es", "en"}
    texts = [normalize_for_model(r.text) for r in test]
    st = load_sentence_encoder("sentence-transformers/all-MiniLM-L6-v2", 256)
    ref = st.encode(texts, batch_size=32, normalize_embeddings=True)
    ours = OnnxEncoder(bundle / "encoder.onnx", bundle / "tokenizer" / "tokenizer.json").encode(texts)
    cos = np.sum(ref * ours, axis=1)
    assert cos.min() >= 0.9999
    int8 = OnnxEncoder(bundle / "encoder.int8.onnx", bundle / "tokenizer" / "tokenizer.json").encode(texts)
    cos8 = np.sum(int8 * ours, axis=1)
    assert cos8.mean() >= 0.985 and cos8.min() >= 0.95


def test_duplicates_are_encoded_once_and_order_is_kept(trained):
    _, bundle = trained
    enc = OnnxEncoder(bundle / "encoder.onnx", bundle / "tokenizer" / "tokenizer.json")
    texts = ["sin luz", "no internet since monday, any news?", "sin luz", ""]
    out = enc.encode(texts)
    np.testing.assert_array_equal(out[0], out[2])
    # padding inside a batch must not change a text's embedding
    assert float(out[1] @ enc.encode([texts[1]])[0]) >= 0.99999


def test_lru_cache_serves_repeats_and_evicts_the_oldest(trained):
    _, bundle = trained
    enc = OnnxEncoder(bundle / "encoder.int8.onnx", bundle / "tokenizer" / "tokenizer.json", cache_size=2)
    first = enc.encode(["a", "b"])
    assert (enc.cache.hits, enc.cache.misses) == (0, 2)
    again = enc.encode(["b", "a", "b"])  # duplicates inside a call are looked up once
    assert (enc.cache.hits, enc.cache.misses) == (2, 2)
    np.testing.assert_array_equal(again[[1, 0]], first)
    enc.encode(["c"])  # evicts "b": "a" was used more recently
    assert len(enc.cache) == 2
    enc.encode(["b"])
    assert enc.cache.misses == 4
    # a cached vector is a copy: changing a result must not poison the cache
    out = enc.encode(["a"])
    out[:] = 0
    assert float(np.abs(enc.encode(["a"])).sum()) > 0


def test_int8_serving_keeps_labels_and_macro_f1(trained):
    """int8 against fp32 on the corpus's whole test split: >= 98% same label, macro-F1 within 1 point."""
    from data.corpus import load_corpus
    from evaluation.metrics import macro_f1
    from model.predictor import Predictor

    _, bundle = trained
    recs, split = load_corpus()
    test = [r for r in recs if split[r.id] == "test"]
    gold = [r.urgency for r in test]
    labels = {}
    for variant in ("fp32", "int8"):
        pred = Predictor(bundle, variant=variant)
        labels[variant] = [t.label for t in pred.triage([TriageInput(r.text) for r in test])]
    agree = np.mean([a == b for a, b in zip(labels["fp32"], labels["int8"], strict=True)])
    assert len(test) >= 300 and agree >= 0.98
    order = ["critical", "high", "normal", "low"]
    drop = macro_f1(gold, labels["fp32"], order) - macro_f1(gold, labels["int8"], order)
    print(f"int8/fp32 label agreement {agree:.4f}, macro-F1 drop {drop:+.4f}")
    assert drop <= 0.01
