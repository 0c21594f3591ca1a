"""Has the server set or clear the HttpOnly session cookie (a script-only component; no iframe, nothing shown).

The page never sees the cookie's token: it posts a one-time code to the server, whose answer sets the cookie.
"""

import hashlib

import streamlit as st

_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  if (!data || !data.method || window.__fanzhaCookieNonce === data.nonce) return;
  window.__fanzhaCookieNonce = data.nonce;
  const body = data.method === "POST" ? JSON.stringify({ code: data.code }) : null;
  fetch(data.path, { method: data.method, credentials: "same-origin", cache: "no-store",
                     headers: { "Content-Type": "application/json" }, body })
    .then((answer) => setStateValue("done", answer.ok ? data.nonce : "failed"))
    .catch(() => setStateValue("done", "failed"));
}
"""
_cookie = st.components.v2.component("fanzha_session_cookie", js=_JS)
PATH = "_fanzha/session"


def _nonce(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _mount(data: dict, key: str) -> str | None:
    result = _cookie(data=data, key=key, on_done_change=lambda: None)
    return getattr(result, "done", None)


def set_cookie(code: str) -> bool | None:
    """Ask the server to set the cookie for a one-time code: True once set, False if refused, None while waiting."""
    nonce = _nonce(code)
    done = _mount({"method": "POST", "path": PATH, "code": code, "nonce": nonce}, key="cookie_set")
    return None if done is None else done == nonce


def clear_cookie(reason: str) -> None:
    """Ask the server to end the cookie's session and remove the cookie."""
    _mount({"method": "DELETE", "path": PATH, "nonce": _nonce(reason)}, key="cookie_clear")
