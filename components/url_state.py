"""Filters and selections kept in the URL query parameters, so a copied link opens the same view."""

from datetime import date

import streamlit as st


def get_int(name: str) -> int | None:
    """An integer parameter, or None when absent or malformed."""
    value = st.query_params.get(name)
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def get_str(name: str, allowed: set[str] | None = None) -> str | None:
    """A text parameter, or None when absent or not one of the allowed values."""
    value = st.query_params.get(name)
    if value in (None, "") or (allowed is not None and value not in allowed):
        return None
    return value


def get_date(name: str) -> date | None:
    """An ISO date parameter, or None."""
    value = st.query_params.get(name)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def set_params(**values) -> None:
    """Write parameters; None removes one."""
    for name, value in values.items():
        if value is None or value == "":
            st.query_params.pop(name, None)
        else:
            st.query_params[name] = str(value)


def unit_picker(label: str, choices: list[tuple[int, str, int]], current: int, key: str, param: str = "unit") -> int:
    """A unit selectbox (indented by level) synced to a URL parameter; returns the chosen unit id."""
    ids = [unit_id for unit_id, _, _ in choices]
    names = {unit_id: "\u3000" * max(level - choices[0][2], 0) + name for unit_id, name, level in choices}

    def _sync() -> None:
        set_params(**{param: st.session_state[key]})

    index = ids.index(current) if current in ids else 0
    return st.selectbox(label, ids, index=index, format_func=names.get, key=key, on_change=_sync)
