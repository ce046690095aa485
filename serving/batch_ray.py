"""The Ray engine of batch scoring: the same chunks, scored by a pool of Ray actors (Ray Data).

A dataset of chunk indices goes through ``map_batches`` on an ``ActorPoolStrategy``: each
actor loads the bundle once (one set of ONNX sessions per actor) and, for each chunk index,
fetches that chunk's rows from a ``Feeder`` actor pinned to the driver's node (which reads
the input with the same streaming reader as the local engine, so bad rows and row numbers are
identical), scores it with ``serving.batch.score_chunk`` and returns the part-file text. The
driver commits chunks in order, exactly as the local engine does: resume, the atomic output
and the summary do not depend on the engine.

Where it runs: with ``ray_address`` (or ``RAY_ADDRESS`` set) it joins that cluster; otherwise
it starts a local Ray with the cores of this machine. The input only needs to be on the
driver's machine (rows travel through Ray's object store); the bundle must be readable at
the same path on every node.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from serving.batch_io import iter_chunks

if TYPE_CHECKING:
    from serving.batch import ScoreConfig

log = logging.getLogger("atiende.score")


def ray_or_explain():
    """``ray`` and ``ray.data``, or an ImportError that says how to install them."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as e:
        raise ImportError("the Ray engine needs Ray Data: pip install 'atiende[ray]' "
                          "(or pip install 'ray[data]')") from e
    return ray


class Feeder:
    """Serves chunks of the input by index, reading the file once, front to back. Chunks asked for
    ahead of the reader are read and kept until asked; a chunk asked for again (a retried task)
    restarts the reader at it."""

    def __init__(self, path: str, fmt: str, chunk_size: int, start_chunk: int, text_column: str, id_column: str,
                 brand: str | None):
        self.args = (Path(path), fmt, chunk_size)
        self.kw = {"text_column": text_column, "id_column": id_column, "brand": brand}
        self._open(start_chunk)

    def _open(self, chunk: int) -> None:
        self.it = iter_chunks(*self.args, start_chunk=chunk, **self.kw)
        self.next = chunk
        self.ahead: dict[int, list] = {}

    def get(self, i: int) -> list:
        while i not in self.ahead:
            if i < self.next:
                self._open(i)
            j, rows = next(self.it, (None, None))
            if j is None:
                return []
            self.ahead[j] = rows
            self.next = j + 1
        return self.ahead.pop(i)


class ChunkScorer:
    """A Ray Data callable class: one Suggester (its ONNX sessions) per actor."""

    def __init__(self, bundle: str, variant: str | None, threads: int, feeder, now: str, batch_size: int):
        from model.suggest import Suggester

        self.sug = Suggester(bundle, variant, threads=threads)
        self.feeder, self.now, self.batch_size = feeder, dt.datetime.fromisoformat(now), batch_size

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import ray

        from serving.batch import score_chunk

        chunks, parts, stats = [], [], []
        for i in batch["chunk"].tolist():
            rows = ray.get(self.feeder.get.remote(int(i)))
            text, st = score_chunk(self.sug, rows, self.now, self.batch_size)
            chunks.append(int(i))
            parts.append(text)
            stats.append(json.dumps(st))
        return {"chunk": np.array(chunks, dtype=np.int64), "part": np.array(parts, dtype=object),
                "stats": np.array(stats, dtype=object)}


def run_ray(cfg: ScoreConfig, bundle: Path, in_fmt: str, start_chunk: int, n_chunks: int,
            commit: Callable[[int, str, dict], None], now: dt.datetime) -> None:
    """Score chunks ``start_chunk``..``n_chunks - 1`` on Ray and commit them in order."""
    ray = ray_or_explain()
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    from model.encoder import default_threads

    started_here = False
    if not ray.is_initialized():
        address = cfg.ray_address or os.environ.get("RAY_ADDRESS")
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            os.environ.setdefault("RAY_AUTH_MODE", "disabled")
            ray.init(num_cpus=default_threads(), include_dashboard=False, log_to_driver=False,
                     logging_level=logging.WARNING)
        started_here = True
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # our progress bar is the one shown
    ctx = ray.data.DataContext.get_current()
    saved = (ctx.execution_options.preserve_order, ctx.enable_progress_bars, ctx.print_on_execution_start)
    feeder = None
    try:
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = ctx.print_on_execution_start = False
        actors = cfg.workers or max(1, int(ray.cluster_resources().get("CPU", 1)) // cfg.threads)
        feeder = ray.remote(num_cpus=0)(Feeder).options(
            scheduling_strategy=NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False),
        ).remote(str(cfg.input.resolve()), in_fmt, cfg.chunk_size, start_chunk, cfg.text_column, cfg.id_column,
                 cfg.brand)
        ds = ray.data.from_items([{"chunk": i} for i in range(start_chunk, n_chunks)],
                                 override_num_blocks=max(1, n_chunks - start_chunk))
        ds = ds.map_batches(ChunkScorer, batch_size=1, batch_format="numpy", num_cpus=cfg.threads,
                            compute=ray.data.ActorPoolStrategy(size=actors),
                            fn_constructor_kwargs={"bundle": str(bundle.resolve()), "variant": cfg.variant,
                                                   "threads": cfg.threads, "feeder": feeder, "now": now.isoformat(),
                                                   "batch_size": cfg.batch_size})
        waiting: dict[int, tuple[str, dict]] = {}
        expected = start_chunk
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            for i, part, stats in zip(batch["chunk"].tolist(), batch["part"], batch["stats"], strict=True):
                waiting[int(i)] = (str(part), json.loads(str(stats)))
            while expected in waiting:  # in order even if Ray hands blocks back out of order
                commit(expected, *waiting.pop(expected))
                expected += 1
    finally:
        ctx.execution_options.preserve_order, ctx.enable_progress_bars, ctx.print_on_execution_start = saved
        if feeder is not None and not started_here:
            ray.kill(feeder)
        if started_here:
            ray.shutdown()
