"""The web server of 反诈指挥台: Streamlit's app plus the HttpOnly session-cookie endpoint and security headers."""

import json

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from services.access.login_sessions import COOKIE_NAME
from services.access.security_headers import security_headers
from services.shared.config import load_settings

SESSION_PATH = "/_fanzha/session"


def _redeem(code: str) -> str | None:
    import cached  # imported on first use: its caches belong to the running Streamlit runtime
    from services.access import api as access_api

    return access_api.cookie_token(cached.engine(), code)


def _end(token: str | None) -> None:
    import cached
    from services.access import api as access_api

    access_api.sign_out_cookie(cached.engine(), token)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or load_settings().cookie_secure


async def issue_cookie(request: Request) -> Response:
    """POST {code}: the signed-in page's one-time code becomes the HttpOnly, SameSite=Strict session cookie."""
    try:
        code = json.loads(await request.body()).get("code")
    except (ValueError, AttributeError):
        code = None
    token = await run_in_threadpool(_redeem, code) if isinstance(code, str) and code else None
    if token is None:
        return JSONResponse({"ok": False}, status_code=403)
    response = JSONResponse({"ok": True})
    # No max-age: a browser-session cookie; the server ends the session after a shift (MAX_SESSION_AGE) anyway.
    response.set_cookie(COOKIE_NAME, token, httponly=True, samesite="strict", secure=_secure(request), path="/")
    return response


async def clear_cookie(request: Request) -> Response:
    """DELETE: end the session the cookie holds and remove the cookie."""
    await run_in_threadpool(_end, request.cookies.get(COOKIE_NAME))
    response = JSONResponse({"ok": True})
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds the Content-Security-Policy and the other security headers to every HTTP answer."""

    async def dispatch(self, request: Request, call_next) -> Response:
        response = await call_next(request)
        response.headers.update(security_headers(load_settings().map_tile_url))
        return response


app = st.App("app.py", routes=[Route(SESSION_PATH, issue_cookie, methods=["POST"]),
                               Route(SESSION_PATH, clear_cookie, methods=["DELETE"])],
             middleware=[Middleware(SecurityHeaders)])
