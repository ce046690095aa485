import numpy as np

from model.encoder import OnnxEncoder
from model.text import normalize_for_model


def test_fp32_onnx_matches_sentence_transformers(trained):
    from training.encoder_torch import load_sentence_encoder

    result, bundle = trained
    texts = [normalize_for_model(r.text) for recs in result.splits.values() for r in recs][:200]
    st = load_sentence_encoder("sentence-transformers/all-MiniLM-L6-v2", 256)
    ref = st.encode(texts, batch_size=32, normalize_embeddings=True)
    ours = OnnxEncoder(bundle / "encoder.onnx", bundle / "tokenizer" / "tokenizer.json").encode(texts)
    cos = np.sum(ref * ours, axis=1)
    assert len(texts) >= 100 and cos.min() >= 0.9999
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
