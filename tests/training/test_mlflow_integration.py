"""Against real MLflow processes: training logged to a `mlflow server` on loopback, and
`mlflow models serve` answering with the registered model; plus reproducibility."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("mlflow")

from tests.conftest import small_config  # noqa: E402
from tests.serving.conftest import free_port, stop  # noqa: E402

MLFLOW = str(Path(sys.executable).parent / "mlflow")


def _wait(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"{proc.args} exited with {proc.returncode}"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def tracking_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("mlflow-server")
    port = free_port()
    proc = subprocess.Popen([MLFLOW, "server", "--host", "127.0.0.1", "--port", str(port),
                             "--backend-store-uri", f"sqlite:///{root / 'db.sqlite'}",
                             "--artifacts-destination", str(root / "artifacts"), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url + "/health", proc)
        yield url
    finally:
        stop(proc)


def test_train_against_a_tracking_server_and_serve_the_registered_model(trained, small_data, tracking_server,
                                                                       monkeypatch, tmp_path):
    from mlflow import MlflowClient

    from training.tracking import log_training

    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_server)
    monkeypatch.setenv("ATIENDE_HOME", str(tmp_path / "home"))
    result, bundle = trained
    logged = log_training(result, small_config(small_data, bundle), model_name="atiende-remote")
    client = MlflowClient(tracking_uri=tracking_server)
    assert client.get_run(logged.run_id).data.metrics["test.macro_f1"] == pytest.approx(result.metrics["macro_f1"])
    assert client.get_model_version("atiende-remote", logged.registered_version).run_id == logged.run_id
    assert not (tmp_path / "home" / "mlflow.db").exists()  # nothing went to the embedded store

    port = free_port()
    # `mlflow models serve` runs `uvicorn` from PATH: the venv's bin must be on it.
    env = {**os.environ, "MLFLOW_TRACKING_URI": tracking_server,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen([MLFLOW, "models", "serve", "-m", f"models:/atiende-remote/{logged.registered_version}",
                             "--env-manager", "local", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=open(tmp_path / "serve.log", "w"), stderr=subprocess.STDOUT)
    try:
        try:
            _wait(f"http://127.0.0.1:{port}/ping", proc, timeout=180)
        except AssertionError:
            raise AssertionError((tmp_path / "serve.log").read_text()[-3000:]) from None
        r = httpx.post(f"http://127.0.0.1:{port}/invocations", timeout=60,
                       json={"dataframe_records": [{"text": "me cobraron dos veces la factura, devolvedme el dinero",
                                                    "k": 2}]})
        assert r.status_code == 200, r.text
        (pred,) = r.json()["predictions"]
        assert pred["urgency"]["label"] in pred["urgency"]["probabilities"]
        assert 1 <= len(pred["suggestions"]) <= 2 and pred["model_version"] == result.manifest.model_version
    finally:
        stop(proc)


def test_same_data_config_and_seed_give_identical_metrics(trained, small_data, tmp_path):
    from training.pipeline import run_training

    first, _ = trained
    again = run_training(small_config(small_data, tmp_path / "again"), progress=False)
    assert again.metrics == first.metrics
    assert again.manifest.data_fingerprint == first.manifest.data_fingerprint
    assert again.manifest.thresholds == first.manifest.thresholds
