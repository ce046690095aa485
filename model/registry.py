"""Bundles kept in an MLflow registry: resolve ``models:/NAME@ALIAS`` (or ``/VERSION``) to a local folder.

mlflow is imported only when a registry URI is actually used, so plain bundle folders need none of it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from model.bundle import BundleError, state_dir


def tracking_uri(explicit: str | None = None) -> str:
    """``explicit``, else ``MLFLOW_TRACKING_URI``, else the embedded SQLite store under $ATIENDE_HOME."""
    return explicit or os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{state_dir() / 'mlflow.db'}"


def is_model_uri(source: str) -> bool:
    return source.startswith(("models:/", "runs:/", "mlflow-artifacts:/"))


def registry_version(uri: str) -> str | None:
    """The registered version a ``models:/NAME@ALIAS`` or ``models:/NAME/N`` URI points to now."""
    if not uri.startswith("models:/"):
        return None
    from mlflow import MlflowClient  # only registry users pay for importing mlflow

    ref = uri[len("models:/"):]
    client = MlflowClient(tracking_uri=tracking_uri())
    if "@" in ref:
        name, alias = ref.split("@", 1)
        return str(client.get_model_version_by_alias(name, alias).version)
    name, _, version = ref.partition("/")
    if version.isdigit():
        return version
    return str(max(int(v.version) for v in client.search_model_versions(f"name='{name}'")))


def fetch_bundle(source: str, cache: Path | None = None) -> Path:
    """A local bundle folder for ``source``: a path as is; an MLflow URI downloaded first."""
    if not is_model_uri(source):
        return Path(source)
    import mlflow

    mlflow.set_tracking_uri(tracking_uri())
    dst = Path(tempfile.mkdtemp(prefix="atiende-model-", dir=cache))
    local = Path(mlflow.artifacts.download_artifacts(artifact_uri=source, dst_path=str(dst)))
    found = sorted(p.parent for p in local.rglob("manifest.json"))
    if not found:
        raise BundleError(f"{source}: no manifest.json in the downloaded model; was it registered by `atiende train`?")
    return found[0]
