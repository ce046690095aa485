"""Agents' feedback on suggestions, stored durably in SQLite and exported as training data.

Each write is its own committed transaction in WAL mode, so a crash loses at most the
request in flight, and readers (the export) never block the API.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'edited', 'rejected')),
    suggestion_id TEXT,
    suggestion_text TEXT,
    final_text TEXT,
    message TEXT NOT NULL,
    urgency TEXT,
    predicted_urgency TEXT,
    model_version TEXT,
    agent TEXT
)
"""


class FeedbackStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # One connection per operation: sqlite3 connections must not cross threads.
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def add(self, *, outcome: str, message: dict, suggestion_id: str | None = None,
            suggestion_text: str | None = None, final_text: str | None = None, urgency: str | None = None,
            predicted_urgency: str | None = None, model_version: str | None = None,
            agent: str | None = None) -> int:
        """Store one outcome; returns its id once committed."""
        if outcome == "edited" and not final_text:
            raise ValueError("an edited suggestion needs final_text, the reply actually sent")
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (received_at, outcome, suggestion_id, suggestion_text, final_text, message,"
                " urgency, predicted_urgency, model_version, agent) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (now, outcome, suggestion_id, suggestion_text, final_text, json.dumps(message, ensure_ascii=False,
                                                                                     default=str),
                 urgency, predicted_urgency, model_version, agent))
            return int(cur.lastrowid)

    def count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def rows(self) -> Iterator[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            for row in db.execute("SELECT * FROM feedback ORDER BY id"):
                yield dict(row)

    def training_records(self) -> Iterator[dict]:
        """Labelled messages in the corpus schema (``data.schema.LabeledMessage``): the urgency is the
        agent's when given, else the model's at feedback time (``urgency_source`` says which); the
        reply is what was sent for accepted and edited suggestions, none for rejected ones."""
        for row in self.rows():
            msg = json.loads(row["message"])
            urgency = row["urgency"] or row["predicted_urgency"]
            if urgency is None:
                continue
            reply = row["final_text"] or (row["suggestion_text"] if row["outcome"] == "accepted" else None)
            author = msg.get("author") or {}
            yield {"id": f"feedback-{row['id']}", "text": msg["text"], "lang": msg.get("lang"),
                   "channel": msg.get("channel") if msg.get("channel") in ("twitter", "facebook", "instagram")
                   else "other", "author_handle": author.get("handle"), "created_at": msg.get("created_at"),
                   "brand": msg.get("brand"), "urgency": urgency,
                   "urgency_source": "agent" if row["urgency"] else "model", "reply": reply,
                   "feedback": {"outcome": row["outcome"], "suggestion_id": row["suggestion_id"],
                                "model_version": row["model_version"], "received_at": row["received_at"]}}

    def export_jsonl(self, out: str | Path) -> int:
        """Write ``training_records`` to ``out`` atomically; returns the number of records."""
        out = Path(out)
        tmp = out.with_name(out.name + ".tmp")
        n = 0
        with open(tmp, "w", encoding="utf-8") as fh:
            for rec in self.training_records():
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        tmp.replace(out)
        return n
