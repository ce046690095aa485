"""Check a raw corpus batch against data/corpus/SPEC.md and print its counts.

Usage: python data/corpus/tools/check_batch.py data/corpus/raw/telecom.jsonl [...]
Exits 1 when a record breaks the spec; prints every problem with its line number.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from data.taxonomy import (  # noqa: E402
    CHANNEL_LIMITS, CHANNELS, HARD_CASES, INDUSTRY_PREFIX, LANGS, REGIONS, SENTIMENTS,
    TONE_CHECKS, URGENCY_LABELS, topics_for,
)

FIELDS = ("id", "text", "lang", "region", "channel", "industry", "brand", "topic", "sentiment",
          "urgency", "hard_case", "pii", "author_handle", "author_followers", "created_at",
          "outside_hours", "reply", "bad_reply", "bad_reply_breaks")


def check_record(r: dict) -> list[str]:
    errs = []
    missing = [f for f in FIELDS if f not in r]
    if missing:
        return [f"missing fields {missing}"]
    extra = [f for f in r if f not in FIELDS]
    if extra:
        errs.append(f"unknown fields {extra}")
    ind = r["industry"]
    if ind not in INDUSTRY_PREFIX:
        return [f"industry {ind!r} not in {list(INDUSTRY_PREFIX)}"]
    if not str(r["id"]).startswith(INDUSTRY_PREFIX[ind] + "-"):
        errs.append(f"id {r['id']!r} should start with {INDUSTRY_PREFIX[ind]}-")
    if not isinstance(r["text"], str) or not 1 <= len(r["text"].strip()) <= 600:
        errs.append("text must be 1-600 characters")
    if r["lang"] not in LANGS:
        errs.append(f"lang {r['lang']!r}")
    elif r["region"] not in REGIONS[r["lang"]]:
        errs.append(f"region {r['region']!r} not in {REGIONS[r['lang']]}")
    for field, allowed in (("channel", CHANNELS), ("sentiment", SENTIMENTS), ("urgency", URGENCY_LABELS)):
        if r[field] not in allowed:
            errs.append(f"{field} {r[field]!r} not in {allowed}")
    if r["topic"] not in topics_for(ind):
        errs.append(f"topic {r['topic']!r} not in {topics_for(ind)}")
    if r["hard_case"] is not None and r["hard_case"] not in HARD_CASES:
        errs.append(f"hard_case {r['hard_case']!r} not in {HARD_CASES}")
    for field in ("pii", "outside_hours"):
        if not isinstance(r[field], bool):
            errs.append(f"{field} must be true/false")
    if not isinstance(r["author_followers"], int) or r["author_followers"] < 0:
        errs.append("author_followers must be a non-negative integer")
    try:
        ts = dt.datetime.fromisoformat(r["created_at"])
        if ts.tzinfo is None:
            errs.append("created_at needs a UTC offset")
    except (TypeError, ValueError):
        errs.append(f"created_at {r['created_at']!r} is not ISO 8601")
    limit = CHANNEL_LIMITS.get(r["channel"], 1000)
    if r["reply"] is not None and (not isinstance(r["reply"], str) or len(r["reply"]) > limit):
        errs.append(f"reply must be a string of at most {limit} characters for {r['channel']}")
    if (r["bad_reply"] is None) != (r["bad_reply_breaks"] is None):
        errs.append("bad_reply and bad_reply_breaks go together")
    if r["bad_reply_breaks"] is not None and r["bad_reply_breaks"] not in TONE_CHECKS:
        errs.append(f"bad_reply_breaks {r['bad_reply_breaks']!r} not in {TONE_CHECKS}")
    if r["bad_reply_breaks"] == "private_channel" and not (r["pii"] or r["sentiment"] == "very_negative"):
        errs.append("a private_channel violation needs a very_negative or pii message")
    if r["bad_reply_breaks"] == "service_hours" and not r["outside_hours"]:
        errs.append("a service_hours violation needs outside_hours true")
    if r["bad_reply_breaks"] == "fits_channel" and r["bad_reply"] and len(r["bad_reply"]) <= limit:
        errs.append("a fits_channel violation must be longer than the channel limit")
    return errs


def main(paths: list[str]) -> int:
    bad = 0
    recs = []
    for p in paths:
        for n, line in enumerate(Path(p).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{p}:{n}: not JSON ({e})")
                bad += 1
                continue
            for e in check_record(r):
                print(f"{p}:{n}: {r.get('id')}: {e}")
                bad += 1
            recs.append(r)
    ids = collections.Counter(r.get("id") for r in recs)
    texts = collections.Counter(" ".join(str(r.get("text", "")).lower().split()) for r in recs)
    for k, v in ids.items():
        if v > 1:
            print(f"duplicate id {k} x{v}")
            bad += 1
    for k, v in texts.items():
        if v > 1:
            print(f"duplicate text x{v}: {k[:80]}")
            bad += 1
    n = len(recs) or 1
    print(f"\n{len(recs)} records, {bad} problems")
    for field in ("lang", "urgency", "region", "channel", "sentiment", "hard_case", "topic"):
        c = collections.Counter(str(r.get(field)) for r in recs)
        print(f"{field:10s} " + ", ".join(f"{k}={v} ({v / n:.0%})" for k, v in c.most_common()))
    print(f"pii={sum(bool(r.get('pii')) for r in recs)} outside_hours={sum(bool(r.get('outside_hours')) for r in recs)}")
    print(f"replies={sum(r.get('reply') is not None for r in recs)} "
          f"bad_replies={sum(r.get('bad_reply') is not None for r in recs)} "
          + str(collections.Counter(r.get('bad_reply_breaks') for r in recs if r.get('bad_reply'))))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
