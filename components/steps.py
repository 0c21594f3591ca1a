"""One write step of a page: run it, keep refusals by field for the form, say what happened, rerun."""

from collections.abc import Callable, Iterable

import streamlit as st

from components.notice import set_notice
from services.access.actor import AccessDenied
from services.shared.errors import InvalidInput


def run_step(operation: Callable[[], object], *, notice_key: str, errors_key: str, invalid_text: Callable[[int], str],
             done: Callable[[object], tuple[str, str]], denied_field: str = "form",
             clear_prefixes: Iterable[str] = (), rerun: bool = True) -> bool:
    """Run `operation`; on a refusal keep its messages under `errors_key` and a notice; on success forget the form.

    `done(result)` gives the (kind, text) of the success notice; `invalid_text(count)` the notice of a refusal.
    Returns whether the step succeeded (when `rerun` is False).
    """
    state = st.session_state
    try:
        result = operation()
    except InvalidInput as invalid:
        state[errors_key] = invalid.errors
        set_notice(notice_key, "error", invalid_text(len(invalid.errors)))
        succeeded = False
    except AccessDenied as denied:
        state[errors_key] = {denied_field: str(denied)}
        set_notice(notice_key, "error", str(denied))
        succeeded = False
    else:
        state.pop(errors_key, None)
        set_notice(notice_key, *done(result))
        prefixes = tuple(clear_prefixes)
        for widget in [k for k in state if prefixes and str(k).startswith(prefixes)]:
            del state[widget]
        succeeded = True
    if rerun:
        st.rerun()
    return succeeded
