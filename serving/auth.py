"""The optional API key of every /v1 route: ``X-API-Key`` or a Bearer token, compared in constant time."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request


async def require_key(request: Request) -> None:
    """FastAPI dependency: passes when no key is configured (``ATIENDE_API_KEY``) or the right one is sent."""
    expected = request.app.state.settings.api_key
    if expected is None:
        return
    given = request.headers.get("x-api-key")
    auth = request.headers.get("authorization", "")
    if given is None and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if given is None or not hmac.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise HTTPException(401, "missing or wrong API key: send it as X-API-Key or a Bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
