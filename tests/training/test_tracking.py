"""MLflow: the run read back with MlflowClient, the registry, the pyfunc model, the promotion gate."""

from __future__ import annotations

import dataclasses
import time
import json
import shutil

import pytest

mlflow = pytest.importorskip("mlflow")

from mlflow import MlflowClient  # noqa: E402

from model.registry import fetch_bundle, registry_version  # noqa: E402
from tests.conftest import small_config  # noqa: E402
from training.promotion import compare, promote  # noqa: E402
from training.tracking import log_training  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An embedded store under a fresh $ATIENDE_HOME."""
    home = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("ATIENDE_HOME", str(home))
    mp.delenv("MLFLOW_TRACKING_URI", raising=False)
    yield home
    mp.undo()


@pytest.fixture(scope="module")
def logged(trained, small_data, store):
    result, bundle = trained
    return log_training(result, small_config(small_data, bundle))


def test_the_run_holds_config_data_metrics_plots_report_and_bundle(logged, trained, store):
    result, _ = trained
    client = MlflowClient(tracking_uri=f"sqlite:///{store / 'mlflow.db'}")
    run = client.get_run(logged.run_id)
    p, m = run.data.params, run.data.metrics
    assert p["seed"] == "13" and p["candidates"] == "['embed+char+word']" and p["sla.minutes.critical"] == "15"
    assert p["data_fingerprint"] == result.manifest.data_fingerprint == run.data.tags["data_fingerprint"]
    for split, recs in result.splits.items():
        assert m[f"data.{split}.n"] == len(recs)
        assert m[f"data.{split}.urgency.critical"] == sum(r.urgency == "critical" for r in recs)
    for split in ("validation", "test"):
        for key in ("macro_f1", "ece", "critical_recall", "critical.recall", "low.f1", "es.macro_f1", "en.macro_f1"):
            assert f"{split}.{key}" in m
    assert m["test.macro_f1"] == pytest.approx(result.metrics["macro_f1"], abs=1e-9)
    files = {a.path for d in ("evaluation/test", "evaluation/validation") for a in client.list_artifacts(logged.run_id, d)}
    assert {"evaluation/test/report.md", "evaluation/test/confusion_matrix.png", "evaluation/test/reliability.png",
            "evaluation/validation/report.md"} <= files
    # Artifacts live under $ATIENDE_HOME, not in ./mlruns of the working directory.
    assert run.info.artifact_uri.startswith((store / "mlartifacts").as_uri())
    version = client.get_model_version("atiende", logged.registered_version)
    assert version.run_id == logged.run_id
    local = fetch_bundle(f"models:/atiende/{logged.registered_version}")
    assert json.loads((local / "manifest.json").read_text())["model_version"] == result.manifest.model_version


def test_the_registered_pyfunc_answers_like_the_api(logged):
    import pandas as pd

    model = mlflow.pyfunc.load_model(f"models:/atiende/{logged.registered_version}")
    out = model.predict(pd.DataFrame({"text": ["me han hackeado la cuenta y hay compras que no hice",
                                               "thanks for the quick help yesterday!"], "k": [2, 1]}))
    assert len(out) == 2
    assert set(out[0]) >= {"urgency", "priority", "sla", "suggestions", "model_version"}
    assert out[0]["urgency"]["label"] in ("critical", "high") and len(out[0]["suggestions"]) <= 2
    assert out[1]["context"]["lang"] == "en"


def test_the_gate_promotes_a_first_model_and_refuses_a_worse_one(logged, trained, small_data, tmp_path, store):
    from data.corpus import load_corpus

    result, bundle = trained
    # The corpus's test split, not the small run's ~18 messages: with ~4 critical ones a
    # label swap can leave critical recall unchanged by chance.
    recs, split = load_corpus()
    heldout = [r for r in recs if split[r.id] == "test"]
    first = promote(logged.registered_version, heldout)
    assert first.promoted and first.champion_version is None
    assert registry_version("models:/atiende@champion") == logged.registered_version
    # A deliberately worse candidate: the same head with its "critical" and "low" outputs swapped.
    worse_dir = tmp_path / "worse"
    shutil.copytree(bundle, worse_dir)
    manifest = json.loads((worse_dir / "manifest.json").read_text())
    labels = manifest["labels"]
    i, j = labels.index("critical"), labels.index("low")
    labels[i], labels[j] = labels[j], labels[i]
    (worse_dir / "manifest.json").write_text(json.dumps(manifest))
    worse = dataclasses.replace(result, bundle_dir=worse_dir)
    second = log_training(worse, small_config(small_data, worse_dir))
    gate = promote(second.registered_version, heldout)
    assert not gate.promoted and gate.champion_version == logged.registered_version
    assert gate.candidate["critical_recall"] < gate.champion["critical_recall"] - 0.02
    assert any("critical recall" in r for r in gate.reasons)
    assert registry_version("models:/atiende@champion") == logged.registered_version
    tags = MlflowClient().get_model_version("atiende", second.registered_version).tags
    assert tags["gate"] == "refused" and "critical recall" in tags["gate.reasons"]


def test_compare_applies_the_tolerances():
    champ = {"macro_f1": 0.80, "critical_recall": 0.90}
    assert compare({"macro_f1": 0.795, "critical_recall": 0.885}, champ, 0.01, 0.02) == []
    assert len(compare({"macro_f1": 0.78, "critical_recall": 0.85}, champ, 0.01, 0.02)) == 2
    assert compare({"macro_f1": 0.1, "critical_recall": 0.0}, None, 0.01, 0.02) == []


def test_serve_resolves_the_champion_alias_and_follows_it(logged, trained, store, tmp_path):
    import httpx

    from tests.serving.conftest import live_server

    env = {"ATIENDE_MODEL_URI": "models:/atiende@champion", "ATIENDE_FOLLOW_SECONDS": "1",
           "ATIENDE_HOME": str(store)}
    champion = registry_version("models:/atiende@champion")
    with live_server(tmp_path, trained[1], **env) as srv:
        served = httpx.get(srv.url + "/v1/model").json()["serving"]
        assert served["source"] == "models:/atiende@champion" and served["registry_version"] == champion
        other = max(int(v.version) for v in MlflowClient().search_model_versions("name='atiende'"))
        assert str(other) != champion
        MlflowClient().set_registered_model_alias("atiende", "champion", str(other))
        try:
            deadline = time.monotonic() + 60
            while httpx.get(srv.url + "/v1/model").json()["serving"]["registry_version"] != str(other):
                assert time.monotonic() < deadline, "the server did not follow the alias"
                time.sleep(0.5)
        finally:
            MlflowClient().set_registered_model_alias("atiende", "champion", champion)
