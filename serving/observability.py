"""Prometheus metrics and JSON logs with a request id; personal data masked before logging."""

from __future__ import annotations

import json
import logging
import sys

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

from model.pii import mask_pii

disable_created_metrics()  # the *_created series double the output and nobody graphs them

LATENCY_BUCKETS = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """One registry per app, so several apps (tests, workers) never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("atiende_requests", "HTTP requests", ["endpoint", "method", "status"],
                                registry=self.registry)
        self.latency = Histogram("atiende_request_latency_seconds", "request latency", ["endpoint"],
                                 buckets=LATENCY_BUCKETS, registry=self.registry)
        self.model_info = Gauge("atiende_model_info", "the model served (value 1)", ["model_version"],
                                registry=self.registry)
        self.urgency = Counter("atiende_urgency", "messages triaged, by predicted urgency", ["label"],
                               registry=self.registry)
        self.reloads = Counter("atiende_reloads", "model (re)loads", ["outcome"], registry=self.registry)
        self.feedback = Counter("atiende_feedback", "feedback received", ["outcome"], registry=self.registry)
        self.cache_hits = Gauge("atiende_embedding_cache_hits", "embedding cache hits", registry=self.registry)
        self.cache_misses = Gauge("atiende_embedding_cache_misses", "embedding cache misses",
                                  registry=self.registry)

    def set_model(self, version: str) -> None:
        self.model_info.clear()
        self.model_info.labels(model_version=version).set(1)


_STD = set(vars(logging.LogRecord("x", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; string fields pass through ``mask_pii``."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
               "logger": record.name, "message": mask_pii(record.getMessage())}
        for k, v in vars(record).items():
            if k not in _STD and not k.startswith("_"):
                out[k] = mask_pii(v) if isinstance(v, str) else v
        if record.exc_info:
            out["exc"] = mask_pii(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False, default=str)


def setup_logging(level: str = "INFO") -> None:
    """JSON lines on stderr for the ``atiende`` loggers (uvicorn's access log is turned off by serve)."""
    logger = logging.getLogger("atiende")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
