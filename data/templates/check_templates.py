"""Check data/templates/replies.jsonl and print its counts.

    python data/templates/check_templates.py [path]        # prints tables, exit 1 on a problem
    python data/templates/check_templates.py --markdown    # same tables, as Markdown for the README

Checks: the fields and their allowed values, unique ids that spell the record's own
lang/industry/urgency (or kind), placeholders ({handle} and {agent} once each in a reply,
{hours} once in an hours notice, nothing else anywhere), topics valid for the industry and
for the urgency, lengths, the house tone where a script can see it (thanks, signature,
early handle, DM in critical ones, no emoji or "!" in critical/high, no form-letter
phrases), and coverage: every industry x urgency x lang has at least two reply templates
with different topics, every industry topic a normal-urgency reply per lang, the generic
ones three per urgency per lang, and enough of each sentence kind.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from data.taxonomy import COMMON_TOPICS, INDUSTRY_TOPICS, LANGS, URGENCY_LABELS  # noqa: E402

DEFAULT_PATH = Path(__file__).resolve().parent / "replies.jsonl"

FIELDS = ("id", "kind", "lang", "industry", "urgency", "topics", "text")
SENTENCE_KINDS = ("dm_invite", "pii_delete", "hours_notice")
KINDS = ("reply",) + SENTENCE_KINDS
INDUSTRIES = tuple(INDUSTRY_TOPICS) + ("any",)

REPLY_MAX = 220          # as written, with placeholders
SENTENCE_MAX = 110
HANDLE_WITHIN = 40       # {handle} must start within the first N characters
MIN_PER_CELL = 2         # reply templates per industry x urgency x lang
MIN_GENERIC = 3          # generic ("any") reply templates per urgency x lang
MIN_SENTENCES = {"dm_invite": 6, "pii_delete": 5, "hours_notice": 5}  # per lang

# Sample values used to check the filled length still fits a tweet.
SAMPLE = {"handle": "@nuria_vlc_1987", "agent": "Maribel",
          "hours": "el lunes a partir de las 09:00"}
TWITTER_MAX = 280

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SIGNATURE = re.compile(r"(\^\{agent\}|- \{agent\})$")
THANKS = re.compile(r"gracias|agradec|thank", re.I)
DM = re.compile(r"\bDMs?\b|\bMD\b|mensaje privado|por privado|private message|privately", re.I)
DELETE = re.compile(r"borr|elimin|delete|remove|take this .* down", re.I)
FORM_LETTER = re.compile(
    r"estimad[oa]s? (client|usuari|señor|amig)|le informamos|les informamos|valued customer|dear customer|"
    r"apologi[sz]e for any inconvenience|disculpe las molestias|términos y condiciones|"
    r"terms and conditions|terms of service|as per our|según nuestr|no es culpa|"
    r"not our fault|you should have|debió usted|debiste",
    re.I,
)


def is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x2300


def check(rows: list[tuple[int, dict]]) -> list[str]:
    errs: list[str] = []
    ids: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    per_kind: Counter[tuple] = Counter()

    for ln, r in rows:
        where = f"line {ln} ({r.get('id', '?')})"
        if set(r) != set(FIELDS):
            errs.append(f"{where}: fields {sorted(r)} != {sorted(FIELDS)}")
            continue
        kind, lang, ind, urg, topics, text = (r[k] for k in FIELDS[1:])
        ids[r["id"]] += 1
        texts[text] += 1
        if kind not in KINDS:
            errs.append(f"{where}: kind {kind!r}")
            continue
        if lang not in LANGS:
            errs.append(f"{where}: lang {lang!r}")
        if ind not in INDUSTRIES:
            errs.append(f"{where}: industry {ind!r}")
            continue
        if not isinstance(text, str) or not text.strip() or text != text.strip():
            errs.append(f"{where}: empty text or surrounding whitespace")
            continue
        if not isinstance(topics, list) or len(set(topics)) != len(topics):
            errs.append(f"{where}: topics must be a list without repeats")
            continue

        names = PLACEHOLDER.findall(text)
        stray = PLACEHOLDER.sub("", text)
        if "{" in stray or "}" in stray:
            errs.append(f"{where}: stray brace")

        if kind == "reply":
            m = re.fullmatch(r"tpl-(es|en)-([a-z_]+)-(critical|high|normal|low)-(\d+)", r["id"])
            if not m or m.groups()[:3] != (lang, ind, urg):
                errs.append(f"{where}: id does not spell tpl-{lang}-{ind}-{urg}-<n>")
            if urg not in URGENCY_LABELS:
                errs.append(f"{where}: urgency {urg!r}")
                continue
            per_kind[("reply", lang, ind, urg)] += 1
            # topics
            if ind == "any":
                if topics:
                    errs.append(f"{where}: generic templates carry topics []")
            else:
                if not 1 <= len(topics) <= 4:
                    errs.append(f"{where}: {len(topics)} topics (1-4)")
                # a serious report that is nobody's own account problem (a hazard at the gate) is a
                # general comment that still needs a critical reply
                allowed = COMMON_TOPICS if urg == "low" else INDUSTRY_TOPICS[ind] + ("general_comment",)
                bad = [t for t in topics if t not in allowed]
                if bad:
                    errs.append(f"{where}: topics {bad} not valid for {ind}/{urg}")
            # placeholders
            if sorted(names) != ["agent", "handle"]:
                errs.append(f"{where}: placeholders {names} (want {{handle}} and {{agent}} once each)")
            # length
            if len(text) > REPLY_MAX:
                errs.append(f"{where}: {len(text)} chars > {REPLY_MAX}")
            filled = PLACEHOLDER.sub(lambda m: SAMPLE.get(m.group(1), m.group(0)), text)
            if len(filled) > TWITTER_MAX:
                errs.append(f"{where}: filled text {len(filled)} chars > {TWITTER_MAX}")
            # tone
            pos = text.find("{handle}")
            if pos < 0 or pos > HANDLE_WITHIN:
                errs.append(f"{where}: {{handle}} should open the reply (found at {pos})")
            if not SIGNATURE.search(text):
                errs.append(f"{where}: must end with '^{{agent}}' or '- {{agent}}'")
            if not THANKS.search(text):
                errs.append(f"{where}: no thanks")
            if FORM_LETTER.search(text):
                errs.append(f"{where}: form-letter/defensive phrase {FORM_LETTER.search(text).group(0)!r}")
            if urg == "critical" and not DM.search(text):
                errs.append(f"{where}: critical reply without a DM/private-message invitation")
            if urg in ("critical", "high"):
                if any(is_emoji(c) for c in text):
                    errs.append(f"{where}: emoji in a {urg} reply")
                if "!" in text or "¡" in text:
                    errs.append(f"{where}: exclamation in a {urg} reply")
        else:
            m = re.fullmatch(r"tpl-(es|en)-any-([a-z_]+)-(\d+)", r["id"])
            if not m or m.groups()[:2] != (lang, kind):
                errs.append(f"{where}: id does not spell tpl-{lang}-any-{kind}-<n>")
            if ind != "any" or urg is not None or topics:
                errs.append(f"{where}: sentence kinds take industry 'any', urgency null, topics []")
            per_kind[(kind, lang)] += 1
            want = ["hours"] if kind == "hours_notice" else []
            if names != want:
                errs.append(f"{where}: placeholders {names} (want {want})")
            if len(text) > SENTENCE_MAX:
                errs.append(f"{where}: {len(text)} chars > {SENTENCE_MAX}")
            if FORM_LETTER.search(text):
                errs.append(f"{where}: form-letter phrase")
            if kind in ("dm_invite", "pii_delete") and not DM.search(text):
                errs.append(f"{where}: {kind} without DM/private message")
            if kind == "pii_delete" and not DELETE.search(text):
                errs.append(f"{where}: pii_delete does not ask to delete the post")

    errs += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    errs += [f"duplicate text: {t[:60]}..." for t, c in texts.items() if c > 1]

    # coverage
    for lang in LANGS:
        for urg in URGENCY_LABELS:
            for ind in INDUSTRY_TOPICS:
                got = per_kind[("reply", lang, ind, urg)]
                if got < MIN_PER_CELL:
                    errs.append(f"coverage: {lang}/{ind}/{urg} has {got} reply templates (< {MIN_PER_CELL})")
                cell = {tuple(r["topics"]) for _, r in rows
                        if r.get("kind") == "reply" and (r.get("lang"), r.get("industry"), r.get("urgency")) == (lang, ind, urg)}
                if got >= 2 and len(cell) < 2:
                    errs.append(f"coverage: {lang}/{ind}/{urg} templates all carry the same topics")
            got = per_kind[("reply", lang, "any", urg)]
            if got < MIN_GENERIC:
                errs.append(f"coverage: {lang}/any/{urg} has {got} generic templates (< {MIN_GENERIC})")
        # the fallback answers by topic: a normal-urgency reply on every topic suits a normal
        # message and a joking, low-urgency one alike
        for ind, ind_topics in INDUSTRY_TOPICS.items():
            normal = {t for _, r in rows if (r.get("kind"), r.get("lang"), r.get("industry"), r.get("urgency"))
                      == ("reply", lang, ind, "normal") for t in r.get("topics") or ()}
            for t in sorted(set(ind_topics) - normal):
                errs.append(f"coverage: {lang}/{ind}/{t} has no normal-urgency reply template")
        for kind, need in MIN_SENTENCES.items():
            if per_kind[(kind, lang)] < need:
                errs.append(f"coverage: {lang} has {per_kind[(kind, lang)]} {kind} (< {need})")
    return errs


def tables(rows: list[dict], markdown: bool) -> str:
    replies = [r for r in rows if r["kind"] == "reply"]
    out: list[str] = []

    def table(header: list[str], body: list[list]) -> None:
        if markdown:
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "---|" * len(header))
            out.extend("| " + " | ".join(str(c) for c in row) + " |" for row in body)
        else:
            w = [max(len(str(x)) for x in col) for col in zip(header, *body)]
            out.append("  ".join(str(h).ljust(n) for h, n in zip(header, w)))
            out.extend("  ".join(str(c).ljust(n) for c, n in zip(row, w)) for row in body)
        out.append("")

    n_sent = len(rows) - len(replies)
    out.append(f"{len(rows)} templates: {len(replies)} replies, {n_sent} sentences")
    out.append("")
    for lang in LANGS:
        out.append(f"Reply templates, {lang}:" if not markdown else f"Reply templates, `{lang}`:")
        out.append("")
        body = []
        for ind in INDUSTRIES:
            c = [sum(1 for r in replies if (r["lang"], r["industry"], r["urgency"]) == (lang, ind, u))
                 for u in URGENCY_LABELS]
            body.append([ind, *c, sum(c)])
        body.append(["total", *[sum(b[i + 1] for b in body) for i in range(4)], sum(b[5] for b in body)])
        table(["industry", *URGENCY_LABELS, "total"], body)
    out.append("Sentence templates:" if not markdown else "Sentence templates (industry `any`, urgency null):")
    out.append("")
    body = [[k, *[sum(1 for r in rows if (r["kind"], r["lang"]) == (k, lang)) for lang in LANGS]]
            for k in SENTENCE_KINDS]
    table(["kind", *LANGS], body)
    uncovered = {ind: sorted(set(INDUSTRY_TOPICS[ind]) - {t for r in replies if r["industry"] == ind for t in r["topics"]})
                 for ind in INDUSTRY_TOPICS}
    missing = {k: v for k, v in uncovered.items() if v}
    out.append("Industry topics no template lists: " +
               ("; ".join(f"{k}: {', '.join(v)}" for k, v in missing.items()) if missing else "none"))
    return "\n".join(out)


def main(argv: list[str]) -> int:
    markdown = "--markdown" in argv
    args = [a for a in argv if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT_PATH
    rows: list[tuple[int, dict]] = []
    errs: list[str] = []
    for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errs.append(f"line {ln}: blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            errs.append(f"line {ln}: not JSON ({e})")
            continue
        if not isinstance(obj, dict):
            errs.append(f"line {ln}: not an object")
            continue
        rows.append((ln, obj))
    errs += check(rows)
    good = [r for _, r in rows if set(r) == set(FIELDS) and r["kind"] in KINDS
            and r["lang"] in LANGS and r["industry"] in INDUSTRIES]
    print(tables(good, markdown))
    if errs:
        print(f"\n{len(errs)} problem(s):", file=sys.stderr)
        for e in errs:
            print("  " + e, file=sys.stderr)
        return 1
    print("\nOK", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
