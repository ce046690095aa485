"""Response deadlines: the SLA table and business hours.

A message's clock starts when it arrives if the team is open, otherwise at the next
opening time; ``critical`` is always on and its clock starts at once. The deadline is the
start plus the label's SLA minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator, model_validator

DEFAULT_SLA_MINUTES: dict[str, int] = {"critical": 15, "high": 30, "normal": 60, "low": 24 * 60}
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class BusinessHours(BaseModel):
    """Opening hours per weekday in one timezone; ``None`` closes the day."""

    timezone: str = "Europe/Madrid"
    week: dict[str, str | None] = Field(default_factory=lambda: {
        **{d: "08:00-22:00" for d in DAYS[:5]}, "sat": "09:00-18:00", "sun": "09:00-18:00"})
    always_on: tuple[str, ...] = ("critical",)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {v!r}; use an IANA name such as 'Europe/Madrid'") from None
        return v

    @field_validator("week")
    @classmethod
    def _week(cls, v: dict[str, str | None]) -> dict[str, str | None]:
        unknown = set(v) - set(DAYS)
        if unknown:
            raise ValueError(f"unknown days {sorted(unknown)}; expected keys among {list(DAYS)}")
        for day, span in v.items():
            if span is not None and not _SPAN.match(span):
                raise ValueError(f"{day}: {span!r} is not like '08:00-22:00'")
            if span is not None and span[:5] >= span[6:]:
                raise ValueError(f"{day}: {span!r} closes before it opens")
        return {d: v.get(d) for d in DAYS}

    def _span(self, day: dt.date) -> tuple[dt.time, dt.time] | None:
        span = self.week.get(DAYS[day.weekday()])
        if span is None:
            return None
        o, c = span.split("-")
        close = dt.time.max if c == "24:00" else dt.time.fromisoformat(c)
        return dt.time.fromisoformat(o), close

    def is_open(self, when: dt.datetime) -> bool:
        local = _aware(when).astimezone(ZoneInfo(self.timezone))
        span = self._span(local.date())
        return span is not None and span[0] <= local.time() < span[1]

    def next_opening(self, when: dt.datetime) -> dt.datetime:
        """``when`` itself if open, else the next opening time (aware, in the business timezone)."""
        tz = ZoneInfo(self.timezone)
        local = _aware(when).astimezone(tz)
        if self.is_open(local):
            return local
        for ahead in range(0, 8):
            day = local.date() + dt.timedelta(days=ahead)
            span = self._span(day)
            if span is None:
                continue
            opening = dt.datetime.combine(day, span[0], tzinfo=tz)
            if opening >= local:
                return opening
        raise ValueError("business hours have no open day; set at least one day's hours")


class SlaPolicy(BaseModel):
    """SLA minutes per urgency label plus business hours."""

    minutes: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_SLA_MINUTES))
    hours: BusinessHours = Field(default_factory=BusinessHours)

    @model_validator(mode="after")
    def _labels(self) -> SlaPolicy:
        missing = set(DEFAULT_SLA_MINUTES) - set(self.minutes)
        if missing:
            raise ValueError(f"SLA minutes missing for {sorted(missing)}")
        bad = {k: v for k, v in self.minutes.items() if v <= 0}
        if bad:
            raise ValueError(f"SLA minutes must be positive, got {bad}")
        return self

    def clock_start(self, label: str, created_at: dt.datetime) -> dt.datetime:
        if label in self.hours.always_on:
            return _aware(created_at)
        return self.hours.next_opening(created_at)

    def due_at(self, label: str, created_at: dt.datetime) -> dt.datetime:
        """When the answer is due for a message of ``label`` that arrived at ``created_at``."""
        return self.clock_start(label, created_at) + dt.timedelta(minutes=self.minutes[label])


def _aware(when: dt.datetime) -> dt.datetime:
    """Naive datetimes are taken as UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)
