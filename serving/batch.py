"""Batch scoring of backlog files: streaming, resumable, lossless; a local engine and a Ray one.

A run reads the input in chunks of ``chunk_size`` rows, scores each chunk (urgency,
priority, SLA, top reply suggestion; ``Suggester.suggest_batch``) and commits it: the chunk's
rows go to a part file (written to a temp name, fsynced, renamed), then ``state.json`` records
the chunk as committed (same way). Both live in ``<output>.parts/``. A run killed at any
moment leaves only whole committed chunks behind; ``resume`` deletes any part past the last
committed chunk and carries on from there, so every input row comes out exactly once.
When every chunk is in, the parts are merged into ``<output>.partial``, which is renamed to
the output: a reader never sees half a file. The scoring time ``now`` (SLA breached or not,
time waited) is fixed when a run starts and kept across resumes.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import math
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from serving.batch_io import (LABELS, Pending, count_rows, error_row, input_format, iter_chunks, merge_parts,
                              output_format, result_row)

log = logging.getLogger("atiende.score")
ENGINES = ("local", "ray")
SORTS = ("input", "priority")
STATE_VERSION = 1


class ScoreError(ValueError):
    """A run that cannot start or resume, with what to do about it."""


@dataclass
class ScoreConfig:
    """What ``atiende score`` is told. Checks itself; ``to_dict`` is what a checkpoint records."""

    input: Path
    output: Path
    bundle: Path | None = None
    input_format: str | None = None
    output_format: str | None = None
    chunk_size: int = 2000
    resume: bool = False
    sort: str = "input"
    engine: str = "local"
    workers: int | None = None  # local: scoring threads; ray: actors. Default: the cores this process may use
    threads: int = 1  # onnxruntime intra-op threads per session
    variant: str | None = None
    batch_size: int = 32
    text_column: str = "text"
    id_column: str = "id"
    brand: str | None = None
    now: dt.datetime | None = None
    progress: bool = True
    ray_address: str | None = None

    def __post_init__(self) -> None:
        self.input, self.output = Path(self.input), Path(self.output)
        self.bundle = Path(self.bundle) if self.bundle else None
        if self.chunk_size < 1:
            raise ScoreError(f"chunk_size must be at least 1, got {self.chunk_size}")
        if self.batch_size < 1:
            raise ScoreError(f"batch_size must be at least 1, got {self.batch_size}")
        if self.sort not in SORTS:
            raise ScoreError(f"sort must be one of {', '.join(SORTS)}, got {self.sort!r}")
        if self.engine not in ENGINES:
            raise ScoreError(f"engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")
        if self.workers is not None and self.workers < 1:
            raise ScoreError(f"workers must be at least 1, got {self.workers}")
        if self.threads < 1:
            raise ScoreError(f"threads must be at least 1, got {self.threads}")
        if self.now is not None and self.now.tzinfo is None:
            self.now = self.now.replace(tzinfo=dt.timezone.utc)
        if self.input.resolve() == self.output.resolve():
            raise ScoreError(f"the output {self.output} is the input; write the scores to another file")

    def to_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, (Path, dt.datetime)) else v) for k, v in asdict(self).items()}


def parts_dir(output: Path) -> Path:
    return output.with_name(output.name + ".parts")


def partial_path(output: Path) -> Path:
    return output.with_name(output.name + ".partial")


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a power cut, not only a kill, keeps it)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Summary:
    """Counts over a run: rows, errors, labels, SLA already breached at scoring time."""

    rows: int = 0
    errors: int = 0
    labels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    sla_breached: int = 0

    def add(self, other: dict) -> None:
        self.rows += other["rows"]
        self.errors += other["errors"]
        self.sla_breached += other["sla_breached"]
        for k, v in other["labels"].items():
            self.labels[k] = self.labels.get(k, 0) + v


@dataclass
class Checkpoint:
    """``<output>.parts/``: committed part files and ``state.json`` (the one source of truth)."""

    dir: Path
    key: dict  # what must not change between a run and its resume
    now: str
    chunks: int = 0
    summary: Summary = field(default_factory=Summary)
    lock: Any = None  # the open, flock-ed lock file while this process holds the output

    @property
    def state_path(self) -> Path:
        return self.dir / "state.json"

    def part(self, i: int) -> Path:
        return self.dir / f"part-{i:07d}.jsonl"

    def save(self) -> None:
        state = {"version": STATE_VERSION, "key": self.key, "now": self.now, "chunks": self.chunks,
                 "summary": asdict(self.summary)}
        _atomic_write(self.state_path, json.dumps(state, indent=1).encode())

    def release(self) -> None:
        """Let another run take this output (a killed process releases it too)."""
        if self.lock is not None:
            self.lock.close()
            self.lock = None

    def commit(self, i: int, text: str, stats: dict) -> None:
        """Chunk ``i`` (the next one) is in: its part file first, then the state that counts it."""
        if i != self.chunks:
            raise RuntimeError(f"chunk {i} committed out of order (expected {self.chunks})")
        _atomic_write(self.part(i), text.encode("utf-8"))
        self.chunks += 1
        self.summary.add(stats)
        self.save()

    @classmethod
    def open(cls, directory: Path, key: dict, now: dt.datetime, resume: bool) -> Checkpoint:
        """A new checkpoint, or (``resume``) the one an earlier run of the same job left."""
        directory.mkdir(parents=True, exist_ok=True)
        lock = open(directory / "lock", "a")  # flock: released on close, or when the process dies
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise ScoreError(f"another run is writing this output ({directory} is locked); wait for it "
                             f"to finish or stop it") from None
        try:
            return cls._open_locked(directory, key, now, resume, lock)
        except BaseException:
            lock.close()
            raise

    @classmethod
    def _open_locked(cls, directory: Path, key: dict, now: dt.datetime, resume: bool, lock) -> Checkpoint:
        state_path = directory / "state.json"
        if not state_path.is_file():  # a new run, or one killed before its first state: nothing committed
            for p in directory.glob("part-*.jsonl"):
                p.unlink()
            ck = cls(directory, key, now.isoformat(), lock=lock)
            ck.save()
            return ck
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if not resume:
            raise ScoreError(f"an unfinished run of this output is in {directory} ({state['chunks']} chunks of "
                             f"{state['key'].get('chunk_size')} rows committed); pass --resume to continue it, "
                             f"or delete that folder to start over")
        changed = {k: (state["key"].get(k), v) for k, v in key.items() if state["key"].get(k) != v}
        if changed:
            what = "; ".join(f"{k}: was {a!r}, now {b!r}" for k, (a, b) in changed.items())
            raise ScoreError(f"cannot resume {directory}: {what}. Resume with the same input, bundle and "
                             f"options, or delete that folder to start over")
        ck = cls(directory, key, state["now"], state["chunks"], Summary(**state["summary"]), lock)
        for p in directory.glob("part-*.jsonl"):  # written after the last commit: scored again
            if int(p.stem.split("-")[1]) >= ck.chunks:
                p.unlink()
        return ck


def score_chunk(sug: Any, chunk: list[Pending], now: dt.datetime, batch_size: int = 32) -> tuple[str, dict]:
    """Score one chunk: its part-file text (one JSON row per input row, in order) and its counts.
    Never raises for a row: a row the model fails on gets its own error, the others their scores."""
    ok = [p for p in chunk if p.req is not None]
    try:
        results: list[Any] = sug.suggest_batch([p.req for p in ok], now=now, batch_size=batch_size) if ok else []
    except Exception:  # find the row at fault; the rest of the chunk is scored one by one
        log.exception("batch scoring failed; scoring this chunk's rows one by one")
        results = []
        for p in ok:
            try:
                results.append(sug.suggest(p.req, now=now))
            except Exception as e:  # noqa: BLE001 - reported in the row's error column
                results.append(e)
    by_seq = dict(zip((p.seq for p in ok), results, strict=True))
    stats = {"rows": len(chunk), "errors": 0, "labels": dict.fromkeys(LABELS, 0), "sla_breached": 0}
    lines = []
    for p in chunk:
        res = by_seq.get(p.seq)
        if isinstance(res, dict):
            row = result_row(p, res, now)
            stats["labels"][row["urgency"]] = stats["labels"].get(row["urgency"], 0) + 1
            stats["sla_breached"] += row["sla_breached"]
        else:
            row = error_row(p, None if res is None else f"scoring failed: {type(res).__name__}: {res}")
            stats["errors"] += 1
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(lines), stats


ChunkSource = Iterator[tuple[int, list[Pending]]]
Commit = Callable[[int, str, dict], None]


def run_local(cfg: ScoreConfig, bundle: Path, chunks: ChunkSource, commit: Commit, now: dt.datetime) -> None:
    """Score chunks on this machine: ``workers`` threads share one model (onnxruntime releases the
    GIL; each call uses ``threads`` cores), at most ``workers + 1`` chunks in memory, committed in order."""
    from model.encoder import default_threads
    from model.suggest import Suggester

    workers = cfg.workers or default_threads()
    sug = Suggester(bundle, cfg.variant, threads=cfg.threads)
    with ThreadPoolExecutor(workers, thread_name_prefix="score") as pool:
        inflight: deque = deque()
        for i, chunk in chunks:
            inflight.append((i, pool.submit(score_chunk, sug, chunk, now, cfg.batch_size)))
            while len(inflight) > workers:
                j, fut = inflight.popleft()
                commit(j, *fut.result())
        while inflight:
            j, fut = inflight.popleft()
            commit(j, *fut.result())


def score_file(cfg: ScoreConfig, on_start: Callable[[dict], None] | None = None) -> dict:
    """Score ``cfg.input`` into ``cfg.output``; returns the summary (of the whole file, also on resume)."""
    from model.bundle import read_manifest, state_dir

    started = time.perf_counter()
    bundle = cfg.bundle or state_dir() / "bundles" / "current"
    in_fmt = input_format(cfg.input, cfg.input_format)
    out_fmt, gz = output_format(cfg.output, cfg.output_format)
    if not cfg.input.is_file():
        raise ScoreError(f"no input file {cfg.input}")
    manifest = read_manifest(bundle)
    st = cfg.input.stat()
    key = {"input": str(cfg.input.resolve()), "input_bytes": st.st_size, "input_mtime_ns": st.st_mtime_ns,
           "input_format": in_fmt, "chunk_size": cfg.chunk_size, "text_column": cfg.text_column,
           "id_column": cfg.id_column, "brand": cfg.brand, "model_version": manifest.model_version,
           "variant": cfg.variant}
    ck = Checkpoint.open(parts_dir(cfg.output), key, cfg.now or dt.datetime.now(dt.timezone.utc), cfg.resume)
    try:
        total = count_rows(cfg.input, in_fmt)
        n_chunks = math.ceil(total / cfg.chunk_size)
        done_before = min(ck.chunks * cfg.chunk_size, total)
        if on_start:
            on_start({"rows": total, "chunks": n_chunks, "committed": ck.chunks, "now": ck.now})
        if ck.chunks < n_chunks:
            _score_chunks(cfg, ck, bundle, in_fmt, total, n_chunks)
        if ck.chunks != n_chunks or ck.summary.rows != total:
            raise ScoreError(f"{ck.summary.rows} rows committed in {ck.chunks} chunks, expected {total} in "
                             f"{n_chunks}: did the input change while it was read? Delete {ck.dir} and run again")
        partial = partial_path(cfg.output)
        merge_parts([ck.part(i) for i in range(n_chunks)], partial, out_fmt, gz, by_priority=cfg.sort == "priority")
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, cfg.output)
        _fsync_dir(cfg.output.parent)
        shutil.rmtree(ck.dir)
    finally:
        ck.release()
    seconds = time.perf_counter() - started
    return {**asdict(ck.summary), "scored": ck.summary.rows - ck.summary.errors, "resumed_from_row": done_before,
            "seconds": round(seconds, 2), "rows_per_s": round((total - done_before) / seconds, 1),
            "now": ck.now, "output": str(cfg.output), "model_version": manifest.model_version}


def _score_chunks(cfg: ScoreConfig, ck: Checkpoint, bundle: Path, in_fmt: str, total: int, n_chunks: int) -> None:
    """Score and commit the chunks after the last committed one, with a progress bar."""
    from tqdm import tqdm

    now = dt.datetime.fromisoformat(ck.now)
    bar = tqdm(total=total, initial=min(ck.chunks * cfg.chunk_size, total), unit="row", unit_scale=True,
               smoothing=0.1, desc="scoring", disable=not cfg.progress, dynamic_ncols=True)

    def commit(i: int, text: str, stats: dict) -> None:
        ck.commit(i, text, stats)
        bar.update(stats["rows"])

    try:
        if cfg.engine == "ray":
            from serving.batch_ray import run_ray

            run_ray(cfg, bundle, in_fmt, ck.chunks, n_chunks, commit, now)
        else:
            run_local(cfg, bundle, iter_chunks(cfg.input, in_fmt, cfg.chunk_size, ck.chunks, cfg.text_column,
                                               cfg.id_column, cfg.brand), commit, now)
    finally:
        bar.close()


def summary_lines(s: dict) -> list[str]:
    """The summary as a few lines for a terminal."""
    labels = ", ".join(f"{k} {v}" for k, v in s["labels"].items())
    out = [f"{s['rows']} rows -> {s['output']} ({s['seconds']} s, {s['rows_per_s']} rows/s"
           + (f", resumed at row {s['resumed_from_row']}" if s["resumed_from_row"] else "") + ")",
           f"  urgency: {labels}",
           f"  SLA already breached at {s['now']}: {s['sla_breached']}",
           f"  errors: {s['errors']}" + (" (see the error column)" if s["errors"] else "")]
    if s["rows"] and s["errors"] == s["rows"]:
        out.append("  every row failed: is the text in another column? (--text-column)")
    return out
