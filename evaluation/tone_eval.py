"""How well the tone checks (``model.tone``) find guideline violations in labelled replies.

Every corpus record may carry a ``reply`` that follows every guideline and a
``bad_reply`` that breaks exactly the one named in ``bad_reply_breaks``. For each check,
a positive is a reply that breaks it; a predicted positive is a reply the check fails
while being applicable. Good replies are negatives for every check; a bad reply is a
positive for its named check and a negative for the others.

``python -m evaluation.tone_eval [BUNDLE]`` prints the tables for train+validation
("development"), the test split, and the blind challenge set ``data/corpus/tone_set.jsonl``
(480 replies written without seeing the rules: the honest estimate), for the rules alone
and, given a bundle, with its learned detectors (``model.tone_model``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from model.tone import CHECKS, ToneContext, check_reply

TONE_SET = Path(__file__).resolve().parents[1] / "data" / "corpus" / "tone_set.jsonl"


def context_of(record) -> ToneContext:
    """The tone context of a corpus record (LabeledMessage)."""
    return ToneContext(lang=record.lang, channel=record.channel,
                       needs_private=record.sentiment == "very_negative" or record.pii,
                       pii=record.pii, outside_hours=record.outside_hours)


def labelled_replies(records: Iterable, split_of: Mapping[str, str] | Callable[[str], str] | None = None,
                     splits: Iterable[str] = ("test",)) -> list[dict]:
    """Every good and bad reply of the selected records: text, context, the check it breaks (or None),
    and its source ("corpus")."""
    wanted = set(splits)
    lookup = split_of.get if isinstance(split_of, Mapping) else split_of
    rows = []
    for r in records:
        if lookup is not None and lookup(r.id) not in wanted:
            continue
        ctx = context_of(r)
        if r.reply:
            rows.append({"id": r.id, "kind": "good", "text": r.reply, "context": ctx, "breaks": None, "source": "corpus"})
        if r.bad_reply and r.bad_reply_breaks:
            rows.append({"id": r.id, "kind": "bad", "text": r.bad_reply, "context": ctx, "breaks": r.bad_reply_breaks,
                         "source": "corpus"})
    return rows


def _scores(tp: int, fp: int, fn: int) -> dict:
    support = tp + fn
    # With nothing predicted, precision is perfect only if there was nothing to find.
    precision = tp / (tp + fp) if tp + fp else (1.0 if support == 0 else 0.0)
    recall = tp / support if support else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn, "support": support}


def _per_check(rows: list[dict]) -> dict[str, dict]:
    counts = {c: [0, 0, 0] for c in CHECKS}  # tp, fp, fn
    for row in rows:
        for c in CHECKS:
            truth = row["breaks"] == c
            res = row["results"][c]
            pred = res.applicable and not res.passed
            if truth and pred:
                counts[c][0] += 1
            elif pred:
                counts[c][1] += 1
            elif truth:
                counts[c][2] += 1
    return {c: _scores(*counts[c]) for c in CHECKS}


def evaluate_tone(records: Iterable, split_of: Mapping[str, str] | Callable[[str], str] | None = None,
                  splits: Iterable[str] = ("test",), learned=None) -> dict:
    """Per-check precision / recall of violation detection, overall and per language.

    ``split_of`` maps a record id to its split (a dict or a function); without it every
    record is used and ``splits`` is ignored; ``learned``: a bundle's learned tone detectors
    (``model.tone_model.LearnedTone``), else the rules alone. The result also lists the misses ("errors").
    """
    return evaluate_rows(labelled_replies(records, split_of, splits), learned)


def tone_set_rows(path: Path = TONE_SET) -> list[dict]:
    """Labelled replies in the challenge-set format, each good or breaking exactly one named check
    in its stated context: by default the blind challenge set (``data/corpus/tone_set.jsonl``,
    written apart from the rules); ``data/corpus/tone_train.jsonl`` has the same format. A row's
    ``source`` is the file's name without extension."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        ctx = ToneContext(lang=r["lang"], channel=r["channel"], needs_private=r["needs_private"], pii=r["pii"],
                          outside_hours=r["outside_hours"])
        rows.append({"id": r["id"], "kind": "bad" if r["breaks"] else "good", "text": r["reply"], "context": ctx,
                     "breaks": r["breaks"], "source": path.stem})
    return rows


def evaluate_rows(rows: list[dict], learned=None) -> dict:
    """Per-check precision / recall over labelled reply rows (see ``labelled_replies``)."""
    for row in rows:
        row["results"] = check_reply(row["text"], row["context"], learned).results
    langs = sorted({row["context"].lang or "?" for row in rows})
    good = [row for row in rows if row["kind"] == "good"]
    errors = []
    for row in rows:
        for c in CHECKS:
            res = row["results"][c]
            pred, truth = res.applicable and not res.passed, row["breaks"] == c
            if pred != truth:
                errors.append({"id": row["id"], "kind": row["kind"], "check": c,
                               "error": "fp" if pred else "fn", "reason": res.reason, "text": row["text"]})
    return {
        "n_replies": len(rows), "n_good": len(good), "n_bad": len(rows) - len(good),
        "good_all_pass": sum(all(r.passed for r in row["results"].values()) for row in good) / len(good) if good else 1.0,
        "checks": _per_check(rows),
        "per_lang": {lang: _per_check([row for row in rows if (row["context"].lang or "?") == lang]) for lang in langs},
        "errors": errors,
    }


def tone_table(metrics: dict) -> str:
    """A Markdown table: per check, precision / recall / counts overall and per language."""
    langs = list(metrics.get("per_lang", {}))
    head = "| check | precision | recall | tp | fp | fn | support |" + "".join(f" {lang} P / R |" for lang in langs)
    rows = [head, "|---" * (7 + len(langs)) + "|"]
    for c, m in metrics["checks"].items():
        cells = "".join(f" {metrics['per_lang'][lang][c]['precision']:.3f} / {metrics['per_lang'][lang][c]['recall']:.3f} |"
                        for lang in langs)
        rows.append(f"| {c} | {m['precision']:.3f} | {m['recall']:.3f} | {m['tp']} | {m['fp']} | {m['fn']} | {m['support']} |{cells}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    """``python -m evaluation.tone_eval [BUNDLE]``: the rules alone, and with BUNDLE's learned detectors."""
    import sys

    from data.corpus import load_corpus
    from model.bundle import read_manifest
    from model.tone_model import LearnedTone

    argv = sys.argv[1:] if argv is None else argv
    learned = None
    if argv:
        manifest = read_manifest(argv[0])
        learned = LearnedTone.load(argv[0], manifest.tone) if manifest.tone else None
    records, splits = load_corpus()
    runs = []
    for name, det in (("rules", None), ("rules + learned detectors", learned)) if learned else (("rules", None),):
        runs += [(f"{title}, {name}", evaluate_tone(records, splits, chosen, det)) for title, chosen in
                 (("development (train+validation)", ("train", "validation")), ("test", ("test",)))]
        runs.append((f"blind challenge set (data/corpus/tone_set.jsonl), {name}", evaluate_rows(tone_set_rows(), det)))
    for title, m in runs:
        print(f"## Tone checks, {title}: {m['n_good']} good and {m['n_bad']} bad replies; "
              f"{m['good_all_pass']:.1%} of good replies pass every check\n")
        print(tone_table(m))
        print()


if __name__ == "__main__":
    main()
