"""The Customer Support on Twitter export: tweets in, (customer message, agent reply) pairs out.

Columns: ``tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id``. Customer tweets have ``inbound`` true; a brand's answer is an
outbound tweet whose ``in_response_to_tweet_id`` is the customer's tweet. A message with
several answers keeps the earliest one; a message nobody answered is kept without a reply
only by ``load_twcs_messages``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from data.loaders import DataError, LoadReport, read_rows
from data.schema import Message, ReplyPair

COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id")
TWCS_TIME = "%a %b %d %H:%M:%S %z %Y"


def parse_twcs_time(value: str | None) -> dt.datetime | None:
    """'Wed Oct 11 06:55:44 +0000 2017' -> an aware datetime; ISO 8601 is accepted too."""
    if not value:
        return None
    for parse in (lambda v: dt.datetime.strptime(v, TWCS_TIME), dt.datetime.fromisoformat):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    raise ValueError(f"unreadable time {value!r}; expected like 'Wed Oct 11 06:55:44 +0000 2017'")


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("true", "1", "yes"):
        return True
    if s in ("false", "0", "no"):
        return False
    raise ValueError(f"expected True or False, got {value!r}")


def _read_tweets(path: str | Path, skip_invalid: bool, report: LoadReport) -> dict[str, dict]:
    tweets: dict[str, dict] = {}
    for row in read_rows(path, None):
        report.rows += 1
        try:
            if row.error:
                raise row.error
            values = row.values or {}
            missing = [c for c in COLUMNS[:5] if c not in values]
            if missing:
                raise DataError(path, row.number, missing[0],
                                f"missing; a Twitter support export has columns {list(COLUMNS)}, found {sorted(values)}")
            tid = str(values["tweet_id"]).strip()
            if not tid:
                raise DataError(path, row.number, "tweet_id", "empty")
            if tid in tweets:
                raise DataError(path, row.number, "tweet_id", f"duplicate tweet_id {tid!r}")
            try:
                inbound = _as_bool(values["inbound"])
            except ValueError as e:
                raise DataError(path, row.number, "inbound", str(e)) from None
            try:
                created = parse_twcs_time(values.get("created_at"))
            except ValueError as e:
                raise DataError(path, row.number, "created_at", str(e)) from None
            text = values.get("text")
            if not isinstance(text, str) or not text.strip():
                raise DataError(path, row.number, "text", "text is empty")
            reply_to = values.get("in_response_to_tweet_id")
            tweets[tid] = {"row": row.number, "author": str(values["author_id"]), "inbound": inbound,
                           "created_at": created, "text": text,
                           "reply_to": str(int(float(reply_to))) if reply_to not in (None, "") else None}
        except DataError as e:
            if not skip_invalid:
                raise
            report.skipped.append(e)
    return tweets


def load_twcs(path: str | Path, skip_invalid: bool = False) -> tuple[list[ReplyPair], LoadReport]:
    """(customer tweet, first brand reply) pairs from a Twitter support export."""
    report = LoadReport(str(path))
    tweets = _read_tweets(path, skip_invalid, report)
    answers: dict[str, dict] = {}
    for t in tweets.values():
        if t["inbound"] or not t["reply_to"]:
            continue
        prev = answers.get(t["reply_to"])
        if prev is None or (t["created_at"] and prev["created_at"] and t["created_at"] < prev["created_at"]):
            answers[t["reply_to"]] = t
    pairs = []
    for tid, t in tweets.items():
        ans = answers.get(tid)
        if not t["inbound"] or ans is None:
            continue
        try:
            pairs.append(ReplyPair(id=tid, text=t["text"], reply=ans["text"], brand=ans["author"],
                                   author_handle=t["author"], created_at=t["created_at"]))
        except ValueError as e:
            err = DataError(path, t["row"], "text", str(e))
            if not skip_invalid:
                raise err from None
            report.skipped.append(err)
    report.loaded = len(pairs)
    return pairs, report


def load_twcs_messages(path: str | Path, skip_invalid: bool = False) -> tuple[list[Message], LoadReport]:
    """Every customer (inbound) tweet of the export as a Message, answered or not."""
    report = LoadReport(str(path))
    tweets = _read_tweets(path, skip_invalid, report)
    msgs = [Message(id=tid, text=t["text"], author_handle=t["author"], created_at=t["created_at"])
            for tid, t in tweets.items() if t["inbound"]]
    report.loaded = len(msgs)
    return msgs, report
