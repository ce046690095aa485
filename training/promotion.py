"""The promotion gate: a registered candidate replaces the champion only if it is not worse.

Both are evaluated by the inference runtime on the same held-out messages; the candidate is
promoted (alias ``champion``) when its macro-F1 and its critical recall do not drop by more
than the configured tolerances. The outcome is written on the candidate version as tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.registry import fetch_bundle, tracking_uri
from training.tracking import CHAMPION, DEFAULT_MODEL_NAME


@dataclass
class GateResult:
    promoted: bool
    version: str
    champion_version: str | None
    candidate: dict
    champion: dict | None
    reasons: list[str] = field(default_factory=list)


def compare(candidate: dict, champion: dict | None, max_f1_drop: float, max_recall_drop: float) -> list[str]:
    """Why ``candidate`` may not replace ``champion`` (empty: it may)."""
    if champion is None:
        return []
    reasons = []
    if candidate["macro_f1"] < champion["macro_f1"] - max_f1_drop:
        reasons.append(f"macro-F1 {candidate['macro_f1']:.4f} < champion {champion['macro_f1']:.4f} - {max_f1_drop}")
    if candidate["critical_recall"] < champion["critical_recall"] - max_recall_drop:
        reasons.append(f"critical recall {candidate['critical_recall']:.4f} < champion "
                       f"{champion['critical_recall']:.4f} - {max_recall_drop}")
    return reasons


def _scores(bundle_uri: str, records: list) -> dict:
    from evaluation.evaluate import evaluate_bundle

    m = evaluate_bundle(fetch_bundle(bundle_uri), records)
    return {"macro_f1": float(m["macro_f1"]), "critical_recall": float(m["per_class"]["critical"]["recall"]),
            "n": len(records)}


def promote(version: str | int, records: list, max_f1_drop: float = 0.01, max_recall_drop: float = 0.02,
            name: str = DEFAULT_MODEL_NAME, uri: str | None = None) -> GateResult:
    """Gate registered ``version`` of ``name`` against the champion on ``records``; promote if it passes."""
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    client = MlflowClient(tracking_uri=tracking_uri(uri))
    version = str(version)
    client.get_model_version(name, version)  # fails clearly on an unknown version
    try:
        champ_version = str(client.get_model_version_by_alias(name, CHAMPION).version)
    except MlflowException:
        champ_version = None
    candidate = _scores(f"models:/{name}/{version}", records)
    champion = _scores(f"models:/{name}/{champ_version}", records) if champ_version not in (None, version) else None
    reasons = compare(candidate, champion, max_f1_drop, max_recall_drop)
    promoted = not reasons
    if promoted:
        client.set_registered_model_alias(name, CHAMPION, version)
    tags = {"gate": "promoted" if promoted else "refused", "gate.macro_f1": f"{candidate['macro_f1']:.4f}",
            "gate.critical_recall": f"{candidate['critical_recall']:.4f}", "gate.n": str(candidate["n"]),
            "gate.champion_version": champ_version or "none"}
    if reasons:
        tags["gate.reasons"] = "; ".join(reasons)
    for k, v in tags.items():
        client.set_model_version_tag(name, version, k, v)
    return GateResult(promoted, version, champ_version, candidate, champion, reasons)
