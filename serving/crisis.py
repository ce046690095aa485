"""Crisis detection: a spike of critical or high-urgency posts about one topic and brand.

Each negative post (urgency in ``labels``; optionally any post the anger head finds very
angry) is counted in a sliding window (default 60 minutes) per (topic, brand). At every such
post the count in the window ending there is compared with the baseline, the mean count per
window over the ``baseline_windows`` windows before it. An alert is raised when

    count >= min_count   and   count > factor * baseline

``min_count`` (default 10) keeps small numbers from alerting: a window sliding over steady
traffic of 2 posts an hour reaches 5 posts somewhere in a working day more often than not
(measured on simulated streams, see tests/serving/test_crisis.py). Until a
whole window of history precedes the current one (the first hour of a stream, or of the
server), the baseline is unknown and is blended with ``prior`` posts per window, so a cold
start needs more than ``factor * prior`` posts to alert. An alert's ``first_seen`` is where the
run of posts faster than ``factor * baseline`` that crossed the threshold began (the start of
the excess, not the start of the window). An alert lasts while later posts
keep the count over the threshold; a new crossing within one window of the last post of an
alert extends that alert instead of opening another.

``detect`` works on a list of events (a backlog: ``atiende crisis``); ``CrisisMonitor`` keeps
the recent negative posts seen by the API and answers ``GET /v1/crisis``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from model.pii import mask_pii
from model.upset import upset_cues

if TYPE_CHECKING:
    from model.suggest import Suggester

UTC = dt.timezone.utc
URGENCY_LABELS = ("critical", "high", "normal", "low")
EXAMPLE_CHARS = 280


class CrisisConfig(BaseModel):
    """How spikes are found; every field is also ``ATIENDE_CRISIS_<NAME>`` for the server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_minutes: float = Field(default=60.0, gt=0, le=7 * 24 * 60, description="sliding window length")
    baseline_windows: int = Field(default=6, ge=1, le=24 * 7, description="previous windows averaged as baseline")
    factor: float = Field(default=3.0, gt=1.0, le=1000, description="count must exceed factor x baseline")
    min_count: int = Field(default=10, ge=1, description="never alert below this many posts in a window")
    prior: float = Field(default=3.0, ge=0, description="baseline assumed per window before any history")
    labels: tuple[str, ...] = Field(default=("critical", "high"), min_length=1,
                                    description="urgency labels that count as negative")
    angry_counts: bool = Field(default=False, description="also count very angry posts of any urgency")
    max_examples: int = Field(default=3, ge=0, le=20)
    max_events: int = Field(default=50_000, ge=10, description="negative posts the server keeps in memory")

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(v) - set(URGENCY_LABELS))
        if unknown:
            raise ValueError(f"unknown urgency labels {unknown}; choose among {list(URGENCY_LABELS)}")
        return v

    def is_negative(self, label: str, angry: bool) -> bool:
        return label in self.labels or (self.angry_counts and angry)

    def baseline(self, previous: int, covered: float) -> float:
        """Mean posts per window from ``previous`` posts in the ``covered`` windows of history before
        the current one (the rest of one window filled with ``prior``)."""
        covered = min(max(covered, 0.0), float(self.baseline_windows))
        return (previous + self.prior * max(0.0, 1.0 - covered)) / max(covered, 1.0)

    def threshold(self, baseline: float) -> int:
        """The smallest count that alerts against ``baseline``."""
        return max(self.min_count, int(self.factor * baseline) + 1)

    def alerts(self, count: int, baseline: float) -> bool:
        return count >= self.threshold(baseline)


