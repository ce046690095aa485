"""The `atiende` command. Heavy imports happen inside each subcommand, so start-up stays fast."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.crisis import crisis
from cli.score import score

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Urgency triage and reply suggestions for social-media customer service.")

BundleOpt = Annotated[Path | None, typer.Option("--bundle", help="bundle folder (default: $ATIENDE_HOME/bundles/current)")]


def _default_bundle(bundle: Path | None) -> Path:
    from training.config import state_dir

    return bundle or state_dir() / "bundles" / "current"


def _fail(msg: str) -> None:
    typer.secho(f"error: {msg}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@app.command()
def train(
    config: Annotated[Path | None, typer.Option(help="TOML config (default: training/default.toml)")] = None,
    data: Annotated[list[Path] | None, typer.Option(help="extra labelled data (JSONL/CSV/Parquet/datasets folder)")] = None,
    bundle: BundleOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="'twcs': the --data files are Customer Support on "
                                            "Twitter exports (unlabelled pairs: their replies join the reply bank)")] = None,
    shipped_corpus: Annotated[bool, typer.Option("--shipped-corpus/--no-shipped-corpus",
                                                 help="train on the shipped corpus too (default) or on --data alone")] = True,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri", help="MLflow store (default: "
                                                     "$MLFLOW_TRACKING_URI, else SQLite under $ATIENDE_HOME)")] = None,
    track: Annotated[bool, typer.Option("--track/--no-track", help="log the run to MLflow and register the bundle")] = True,
    promote: Annotated[bool, typer.Option("--promote", help="after registering, run the promotion gate against "
                                          "the champion and promote if it passes")] = False,
    model_name: Annotated[str | None, typer.Option("--model-name", help="registered model name (default: atiende)")] = None,
) -> None:
    """Fit the urgency classifier, evaluate it on held-out data, write the bundle, log and register it in MLflow."""
    from evaluation.report import metrics_table
    from training.config import TrainConfig
    from training.pipeline import run_training

    if tracking_uri:  # one store for the run, the registry and the gate's downloads
        import os

        os.environ["MLFLOW_TRACKING_URI"] = tracking_uri
    try:
        cfg = TrainConfig.from_toml(config or Path(__file__).resolve().parents[1] / "training" / "default.toml")
        if fmt not in (None, "twcs"):
            _fail(f"--format {fmt!r}: only 'twcs' needs saying; JSONL, CSV and Parquet are recognised by extension")
        if data and fmt == "twcs":
            cfg.pairs = [str(p) for p in data]
        elif data:
            cfg.data = [str(p) for p in data]
        cfg.use_shipped_corpus = shipped_corpus
        if not cfg.use_shipped_corpus and not cfg.data:
            _fail("no labelled data: urgency needs labelled messages (the shipped corpus or your own --data file); "
                  "a TWCS export only adds replies to the bank")
        if bundle:
            cfg.bundle_dir = str(bundle)
        if model_name:
            cfg.model_name = model_name
        result = run_training(cfg, progress=not quiet)
    except ValueError as e:
        _fail(str(e))
    typer.echo("\ncandidates (validation macro-F1):")
    for r in sorted(result.candidates, key=lambda r: -r.val_macro_f1):
        typer.echo(f"  {r.kind:11s} C={r.C:<5g} {r.val_macro_f1:.3f}")
    typer.echo(f"\nselected: {result.manifest.head.kind}; test split:\n")
    typer.echo(metrics_table(result.metrics))
    if result.baseline_metrics:
        typer.echo(f"\nchar TF-IDF baseline test macro-F1: {result.baseline_metrics['macro_f1']:.3f}")
    typer.echo(f"\nbundle: {result.bundle_dir} (model {result.manifest.model_version})")
    if not track:
        return
    from training.tracking import log_training

    logged = log_training(result, cfg, tracking_uri, cfg.model_name)
    typer.echo(f"MLflow run {logged.run_id} in {logged.tracking_uri}; registered {cfg.model_name} "
               f"version {logged.registered_version}")
    if promote:
        _gate(logged.registered_version, result.splits["test"], cfg, tracking_uri)


def _gate(version: str, records: list, cfg, tracking_uri: str | None) -> None:
    from training.promotion import promote as run_gate

    gate = run_gate(version, records, cfg.promotion_max_f1_drop, cfg.promotion_max_critical_recall_drop,
                    cfg.model_name, tracking_uri)
    cand = gate.candidate
    line = f"candidate v{gate.version}: macro-F1 {cand['macro_f1']:.4f}, critical recall {cand['critical_recall']:.4f}"
    if gate.champion:
        line += (f" | champion v{gate.champion_version}: {gate.champion['macro_f1']:.4f}, "
                 f"{gate.champion['critical_recall']:.4f} (n={cand['n']})")
    typer.echo(line)
    if gate.promoted:
        typer.echo(f"promoted: {cfg.model_name}@champion -> version {gate.version}")
    else:
        typer.secho("refused: " + "; ".join(gate.reasons), fg=typer.colors.YELLOW)
        raise typer.Exit(3)


@app.command()
def promote(
    version: Annotated[str | None, typer.Option("--version", help="registered version (default: the latest)")] = None,
    data: Annotated[Path | None, typer.Option("--data", help="held-out labelled file "
                                              "(default: the shipped corpus test split)")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML config with the gate tolerances and model name")] = None,
    tracking_uri: Annotated[str | None, typer.Option("--tracking-uri")] = None,
) -> None:
    """Compare a registered version with the champion on held-out data; move the alias if it is not worse."""
    from evaluation.evaluate import load_eval_data
    from model.registry import registry_version
    from training.config import TrainConfig

    cfg = TrainConfig.from_toml(config or Path(__file__).resolve().parents[1] / "training" / "default.toml")
    if tracking_uri:
        import os

        os.environ["MLFLOW_TRACKING_URI"] = tracking_uri
    version = version or registry_version(f"models:/{cfg.model_name}/latest")
    _gate(version, load_eval_data(str(data) if data else None), cfg, tracking_uri)


@app.command()
def evaluate(
    bundle: BundleOpt = None,
    data: Annotated[str | None, typer.Option(help="labelled file (default: the corpus test split)")] = None,
    report: Annotated[Path | None, typer.Option(help="folder for report.md and plots")] = None,
    variant: Annotated[str | None, typer.Option(help="encoder variant: int8 or fp32")] = None,
    suggestions: Annotated[bool, typer.Option(help="also evaluate reply suggestions and tone checks")] = True,
) -> None:
    """Urgency (macro-F1, per class, confusion, calibration, per language), reply suggestions and tone checks."""
    from evaluation.evaluate import evaluate_bundle, load_eval_data
    from evaluation.report import metrics_table
    from model.bundle import BundleError, read_manifest

    try:
        records = load_eval_data(data)
        m = evaluate_bundle(_default_bundle(bundle), records, report, variant)
        typer.echo(metrics_table(m))
        if suggestions and read_manifest(_default_bundle(bundle)).bank is not None:
            from evaluation.evaluate import evaluate_suggestions
            from evaluation.suggest_eval import suggest_table
            from evaluation.tone_eval import tone_table

            s = evaluate_suggestions(_default_bundle(bundle), records, report)
            typer.echo("\nreply suggestions:\n" + suggest_table(s["suggest"]))
            typer.echo("\ntone checks:\n" + tone_table(s["tone"]))
    except (BundleError, ValueError) as e:
        _fail(str(e))
    if report:
        typer.echo(f"\nreport: {report / 'report.md'}")


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="folder of the new bundle")],
    bundle: BundleOpt = None,
    variant: Annotated[str | None, typer.Option(help="encoder variant the new bundle serves: int8 or fp32")] = None,
    requantize_only: Annotated[bool, typer.Option("--requantize-only", help="only rebuild int8 from the bundle's fp32 graph (no torch)")] = False,
) -> None:
    """Export the ONNX encoders of an existing bundle again (fp32 from torch, int8 quantised) into a new bundle."""
    from model.bundle import BundleError
    from training.reexport import reexport_bundle

    try:
        m = reexport_bundle(_default_bundle(bundle), out, variant, from_torch=not requantize_only)
    except (BundleError, ValueError) as e:
        _fail(str(e))
    typer.echo(f"bundle: {out} (model {m.model_version}, serves {m.encoder.default_variant}, {m.extra['export']['how']})")


@app.command()
def suggest(
    text: Annotated[str, typer.Argument(help="the customer's message")],
    bundle: BundleOpt = None,
    k: Annotated[int, typer.Option(min=1, max=20, help="number of reply suggestions")] = 3,
    lang: Annotated[str | None, typer.Option(help="es or en (default: detected)")] = None,
    handle: Annotated[str | None, typer.Option(help="the author's @handle")] = None,
    followers: Annotated[int | None, typer.Option(help="author's followers")] = None,
    channel: Annotated[str, typer.Option(help="twitter, facebook, instagram or private")] = "twitter",
    brand: Annotated[str | None, typer.Option(help="the brand account mentioned, e.g. @Movilia_ES (narrows the bank to its industry)")] = None,
    agent: Annotated[str | None, typer.Option(help="the agent's name, to sign the reply")] = None,
    created_at: Annotated[str | None, typer.Option(help="when it was posted, ISO 8601 (default: now)")] = None,
) -> None:
    """Print, as JSON, what POST /v1/suggest returns for TEXT."""
    from data.schema import clean_text
    from model.bundle import BundleError
    from model.suggest import SuggestInput, Suggester

    try:
        clean_text(text)
        when = dt.datetime.fromisoformat(created_at) if created_at else None
        sug = Suggester(_default_bundle(bundle), cache_size=0)
    except (BundleError, ValueError) as e:
        _fail(str(e))
    out = sug.suggest(SuggestInput(text, lang=lang, channel=channel, handle=handle, followers=followers,
                                   created_at=when, k=k, brand=brand, agent=agent))
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command()
def bank(
    out: Annotated[Path, typer.Option("--out", help="folder of the new bundle")],
    bundle: BundleOpt = None,
    templates: Annotated[Path | None, typer.Option(help="templates JSONL (default: data/templates/replies.jsonl)")] = None,
) -> None:
    """Rebuild the reply bank of a bundle (edited templates, new corpus replies) without retraining."""
    from model.bundle import BundleError, read_manifest
    from training.replies import TEMPLATES, rebuild_bank

    try:
        rebuild_bank(_default_bundle(bundle), out, templates or TEMPLATES)
    except (BundleError, ValueError, KeyError) as e:
        _fail(str(e))
    typer.echo(f"bundle: {out} (bank of {read_manifest(out).bank.size} replies)")


@app.command()
def serve(
    bundle: BundleOpt = None,
    model_uri: Annotated[str | None, typer.Option("--model-uri", help="MLflow model URI, e.g. models:/atiende@champion")] = None,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes")] = 1,
    follow_seconds: Annotated[float, typer.Option("--follow-seconds", help="re-check a models:/NAME@ALIAS URI "
                                                  "this often and hot-reload when it moves (0: never)")] = 0.0,
    train_if_missing: Annotated[bool, typer.Option("--train-if-missing", help="train on the shipped corpus "
                                                   "first when the bundle folder has no model")] = False,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs). Other settings: ATIENDE_* variables (see README)."""
    import os

    import uvicorn

    if bundle and model_uri:
        _fail("give --bundle or --model-uri, not both")
    if not model_uri:
        target = _default_bundle(bundle)
        if not (target / "manifest.json").is_file():
            if not train_if_missing:
                _fail(f"no model at {target}: run `atiende train` first (or pass --train-if-missing)")
            typer.echo(f"no model at {target}: training on the shipped corpus first")
            train(config=None, data=None, bundle=target, quiet=False)
        os.environ["ATIENDE_BUNDLE"] = str(target)
    else:
        os.environ["ATIENDE_MODEL_URI"] = model_uri
    os.environ["ATIENDE_FOLLOW_SECONDS"] = str(follow_seconds)
    # Settings travel by environment so that every worker process builds the same app.
    uvicorn.run("serving.app:create_app", factory=True, host=host, port=port, workers=workers,
                access_log=False, log_level="warning")


app.command()(crisis)
app.command()(score)

feedback_app = typer.Typer(help="Agents' feedback collected by the API (POST /v1/feedback).", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option("--out", help="JSONL file to write (training data for `atiende train --data`)")],
    db: Annotated[Path | None, typer.Option("--db", help="feedback SQLite file "
                                            "(default: $ATIENDE_HOME/feedback.sqlite)")] = None,
) -> None:
    """Export feedback as labelled messages (with the replies agents sent) for retraining."""
    from serving.feedback import FeedbackStore
    from serving.settings import Settings

    path = db or Settings().feedback_path()
    if not path.is_file():
        _fail(f"no feedback store at {path}")
    n = FeedbackStore(path).export_jsonl(out)
    typer.echo(f"wrote {n} records to {out}")


if __name__ == "__main__":
    app()
