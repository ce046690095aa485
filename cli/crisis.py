"""`atiende crisis`: spikes of critical or high-urgency messages per topic and brand in a backlog file.

Registered in ``cli/main.py`` with ``app.command()(crisis)``. Heavy imports happen inside the
command, so ``atiende --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

BundleOpt = Annotated[Path | None, typer.Option("--bundle", help="bundle folder (default: $ATIENDE_HOME/bundles/current)")]


def _fail(msg: str) -> None:
    typer.secho(f"error: {msg}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def crisis(
    input: Annotated[Path, typer.Option("--input", help="messages with created_at (and brand): JSONL, CSV or Parquet")],
    bundle: BundleOpt = None,
    window_minutes: Annotated[float, typer.Option("--window-minutes", min=1, help="sliding window length")] = 60.0,
    baseline_windows: Annotated[int, typer.Option("--baseline-windows", min=1, help="previous windows averaged "
                                                  "as the baseline")] = 6,
    factor: Annotated[float, typer.Option(help="alert when the window's count exceeds factor x baseline")] = 3.0,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="never alert below this many messages "
                                           "in a window")] = 10,
    prior: Annotated[float, typer.Option(min=0, help="baseline assumed per window before a whole window of "
                                         "history")] = 3.0,
    angry: Annotated[bool, typer.Option("--angry/--no-angry", help="also count very angry messages of any "
                                        "urgency")] = False,
    examples: Annotated[int, typer.Option(min=0, max=20, help="example messages per alert")] = 3,
) -> None:
    """Score the messages of INPUT and print, as JSON, every spike of critical or high-urgency messages
    per topic and brand (sliding window against the recent baseline; see README "Crisis detection")."""
    from pydantic import ValidationError

    from data.loaders import DataError, read_rows, validate_row
    from data.schema import Message
    from model.bundle import BundleError, state_dir
    from serving.crisis import CrisisConfig, Event, analyse, detect, normalize_brand

    class BacklogMessage(Message):
        brand: str | None = None

    try:
        cfg = CrisisConfig(window_minutes=window_minutes, baseline_windows=baseline_windows, factor=factor,
                           min_count=min_count, prior=prior, angry_counts=angry, max_examples=examples)
    except ValidationError as e:
        err = e.errors()[0]
        _fail(f"--{str(err['loc'][0]).replace('_', '-')}: {err['msg']} (got {err['input']!r})")
    if not input.is_file():
        _fail(f"no file at {input}")
    try:
        rows = [validate_row(r, BacklogMessage, str(input)) for r in read_rows(input)]
    except (DataError, ValueError) as e:
        _fail(str(e))
    timed = [m for m in rows if m.created_at is not None]
    if not timed:
        _fail(f"{input}: none of its {len(rows)} messages has a created_at; crisis detection needs the time "
              "each message was posted (ISO 8601, e.g. 2026-11-24T09:30:00+01:00)")
    from model.suggest import Suggester

    try:
        sug = Suggester(bundle or state_dir() / "bundles" / "current", cache_size=0)
    except BundleError as e:
        _fail(str(e))
    found = analyse(sug, [m.text for m in timed], [m.brand for m in timed])
    events = [Event(m.created_at, a.label, m.text, a.topic, normalize_brand(m.brand), a.industry, a.angry, m.id)
              for m, a in zip(timed, found, strict=True)]
    alerts = detect(events, cfg)
    first, last = min(e.at for e in events), max(e.at for e in events)
    out = {"input": str(input), "messages": len(rows), "without_time": len(rows) - len(timed),
           "negatives": sum(cfg.is_negative(e.label, e.angry) for e in events),
           "from": first.isoformat(), "to": last.isoformat(), "model_version": sug.model_version,
           "settings": cfg.model_dump(exclude={"max_events"}),
           "alerts": [a.to_dict(cfg.max_examples) for a in alerts]}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
