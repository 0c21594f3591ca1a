"""The row of headline measures (cases, loss, recovered, calls, dissuasions)."""

import streamlit as st

from services import labels as L
from services.shared.money import format_wan
from services.overview.read import Measures


def measure_cards(measures: Measures, key: str) -> None:
    """Five metric cards with Chinese labels and units."""
    values = (
        (f"{L.METRIC_CASES}（{L.UNIT_CASES}）", f"{measures.cases:,}"),
        (f"{L.METRIC_LOSS}（{L.UNIT_WAN_YUAN}）", format_wan(measures.loss_fen)),
        (f"{L.METRIC_RECOVERED}（{L.UNIT_WAN_YUAN}）", format_wan(measures.recovered_fen)),
        (f"{L.METRIC_CALLS}（{L.UNIT_CALLS}）", f"{measures.calls:,}"),
        (f"{L.METRIC_DISSUADED}（{L.UNIT_CALLS}）", f"{measures.dissuaded:,}"),
    )
    with st.container(horizontal=True, key=key):
        for label, value in values:
            st.metric(label, value, border=True)
