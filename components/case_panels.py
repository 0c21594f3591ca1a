"""Case list table and case detail panel (data already masked by the services)."""

import pandas as pd
import streamlit as st

from components.plain import field, plain, table
from services.cases.export import CASE_HEADER, case_cells
from services.cases.read import CaseDetail, CaseRow
from services.cases.text import (
    COL_AGE,
    COL_CASE_NO,
    COL_FRAUD_TYPE,
    COL_LOSS,
    COL_RECOVERED,
    COL_REPORTED_AT,
    COL_STATUS,
    COL_UNIT,
    COL_VICTIM,
    FIELD_IDENTIFIERS,
    FIELD_LOCATION,
    FIELD_LOSS,
    FIELD_OCCURRED_AT,
    FIELD_REACHED,
    FIELD_RECOVERED,
    FIELD_SUMMARY,
    FIELD_VICTIM_PROFILE,
    UNLOCATED,
)
from services.shared.money import money_text
from services.shared.text import NO, UNKNOWN, YES
from services.shared.timeutil import to_shanghai


def case_table(rows: list[CaseRow], key: str) -> int | None:
    """The case list; returns the id of the selected case, if any."""
    # The same cells as the XLSX export, so the file holds exactly what the table shows.
    frame = pd.DataFrame.from_records([dict(zip(CASE_HEADER, case_cells(r), strict=True)) for r in rows],
                                      columns=CASE_HEADER)
    # Fits a 1366 px laptop with the sidebar open: fixed widths, the case number pinned.
    widths = {COL_CASE_NO: 158, COL_UNIT: 104, COL_REPORTED_AT: 120, COL_FRAUD_TYPE: 166, COL_LOSS: 74,
              COL_RECOVERED: 74, COL_STATUS: 60, COL_VICTIM: 56, COL_AGE: 40}
    config = {c: st.column_config.Column(width=w, pinned=c == COL_CASE_NO) for c, w in widths.items()}
    config |= {c: st.column_config.NumberColumn(format="%.2f", width=widths[c]) for c in (COL_LOSS, COL_RECOVERED)}
    event = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         column_config=config, key=key)
    selected = event.selection.rows
    return rows[selected[0]].id if selected else None


def _yes_no(value: bool | None) -> str:
    return UNKNOWN if value is None else (YES if value else NO)


def case_detail_panel(detail: CaseDetail) -> None:
    """The fields of one case as plain text; identifiers, the victim and the narrative as given (masked or not)."""
    case = detail.case
    plain(f"{case.case_no} · {detail.unit_name} · {detail.fraud_type_label} · {detail.status_label}")
    left, right = st.columns(2)
    with left:
        field(COL_REPORTED_AT, f"{to_shanghai(case.reported_at):%Y-%m-%d %H:%M}")
        if case.occurred_at:
            field(FIELD_OCCURRED_AT, f"{to_shanghai(case.occurred_at):%Y-%m-%d %H:%M}")
        plain(f"{FIELD_LOSS}：{money_text(case.loss_fen)}　{FIELD_RECOVERED}：{money_text(case.recovered_fen)}")
        field(FIELD_LOCATION, f"{case.lon:.5f}, {case.lat:.5f}" if case.lon is not None else UNLOCATED)
    with right:
        field(FIELD_VICTIM_PROFILE, " / ".join(str(v) for v in (detail.victim_name, case.victim_age,
                                                                  case.victim_occupation, case.victim_education,
                                                                  case.victim_economic) if v))
        field(FIELD_REACHED, _yes_no(case.victim_reached_by_propaganda))
    if case.summary:
        st.caption(FIELD_SUMMARY)
        plain(case.summary)
    if detail.identifiers:
        st.caption(FIELD_IDENTIFIERS)
        table(pd.DataFrame([
            {"类别": i.kind_label, "号码/账号": i.value, "开户行": i.bank_name or ""} for i in detail.identifiers
        ]))
