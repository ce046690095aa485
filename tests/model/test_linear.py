"""The sparse evaluation of the topic and anger heads against onnxruntime on their ONNX files."""

import numpy as np
import pytest

from model.encoder import make_session
from model.linear import SparseLinear
from model.suggest import Suggester

TEXTS = ["Llevo 3 horas sin luz en todo el barrio y nadie contesta", "my card got blocked at the airport, help!!",
         "gracias por la rapidez, todo perfecto", "where is my order? it was due on monday", "", "ok"]


@pytest.fixture(scope="module")
def features(trained):
    sug = Suggester(trained[1])
    model = sug.predictor.model
    emb = model.encoder.encode(TEXTS)
    return sug, model.head.features(TEXTS, emb)


@pytest.mark.parametrize("name", ["topic", "anger"])
def test_sparse_head_matches_onnxruntime(features, trained, name):
    sug, x = features
    spec = sug.manifest.aux_heads[name]
    assert spec.linear, "training writes the weights beside the ONNX head"
    session = make_session(trained[1] / spec.file, 1)
    outs = [o.name for o in session.get_outputs()]
    want = session.run([next(n for n in outs if "prob" in n)], {session.get_inputs()[0].name: x})[0]
    got = sug.aux[name].predict_proba(x)
    assert sug.aux[name].sparse is not None and got.shape == want.shape
    np.testing.assert_allclose(got, want, atol=2e-5)
    assert np.allclose(got.sum(axis=1), 1.0, atol=1e-5)


def test_sparse_linear_rejects_mismatched_weights():
    with pytest.raises(ValueError, match="do not match"):
        SparseLinear(np.zeros((5, 3), np.float32), np.zeros(2, np.float32), "softmax")
    with pytest.raises(ValueError, match="kind"):
        SparseLinear(np.zeros((5, 2), np.float32), np.zeros(2, np.float32), "relu")


def test_feature_support_is_exactly_the_nonzero_columns(features):
    """The support the n-gram transform reports spares the heads a scan of 75k columns per row."""
    sug, x = features
    head = sug.predictor.model.head
    support: list[np.ndarray] = []
    emb = sug.predictor.model.encoder.encode(TEXTS)
    blocks = head.blocks(TEXTS, emb, support)
    assert np.array_equal(np.hstack(blocks), x) and len(support) == len(TEXTS)
    for row, cols in zip(x, support):
        assert np.array_equal(np.sort(cols), np.flatnonzero(row))
    np.testing.assert_allclose(sug.aux["topic"].predict_proba(x, support), sug.aux["topic"].predict_proba(x), atol=1e-6)


def test_a_bundle_without_the_weights_runs_the_onnx_head(features, trained):
    from model.suggest import AuxHead

    sug, x = features
    spec = sug.manifest.aux_heads["topic"]
    onnx_head = AuxHead(trained[1] / spec.file, spec.labels, sug.manifest.head.input_dim, 1)
    assert onnx_head.sparse is None
    np.testing.assert_allclose(onnx_head.predict_proba(x), sug.aux["topic"].predict_proba(x), atol=2e-5)
