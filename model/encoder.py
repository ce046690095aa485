"""Sentence embeddings from an exported ONNX encoder, with onnxruntime and tokenizers only.

The graph takes ``input_ids``, ``attention_mask`` (and ``token_type_ids`` when it has that
input) and returns mean-pooled, L2-normalised embeddings. Texts are tokenised without
fixed padding, sorted by length and padded per batch, so short posts cost little.
Work the machine need not do is skipped: identical texts in a call are encoded once, and an
optional LRU cache keeps recent embeddings (the API sees the same retweet many times).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def default_threads() -> int:
    """One intra-op thread per core the process may use (2 on the project's machines)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def make_session(path: str | Path, threads: int | None = None, spin: bool = False) -> ort.InferenceSession:
    """An onnxruntime CPU session. ``spin``: idle intra-op threads busy-wait for the next op,
    as torch's OpenMP threads do; worth it only for a process that does nothing but run the
    model (fp32 batches: +4%). Off by default: with numpy's BLAS and the server on the same two
    cores the spinning stole their time (suggest p50 25.6 -> 11.2 ms, bench_suggest, 50k)."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or default_threads()
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


def load_tokenizer(path: str | Path, max_length: int) -> Tokenizer:
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()  # the shipped tokenizer.json pads every text to 128
    tok.enable_truncation(max_length)
    return tok


class EmbeddingCache:
    """A thread-safe LRU map text -> embedding; ``size`` 0 disables it."""

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_many(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        if not self.size:
            return [None] * len(texts)
        out = []
        with self._lock:
            for t in texts:
                v = self._data.get(t)
                if v is not None:
                    self._data.move_to_end(t)
                    self.hits += 1
                else:
                    self.misses += 1
                out.append(v)
        return out

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        if not self.size:
            return
        with self._lock:
            for t, v in zip(texts, vectors, strict=True):
                self._data[t] = v.copy()
                self._data.move_to_end(t)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class OnnxEncoder:
    """Encode texts into unit-length float32 vectors."""

    def __init__(self, model_path: str | Path, tokenizer_path: str | Path, max_length: int = 256,
                 threads: int | None = None, cache_size: int = 0, spin: bool = False):
        self.session = make_session(model_path, threads, spin)
        self.tokenizer = load_tokenizer(tokenizer_path, max_length)
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.dim = int(self.session.get_outputs()[0].shape[-1])
        self.cache = EmbeddingCache(cache_size)

    def tokenize(self, texts: Sequence[str]) -> list:
        return self.tokenizer.encode_batch(list(texts))

    def _run(self, encodings: list) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        return self.session.run(None, feeds)[0]

    def encode(self, texts: Sequence[str], batch_size: int = 32, dedupe: bool = True) -> np.ndarray:
        """Embeddings (len(texts), dim) in input order; duplicates and cached texts are not recomputed
        (``dedupe=False`` computes every row: for benchmarks)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if dedupe:
            unique: dict[str, int] = {}
            slots = [unique.setdefault(t, len(unique)) for t in texts]
            uniq = list(unique)
        else:
            uniq, slots = list(texts), list(range(len(texts)))
        out = np.empty((len(uniq), self.dim), dtype=np.float32)
        cached = self.cache.get_many(uniq)
        todo = [i for i, v in enumerate(cached) if v is None]
        for i, v in enumerate(cached):
            if v is not None:
                out[i] = v
        if todo:
            encodings = self.tokenize([uniq[i] for i in todo])
            order = np.argsort([len(e.ids) for e in encodings], kind="stable")
            fresh = np.empty((len(todo), self.dim), dtype=np.float32)
            for start in range(0, len(order), batch_size):
                idx = order[start:start + batch_size]
                fresh[idx] = self._run([encodings[i] for i in idx])
            out[todo] = fresh
            self.cache.put_many([uniq[i] for i in todo], fresh)
        return out[slots]
