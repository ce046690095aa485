"""`atiende score`: batch scoring of a backlog file. Registered in cli/main.py with ``app.command()(score)``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer


def score(
    input: Annotated[Path, typer.Option("--input", "-i", help="JSONL, CSV or Parquet (optionally .gz) with a text "
                                       "column; id, lang, channel, author_handle, author_followers, created_at, "
                                       "brand are used when present")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL, CSV or Parquet (.jsonl.gz, .csv.gz) to "
                                         "write; one row per input row")],
    bundle: Annotated[Path | None, typer.Option("--bundle", help="bundle folder "
                                                "(default: $ATIENDE_HOME/bundles/current)")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="continue an interrupted run from its last "
                                         "committed chunk")] = False,
    sort: Annotated[str, typer.Option(help="row order of the output: input, or priority (the queue, "
                                      "highest first; error rows last)")] = "input",
    engine: Annotated[str, typer.Option(help="local (threads on this machine) or ray (Ray Data actors; "
                                        "pip install 'atiende[ray]')")] = "local",
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="rows scored and committed "
                                            "together")] = 2000,
    workers: Annotated[int | None, typer.Option(min=1, help="scoring threads (local) or actors (ray); "
                                                "default: one per core")] = None,
    threads: Annotated[int, typer.Option(min=1, help="onnxruntime threads per worker")] = 1,
    input_format: Annotated[str | None, typer.Option("--input-format", help="jsonl, csv or parquet "
                                                     "(default: from the suffix)")] = None,
    output_format: Annotated[str | None, typer.Option("--output-format", help="jsonl, csv or parquet "
                                                      "(default: from the suffix)")] = None,
    text_column: Annotated[str, typer.Option("--text-column", help="the column holding the message")] = "text",
    id_column: Annotated[str, typer.Option("--id-column", help="the column holding your id "
                                           "(rows without one get row-N)")] = "id",
    brand: Annotated[str | None, typer.Option(help="the brand every message is addressed to, e.g. @Movilia_ES "
                                              "(narrows replies to its industry; a brand column wins)")] = None,
    now: Annotated[str | None, typer.Option(help="score as of this time, ISO 8601 (default: when the run "
                                            "starts; a resumed run keeps its own)")] = None,
    ray_address: Annotated[str | None, typer.Option("--ray-address", help="Ray cluster to join, e.g. "
                                                    "ray://head:10001 (default: $RAY_ADDRESS, else a local "
                                                    "Ray)")] = None,
    summary_json: Annotated[Path | None, typer.Option("--summary-json", help="also write the summary "
                                                      "here as JSON")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> dict:
    """Score a backlog: urgency, priority, SLA and the top reply for every row, streaming and resumable."""
    from model.bundle import BundleError
    from serving.batch import ScoreConfig, ScoreError, score_file, summary_lines

    def fail(msg: str) -> None:
        typer.secho(f"error: {msg}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)

    try:
        try:
            when = dt.datetime.fromisoformat(now) if now else None
        except ValueError:
            raise ScoreError(f"--now {now!r} is not an ISO 8601 time such as 2026-03-09T09:30:00+01:00") from None
        cfg = ScoreConfig(input=input, output=output, bundle=bundle, input_format=input_format,
                          output_format=output_format, chunk_size=chunk_size, resume=resume, sort=sort,
                          engine=engine, workers=workers, threads=threads, text_column=text_column,
                          id_column=id_column, brand=brand, now=when, progress=not quiet, ray_address=ray_address)
        summary = score_file(cfg, on_start=lambda s: typer.echo(
            f"{s['rows']} rows in {s['chunks']} chunks" + (f"; resuming after chunk {s['committed']}"
                                                           if s["committed"] else ""), err=True))
    except (BundleError, ValueError, ImportError) as e:  # DataError and ScoreError are ValueErrors
        fail(str(e))
    except KeyboardInterrupt:
        fail("interrupted; committed chunks are kept: run again with --resume to continue")
    for line in summary_lines(summary):
        typer.echo(line)
    if summary_json:
        summary_json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


if __name__ == "__main__":  # python -m cli.score, until cli/main.py registers it
    app = typer.Typer(add_completion=False)
    app.command()(score)
    app()
