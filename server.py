"""The web server of 反诈指挥台: Streamlit's app plus the HttpOnly session-cookie endpoint and security headers."""

import json

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from services.access.client_address import client_address
from services.access.login_sessions import COOKIE_NAME
from services.access.security_headers import security_headers
from services.shared.config import load_settings
from services.shared.timeutil import now_utc
from services.wall.devices import WALL_COOKIE

SESSION_PATH = "/_fanzha/session"
WALL_SIGN_IN_PATH = "/_fanzha/wall"
WALL_COOKIE_DAYS = 400  # the longest a browser keeps a cookie; the device's own expiry and revocation still rule


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


def _device_sign_in(token: str | None, addr: str | None):
    import cached
    from services.wall import api as wall_api

    return wall_api.device_sign_in(cached.engine(), token, addr)


def _refused_page(message: str) -> HTMLResponse:
    from html import escape

    page = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>指挥中心大屏</title>'
            f'<body style="background:#0b1220;color:#fff;font:5vh sans-serif;display:grid;place-items:center;'
            f'height:100vh;margin:0;text-align:center;padding:0 8vw"><p>{escape(message)}</p></body></html>')
    return HTMLResponse(page, status_code=403)


async def wall_sign_in(request: Request) -> Response:
    """GET ?token=…: a wall device's link opened on the TV; a valid token becomes the device's HttpOnly cookie and
    the browser goes on to the wall (the token leaves the address bar); anything else gets a message only."""
    from services.wall.text import DEVICE_LINK_INVALID

    addr = client_address(request.client.host if request.client else None, request.headers.get("X-Forwarded-For"),
                          load_settings().trusted_proxies)
    token = request.query_params.get("token")
    result = await run_in_threadpool(_device_sign_in, token, addr)
    if result.actor is None:
        response: Response = _refused_page(result.reason or DEVICE_LINK_INVALID)
        response.delete_cookie(WALL_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
        return response
    expires = result.expires_at
    max_age = WALL_COOKIE_DAYS * 86_400 if expires is None else max(60, int((expires - now_utc()).total_seconds()))
    response = RedirectResponse("../wall", status_code=303)
    response.set_cookie(WALL_COOKIE, token, max_age=min(max_age, WALL_COOKIE_DAYS * 86_400), httponly=True,
                        samesite="strict", secure=_secure(request), path="/")
    return response


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds the Content-Security-Policy and the other security headers to every HTTP answer."""

    async def dispatch(self, request: Request, call_next) -> Response:
        response = await call_next(request)
        response.headers.update(security_headers(load_settings().map_tile_url))
        return response


app = st.App("app.py", routes=[Route(SESSION_PATH, issue_cookie, methods=["POST"]),
                               Route(SESSION_PATH, clear_cookie, methods=["DELETE"]),
                               Route(WALL_SIGN_IN_PATH, wall_sign_in, methods=["GET"])],
             middleware=[Middleware(SecurityHeaders)])
