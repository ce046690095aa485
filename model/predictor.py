"""Triage at inference: urgency, SLA deadline and priority for each message of a batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.decision import decide
from model.bundle import BundleError, Manifest, verify_bundle
from model.encoder import OnnxEncoder
from model.priority import priority_score
from model.urgency import UrgencyHead, UrgencyModel

PUBLIC_CHANNELS = frozenset({"twitter", "facebook", "instagram"})


@dataclass(frozen=True)
class Triage:
    """One message's urgency, deadline and queue priority."""

    label: str
    probabilities: dict[str, float]
    sla_minutes: int
    due_at: dt.datetime
    priority: float

    def to_dict(self) -> dict:
        return {"urgency": {"label": self.label, "probabilities": self.probabilities},
                "priority": self.priority,
                "sla": {"minutes": self.sla_minutes, "due_at": rfc3339(self.due_at)}}


def rfc3339(t: dt.datetime) -> str:
    """ISO 8601 with a whole-minute offset: pre-1900 local mean times ("-00:14:44") become UTC."""
    offset = t.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        t = t.astimezone(dt.timezone.utc)
    return t.isoformat()


@dataclass
class TriageInput:
    text: str
    created_at: dt.datetime | None = None
    followers: int | None = None
    channel: str = "twitter"


class Predictor:
    """A verified bundle loaded for inference (onnxruntime, tokenizers and numpy only)."""

    def __init__(self, bundle_dir: str | Path, variant: str | None = None, threads: int | None = None,
                 cache_size: int = 0):
        self.bundle_dir = Path(bundle_dir)
        self.manifest: Manifest = verify_bundle(self.bundle_dir)
        enc = self.manifest.encoder
        self.variant = variant or enc.default_variant
        if self.variant not in enc.files:
            raise BundleError(f"{bundle_dir}: no encoder variant {self.variant!r}; it has {sorted(enc.files)}")
        encoder = OnnxEncoder(self.bundle_dir / enc.files[self.variant], self.bundle_dir / enc.tokenizer,
                              enc.max_length, threads, cache_size)
        if encoder.dim != enc.dim:
            raise BundleError(f"{bundle_dir}: {enc.files[self.variant]} outputs {encoder.dim} dims, manifest says {enc.dim}")
        self.model = UrgencyModel(encoder, UrgencyHead(self.bundle_dir, self.manifest, encoder.dim, threads))
        self.labels = self.model.labels
        self.sla = self.manifest.sla

    @property
    def model_version(self) -> str:
        return self.manifest.model_version

    def triage(self, items: Sequence[TriageInput], now: dt.datetime | None = None,
               embeddings: np.ndarray | None = None) -> list[Triage]:
        """Urgency, SLA and priority for each item, in input order."""
        probs = self.model.predict_proba([it.text for it in items], embeddings=embeddings)
        return self.triage_from_probs(items, probs, now)

    def triage_from_probs(self, items: Sequence[TriageInput], probs: np.ndarray,
                          now: dt.datetime | None = None) -> list[Triage]:
        """Decision, SLA and priority from urgency probabilities already computed."""
        now = now or dt.datetime.now(dt.timezone.utc)
        return [self._one(it, p, now) for it, p in zip(items, probs, strict=True)]

    def _one(self, item: TriageInput, p: np.ndarray, now: dt.datetime) -> Triage:
        probabilities = {lab: round(float(v), 6) for lab, v in zip(self.labels, p, strict=True)}
        label = self.labels[int(decide(p[None, :], self.labels, self.manifest.thresholds)[0])]
        created = item.created_at or now
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.timezone.utc)
        minutes = self.sla.minutes[label]
        due = self.sla.due_at(label, created)
        started = self.sla.clock_start(label, created)
        waited = max((now - started).total_seconds() / 60.0, 0.0)
        prio = priority_score(probabilities, waited, minutes, item.followers, item.channel in PUBLIC_CHANNELS)
        return Triage(label, probabilities, minutes, due, prio)
