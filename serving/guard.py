"""ASGI middleware in front of every route: request id, body-size and encoding limits, metrics, access log.

Pure ASGI (not BaseHTTPMiddleware) so it adds microseconds, not a task per request. A body
over the limit gets 413 before any JSON is parsed; a body that is not UTF-8 gets 422 naming
the byte offset, instead of the framework's generic 400.
"""

from __future__ import annotations

import json
import logging
import time
import uuid

from serving.observability import Metrics

log = logging.getLogger("atiende.access")


def error_body(code: str, message: str, details: list | None = None) -> dict:
    body: dict = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


class Guard:
    def __init__(self, app, metrics: Metrics, max_body_bytes: int):
        self.app = app
        self.metrics = metrics
        self.max_body = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        rid = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status = {"code": 500}

        async def send_wrapped(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            if scope["method"] in ("POST", "PUT", "PATCH"):
                body, problem = await self._read_body(headers, receive)
                if problem is not None:
                    await _send_json(send_wrapped, *problem)
                    return
                receive = _replay(body, receive)
            await self.app(scope, receive, send_wrapped)
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            endpoint = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(endpoint, scope["method"], str(status["code"])).inc()
            self.metrics.latency.labels(endpoint).observe(elapsed)
            log.info("request", extra={"request_id": rid, "method": scope["method"], "path": scope["path"],
                                       "status": status["code"], "ms": round(elapsed * 1000, 2),
                                       **scope["state"].get("log", {})})

    async def _read_body(self, headers: dict, receive) -> tuple[bytes, tuple[int, dict] | None]:
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            return b"", (413, error_body("body_too_large", f"the request body has {int(declared)} bytes; "
                                         f"the limit is {self.max_body}"))
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:  # a chunked body that never declared its length
                return b"", (413, error_body("body_too_large", f"the request body exceeds {self.max_body} bytes"))
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as e:
            return b"", (422, error_body("bad_encoding", f"the request body is not UTF-8 (byte {e.start}: "
                                         f"{body[e.start:e.start + 1]!r}); send JSON encoded as UTF-8"))
        return body, None


def _replay(body: bytes, receive):
    """A ``receive`` that hands the buffered body over once, then waits on the real connection."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_json(send, status: int, payload: dict) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})
