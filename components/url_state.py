"""Filters and selections kept in the URL query parameters, so a copied link opens the same view."""

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import TypeVar

import streamlit as st

T = TypeVar("T")


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
    # The link is the truth: a picker drawn earlier in this browser session (another link, a run that raced the
    # sign-in) follows the unit the address names; a pick by hand reaches the address first, through _sync.
    if key in st.session_state and current in ids and st.session_state[key] != current:
        st.session_state[key] = current
    return st.selectbox(label, ids, index=index, format_func=names.get, key=key, on_change=_sync)


def _code(option: object) -> str | None:
    if option is None:
        return None
    return option.value if isinstance(option, Enum) else str(option)


def select(label: str, options: Sequence[T], param: str, *, key: str, format_func: Callable[[T], str] = str,
           default: T | None = None) -> T:
    """A selectbox whose choice lives in the URL parameter `param`; the default (or first option) leaves it out."""
    fallback = default if default is not None else options[0]
    by_code = {_code(option): option for option in options}
    current = by_code.get(get_str(param), fallback)
    value = st.selectbox(label, list(options), index=list(options).index(current), format_func=format_func, key=key)
    set_params(**{param: None if value == fallback else _code(value)})
    return value


def scoped_unit(label: str, choices: list[tuple[int, str, int]], home_unit_id: int, *, key: str, refusal: str,
                param: str = "unit") -> int:
    """The unit named in the URL, picked from the user's scope; a unit outside it is refused and the page stops.

    The chosen unit is always written into the link, the user's own unit too: a shared link names its unit,
    so whoever opens it sees that unit or is refused, never a different picture of their own.
    """
    requested = get_int(param)
    if requested is not None and requested not in {unit_id for unit_id, _, _ in choices}:
        st.error(refusal, icon=":material/block:")
        st.stop()
    chosen = unit_picker(label, choices, requested or home_unit_id, key=key, param=param)
    set_params(**{param: chosen})
    return chosen
