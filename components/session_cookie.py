"""Sets or clears the session cookie in the browser (a script-only component; no iframe, nothing shown)."""

import streamlit as st

_JS = """
export default function (component) {
  const { data } = component;
  if (!data || !data.name) return;
  const value = data.value ? encodeURIComponent(data.value) : "";
  const expiry = data.value ? "" : "; max-age=0";
  document.cookie = `${data.name}=${value}; path=/; SameSite=Strict${expiry}`;
}
"""
_cookie = st.components.v2.component("fanzha_session_cookie", js=_JS)


def session_cookie(name: str, value: str | None) -> None:
    """Make the browser hold value under name for this browser session (None: remove it)."""
    _cookie(data={"name": name, "value": value}, key=f"cookie_{'set' if value else 'clear'}")
