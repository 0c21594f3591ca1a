"""The case edit and new-case forms and the revision history table (no database access)."""

from datetime import datetime

import pandas as pd
import streamlit as st

from components.plain import table
from services.access.text import UNIT_REQUIRED
from services.cases.read import CaseRecord, RevisionRow
from services.cases.text import (
    CASE_EDIT_REASON,
    CASE_EDIT_REASON_HELP,
    CASE_EDIT_SAVE,
    CASE_NEW_SAVE,
    CASE_REVISIONS_EMPTY,
    FIELD_ADDRESS,
    FIELD_CASE_NO,
    FIELD_FRAUD_TYPE,
    FIELD_FROZEN_YUAN,
    FIELD_LOSS_YUAN,
    FIELD_RECOVERED_YUAN,
    FIELD_REPORTED_DATE,
    FIELD_REPORTED_TIME,
    FIELD_STATUS,
    FIELD_SUMMARY,
    FIELD_UNIT,
    REVISION_COLUMNS,
)
from services.cases.write import CaseForm
from services.shared.money import format_yuan
from services.shared.timeutil import to_shanghai
from vocabulary import CaseStatus, FraudType


def _field_error(errors: dict[str, str], *names: str) -> None:
    for name in names:
        if name in errors:
            st.error(errors[name], icon=":material/error:")


def _unit_select(label: str, choices: list[tuple[int, str, int]], current: int | None, key: str) -> int | None:
    ids = [unit_id for unit_id, _, _ in choices]
    names = {unit_id: "\u3000" * max(level - choices[0][2], 0) + name for unit_id, name, level in choices}
    index = ids.index(current) if current in ids else None
    return st.selectbox(label, ids, index=index, format_func=names.get, key=key, placeholder=UNIT_REQUIRED)


def _plain_yuan(fen: int) -> str:
    return format_yuan(fen).replace(",", "")


def case_edit_form(case: CaseRecord, unit_choices: list[tuple[int, str, int]], errors: dict[str, str],
                   key: str) -> CaseForm | None:
    """The edit form for one case; returns what was typed when saved."""
    types, statuses = list(FraudType), list(CaseStatus)
    with st.form(key, border=True):
        left, middle, right = st.columns(3)
        with left:
            fraud_type = st.selectbox(FIELD_FRAUD_TYPE, types, index=types.index(FraudType(case.fraud_type)),
                                      format_func=FraudType.labels().get, key=f"{key}_type")
            _field_error(errors, "fraud_type")
            status = st.selectbox(FIELD_STATUS, statuses, index=statuses.index(CaseStatus(case.status)),
                                  format_func=CaseStatus.labels().get, key=f"{key}_status")
        with middle:
            unit_id = _unit_select(FIELD_UNIT, unit_choices, case.unit_id, key=f"{key}_unit")
            _field_error(errors, "unit_id")
            loss = st.text_input(FIELD_LOSS_YUAN, _plain_yuan(case.loss_fen), key=f"{key}_loss")
            _field_error(errors, "loss_fen")
        with right:
            recovered = st.text_input(FIELD_RECOVERED_YUAN, _plain_yuan(case.recovered_fen), key=f"{key}_recovered")
            _field_error(errors, "recovered_fen")
            frozen = st.text_input(FIELD_FROZEN_YUAN, _plain_yuan(case.frozen_fen), key=f"{key}_frozen")
            _field_error(errors, "frozen_fen")
        reason = st.text_area(CASE_EDIT_REASON, help=CASE_EDIT_REASON_HELP, max_chars=500, height=80,
                              key=f"{key}_reason")
        _field_error(errors, "reason", "form")
        if not st.form_submit_button(CASE_EDIT_SAVE, type="primary"):
            return None
    return CaseForm(fraud_type, status, unit_id if unit_id is not None else case.unit_id, loss, recovered, frozen,
                    reason, case.updated_at)


def new_case_form(unit_choices: list[tuple[int, str, int]], now_local: datetime, errors: dict[str, str],
                  key: str) -> dict | None:
    """The new-case form (report time defaults to now, Beijing wall time); returns the typed values when submitted."""
    today = now_local.date()
    types = list(FraudType)
    with st.form(key, border=True, clear_on_submit=False):
        left, middle, right = st.columns(3)
        with left:
            case_no = st.text_input(FIELD_CASE_NO, max_chars=40, key=f"{key}_no")
            _field_error(errors, "case_no")
            unit_id = _unit_select(FIELD_UNIT, unit_choices, None, key=f"{key}_unit")
            _field_error(errors, "unit_id")
        with middle:
            reported_date = st.date_input(FIELD_REPORTED_DATE, today, max_value=today, key=f"{key}_date")
            reported_time = st.time_input(FIELD_REPORTED_TIME, now_local.time().replace(second=0, microsecond=0),
                                          key=f"{key}_time")
            _field_error(errors, "reported_at")
        with right:
            fraud_type = st.selectbox(FIELD_FRAUD_TYPE, types, format_func=FraudType.labels().get, key=f"{key}_type")
            loss = st.text_input(FIELD_LOSS_YUAN, key=f"{key}_loss")
            _field_error(errors, "loss_fen")
        address = st.text_input(FIELD_ADDRESS, max_chars=200, key=f"{key}_address")
        summary = st.text_area(FIELD_SUMMARY, max_chars=2000, height=80, key=f"{key}_summary")
        if not st.form_submit_button(CASE_NEW_SAVE, type="primary"):
            return None
    return {"case_no": case_no, "unit_id": unit_id, "reported_local": datetime.combine(reported_date, reported_time),
            "fraud_type": fraud_type, "loss": loss, "address": address, "summary": summary}


def revisions_table(rows: list[RevisionRow]) -> None:
    """The kept changes of a case, newest first."""
    if not rows:
        st.caption(CASE_REVISIONS_EMPTY)
        return
    columns = REVISION_COLUMNS
    table(pd.DataFrame([
        {columns["at"]: f"{to_shanghai(r.at):%Y-%m-%d %H:%M}", columns["username"]: r.username or "",
         columns["field"]: r.field, columns["old"]: r.old, columns["new"]: r.new, columns["reason"]: r.reason or "",
         columns["source"]: r.source}
        for r in rows
    ]))
