"""The model bundle: a self-describing directory, verified file by file at load.

Layout: ``manifest.json`` (this module's ``Manifest``) plus the files it lists with their
sha256: ``encoder.onnx``, ``encoder.int8.onnx``, ``tokenizer/tokenizer.json``,
``urgency.onnx``, ``char_tfidf.json`` and, once built, the reply bank.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from model.sla import SlaPolicy

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def state_dir() -> Path:
    """Where bundles, the MLflow store, feedback and caches live: $ATIENDE_HOME, default ./.atiende."""
    return Path(os.environ.get("ATIENDE_HOME", ".atiende")).resolve()


class BundleError(RuntimeError):
    """A bundle that is missing, partial, corrupt or inconsistent."""


class EncoderSpec(BaseModel):
    name: str
    dim: int = Field(gt=0)
    max_length: int = Field(default=256, gt=0)
    files: dict[str, str] = Field(description="variant -> file, e.g. {'fp32': 'encoder.onnx'}")
    default_variant: str = "int8"
    tokenizer: str = "tokenizer/tokenizer.json"


class HeadSpec(BaseModel):
    file: str = "urgency.onnx"
    kind: str = Field(description="which candidate won, e.g. 'embed+char'")
    use_embedding: bool = True
    tfidf: list[str] = Field(default_factory=list, description="n-gram TF-IDF files (vocabulary + idf), in feature order")
    embedding_weight: float = 1.0
    input_dim: int = Field(gt=0)


class AuxHeadSpec(BaseModel):
    """A classifier sharing the urgency head's features (topic, anger)."""

    file: str
    labels: list[str]
    threshold: float | None = Field(default=None, description="binary heads: P(labels[1]) from which it fires")
    linear: str | None = Field(default=None, description="the same logistic regression's weights (npz) for "
                               "evaluating only the non-zero features of a row; absent: onnxruntime runs `file`")


class BankSpec(BaseModel):
    """The reply bank: entries, their retrieval keys and how suggestions are scored."""

    entries: str = "replies.jsonl"
    embeddings: str = "replies.npy"
    lexical: str = "replies_lexical.npz"
    size: int = Field(ge=0)
    min_similarity: float = Field(description="below this best similarity the bank has nothing that fits")
    weights: dict[str, float] = Field(description="score = sum of weight x component")
    lexical_terms: int = Field(default=64, gt=0, description="query n-grams kept for lexical scoring")
    lexical_vocab: str = Field(default="char_tfidf.json", description="the n-gram TF-IDF the lexical keys use")
    brands: dict[str, str] = Field(default_factory=dict, description="brand handle (lower case, no @) -> industry")
    phrases: dict[str, dict[str, list[str]]] = Field(
        default_factory=dict, description="lang -> kind (dm_invite, pii_delete, hours_notice) -> sentences")


class ToneDetectorSpec(BaseModel):
    """A learned detector of one broken tone guideline (``model.tone_model``)."""

    file: str = Field(description="logistic-regression weights (npz, ``model.linear.SparseLinear``)")
    threshold: float = Field(gt=0, lt=1, description="P(breaks the guideline) from which it fires")
    mode: Literal["model", "either"] = Field(
        description="model: the detector decides the check; either: the check fails when the rules or the detector say so")


class ToneModelSpec(BaseModel):
    """Learned tone detectors over the bundle's n-gram TF-IDF, for checks they judge better than the rules."""

    tfidf: list[str] = Field(description="the bundle's n-gram TF-IDF files, in feature order")
    detectors: dict[str, ToneDetectorSpec]


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    model_version: str
    created_at: dt.datetime
    labels: list[str]
    encoder: EncoderSpec
    head: HeadSpec
    sla: SlaPolicy = Field(default_factory=SlaPolicy)
    thresholds: dict[str, float] = Field(default_factory=dict)
    data_fingerprint: str = ""
    data_counts: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, Any] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)
    aux_heads: dict[str, AuxHeadSpec] = Field(default_factory=dict)
    bank: BankSpec | None = None
    tone: ToneModelSpec | None = None
    files: dict[str, str] = Field(default_factory=dict, description="relative path -> sha256")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def read_manifest(bundle_dir: str | Path) -> Manifest:
    """Parse ``manifest.json`` without checking the files."""
    path = Path(bundle_dir) / MANIFEST
    if not path.is_file():
        raise BundleError(f"{bundle_dir}: no {MANIFEST}; is this a model bundle? Train one with `atiende train`")
    try:
        manifest = Manifest.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError) as e:
        raise BundleError(f"{path}: unreadable manifest ({e})") from None
    if manifest.format_version != FORMAT_VERSION:
        raise BundleError(f"{path}: bundle format {manifest.format_version}, this Atiende reads {FORMAT_VERSION}")
    return manifest


def verify_bundle(bundle_dir: str | Path) -> Manifest:
    """Read the manifest and check every listed file's sha256; raise BundleError naming the first bad file."""
    root = Path(bundle_dir)
    manifest = read_manifest(root)
    if not manifest.files:
        raise BundleError(f"{root}: the manifest lists no files")
    for rel, expected in sorted(manifest.files.items()):
        path = root / rel
        if not path.is_file():
            raise BundleError(f"{root}: {rel} is missing (listed in the manifest)")
        actual = sha256_file(path)
        if actual != expected:
            raise BundleError(f"{root}: {rel} is corrupt or was modified "
                              f"(sha256 {actual[:12]}..., manifest says {expected[:12]}...)")
    bank = [manifest.bank.entries, manifest.bank.embeddings, manifest.bank.lexical,
            manifest.bank.lexical_vocab] if manifest.bank else []
    for rel in [*manifest.encoder.files.values(), manifest.encoder.tokenizer, manifest.head.file,
                *manifest.head.tfidf, *(h.file for h in manifest.aux_heads.values()),
                *(h.linear for h in manifest.aux_heads.values() if h.linear), *bank,
                *((*manifest.tone.tfidf, *(d.file for d in manifest.tone.detectors.values())) if manifest.tone else ())]:
        if rel not in manifest.files:
            raise BundleError(f"{root}: {rel} is used but has no sha256 in the manifest")
    return manifest
