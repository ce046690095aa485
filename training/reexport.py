"""`atiende export`: rebuild the ONNX encoders of an existing bundle into a new bundle.

The encoder is exported again from the torch model the manifest names (or, for a fine-tuned
encoder whose weights live only in the bundle, re-quantised from the bundle's fp32 graph); the
urgency head, vocabularies and reply bank are carried over. The new fp32 graph must reproduce
the old one's embeddings, or the head would be fed inputs it was not trained on.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np

from model.bundle import BundleError, Manifest, verify_bundle
from model.encoder import OnnxEncoder
from training.bundle_writer import write_bundle

PROBES = ["se me cayó la fibra otra vez, llevo dos horas sin conexión",
          "my card was charged twice for the same order, please help",
          "gracias por la ayuda de ayer, todo perfecto 🙌", "vuelo cancelado y nadie responde en el mostrador"]
MIN_COS = 0.9999


def reexport_bundle(src: Path, dst: Path, variant: str | None = None, from_torch: bool = True) -> Manifest:
    """Write a bundle at ``dst`` with freshly exported encoders; return its manifest."""
    src, dst = Path(src), Path(dst)
    old = verify_bundle(src)
    if variant and variant not in old.encoder.files:
        raise BundleError(f"unknown encoder variant {variant!r}; choose from {sorted(old.encoder.files)}")
    fine_tuned = old.encoder.name.endswith("(fine-tuned)")

    def fill(tmp: Path) -> Manifest:
        for rel in old.files:
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / rel, tmp / rel)
        how = "requantized"
        if from_torch and not fine_tuned:
            from training.encoder_torch import load_sentence_encoder
            from training.export import export_encoder

            export_encoder(load_sentence_encoder(old.encoder.name, old.encoder.max_length), tmp, old.encoder.max_length)
            how = "exported from torch"
        else:
            from training.export import quantize_encoder

            quantize_encoder(tmp / old.encoder.files["fp32"], tmp / old.encoder.files["int8"])
        _check_same_embeddings(src / old.encoder.files["fp32"], tmp / old.encoder.files["fp32"],
                               tmp / old.encoder.tokenizer, old.encoder.max_length)
        now = dt.datetime.now(dt.timezone.utc)
        spec = old.encoder.model_copy(update={"default_variant": variant or old.encoder.default_variant})
        return old.model_copy(update={"created_at": now, "encoder": spec, "extra": {
            **old.extra, "export": {"from": str(src), "at": now.isoformat(), "how": how}}})

    write_bundle(dst, fill)
    return verify_bundle(dst)


def _check_same_embeddings(old: Path, new: Path, tokenizer: Path, max_length: int) -> None:
    a = OnnxEncoder(old, tokenizer, max_length).encode(PROBES)
    b = OnnxEncoder(new, tokenizer, max_length).encode(PROBES)
    cos = float(np.min(np.sum(a * b, axis=1)))
    if cos < MIN_COS:
        raise BundleError(f"the re-exported encoder differs from the bundle's (min cosine {cos:.5f} < {MIN_COS}); "
                          "was the encoder changed since training? Retrain instead.")
