"""Record schemas: what a message, a labelled message and a reply look like."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from data.taxonomy import TONE_CHECKS

MAX_TEXT_CHARS = 10_000

Urgency = Literal["critical", "high", "normal", "low"]
Lang = Literal["es", "en"]
Channel = Literal["twitter", "facebook", "instagram", "other"]
ToneCheck = Literal[TONE_CHECKS]  # type: ignore[valid-type]


def clean_text(value: object) -> str:
    """Validate a message or reply text: a non-empty string of at most MAX_TEXT_CHARS."""
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    if not value.strip():
        raise ValueError("text is empty")
    if len(value) > MAX_TEXT_CHARS:
        raise ValueError(f"text has {len(value)} characters; the limit is {MAX_TEXT_CHARS}")
    return value


class Message(BaseModel):
    """An incoming customer post, as inference sees it."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    text: str
    lang: Lang | None = None
    channel: Channel = "twitter"
    author_handle: str | None = None
    author_followers: int | None = Field(default=None, ge=0)
    created_at: dt.datetime | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_str(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v

    @field_validator("text", mode="before")
    @classmethod
    def _text(cls, v: object) -> str:
        return clean_text(v)


class LabeledMessage(Message):
    """A message with its urgency label and, optionally, the corpus annotations."""

    urgency: Urgency
    industry: str | None = None
    topic: str | None = None
    sentiment: Literal["very_negative", "negative", "neutral", "positive"] | None = None
    region: str | None = None
    brand: str | None = None
    hard_case: str | None = None
    pii: bool = False
    outside_hours: bool = False
    reply: str | None = None
    bad_reply: str | None = None
    bad_reply_breaks: ToneCheck | None = None
    group: str | None = None

    @field_validator("urgency", mode="before")
    @classmethod
    def _urgency_lower(cls, v: object) -> object:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("reply", "bad_reply", mode="before")
    @classmethod
    def _reply(cls, v: object) -> object:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        return clean_text(v)

    @property
    def group_key(self) -> str:
        """Records sharing a group (a message and its variants) never cross splits."""
        return self.group or self.id


class ReplyPair(BaseModel):
    """A customer message and the agent's answer, e.g. from a Twitter support export."""

    id: str
    text: str
    reply: str
    brand: str | None = None
    author_handle: str | None = None
    created_at: dt.datetime | None = None
    lang: Lang | None = None

    @field_validator("text", "reply", mode="before")
    @classmethod
    def _text(cls, v: object) -> str:
        return clean_text(v)
