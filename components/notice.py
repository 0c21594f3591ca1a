"""A one-shot notice that survives the rerun after a write: set it, rerun, and the next run shows it once."""

import streamlit as st

KINDS = ("success", "info", "warning", "error")


def set_notice(key: str, kind: str, text: str) -> None:
    """Remember a notice to show on the next run."""
    assert kind in KINDS, kind
    st.session_state[key] = (kind, text)


def show_notice(key: str) -> None:
    """Show the remembered notice once, if there is one.

    The notice has a slot of its own on every run: when it is gone on the next run, the widgets below keep their
    place, and a box being typed in is not redrawn (empty) by that rerun.
    """
    slot = st.empty()
    if notice := st.session_state.pop(key, None):
        kind, text = notice
        getattr(slot, kind)(text)
