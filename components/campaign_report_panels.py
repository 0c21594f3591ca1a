"""专项行动 reporting panels: who reported the period (10th/25th) and who is late, and the unit's report form."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.campaign_panels import field_errors
from services.campaigns import text as t
from services.campaigns.calendar import ReportStatus


def report_board(board, period_text: str, when) -> None:
    """Who reported the latest due period, who is late, and the 联络员 to call."""
    st.caption(period_text)
    late = [r for r in board.rows if r.status in (ReportStatus.MISSING, ReportStatus.LATE, ReportStatus.DUE_TODAY)]
    missing = [r for r in board.rows if r.status is ReportStatus.MISSING]
    if missing:
        st.warning(t.REP_LATE_CALL.format(count=len(missing)), icon=":material/call:")
    rows = sorted(board.rows, key=lambda r: r not in late)
    with st.container(key="camp_reports"):
        st.dataframe(pd.DataFrame([{
            t.REP_COL_UNIT: r.unit_name, t.REP_COL_STATUS: r.status.label,
            t.REP_COL_SUBMITTED: when(r.submitted_at) if r.submitted_at else "",
            t.REP_COL_MISSED: r.missed_in_a_row, t.REP_COL_LIAISON: r.liaison_name or "",
            t.REP_COL_PHONE: r.liaison_phone or "",
        } for r in rows]), hide_index=True, width="stretch")


@dataclass(frozen=True)
class ReportInput:
    unit_id: int
    methods: str
    channels: str
    process: str
    scope: str
    next_steps: str


def report_form(owed: dict[int, str], errors: dict[str, str], key: str) -> ReportInput | None:
    """The unit's report: 方式、渠道、过程、范围 in its own words and 下步工作打算; figures are added when submitted."""
    with st.form(key, border=True):
        st.markdown(f"**{t.REP_FORM}**")
        unit_id = st.selectbox(t.REP_FORM_UNIT, list(owed), format_func=owed.get, key=f"{key}_unit")
        field_errors(errors, "unit", "form")
        values = {}
        for name, label in (("methods", t.REP_METHODS), ("channels", t.REP_CHANNELS), ("process", t.REP_PROCESS),
                            ("scope", t.REP_SCOPE), ("next_steps", t.REP_NEXT)):
            values[name] = st.text_area(label, max_chars=2000, height=80, key=f"{key}_{name}")
            field_errors(errors, name)
        if st.form_submit_button(t.REP_SUBMIT, type="primary"):
            return ReportInput(unit_id, **values)
    return None


def rollup_picker(periods: dict[int, str], key: str) -> tuple[int, bool]:
    """The period of the roll-up (latest first) and whether 生成汇总报告 was clicked."""
    number = st.selectbox(t.ROLLUP_PERIOD, list(periods), format_func=periods.get, key=f"{key}_period")
    return number, st.button(t.ROLLUP_BUILD, key=f"{key}_build_{number}", type="primary")


def downloads(files: list[tuple[str, str, bytes, str]], key: str) -> None:
    """Download buttons in a row: (label, file name, bytes, mime)."""
    with st.container(horizontal=True):
        for i, (label, name, data, mime) in enumerate(files):
            st.download_button(label, data, file_name=name, mime=mime, key=f"{key}_{i}")


def ranking_table(rows: list[dict[str, object]], key: str) -> None:
    """The monthly ranking with Chinese column names and units; a missing value reads —."""
    if not rows:
        st.caption(t.RANK_NONE)
        return
    with st.container(key=key):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def weights_form(labels: dict[str, str], values: dict[str, int], errors: dict[str, str], key: str) -> dict | None:
    """The leader's weights of the ranking indicators (whole numbers 0–100)."""
    with st.expander(t.RANK_WEIGHTS), st.form(key, border=False):
        st.caption(t.RANK_WEIGHTS_HELP)
        typed = {}
        columns = st.columns(4)
        for i, (name, label) in enumerate(labels.items()):
            with columns[i % 4]:
                typed[name] = int(st.number_input(label, min_value=0, max_value=100, step=1, value=values[name],
                                                  key=f"{key}_{name}"))
                field_errors(errors, name)
        field_errors(errors, "form")
        if st.form_submit_button(t.RANK_WEIGHTS_SAVE):
            return typed
    return None
