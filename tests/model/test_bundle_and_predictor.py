import datetime as dt
import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from model.bundle import BundleError, verify_bundle
from model.predictor import Predictor, TriageInput
from tests.conftest import ROOT


@pytest.fixture
def bundle_copy(trained, tmp_path):
    _, bundle = trained
    dst = tmp_path / "b"
    shutil.copytree(bundle, dst)
    return dst


def test_triage_returns_calibrated_distribution_and_deadline(trained):
    _, bundle = trained
    pred = Predictor(bundle)
    now = dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.timezone.utc)
    out = pred.triage([TriageInput("me vaciaron la cuenta, hay compras que no hice", now, 40),
                       TriageInput("gracias por todo, son lo más", now - dt.timedelta(hours=3), 40)], now=now)
    for t in out:
        assert set(t.probabilities) == {"critical", "high", "normal", "low"}
        assert sum(t.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
        threshold = pred.manifest.thresholds.get("critical", 2.0)
        expected = "critical" if t.probabilities["critical"] >= threshold else max(t.probabilities, key=t.probabilities.get)
        assert t.label == expected
        assert t.due_at >= now - dt.timedelta(hours=3) and 0.0 <= t.priority <= 1.0
        assert t.sla_minutes == pred.sla.minutes[t.label]


def test_int8_and_fp32_variants_agree_on_most_labels(trained):
    # The small run's own test split is ~18 messages (one flip = 5.6 points): judge on the
    # corpus's whole test split instead (the 98% bar at the triage operating point is in
    # test_onnx_parity.py).
    from data.corpus import load_corpus

    _, bundle = trained
    recs, split = load_corpus()
    texts = [r.text for r in recs if split[r.id] == "test"]
    a = Predictor(bundle, variant="fp32").model.predict_proba(texts).argmax(1)
    b = Predictor(bundle, variant="int8").model.predict_proba(texts).argmax(1)
    assert len(texts) >= 300 and np.mean(a == b) >= 0.95


def test_tampered_file_is_named(bundle_copy):
    with open(bundle_copy / "urgency.onnx", "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00\x01\x02")
    with pytest.raises(BundleError, match="urgency.onnx is corrupt or was modified"):
        Predictor(bundle_copy)


def test_missing_and_truncated_files(bundle_copy):
    (bundle_copy / "tokenizer" / "tokenizer.json").unlink()
    with pytest.raises(BundleError, match="tokenizer/tokenizer.json is missing"):
        verify_bundle(bundle_copy)


def test_head_that_does_not_fit_the_encoder_fails_at_load(bundle_copy):
    manifest = json.loads((bundle_copy / "manifest.json").read_text())
    manifest["head"]["input_dim"] += 7
    (bundle_copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match="does not match this encoder"):
        Predictor(bundle_copy)


def test_not_a_bundle(tmp_path):
    with pytest.raises(BundleError, match="no manifest.json"):
        verify_bundle(tmp_path)


def test_inference_never_imports_torch_or_sklearn(trained):
    _, bundle = trained
    code = f"""
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('torch', 'sklearn', 'sentence_transformers', 'transformers'):
            raise ImportError('blocked ' + name)
sys.meta_path.insert(0, Block())
from model.predictor import Predictor, TriageInput
p = Predictor({str(bundle)!r})
print(p.triage([TriageInput('sin luz en todo el barrio')])[0].label)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() in {"critical", "high", "normal", "low"}
