"""Case list table and case detail panel (data already masked by the services)."""

import pandas as pd
import streamlit as st

from services import labels as L
from services.cases.read import CaseDetail, CaseRow
from services.shared.money import wan_decimal
from services.shared.timeutil import to_shanghai


def case_table(rows: list[CaseRow], key: str) -> int | None:
    """The case list; returns the id of the selected case, if any."""
    frame = pd.DataFrame.from_records([
        {
            L.COL_CASE_NO: r.case_no, L.COL_UNIT: r.unit_name,
            L.COL_REPORTED_AT: to_shanghai(r.reported_at).strftime("%Y-%m-%d %H:%M"),
            L.COL_FRAUD_TYPE: r.fraud_type, L.COL_LOSS: wan_decimal(r.loss_fen),
            L.COL_RECOVERED: wan_decimal(r.recovered_fen), L.COL_STATUS: r.status, L.COL_VICTIM: r.victim_name,
            L.COL_AGE: r.victim_age,
        }
        for r in rows
    ])
    money = {c: st.column_config.NumberColumn(c, format="%.2f") for c in (L.COL_LOSS, L.COL_RECOVERED)}
    event = st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                         column_config=money, key=key)
    selected = event.selection.rows
    return rows[selected[0]].id if selected else None


def _yes_no(value: bool | None) -> str:
    return L.UNKNOWN if value is None else (L.YES if value else L.NO)


def case_detail_panel(detail: CaseDetail) -> None:
    """The fields of one case; identifiers and the victim name as given (masked or not)."""
    case = detail.case
    st.markdown(f"**{case.case_no}** · {detail.unit_name} · {detail.fraud_type_label} · {detail.status_label}")
    left, right = st.columns(2)
    with left:
        st.markdown(f"{L.COL_REPORTED_AT}：{to_shanghai(case.reported_at):%Y-%m-%d %H:%M}")
        if case.occurred_at:
            st.markdown(f"{L.FIELD_OCCURRED_AT}：{to_shanghai(case.occurred_at):%Y-%m-%d %H:%M}")
        st.markdown(f"{L.COL_LOSS}：{wan_decimal(case.loss_fen)}　{L.COL_RECOVERED}：{wan_decimal(case.recovered_fen)}")
        location = f"{case.lon:.5f}, {case.lat:.5f}" if case.lon is not None else L.UNLOCATED
        st.markdown(f"{L.FIELD_LOCATION}：{location}")
    with right:
        profile = " / ".join(str(v) for v in (detail.victim_name, case.victim_age, case.victim_occupation,
                                              case.victim_education, case.victim_economic) if v)
        st.markdown(f"{L.FIELD_VICTIM_PROFILE}：{profile}")
        st.markdown(f"{L.FIELD_REACHED}：{_yes_no(case.victim_reached_by_propaganda)}")
    if case.summary:
        st.markdown(f"{L.FIELD_SUMMARY}：{case.summary}")
    if detail.identifiers:
        st.markdown(f"{L.FIELD_IDENTIFIERS}：")
        st.table(pd.DataFrame([
            {"类别": i.kind_label, "号码/账号": i.value, "开户行": i.bank_name or ""} for i in detail.identifiers
        ]))