class CrisisSettings(CrisisConfig, BaseSettings):
    """``CrisisConfig`` read from ``ATIENDE_CRISIS_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="ATIENDE_CRISIS_", extra="ignore", frozen=True)

    def config(self) -> CrisisConfig:
        return CrisisConfig(**self.model_dump())


@dataclass(frozen=True)
class Event:
    """One triaged post, as crisis detection sees it."""

    at: dt.datetime
    label: str
    text: str = ""
    topic: str | None = None
    brand: str | None = None
    industry: str | None = None
    angry: bool = False
    id: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:  # naive times are UTC, as in the API
            object.__setattr__(self, "at", self.at.replace(tzinfo=UTC))

    @property
    def key(self) -> tuple[str | None, str | None]:
        return self.topic, self.brand


@dataclass
class Alert:
    """A spike on one (topic, brand): ``count`` posts in the window when ``raised_at`` crossed
    ``threshold`` (against ``baseline`` posts per window), ``peak`` the most in any window since,
    ``events`` the negative posts from ``first_seen`` to ``last_seen``; ``active`` when the window
    ending at the time judged still holds ``count_now`` >= its threshold."""

    topic: str | None
    brand: str | None
    industry: str | None
    raised_at: dt.datetime
    first_seen: dt.datetime
    last_seen: dt.datetime
    count: int
    baseline: float
    threshold: int
    peak: int
    events: list[Event] = field(repr=False)
    active: bool = False
    count_now: int = 0

    def examples(self, n: int) -> list[dict]:
        """Up to ``n`` posts of the alert, critical ones first, personal data masked."""
        rank = {"critical": 0, "high": 1}
        picked = sorted(self.events, key=lambda e: (rank.get(e.label, 2), e.at))[:n]
        return [{"id": e.id, "text": mask_pii(e.text)[:EXAMPLE_CHARS], "label": e.label,
                 "created_at": e.at.isoformat()} for e in picked]

    def to_dict(self, max_examples: int = 3) -> dict:
        labels: dict[str, int] = defaultdict(int)
        for e in self.events:
            labels[e.label] += 1
        return {"topic": self.topic, "brand": self.brand, "industry": self.industry, "active": self.active,
                "first_seen": self.first_seen.isoformat(), "raised_at": self.raised_at.isoformat(),
                "last_seen": self.last_seen.isoformat(),
                "counts": {"window": self.count, "baseline": round(self.baseline, 3), "threshold": self.threshold,
                           "peak": self.peak, "now": self.count_now, "messages": len(self.events),
                           "by_label": dict(sorted(labels.items())), "angry": sum(e.angry for e in self.events)},
                "examples": self.examples(max_examples)}


def _ts(t: dt.datetime) -> float:
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).timestamp()


def _onset(ts: list[float], lo: int, hi: int, rate: float) -> int:
    """Where the run of posts faster than ``rate`` (per second) that ends at ``hi`` began: the ``j``
    in ``lo..hi`` with the most posts from ``j`` to ``hi`` beyond ``rate`` (the earliest on a tie)."""
    best, best_excess = hi, float("-inf")
    for j in range(lo, hi + 1):
        excess = (hi - j + 1) - rate * (ts[hi] - ts[j])
        if excess > best_excess:
            best, best_excess = j, excess
    return best


def detect(events: Iterable[Event], config: CrisisConfig | None = None, now: dt.datetime | None = None,
           history_start: dt.datetime | None = None) -> list[Alert]:
    """Every alert in ``events`` (any order), oldest first.

    ``history_start`` is when observation began (default: the first event, negative or not);
    ``now`` is when ``active`` is judged (default: the last event).
    """
    cfg = config or CrisisConfig()
    evs = sorted(events, key=lambda e: _ts(e.at))
    if not evs:
        return []
    start = _ts(history_start) if history_start else _ts(evs[0].at)
    now_ts = _ts(now) if now else _ts(evs[-1].at)
    win = cfg.window_minutes * 60.0
    span = (cfg.baseline_windows + 1) * win
    groups: dict[tuple, list[Event]] = defaultdict(list)
    for e in evs:
        if cfg.is_negative(e.label, e.angry):
            groups[e.key].append(e)

    def count_at(ts: list[float], t: float, upto: int) -> tuple[int, float]:
        lo = bisect.bisect_right(ts, t - win, 0, upto)
        plo = bisect.bisect_right(ts, t - span, 0, lo)
        return upto - lo, cfg.baseline(lo - plo, (t - win - start) / win)

    alerts: list[Alert] = []
    for (topic, brand), items in groups.items():
        ts = [_ts(e.at) for e in items]
        industry = next((e.industry for e in items if e.industry), None)
        runs: list[list] = []  # [alert, index of its first post, index of its last post]
        current: list | None = None
        for i, t in enumerate(ts):
            count, base = count_at(ts, t, i + 1)
            if not cfg.alerts(count, base):
                current = None
                continue
            if current is None:
                if runs and t - ts[runs[-1][2]] <= win:
                    current = runs[-1]  # the same crisis flaring again within a window
                else:
                    first = _onset(ts, i + 1 - count, i, cfg.factor * base / win)
                    current = [Alert(topic, brand, industry, items[i].at, items[first].at, items[i].at, count,
                                     base, cfg.threshold(base), count, []), first, i]
                    runs.append(current)
            alert = current[0]
            current[2] = i
            alert.last_seen, alert.peak = items[i].at, max(alert.peak, count)
        for k, (alert, first, last) in enumerate(runs):
            alert.events = items[first:last + 1]
            if k == len(runs) - 1:
                count, base = count_at(ts, now_ts, bisect.bisect_right(ts, now_ts))
                alert.count_now, alert.active = count, cfg.alerts(count, base)
        alerts += [a for a, _, _ in runs]
    return sorted(alerts, key=lambda a: (a.raised_at, str(a.topic), str(a.brand)))


def normalize_brand(brand: str | None) -> str | None:
    """``@Movilia_ES`` and ``movilia_es`` are one brand."""
    b = (brand or "").strip().lstrip("@").lower()
    return b or None


class CrisisMonitor:
    """The negative posts the API triaged recently, and the alerts they raise. Thread-safe.

    A post is remembered for ``(baseline_windows + 1) * window_minutes`` after it was received
    (at most ``max_events`` posts). A post seen twice (prioritized, then opened for suggestions)
    counts once when it carries an id, a ``created_at`` or an author handle; anonymous posts
    without a time count every time they are sent.
    """

    def __init__(self, config: CrisisConfig | None = None, clock: Callable[[], dt.datetime] | None = None):
        self.config = config or CrisisConfig()
        self._clock = clock or (lambda: dt.datetime.now(UTC))
        self._events: deque[tuple[float, str | None, Event]] = deque()  # (received at, fingerprint, event)
        self._fingerprints: set[str] = set()
        self._start: dt.datetime | None = None
        self._lock = threading.Lock()
        self._version = 0
        self._cache: tuple[tuple, list[Alert]] | None = None
        self.observed = 0

    @property
    def retention_seconds(self) -> float:
        return (self.config.baseline_windows + 1) * self.config.window_minutes * 60.0

    def observe(self, text: str, label: str, *, topic: str | None = None, industry: str | None = None,
                brand: str | None = None, created_at: dt.datetime | None = None, angry: bool = False,
                message_id: str | None = None, handle: str | None = None, now: dt.datetime | None = None) -> bool:
        """Record one triaged post; True when it was counted as negative (and new)."""
        received = now or self._clock()
        received = received if received.tzinfo else received.replace(tzinfo=UTC)
        at = created_at if created_at is None or created_at.tzinfo else created_at.replace(tzinfo=UTC)
        at = min(at or received, received)  # a clock ahead of ours must not open a window in the future
        brand = normalize_brand(brand)
        with self._lock:
            self.observed += 1
            if self._start is None or at < self._start:
                self._start = at
                self._version += 1
            self._purge(_ts(received))
            if not self.config.is_negative(label, angry):
                return False
            fp = None
            if message_id or created_at or handle:
                raw = "\x1f".join([message_id or "", text, handle or "", created_at.isoformat() if created_at else "",
                                   brand or ""])
                fp = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
                if fp in self._fingerprints:
                    return False
                self._fingerprints.add(fp)
            self._events.append((_ts(received), fp, Event(at, label, text, topic, brand, industry, angry,
                                                          message_id)))
            while len(self._events) > self.config.max_events:
                self._drop()
            self._version += 1
            return True

    def _drop(self) -> None:
        _, fp, _ = self._events.popleft()
        if fp is not None:
            self._fingerprints.discard(fp)

    def _purge(self, now_ts: float) -> None:
        while self._events and self._events[0][0] < now_ts - self.retention_seconds:
            self._drop()
            self._version += 1

    def alerts(self, now: dt.datetime | None = None) -> list[Alert]:
        """Alerts over the posts remembered, ``active`` judged at ``now`` (default: the clock)."""
        now = now or self._clock()
        with self._lock:
            self._purge(_ts(now))
            key = (self._version, int(_ts(now) // 5))
            if self._cache is not None and self._cache[0] == key:
                return self._cache[1]
            events, start = [e for _, _, e in self._events], self._start
        found = detect(events, self.config, now, start)
        with self._lock:
            self._cache = (key, found)
        return found

    def report(self, now: dt.datetime | None = None) -> dict:
        """What ``GET /v1/crisis`` returns: settings, alerts (active first, newest first)."""
        now = now or self._clock()
        found = self.alerts(now)
        cfg = self.config
        found = sorted(found, key=lambda a: (not a.active, -a.raised_at.timestamp()))
        start = self._start
        return {"now": now.isoformat(), "history_start": start.isoformat() if start else None,
                "warming_up": start is None or (now - start).total_seconds() < 2 * cfg.window_minutes * 60,
                "observed": self.observed, "negatives": len(self._events),
                "settings": cfg.model_dump(exclude={"max_events"}),
                "active": sum(a.active for a in found),
                "alerts": [a.to_dict(cfg.max_examples) for a in found]}


@dataclass(frozen=True)
class Analysis:
    """What crisis detection needs from the model for one post."""

    label: str
    topic: str | None
    industry: str | None
    angry: bool


def analyse(suggester: Suggester, texts: Sequence[str], brands: Sequence[str | None] | None = None,
            labels: Sequence[str] | None = None, batch_size: int = 64) -> list[Analysis]:
    """Urgency label, topic ("industry::topic", narrowed to the brand's industry when the brand is
    known) and anger of each text: the same decisions as ``Suggester.suggest``. Runs the heads on
    ``batch_size`` rows at a time (the n-gram features are dense: 64 rows are about 20 MB). Give
    ``labels`` when the urgency is already known (the urgency head is then not run again)."""
    from model.predictor import TriageInput
    from model.text import normalize_for_model

    brands = list(brands) if brands is not None else [None] * len(texts)
    for name, given in (("brands", brands), ("labels", labels)):
        if given is not None and len(given) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(given)} {name}; give one per text")
    model, heads = suggester.predictor.model, suggester.manifest.aux_heads
    topic_labels = heads["topic"].labels if "topic" in suggester.aux else None
    anger = heads.get("anger") if "anger" in suggester.aux else None
    out: list[Analysis] = []
    for lo in range(0, len(texts), batch_size):
        chunk = list(texts[lo:lo + batch_size])
        norm = [normalize_for_model(t) for t in chunk]
        emb = model.encoder.encode(norm) if model.head.use_embedding else None
        x = model.head.features(norm, emb)
        if labels is None:
            probs = model.head.predict_features(x)
            found = [t.label for t in suggester.predictor.triage_from_probs([TriageInput(t) for t in chunk], probs)]
        else:
            found = list(labels[lo:lo + batch_size])
        topic_p = suggester.aux["topic"].predict_proba(x) if topic_labels else None
        angry_p = suggester.aux["anger"].predict_proba(x)[:, anger.labels.index("very_negative")] if anger else None
        for j, label in enumerate(found):
            industry = suggester.bank.spec.brands.get(normalize_brand(brands[lo + j]) or "")
            topic = None
            if topic_p is not None:
                allowed = [k for k, name in enumerate(topic_labels)
                           if industry is None or name.startswith(industry + "::")]
                topic = topic_labels[max(allowed, key=lambda k: topic_p[j, k])] if allowed else None
            out.append(Analysis(label, topic, industry or (topic.split("::")[0] if topic else None),
                                bool(angry_p is not None and angry_p[j] >= (anger.threshold or 0.5))
                                or bool(upset_cues(texts[lo + j]))))
    return out
