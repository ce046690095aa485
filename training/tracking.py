"""MLflow for `atiende train`: the run (params, data, metrics, plots, report, bundle) and the registry.

The default store is embedded: SQLite at ``$ATIENDE_HOME/mlflow.db`` with artifacts under
``$ATIENDE_HOME/mlartifacts``; ``MLFLOW_TRACKING_URI`` (or ``--tracking-uri``) points at a server.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from model.bundle import state_dir
from model.registry import tracking_uri

EXPERIMENT = "atiende"
DEFAULT_MODEL_NAME = "atiende"
CHAMPION = "champion"
_BAD_NAME = re.compile(r"[^\w\-. /]")


@dataclass
class LoggedRun:
    run_id: str
    model_uri: str
    registered_version: str | None
    tracking_uri: str


def connect(uri: str | None = None) -> str:
    """Point mlflow at the store and make sure the experiment exists; returns its id."""
    import mlflow

    uri = tracking_uri(uri)
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    exp = mlflow.get_experiment_by_name(EXPERIMENT)
    if exp is not None:
        return exp.experiment_id
    # A local store keeps artifacts under $ATIENDE_HOME, not in ./mlruns of whatever folder we run from.
    location = (state_dir() / "mlartifacts").as_uri() if uri.startswith(("sqlite:", "file:")) else None
    return mlflow.create_experiment(EXPERIMENT, artifact_location=location)


def flat_params(d: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(flat_params(v, key + "."))
        else:
            out[key] = str(v)
    return out


def metric_items(m: dict, prefix: str) -> dict[str, float]:
    """MLflow metrics from an evaluation summary: overall, per class and per language."""
    out = {f"{prefix}.{k}": float(m[k]) for k in ("macro_f1", "accuracy", "ece") if k in m}
    for cls, pc in m.get("per_class", {}).items():
        for k in ("precision", "recall", "f1", "support"):
            out[f"{prefix}.{cls}.{k}"] = float(pc[k])
    if "critical" in m.get("per_class", {}):
        out[f"{prefix}.critical_recall"] = float(m["per_class"]["critical"]["recall"])
    for lang, pl in m.get("per_lang", {}).items():
        for k, v in pl.items():
            out[f"{prefix}.{lang}.{k}"] = float(v)
    return {_BAD_NAME.sub("_", k): v for k, v in out.items()}


def count_items(data_counts: dict) -> dict[str, float]:
    out = {}
    for split, c in data_counts.items():
        out[f"data.{split}.n"] = float(c["n"])
        for group in ("urgency", "lang"):
            for k, v in c.get(group, {}).items():
                out[f"data.{split}.{group}.{k}"] = float(v)
    return out


def log_training(result, cfg, uri: str | None = None, model_name: str = DEFAULT_MODEL_NAME,
                 register: bool = True) -> LoggedRun:
    """Log a finished training (``training.pipeline.TrainResult``) as one run and register its bundle."""
    import mlflow

    from evaluation.evaluate import evaluate_bundle

    experiment_id = connect(uri)
    m = result.manifest
    with mlflow.start_run(experiment_id=experiment_id, run_name=m.model_version) as run:
        mlflow.log_params(flat_params(cfg.to_dict()))
        mlflow.log_param("data_fingerprint", m.data_fingerprint)
        mlflow.set_tags({"model_version": m.model_version, "data_fingerprint": m.data_fingerprint,
                         "selected_head": m.head.kind, "encoder": m.encoder.name})
        metrics = count_items(m.data_counts)
        metrics["selected.validation_macro_f1"] = float(m.metrics["selected"]["val_macro_f1"])
        if result.baseline_metrics:
            metrics["baseline_char.test.macro_f1"] = float(result.baseline_metrics["macro_f1"])
        with tempfile.TemporaryDirectory() as tmp:
            for split in ("validation", "test"):
                report = Path(tmp) / split
                summary = evaluate_bundle(result.bundle_dir, result.splits[split], report_dir=report)
                metrics.update(metric_items(summary, split))
                mlflow.log_artifacts(str(report), f"evaluation/{split}")
        mlflow.log_metrics(metrics)
        info = mlflow.pyfunc.log_model(
            name="model", python_model=str(Path(__file__).with_name("mlflow_entry.py")), artifacts={"bundle": str(result.bundle_dir)},
            registered_model_name=model_name if register else None,
            signature=_signature(),
            pip_requirements=["atiende"], tags={"model_version": m.model_version})
        version = str(info.registered_model_version) if register and info.registered_model_version else None
    return LoggedRun(run.info.run_id, info.model_uri, version, tracking_uri(uri))


def _signature():
    """Inputs of the pyfunc model: ``text`` and the optional request fields of /v1/suggest."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema

    optional = [("lang", "string"), ("channel", "string"), ("handle", "string"), ("followers", "long"),
                ("created_at", "string"), ("k", "long"), ("brand", "string"), ("agent", "string")]
    return ModelSignature(inputs=Schema([ColSpec("string", "text")] +
                                        [ColSpec(t, name, required=False) for name, t in optional]))
