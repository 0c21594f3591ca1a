"""The campaign every 专项行动 page is about, chosen in the address bar (?campaign=) so a link names it."""

import streamlit as st

from components import url_state
from services.campaigns import text as t


def pick(choices: dict[int, str], key: str) -> int:
    """The chosen campaign; stops the page when there is none to see or the link names one out of reach."""
    if not choices:
        st.info(t.CAMP_NONE)
        st.stop()
    if (wanted := url_state.get_int("campaign")) is not None and wanted not in choices:
        st.error(t.ERR_CAMPAIGN, icon=":material/block:")
        st.stop()
    return url_state.select(t.CAMP_PICKER, list(choices), "campaign", key=key, format_func=choices.get)
