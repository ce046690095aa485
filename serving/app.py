"""The FastAPI app: suggest, prioritize, tone check, feedback, health, model, metrics, reload.

Models run in a small thread pool, never on the event loop. The model is loaded in the
background at start-up: /healthz answers at once, /readyz and the model endpoints say 503
until it is in.
"""

import asyncio
import contextlib
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated

from fastapi import Body, Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from model import tone
from model.predictor import TriageInput
from model.suggest import SuggestInput
from serving.auth import require_key
from serving.feedback import FeedbackStore
from serving.guard import Guard, error_body
from serving.inbox import install
from serving.model_holder import Loaded, ModelHolder
from serving.observability import Metrics, setup_logging
from serving.schemas import (FEEDBACK_EXAMPLES, ErrorResponse, FeedbackRequest, FeedbackResponse, Health, MessageIn, PrioritizeRequest,
                             PrioritizeResponse, SuggestRequest, SuggestResponse, ToneCheckRequest, ToneCheckResponse)
from serving.settings import TEXT_CEILING, Settings

log = logging.getLogger("atiende.serving")

ERRORS = {401: {"model": ErrorResponse, "description": "missing or wrong API key (when one is configured)"},
          413: {"model": ErrorResponse, "description": "request body too large"},
          422: {"model": ErrorResponse, "description": "malformed request: bad JSON, encoding, field or limit"},
          503: {"model": ErrorResponse, "description": "no model loaded yet"}}
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 409: "reload_failed",
         413: "body_too_large", 415: "unsupported_media_type", 422: "invalid_request", 503: "not_ready"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        self.status, self.code, self.message, self.details = status, code, message, details


class ReloadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    source: str | None = Field(default=None, max_length=2000,
                               description="a bundle folder or MLflow URI; default: the configured source")


