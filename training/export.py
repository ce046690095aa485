"""Export the encoder (fp32 and int8) and the urgency head to ONNX."""

from __future__ import annotations

import json
import logging
import shutil
import warnings
from pathlib import Path

import numpy as np


def export_encoder(st_model, out_dir: Path, max_length: int = 256) -> dict[str, str]:
    """Write ``encoder.onnx`` (mean pooling + L2 norm inside the graph), ``encoder.int8.onnx``
    (dynamic per-channel int8) and ``tokenizer/``; return {variant: file}."""
    import torch

    transformer = st_model[0].auto_model.eval()
    # Trace the eager attention (explicit matmul, softmax): the SDPA path exports masking ops
    # (Where, IsNaN) that ran fp32 about 8% slower here (bench_encode: 116-121 vs 125-130 msg/s).
    previous = transformer.config._attn_implementation
    _set_attention(transformer, "eager")
    has_types = "token_type_ids" in transformer.forward.__code__.co_varnames

    class Pooled(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kw = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
            hidden = self.m(input_ids=input_ids, attention_mask=attention_mask, **kw)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    out_dir.mkdir(parents=True, exist_ok=True)
    ids = torch.ones((2, 8), dtype=torch.long)
    inputs = (ids, torch.ones_like(ids)) + ((torch.zeros_like(ids),) if has_types else ())
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if has_types else [])
    fp32 = out_dir / "encoder.onnx"
    # The TorchScript exporter warns about tracing and its own deprecation; the graph is
    # checked against sentence-transformers by the parity tests instead.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Pooled(transformer), inputs, str(fp32), input_names=names, output_names=["embeddings"],
                          dynamic_axes={**{n: {0: "batch", 1: "sequence"} for n in names}, "embeddings": {0: "batch"}},
                          opset_version=17, dynamo=False)
    _set_attention(transformer, previous)
    int8 = quantize_encoder(fp32, out_dir / "encoder.int8.onnx")
    export_tokenizer(st_model, out_dir / "tokenizer")
    return {"fp32": fp32.name, "int8": int8.name}


def _set_attention(model, impl: str) -> None:
    if hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation(impl)
    else:  # older transformers
        model.config._attn_implementation = impl


def quantize_encoder(fp32: Path, int8: Path) -> Path:
    """Dynamic int8 weights, per channel: the defaults cost too much accuracy (min cos 0.84 vs fp32)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a generic pre-processing hint on every call
    try:
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)
    return int8


def export_tokenizer(st_model, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tok = st_model.tokenizer
    if getattr(tok, "backend_tokenizer", None) is None:
        raise ValueError("the encoder's tokenizer has no fast (tokenizers) backend; ONNX serving needs tokenizer.json")
    tok.backend_tokenizer.save(str(out_dir / "tokenizer.json"))
    for extra in ("tokenizer_config.json", "special_tokens_map.json", "vocab.txt"):
        src = Path(getattr(tok, "name_or_path", "")) / extra
        if src.is_file():
            shutil.copy(src, out_dir / extra)


def export_head(clf, n_features: int, path: Path) -> None:
    """A fitted scikit-learn classifier to ONNX with a 'probabilities' output (no ZipMap)."""
    from skl2onnx import to_onnx

    onx = to_onnx(clf, np.zeros((1, n_features), dtype=np.float32),
                  options={id(clf): {"zipmap": False}}, target_opset=17)
    path.write_bytes(onx.SerializeToString())


def export_linear(clf, path: Path) -> None:
    """A fitted ``LogisticRegression``'s weights for ``model.linear.SparseLinear``: transposed
    (features x outputs), so a row's non-zero features gather contiguous rows."""
    kind = "logistic" if len(clf.classes_) == 2 else "softmax"
    with open(path, "wb") as fh:
        np.savez(fh, coef_t=np.ascontiguousarray(clf.coef_.T, dtype=np.float32),
                 intercept=clf.intercept_.astype(np.float32), kind=np.array(kind))


def export_tfidf(vec, path: Path) -> None:
    """A fitted ``TfidfVectorizer``'s vocabulary and idf for ``model.features.NgramTfidf``."""
    path.write_text(json.dumps(
        {"vocabulary": {k: int(v) for k, v in vec.vocabulary_.items()}, "idf": vec.idf_.tolist(),
         "analyzer": vec.analyzer, "ngram_range": list(vec.ngram_range), "sublinear_tf": True},
        ensure_ascii=False), encoding="utf-8")
