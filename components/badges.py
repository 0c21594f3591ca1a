"""Marks shown next to titles: the demo-data badge."""

import streamlit as st

from services.shared.text import DEMO_BADGE, DEMO_BADGE_HELP


def demo_badge(is_demo: bool) -> None:
    """Show the 演示数据 mark when the figures come from the generated demo."""
    if is_demo:
        st.badge(DEMO_BADGE, icon=":material/science:", color="orange", help=DEMO_BADGE_HELP)
