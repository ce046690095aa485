"""Backlog files for batch scoring: input rows become scoring requests, results become output rows.

Input is read row by row with ``data.loaders.read_rows`` (JSONL, CSV, Parquet, each optionally
gzipped), so memory does not grow with the file. A row that cannot be read or validated (bad
encoding, a line that is not JSON, a missing or empty text) becomes a ``Pending`` with an
error instead of a request: it gets an output row with the ``error`` column filled, in place.

Output rows are flat, the same columns in every format (``OUTPUT_COLUMNS``). Chunks are kept
as JSONL part files until the run is complete; ``merge_parts`` then writes the final file in
the chosen format, in input order or by priority.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import math
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from data.loaders import DataError, RawRow, detect_format, read_rows, validate_row
from data.schema import Message
from model.suggest import SuggestInput

INPUT_FORMATS = ("jsonl", "csv", "parquet")
OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
LABELS = ("critical", "high", "normal", "low")
OUTPUT_COLUMNS = ("id", "row", "urgency", *(f"p_{lab}" for lab in LABELS), "priority", "sla_minutes", "due_at",
                  "sla_breached", "lang", "suggestion_id", "suggestion_text", "fallback", "error")


@dataclass
class Pending:
    """One input row: a request to score, or the error that kept it from being one."""

    seq: int  # 0-based position among the input's rows
    row: int  # the loaders' row number: 1-based line for JSONL/CSV, 1-based row for Parquet
    id: str
    req: SuggestInput | None
    error: str | None = None


# -- input -----------------------------------------------------------------------------------
def input_format(path: Path, fmt: str | None) -> str:
    """``fmt`` if given, else the one the suffix names; only the formats batch scoring streams."""
    fmt = fmt or detect_format(path)
    if fmt not in INPUT_FORMATS:
        raise DataError(path, None, None, f"cannot score format {fmt!r}; expected one of {', '.join(INPUT_FORMATS)}")
    return fmt


def output_format(path: Path, fmt: str | None) -> tuple[str, bool]:
    """(format, gzipped) of the output file, from ``fmt`` or the suffix (``.jsonl.gz``, ``.csv.gz``)."""
    gz = path.suffix.lower() == ".gz"
    if fmt is None:
        try:
            fmt = detect_format(path)
        except DataError:
            raise DataError(path, None, None, "cannot tell the output format from the file name; use .jsonl, "
                            ".csv or .parquet (.jsonl.gz, .csv.gz), or pass --output-format") from None
    if fmt not in OUTPUT_FORMATS:
        raise DataError(path, None, None, f"cannot write format {fmt!r}; expected one of {', '.join(OUTPUT_FORMATS)}")
    if fmt == "parquet" and gz:
        raise DataError(path, None, None, "Parquet compresses itself; drop the .gz suffix")
    return fmt, gz


def count_rows(path: Path, fmt: str) -> int:
    """How many rows ``read_rows`` will yield, without validating them (for the progress bar)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            return pq.ParquetFile(path).metadata.num_rows
        except Exception as e:  # pyarrow raises several types for a corrupt file
            raise DataError(path, None, None, f"not a readable Parquet file ({e})") from e
    if fmt == "jsonl":  # read_jsonl yields one row per non-blank line
        opener = gzip.open if path.suffix.lower() == ".gz" else open
        with opener(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    return sum(1 for _ in read_rows(path, fmt))


def _clean(v: Any) -> Any:
    """Missing values as None (pandas writes NaN into numeric Parquet columns)."""
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _as_id(v: Any) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v if isinstance(v, str) else str(v)


def to_pending(raw: RawRow, seq: int, path: Path, mapping: Mapping[str, str], brand: str | None) -> Pending:
    """A request from one raw row, or the row's error (what was wrong, with its field)."""
    if raw.error is not None:
        where = f"field '{raw.error.field}': " if raw.error.field else ""
        return Pending(seq, raw.number, f"row-{raw.number}", None, where + raw.error.message)
    values = {mapping.get(k, k): _clean(v) for k, v in (raw.values or {}).items()}
    values["id"] = _as_id(values.get("id")) or f"row-{raw.number}"
    if "text" in values and values["text"] is None:  # an empty CSV cell, a JSON null
        values["text"] = ""
    try:
        m = validate_row(RawRow(raw.number, values), Message, str(path))
    except DataError as e:
        msg = e.message.replace("map yours with a column mapping such as message=text",
                                "name yours with --text-column")
        return Pending(seq, raw.number, values["id"], None, (f"field '{e.field}': " if e.field else "") + msg)
    row_brand = values.get("brand")
    req = SuggestInput(m.text, lang=m.lang, channel=m.channel, handle=m.author_handle, followers=m.author_followers,
                       created_at=m.created_at, k=1, brand=row_brand if isinstance(row_brand, str) and row_brand
                       else brand)
    return Pending(seq, raw.number, m.id, req)


def iter_chunks(path: Path, fmt: str, chunk_size: int, start_chunk: int = 0, text_column: str = "text",
                id_column: str = "id", brand: str | None = None) -> Iterator[tuple[int, list[Pending]]]:
    """(chunk index, rows) of ``chunk_size`` rows each, from chunk ``start_chunk`` on (earlier rows are
    read and skipped: resuming never needs an index of the input)."""
    mapping = {k: v for k, v in ((text_column, "text"), (id_column, "id")) if k != v}
    skip = start_chunk * chunk_size
    chunk: list[Pending] = []
    index = start_chunk
    for seq, raw in enumerate(read_rows(path, fmt)):
        if seq < skip:
            continue
        chunk.append(to_pending(raw, seq, path, mapping, brand))
        if len(chunk) == chunk_size:
            yield index, chunk
            index, chunk = index + 1, []
    if chunk:
        yield index, chunk


# -- output rows -----------------------------------------------------------------------------
def result_row(p: Pending, res: dict, now: dt.datetime) -> dict:
    """The output row of a scored request (``res`` is what ``Suggester.suggest`` returns)."""
    probs = res["urgency"]["probabilities"]
    top = res["suggestions"][0] if res["suggestions"] else None
    due = res["sla"]["due_at"]
    return {"id": p.id, "row": p.row, "urgency": res["urgency"]["label"],
            **{f"p_{lab}": probs.get(lab) for lab in LABELS}, "priority": res["priority"],
            "sla_minutes": res["sla"]["minutes"], "due_at": due, "sla_breached": dt.datetime.fromisoformat(due) < now,
            "lang": res["context"]["lang"], "suggestion_id": top["id"] if top else None,
            "suggestion_text": top["text"] if top else None, "fallback": bool(res.get("fallback")), "error": None}


def error_row(p: Pending, error: str | None = None) -> dict:
    row = dict.fromkeys(OUTPUT_COLUMNS)
    row.update(id=p.id, row=p.row, error=error or p.error)
    return row


# -- writers ---------------------------------------------------------------------------------
class RowWriter:
    """Writes output rows to a JSONL, CSV or Parquet file (JSONL and CSV optionally gzipped)."""

    def __init__(self, path: Path, fmt: str, gz: bool = False, row_group: int = 10_000):
        self.fmt, self.row_group = fmt, row_group
        self._buffer: list[dict] = []
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            self._schema = pa.schema([(c, _ARROW_TYPES.get(c, "string")) for c in OUTPUT_COLUMNS])
            self._pq = pq.ParquetWriter(str(path), self._schema)
            self._fh: IO[Any] | None = None
            return
        raw = gzip.open(path, "wb", compresslevel=6) if gz else open(path, "wb")
        self._fh = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        if fmt == "csv":
            self._csv = csv.writer(self._fh, lineterminator="\n")
            self._csv.writerow(OUTPUT_COLUMNS)

    def write_json_lines(self, lines: list[str]) -> None:
        """Rows as they are stored in part files (one JSON object per line, newline included)."""
        if self.fmt == "jsonl":
            self._fh.writelines(lines)
        else:
            self.write([json.loads(line) for line in lines])

    def write(self, rows: list[dict]) -> None:
        if self.fmt == "jsonl":
            self._fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        elif self.fmt == "csv":
            self._csv.writerows([_csv_value(r.get(c)) for c in OUTPUT_COLUMNS] for r in rows)
        else:
            self._buffer.extend(rows)
            if len(self._buffer) >= self.row_group:
                self._flush_parquet()

    def _flush_parquet(self) -> None:
        import pyarrow as pa

        if self._buffer:
            self._pq.write_table(pa.Table.from_pylist(self._buffer, schema=self._schema))
            self._buffer = []

    def close(self) -> None:
        if self.fmt == "parquet":
            self._flush_parquet()
            self._pq.close()
        else:
            self._fh.flush()
            self._fh.close()


_ARROW_TYPES = {"row": "int64", **{f"p_{lab}": "float64" for lab in LABELS}, "priority": "float64",
                "sla_minutes": "int64", "sla_breached": "bool", "fallback": "bool"}


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


# -- merging the parts -----------------------------------------------------------------------
def merge_parts(parts: list[Path], dest: Path, fmt: str, gz: bool, by_priority: bool = False,
                batch: int = 2000, open_files: int = 64) -> None:
    """Write the rows of ``parts`` (JSONL, in chunk order) to ``dest``: in input order, or by priority
    (highest first, ties and rows without a priority, i.e. errors, in input order, errors last).

    Sorting keeps only (priority, part, byte offset) per row in memory and reads each row again."""
    writer = RowWriter(dest, fmt, gz)
    try:
        if not by_priority:
            for part in parts:
                with open(part, encoding="utf-8") as fh:
                    lines: list[str] = []
                    for line in fh:
                        lines.append(line)
                        if len(lines) >= batch:
                            writer.write_json_lines(lines)
                            lines = []
                    writer.write_json_lines(lines)
            return
        from array import array

        import numpy as np

        prio, where, offset = array("d"), array("i"), array("q")  # 20 bytes a row
        for k, part in enumerate(parts):
            with open(part, "rb") as fh:
                pos = 0
                for line in fh:
                    p = json.loads(line)["priority"]
                    prio.append(-1.0 if p is None else float(p))
                    where.append(k)
                    offset.append(pos)
                    pos += len(line)
        prio_a = np.frombuffer(prio, dtype=np.float64)
        order = np.lexsort((np.arange(len(prio_a)), -prio_a))  # priority descending, then input order
        where_a, offset_a = np.frombuffer(where, dtype=np.int32), np.frombuffer(offset, dtype=np.int64)
        handles: OrderedDict[int, IO[bytes]] = OrderedDict()
        try:
            lines = []
            for i in order:
                k = int(where_a[i])
                fh = handles.get(k)
                if fh is None:
                    fh = handles[k] = open(parts[k], "rb")
                    if len(handles) > open_files:
                        handles.popitem(last=False)[1].close()
                handles.move_to_end(k)
                fh.seek(int(offset_a[i]))
                lines.append(fh.readline().decode("utf-8"))
                if len(lines) >= batch:
                    writer.write_json_lines(lines)
                    lines = []
            writer.write_json_lines(lines)
        finally:
            for fh in handles.values():
                fh.close()
    finally:
        writer.close()
