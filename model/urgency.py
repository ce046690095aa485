"""The urgency classifier at inference: features from the encoder and char n-grams, ONNX head."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from model.bundle import BundleError, Manifest
from model.encoder import OnnxEncoder, make_session
from model.features import NgramTfidf
from model.text import normalize_for_model


class UrgencyHead:
    """Maps normalised texts and their embeddings to calibrated label probabilities."""

    def __init__(self, bundle_dir: Path, manifest: Manifest, encoder_dim: int, threads: int | None = None):
        spec = manifest.head
        self.labels = list(manifest.labels)
        self.session = make_session(bundle_dir / spec.file, threads)
        self.use_embedding = spec.use_embedding
        self.embedding_weight = spec.embedding_weight
        self.tfidf = [NgramTfidf.from_dict(json.loads((bundle_dir / f).read_text(encoding="utf-8"))) for f in spec.tfidf]
        expected = (encoder_dim if self.use_embedding else 0) + sum(t.dim for t in self.tfidf)
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        got = inp.shape[-1]
        if expected != spec.input_dim or (isinstance(got, int) and got != expected):
            raise BundleError(f"{bundle_dir}: {spec.file} takes {got} features but the encoder and "
                              f"n-gram features give {expected}; the head does not match this encoder")
        outputs = [o.name for o in self.session.get_outputs()]
        self.prob_output = next((n for n in outputs if "prob" in n), outputs[-1])

    def blocks(self, texts: Sequence[str], embeddings: np.ndarray | None,
               support: list[np.ndarray] | None = None) -> list[np.ndarray]:
        """The feature blocks in head order: the weighted embedding (if used), then each TF-IDF.
        A ``support`` list gets, per row, the non-zero columns of the concatenated features."""
        parts = []
        if self.use_embedding:
            parts.append(embeddings.astype(np.float32) * np.float32(self.embedding_weight))
        per_block = [[] if support is not None else None for _ in self.tfidf]
        parts += [t.transform(texts, found) for t, found in zip(self.tfidf, per_block, strict=True)]
        if support is not None:
            offsets = np.cumsum([0] + [p.shape[1] for p in parts])
            dense = [np.arange(parts[0].shape[1])] if self.use_embedding else []
            first = int(self.use_embedding)
            for row in range(len(texts)):
                support.append(np.concatenate(dense + [found[row] + offsets[first + b]
                                                       for b, found in enumerate(per_block)]))
        return parts

    def features(self, texts: Sequence[str], embeddings: np.ndarray | None) -> np.ndarray:
        parts = self.blocks(texts, embeddings)
        return np.hstack(parts) if len(parts) > 1 else parts[0]

    def predict_features(self, x: np.ndarray) -> np.ndarray:
        (probs,) = self.session.run([self.prob_output], {self.input_name: x})
        return np.asarray(probs, dtype=np.float32)

    def predict_proba(self, texts: Sequence[str], embeddings: np.ndarray | None) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return self.predict_features(self.features(texts, embeddings))


class UrgencyModel:
    """Encoder + head: ``predict_proba(texts)`` for raw customer texts."""

    def __init__(self, encoder: OnnxEncoder, head: UrgencyHead):
        self.encoder, self.head = encoder, head
        self.labels = head.labels

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        return self.encoder.encode([normalize_for_model(t) for t in texts], batch_size)

    def predict_proba(self, texts: Sequence[str], batch_size: int = 32,
                      embeddings: np.ndarray | None = None) -> np.ndarray:
        norm = [normalize_for_model(t) for t in texts]
        if embeddings is None and self.head.use_embedding:
            embeddings = self.encoder.encode(norm, batch_size)
        return self.head.predict_proba(norm, embeddings)
