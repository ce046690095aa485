"""POST /v1/tone/check and /v1/suggest on a real server whose bundle carries a learned tone detector."""

from __future__ import annotations

import json
import shutil

import httpx
import numpy as np
import pytest

from model.bundle import ToneDetectorSpec, ToneModelSpec, read_manifest
from tests.serving.conftest import live_server
from training.bundle_writer import seal

STEP = "Gracias por avisarnos, Marta. Ya lo estamos revisando y te escribimos hoy antes de las 18:00 con la solución."


@pytest.fixture(scope="module")
def detector_server(trained, tmp_path_factory):
    """The small bundle plus an offers_solution detector that always scores 0.9 (zero weights,
    logit intercept), in "model" mode: every reply fails that check, with the detector's reason."""
    bundle = tmp_path_factory.mktemp("tone-bundle") / "bundle"
    shutil.copytree(trained[1], bundle)
    manifest = read_manifest(bundle)
    files = ["char_tfidf.json", "word_tfidf.json"]
    width = sum(len(json.loads((bundle / f).read_text(encoding="utf-8"))["idf"]) for f in files)
    with open(bundle / "tone_offers_solution.linear.npz", "wb") as fh:
        np.savez(fh, coef_t=np.zeros((width, 1), np.float32), intercept=np.array([np.log(9.0)], np.float32),
                 kind=np.array("logistic"))
    manifest.tone = ToneModelSpec(tfidf=files, detectors={"offers_solution": ToneDetectorSpec(
        file="tone_offers_solution.linear.npz", threshold=0.5, mode="model")})
    seal(bundle, manifest)
    with live_server(tmp_path_factory.mktemp("tone-srv"), bundle) as s:
        yield s


def test_tone_check_uses_the_loaded_bundles_detectors(detector_server):
    out = httpx.post(detector_server.url + "/v1/tone/check", json={"text": STEP, "lang": "es"}).json()
    check = out["checks"]["offers_solution"]
    assert out["passed"] is False and check["passed"] is False
    assert "detector" in check["reason"] and "0.90" in check["reason"]
    assert out["checks"]["thanks"]["passed"] is True  # the rules still decide the other checks
    model = httpx.get(detector_server.url + "/v1/model").json()
    assert model["tone"]["detectors"]["offers_solution"]["mode"] == "model"


def test_suggestions_are_filtered_by_the_detectors_too(detector_server):
    r = httpx.post(detector_server.url + "/v1/suggest", json={"text": "no me llegó el pedido", "k": 3})
    assert r.status_code == 200
    # Every candidate fails offers_solution now: nothing non-compliant is ever suggested.
    assert r.json()["suggestions"] == []
