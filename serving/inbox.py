"""The triage inbox in the browser (``GET /``), its static files, and crisis alerts (``GET /v1/crisis``).

``install(app)`` adds all of it to an app built by ``serving.app.create_app``: the router, a
``CrisisMonitor`` (settings from ``ATIENDE_CRISIS_*``) in ``app.state.crisis``, and a small
ASGI middleware that feeds the monitor with every message ``/v1/suggest`` and
``/v1/prioritize`` answered with 200. The page is plain HTML, one script and one style sheet
served from ``serving/static/``: no build step, nothing fetched from elsewhere (its
Content-Security-Policy allows this origin only).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from serving.auth import require_key
from serving.crisis import CrisisMonitor, CrisisSettings, analyse
from serving.schemas import ErrorResponse, PrioritizeRequest, SuggestRequest
from serving.settings import Settings

log = logging.getLogger("atiende.inbox")

STATIC = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {"inbox.js": "text/javascript; charset=utf-8", "inbox.css": "text/css; charset=utf-8"}
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
FED_PATHS = ("/v1/suggest", "/v1/prioritize")


# -- the response of GET /v1/crisis -------------------------------------------------------------------
class CrisisCounts(BaseModel):
    window: int
    baseline: float
    threshold: int
    peak: int
    now: int
    messages: int
    by_label: dict[str, int]
    angry: int


class CrisisExample(BaseModel):
    id: str | None
    text: str
    label: str
    created_at: str


class CrisisAlert(BaseModel):
    topic: str | None
    brand: str | None
    industry: str | None
    active: bool
    first_seen: str
    raised_at: str
    last_seen: str
    counts: CrisisCounts
    examples: list[CrisisExample]


class CrisisSettingsOut(BaseModel):
    window_minutes: float
    baseline_windows: int
    factor: float
    min_count: int
    prior: float
    labels: list[str]
    angry_counts: bool
    max_examples: int


class CrisisResponse(BaseModel):
    now: str
    history_start: str | None
    warming_up: bool
    observed: int
    negatives: int
    settings: CrisisSettingsOut
    active: int
    total: int
    alerts: list[CrisisAlert]


def make_router(monitor: CrisisMonitor, inflight: Inflight | None = None) -> APIRouter:
    """``GET /`` (the page, open), ``GET /static/{name}`` (open) and ``GET /v1/crisis`` (API key)."""
    page = (STATIC / "index.html").read_bytes()
    files = {name: (STATIC / name).read_bytes() for name in STATIC_TYPES}
    router = APIRouter()

    @router.get("/", include_in_schema=False)
    async def inbox_page() -> HTMLResponse:
        return HTMLResponse(page, headers=PAGE_HEADERS)

    @router.get("/static/{name}", include_in_schema=False)
    async def static_file(name: str) -> Response:
        if name not in files:
            raise HTTPException(404, f"no static file {name!r}; there are {sorted(files)}")
        return Response(files[name], media_type=STATIC_TYPES[name],
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

    @router.get("/v1/crisis", response_model=CrisisResponse, tags=["triage"], dependencies=[Depends(require_key)],
                responses={401: {"model": ErrorResponse, "description": "missing or wrong API key (when one is "
                                                                        "configured)"},
                           422: {"model": ErrorResponse, "description": "limit outside 1-200"}})
    async def crisis(limit: Annotated[int, Query(ge=1, le=200, description="most alerts returned")] = 50) -> dict:
        """Spikes of critical or high-urgency messages per topic and brand among the messages this
        server triaged recently (`/v1/suggest`, `/v1/prioritize`): active alerts first, then the
        most recent. `active` and `total` count them all."""
        if inflight is not None:
            await inflight.settle()
        report = await asyncio.to_thread(monitor.report)
        return {**report, "total": len(report["alerts"]), "alerts": report["alerts"][:limit]}

    return router


class Inflight:
    """Feed work still running in the background; ``GET /v1/crisis`` waits for it, so that it sees
    every message whose triage was answered before the GET arrived."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task] = set()

    def start(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def settle(self) -> None:
        if self.tasks:
            await asyncio.wait(list(self.tasks))


class CrisisFeed:
    """Pure ASGI middleware: after a 200 from /v1/suggest or /v1/prioritize, tell the monitor what
    was triaged. A suggestion carries its topic and anger, so it is recorded before the response
    ends; the critical and high messages of a prioritize call need the topic head, which runs in a
    background thread after the response (``Inflight``): triage never waits for crisis detection.
    Never fails a request: a problem is logged and skipped."""

    def __init__(self, app, monitor: CrisisMonitor, holder, inflight: Inflight, max_body_bytes: int):
        self.app, self.monitor, self.holder, self.inflight = app, monitor, holder, inflight
        self.max_body = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in FED_PATHS:
            return await self.app(scope, receive, send)
        received = dt.datetime.now(dt.timezone.utc)
        request_body, response_body = bytearray(), bytearray()
        status = {"code": 0, "overflow": False}

        async def tee():
            message = await receive()
            if message["type"] == "http.request" and not status["overflow"]:
                request_body.extend(message.get("body", b""))
                status["overflow"] = len(request_body) > self.max_body
            return message

        async def send_and_observe(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            elif message["type"] == "http.response.body" and status["code"] == 200 and not status["overflow"]:
                response_body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    try:
                        self._observe(scope["path"], bytes(request_body), bytes(response_body), received)
                    except Exception:  # noqa: BLE001 - crisis detection must never break triage
                        log.exception("could not feed the crisis monitor", extra={"path": scope["path"]})
            await send(message)

        await self.app(scope, tee, send_and_observe)

    def _observe(self, path: str, request_body: bytes, response_body: bytes, received: dt.datetime) -> None:
        out = json.loads(response_body)
        if path == "/v1/suggest":
            req = SuggestRequest.model_validate_json(request_body)
            ctx = out.get("context") or {}
            self.monitor.observe(req.text, out["urgency"]["label"], topic=ctx.get("topic"),
                                 industry=ctx.get("industry"), brand=req.brand, created_at=req.created_at,
                                 angry=bool(ctx.get("angry")), message_id=req.id,
                                 handle=req.author.handle if req.author else None, now=received)
            return
        req = PrioritizeRequest.model_validate_json(request_body)
        labels = [r["urgency"]["label"] for r in out["results"]]
        self.inflight.start(self._observe_batch(req, labels, received))

    async def _observe_batch(self, req: PrioritizeRequest, labels: list[str], received: dt.datetime) -> None:
        try:
            cfg = self.monitor.config
            wanted = [i for i, lab in enumerate(labels) if cfg.angry_counts or cfg.is_negative(lab, False)]
            found = {}
            current = self.holder.current  # the model that answered, unless a reload swapped it since
            if wanted and current is not None:
                analysed = await asyncio.to_thread(analyse, current.suggester,
                                                   [req.messages[i].text for i in wanted],
                                                   [req.messages[i].brand for i in wanted],
                                                   [labels[i] for i in wanted])
                found = dict(zip(wanted, analysed, strict=True))
            for i, (m, label) in enumerate(zip(req.messages, labels, strict=True)):
                a = found.get(i)
                self.monitor.observe(m.text, label, topic=a.topic if a else None,
                                     industry=a.industry if a else None, brand=m.brand, created_at=m.created_at,
                                     angry=bool(a and a.angry), message_id=m.id,
                                     handle=m.author.handle if m.author else None, now=received)
        except Exception:  # noqa: BLE001 - crisis detection must never break triage
            log.exception("could not feed the crisis monitor", extra={"path": "/v1/prioritize"})


def install(app: FastAPI, monitor: CrisisMonitor | None = None) -> CrisisMonitor:
    """Add the inbox page, ``GET /v1/crisis`` and the crisis feed to ``app`` (once; a second call
    returns the monitor already installed). Call it before the app serves its first request."""
    existing = getattr(app.state, "crisis", None)
    if existing is not None:
        return existing
    monitor = monitor or CrisisMonitor(CrisisSettings().config())
    app.state.crisis = monitor
    inflight = Inflight()
    app.include_router(make_router(monitor, inflight))
    app.add_middleware(CrisisFeed, monitor=monitor, holder=app.state.holder, inflight=inflight,
                       max_body_bytes=app.state.settings.max_body_bytes)
    return monitor
