"""Read labelled or unlabelled messages from JSONL, CSV, Parquet or a Hugging Face dataset.

Every row is validated against a pydantic schema. A bad row raises ``DataError`` naming
the file, the row and the field; with ``skip_invalid=True`` it is skipped and counted in
the ``LoadReport`` instead. Row numbers are 1-based lines for JSONL and CSV (the CSV
header is line 1) and 1-based rows for Parquet and datasets.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from data.schema import LabeledMessage

T = TypeVar("T", bound=BaseModel)
FORMATS = ("jsonl", "csv", "parquet", "hf")


class DataError(ValueError):
    """A row that does not fit the schema, with where it is and what to do."""

    def __init__(self, path: str | Path, row: int | None, field: str | None, message: str):
        self.path, self.row, self.field, self.message = str(path), row, field, message
        where = f"{path}" + (f", row {row}" if row is not None else "") + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


@dataclass
class LoadReport:
    """What a load read, kept and skipped (with the reason for each skipped row)."""

    path: str
    rows: int = 0
    loaded: int = 0
    skipped: list[DataError] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.path}: {self.rows} rows, {self.loaded} loaded, {len(self.skipped)} skipped"


@dataclass
class RawRow:
    """One row as read from a file, before validation; ``error`` when it could not be read."""

    number: int
    values: dict[str, Any] | None
    error: DataError | None = None


def detect_format(path: str | Path) -> str:
    """The format of ``path`` from its suffix (``.gz`` is looked through) or a dataset folder."""
    p = Path(path)
    if p.is_dir():
        return "hf"
    suffixes = [s.lower() for s in p.suffixes if s.lower() != ".gz"]
    ext = suffixes[-1] if suffixes else ""
    by_ext = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
              ".parquet": "parquet", ".pq": "parquet"}
    if ext not in by_ext:
        raise DataError(path, None, None, f"cannot tell the format from '{ext or p.name}'; "
                        f"expected .jsonl, .csv, .parquet (optionally .gz) or a datasets folder; "
                        f"or pass the format explicitly ({', '.join(FORMATS)})")
    return by_ext[ext]


def _open_binary(path: Path) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def _has_bad_bytes(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def read_jsonl(path: str | Path) -> Iterator[RawRow]:
    """Yield one RawRow per non-blank line; undecodable or non-object lines carry an error."""
    path = Path(path)
    with _open_binary(path) as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as e:
                yield RawRow(number, None, DataError(path, number, None,
                             f"not valid UTF-8 (byte {raw[e.start]:#04x} at column {e.start + 1}); re-save the file as UTF-8"))
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield RawRow(number, None, DataError(path, number, None, f"not valid JSON: {e.msg} at column {e.colno}"))
                continue
            if not isinstance(obj, dict):
                yield RawRow(number, None, DataError(path, number, None, f"expected a JSON object, got {type(obj).__name__}"))
                continue
            yield RawRow(number, obj)


def read_csv(path: str | Path) -> Iterator[RawRow]:
    """Yield one RawRow per CSV record; a field with non-UTF-8 bytes carries an error."""
    path = Path(path)
    with _open_binary(path) as fb:
        text = io.TextIOWrapper(fb, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.DictReader(text)
        for rec in reader:
            number = reader.line_num
            if None in rec:
                yield RawRow(number, None, DataError(path, number, None,
                             f"{len(rec[None]) + len(reader.fieldnames or [])} fields for {len(reader.fieldnames or [])} columns"))
                continue
            bad = [k for k, v in rec.items() if isinstance(v, str) and _has_bad_bytes(v)]
            if bad:
                yield RawRow(number, None, DataError(path, number, bad[0], "not valid UTF-8; re-save the file as UTF-8"))
                continue
            yield RawRow(number, {k: (v if v != "" else None) for k, v in rec.items()})


def read_parquet(path: str | Path, batch_size: int = 10_000) -> Iterator[RawRow]:
    """Yield one RawRow per Parquet row, streaming by record batch."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several types for a corrupt file
        raise DataError(path, None, None, f"not a readable Parquet file ({e})") from e
    number = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        for values in batch.to_pylist():
            number += 1
            yield RawRow(number, values)


def read_hf(source: Any) -> Iterator[RawRow]:
    """Yield rows of a ``datasets.Dataset``, or of a folder written by ``save_to_disk``."""
    import datasets

    ds = datasets.load_from_disk(str(source)) if isinstance(source, (str, Path)) else source
    if isinstance(ds, datasets.DatasetDict):
        raise DataError(str(source), None, None, f"a DatasetDict with splits {list(ds)}; pass one split, e.g. ds['train']")
    for number, values in enumerate(ds, 1):
        yield RawRow(number, dict(values))


def read_rows(source: Any, fmt: str | None = None) -> Iterator[RawRow]:
    """Rows of a file, folder or ``datasets.Dataset``, in order."""
    if not isinstance(source, (str, Path)):
        return read_hf(source)
    path = Path(source)
    if not path.exists():
        raise DataError(path, None, None, "no such file or folder")
    fmt = fmt or detect_format(path)
    readers = {"jsonl": read_jsonl, "csv": read_csv, "parquet": read_parquet, "hf": read_hf}
    if fmt not in readers:
        raise DataError(path, None, None, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return readers[fmt](path)


def _apply_mapping(values: dict[str, Any], mapping: Mapping[str, str] | None) -> dict[str, Any]:
    if not mapping:
        return values
    return {mapping.get(k, k): v for k, v in values.items()}


def validate_row(row: RawRow, schema: type[T], path: str, mapping: Mapping[str, str] | None = None) -> T:
    """Validate one row or raise a DataError naming its field."""
    if row.error is not None:
        raise row.error
    values = _apply_mapping(row.values or {}, mapping)
    if values.get("id") in (None, ""):
        values["id"] = f"row-{row.number}"
    try:
        return schema.model_validate(values)
    except ValidationError as e:
        err = e.errors()[0]
        fld = ".".join(str(p) for p in err["loc"]) or None
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            found = sorted(k for k, v in values.items() if v is not None)
            msg = f"missing; found columns {found}; map yours with a column mapping such as message=text"
        raise DataError(path, row.number, fld, msg) from None


def load_records(
    source: Any,
    schema: type[T] = LabeledMessage,  # type: ignore[assignment]
    fmt: str | None = None,
    skip_invalid: bool = False,
    column_mapping: Mapping[str, str] | None = None,
) -> tuple[list[T], LoadReport]:
    """Load and validate every row of ``source``; ids must be unique.

    Raises DataError on the first bad row unless ``skip_invalid``, in which case bad rows
    are left out and listed in the returned report.
    """
    name = str(source) if isinstance(source, (str, Path)) else type(source).__name__
    report = LoadReport(name)
    records: list[T] = []
    seen: dict[str, int] = {}
    for row in read_rows(source, fmt):
        report.rows += 1
        try:
            rec = validate_row(row, schema, name, column_mapping)
            rid = getattr(rec, "id", None)
            if rid in seen:
                raise DataError(name, row.number, "id", f"duplicate id {rid!r} (first seen at row {seen[rid]})")
        except DataError as e:
            if not skip_invalid:
                raise
            report.skipped.append(e)
            continue
        seen[rid] = row.number
        records.append(rec)
    report.loaded = len(records)
    if not records and report.skipped:
        raise DataError(name, None, None, f"every one of {report.rows} rows is invalid; the first: {report.skipped[0]}")
    return records, report
