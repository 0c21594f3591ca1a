"""The row of headline measures (cases, loss, recovered, calls, dissuasions)."""

import streamlit as st

from services.overview.read import Measures
from services.overview.text import METRIC_CALLS, METRIC_CASES, METRIC_DISSUADED, METRIC_LOSS, METRIC_RECOVERED
from services.shared.money import format_wan
from services.shared.text import UNIT_CALLS, UNIT_CASES, UNIT_WAN_YUAN


def measure_cards(measures: Measures, key: str) -> None:
    """Five metric cards with Chinese labels and units."""
    values = (
        (f"{METRIC_CASES}（{UNIT_CASES}）", f"{measures.cases:,}"),
        (f"{METRIC_LOSS}（{UNIT_WAN_YUAN}）", format_wan(measures.loss_fen)),
        (f"{METRIC_RECOVERED}（{UNIT_WAN_YUAN}）", format_wan(measures.recovered_fen)),
        (f"{METRIC_CALLS}（{UNIT_CALLS}）", f"{measures.calls:,}"),
        (f"{METRIC_DISSUADED}（{UNIT_CALLS}）", f"{measures.dissuaded:,}"),
    )
    with st.container(horizontal=True, key=key):
        for label, value in values:
            st.metric(label, value, border=True)