class ReloadResponse(BaseModel):
    ok: bool
    model_version: str | None
    previous_version: str | None


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    setup_logging(settings.log_level)
    metrics = Metrics()
    holder = ModelHolder(settings.bundle_source(), settings.variant, settings.threads, settings.cache_size)
    feedback = FeedbackStore(settings.feedback_path())
    pool = ThreadPoolExecutor(settings.inference_workers, thread_name_prefix="atiende-infer")
    loader = ThreadPoolExecutor(1, thread_name_prefix="atiende-load")

    async def reload(source: str | None = None):
        outcome = await asyncio.get_running_loop().run_in_executor(loader, holder.load, source)
        metrics.reloads.labels("ok" if outcome.ok else "failed").inc()
        if outcome.ok:
            metrics.set_model(outcome.model_version)
        return outcome

    async def follow():
        while True:
            await asyncio.sleep(settings.follow_seconds)
            try:
                moved = await asyncio.get_running_loop().run_in_executor(loader, holder.alias_moved)
            except Exception as e:  # noqa: BLE001 - a registry hiccup must not stop the server
                log.warning("could not check the model alias", extra={"error": str(e)})
                continue
            if moved:
                await reload()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        loop = asyncio.get_running_loop()
        tasks = [asyncio.create_task(reload())]
        if settings.follow_seconds > 0:
            tasks.append(asyncio.create_task(follow()))
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread
            loop.add_signal_handler(signal.SIGHUP, lambda: tasks.append(asyncio.create_task(reload())))
        yield
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGHUP)
        for t in tasks:
            t.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        loader.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="Atiende", version="0.1.0", lifespan=lifespan,
                  description="Urgency triage and tone-aware reply suggestions for social-media customer service "
                              "(es/en). / Triaje de urgencia y respuestas sugeridas con el tono de la casa.")
    def openapi_with_limits() -> dict:
        """The generated schema, with this server's own limits in place of the ceilings."""
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            comps = schema["components"]["schemas"]
            for name, props in ((n, c.get("properties", {})) for n, c in comps.items()):
                for field in ("text", "final_text"):
                    for variant in [props.get(field, {}), *props.get(field, {}).get("anyOf", [])]:
                        if variant.get("maxLength") == TEXT_CEILING:
                            variant["maxLength"] = settings.max_text_chars
                if name == "PrioritizeRequest":
                    props["messages"]["maxItems"] = settings.max_batch
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi_with_limits
    app.state.settings, app.state.holder, app.state.metrics, app.state.feedback = settings, holder, metrics, feedback
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key", "Authorization", "X-Request-ID"])
    app.add_middleware(Guard, metrics=metrics, max_body_bytes=settings.max_body_bytes)

    # -- errors: one JSON shape, never a 500 for bad input ----------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=exc.status,
                            headers={"WWW-Authenticate": "Bearer"} if exc.status == 401 else None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        details = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        first = details[0] if details else {"loc": [], "msg": "invalid request", "type": ""}
        if first["type"] == "json_invalid":
            code, message = "invalid_json", f"the body is not valid JSON (at character {first['loc'][-1]})"
        else:
            where = ".".join(str(p) for p in first["loc"] if p != "body") or "body"
            code, message = "invalid_request", f"{where}: {first['msg']}"
        return JSONResponse(error_body(code, message, jsonable_encoder(details)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return JSONResponse(error_body(CODES.get(exc.status_code, "error"), str(exc.detail)),
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error", extra={"request_id": request.scope.get("state", {}).get("request_id")})
        return JSONResponse(error_body("internal", "internal error; the request id is in the logs"), status_code=500)

    # -- dependencies --------------------------------------------------------------------------------
    def model_loaded() -> Loaded:
        current = holder.current
        if current is None:
            why = f" (last attempt: {holder.last_error})" if holder.last_error else ""
            raise ApiError(503, "not_ready", f"no model loaded yet{why}")
        return current

    Auth = Depends(require_key)
    Model = Annotated[Loaded, Depends(model_loaded)]

    def check_text(text: str, where: str) -> None:
        if len(text) > settings.max_text_chars:
            raise ApiError(422, "text_too_long", f"{where} has {len(text)} characters; the limit is "
                                                 f"{settings.max_text_chars}")

    async def infer(fn, *args):
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    # -- health and model -----------------------------------------------------------------------------
    @app.get("/healthz", response_model=Health, tags=["ops"])
    async def healthz() -> Health:
        """The process is up (it may still be loading the model)."""
        return Health(status="ok")

    @app.get("/readyz", response_model=Health, tags=["ops"], responses={503: {"model": ErrorResponse}})
    async def readyz() -> Health:
        """Ready to serve: a model is loaded."""
        current = model_loaded()
        return Health(status="ready", model_version=current.model_version)

    @app.get("/metrics", tags=["ops"], response_class=Response,
             responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format"}})
    async def metrics_endpoint() -> Response:
        current = holder.current
        if current is not None:
            cache = current.suggester.predictor.model.encoder.cache
            if cache is not None:
                metrics.cache_hits.set(cache.hits)
                metrics.cache_misses.set(cache.misses)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/v1/model", tags=["ops"], dependencies=[Auth], responses={k: ERRORS[k] for k in (401, 503)})
    async def model_info(current: Model) -> dict:
        """The manifest of the model served, and where it came from."""
        manifest = current.suggester.manifest.model_dump(mode="json")
        return {**manifest, "serving": {"source": current.source, "path": str(current.path),
                                        "variant": current.suggester.predictor.variant,
                                        "loaded_at": current.loaded_at.isoformat(),
                                        "registry_version": current.registry_version}}

    # -- the product ----------------------------------------------------------------------------------
    @app.post("/v1/suggest", response_model=SuggestResponse, response_model_exclude_none=True, tags=["suggest"],
              dependencies=[Auth], responses=ERRORS)
    async def suggest(req: SuggestRequest, request: Request, current: Model) -> dict:
        """Urgency, SLA, priority and the best replies in the house tone for one message."""
        check_text(req.text, "text")
        author = req.author
        inp = SuggestInput(text=req.text, lang=req.lang, channel=req.channel, handle=author.handle if author else None,
                           followers=author.followers if author else None, created_at=req.created_at, k=req.k,
                           brand=req.brand, agent=req.agent)
        out = await infer(current.suggester.suggest, inp)
        metrics.urgency.labels(out["urgency"]["label"]).inc()
        request.scope["state"]["log"] = {"text": req.text[:280], "urgency": out["urgency"]["label"]}
        return out

    @app.post("/v1/prioritize", response_model=PrioritizeResponse, tags=["triage"], dependencies=[Auth],
              responses=ERRORS)
    async def prioritize(req: PrioritizeRequest, current: Model) -> dict:
        """Urgency, priority and SLA of each message (input order), and the queue order."""
        if len(req.messages) > settings.max_batch:
            raise ApiError(422, "batch_too_large", f"{len(req.messages)} messages; the limit is {settings.max_batch}")
        for i, m in enumerate(req.messages):
            check_text(m.text, f"messages.{i}.text")
        items = [_triage_input(m) for m in req.messages]
        triaged = await infer(current.suggester.predictor.triage, items)
        results = []
        for i, (m, t) in enumerate(zip(req.messages, triaged, strict=True)):
            metrics.urgency.labels(t.label).inc()
            results.append({"index": i, "id": m.id, **t.to_dict()})
        order = sorted(range(len(results)), key=lambda i: (-results[i]["priority"], i))
        return {"results": results, "order": order, "model_version": current.model_version}

    @app.post("/v1/tone/check", response_model=ToneCheckResponse, tags=["suggest"], dependencies=[Auth],
              responses={k: ERRORS[k] for k in (401, 413, 422)})
    async def tone_check(req: ToneCheckRequest) -> dict:
        """Every tone guideline's result, with its reason, for a reply an agent is writing (the
        loaded bundle's learned detectors join the rules; with no model loaded, the rules alone)."""
        check_text(req.text, "text")
        ctx = tone.ToneContext(lang=req.lang, **req.context.model_dump())
        current = holder.current
        return tone.check_reply(req.text, ctx, current.suggester.tone_model if current else None).to_dict()

    @app.post("/v1/feedback", response_model=FeedbackResponse, status_code=201, tags=["feedback"],
              dependencies=[Auth], responses={k: ERRORS[k] for k in (401, 413, 422)})
    async def post_feedback(req: Annotated[FeedbackRequest, Body(openapi_examples=FEEDBACK_EXAMPLES)]
                            ) -> FeedbackResponse:
        """What the agent did with a suggestion; stored for retraining (`atiende feedback export`)."""
        check_text(req.message.text, "message.text")
        if req.final_text:
            check_text(req.final_text, "final_text")
        current = holder.current
        predicted, suggestion_text = None, None
        if current is not None:
            (t,) = await infer(current.suggester.predictor.triage, [_triage_input(req.message)])
            predicted = t.label
            entry = current.suggester.bank.entry(req.suggestion_id) if req.suggestion_id else None
            suggestion_text = entry.text if entry else None
        fid = await infer(lambda: feedback.add(
            outcome=req.outcome, message=req.message.model_dump(mode="json", exclude_none=True),
            suggestion_id=req.suggestion_id, suggestion_text=suggestion_text, final_text=req.final_text,
            urgency=req.urgency, predicted_urgency=predicted, model_version=req.model_version, agent=req.agent))
        metrics.feedback.labels(req.outcome).inc()
        return FeedbackResponse(id=fid)

    @app.post("/v1/admin/reload", response_model=ReloadResponse, tags=["ops"], dependencies=[Auth],
              responses={**{k: ERRORS[k] for k in (401, 413, 422)},
                         403: {"model": ErrorResponse, "description": "a source was given but no API key is set"},
                         409: {"model": ErrorResponse, "description": "the new model failed to load; the old one "
                                                                      "keeps serving"}})
    async def admin_reload(req: ReloadRequest | None = None) -> ReloadResponse:
        """Load a bundle beside the one served, verify it, and swap atomically."""
        if req is not None and req.source is not None and settings.api_key is None:
            # Loading an arbitrary path on an unauthenticated call would let anyone probe the disk.
            raise ApiError(403, "forbidden", "choosing a source needs an API key (ATIENDE_API_KEY); without one, "
                                             "reload re-reads the configured source")
        outcome = await reload(req.source if req else None)
        if not outcome.ok:
            raise ApiError(409, "reload_failed", f"{outcome.error}; still serving {outcome.previous_version}",
                           [{"still_serving": outcome.previous_version}])
        return ReloadResponse(ok=True, model_version=outcome.model_version, previous_version=outcome.previous_version)

    install(app)  # the inbox page at /, GET /v1/crisis and the crisis feed (serving/inbox.py)
    return app


def _triage_input(m: MessageIn) -> TriageInput:
    return TriageInput(m.text, m.created_at, m.author.followers if m.author else None, m.channel)
