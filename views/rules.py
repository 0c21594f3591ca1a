"""问责规则: the accountability rule versions in force and in history; administrators add a version."""

from datetime import timedelta

import streamlit as st

import cached
import web_session
from components import url_state
from components.accountability_views import field_errors, rules_frame
from db.engine import read_session, write_session
from services.accountability.rules import (
    ACTION_LIMIT,
    LEVEL_ORDER,
    MAX_DEADLINE_DAYS,
    RESPONSIBLE_LIMIT,
    RuleDraft,
    add_rule_version,
    effective_rules,
    list_rule_versions,
    may_edit_rules,
)
from services.accountability.text import (
    RULES_CURRENT,
    RULES_FIELD_ACTION,
    RULES_FIELD_DEADLINE,
    RULES_FIELD_EFFECTIVE,
    RULES_FIELD_LEVEL,
    RULES_FIELD_REASON,
    RULES_FIELD_RESPONSIBLE,
    RULES_FIELD_RETIRED,
    RULES_FIELD_THRESHOLD,
    RULES_FIELD_THRESHOLD_HELP,
    RULES_NEW,
    RULES_NONE,
    RULES_NOTE,
    RULES_READ_ONLY,
    RULES_SAVE,
    RULES_SAVED,
    RULES_TITLE,
    RULES_VERSIONS,
)
from services.desk.amounts import parse_amount_fen
from services.desk.text import AMOUNT_INVALID
from services.shared.errors import InvalidInput
from services.shared.money import format_yuan
from services.shared.timeutil import shanghai_today
from vocabulary import AccountabilityLevel

ERRORS, NOTICE = "rules_errors", "rules_notice"
state = st.session_state
actor = web_session.actor()
today = shanghai_today()
st.title(RULES_TITLE, anchor=False)
st.caption(RULES_NOTE)
if notice := state.pop(NOTICE, None):
    st.success(notice)

with web_session.refusals(), read_session(cached.engine()) as session:
    versions = list_rule_versions(session, actor)
    current = effective_rules(session, today)
    editable = may_edit_rules(session, actor)

st.subheader(RULES_CURRENT.format(date=today.isoformat()), anchor=False)
if current:
    st.dataframe(rules_frame(current, with_history=False), hide_index=True, width="stretch", key="rules_current")
else:
    st.info(RULES_NONE)
st.subheader(RULES_VERSIONS, anchor=False)
st.dataframe(rules_frame(versions, with_history=True), hide_index=True, width="stretch", key="rules_versions")

st.subheader(RULES_NEW, anchor=False)
if not editable:
    st.info(RULES_READ_ONLY, icon=":material/lock:")
    st.stop()
level = st.selectbox(RULES_FIELD_LEVEL, list(LEVEL_ORDER),
                     index=LEVEL_ORDER.index(AccountabilityLevel(v)) if (v := url_state.get_str(
                         "level", set(AccountabilityLevel))) else 0,
                     format_func=AccountabilityLevel.labels().get, key="rules_level")
url_state.set_params(level=level.value)
base = next((r for r in versions if r.level == level.value and r.effective_from <= today), None)
errors = state.get(ERRORS, {})
prefix = f"rules_form_{level.value}"
with st.form(prefix, border=True):
    left, right = st.columns(2)
    threshold = left.text_input(RULES_FIELD_THRESHOLD, format_yuan(base.threshold_fen).replace(",", "") if base else "",
                                help=RULES_FIELD_THRESHOLD_HELP, key=f"{prefix}_threshold")
    field_errors(errors, "threshold_fen")
    deadline = right.number_input(RULES_FIELD_DEADLINE, 1, MAX_DEADLINE_DAYS, base.deadline_days if base else 7,
                                  key=f"{prefix}_deadline")
    field_errors(errors, "deadline_days")
    action = st.text_input(RULES_FIELD_ACTION, base.required_action if base else "", max_chars=ACTION_LIMIT,
                           key=f"{prefix}_action")
    field_errors(errors, "required_action")
    responsible = st.text_input(RULES_FIELD_RESPONSIBLE, base.responsible if base else "",
                                max_chars=RESPONSIBLE_LIMIT, key=f"{prefix}_responsible")
    field_errors(errors, "responsible")
    effective = left.date_input(RULES_FIELD_EFFECTIVE, today + timedelta(days=1), min_value=today,
                                key=f"{prefix}_effective")
    field_errors(errors, "effective_from")
    retired = right.checkbox(RULES_FIELD_RETIRED, key=f"{prefix}_retired")
    reason = st.text_area(RULES_FIELD_REASON, max_chars=2000, key=f"{prefix}_reason")
    field_errors(errors, "reason")
    submitted = st.form_submit_button(RULES_SAVE, type="primary")

if submitted:
    fen = parse_amount_fen(threshold.strip()) if threshold.strip() else None
    draft = RuleDraft(level=level, threshold_fen=fen or 0, required_action=action, responsible=responsible,
                      deadline_days=int(deadline), effective_from=effective, reason=reason, retired=retired)
    try:
        with web_session.refusals(), write_session(cached.engine()) as session:
            add_rule_version(session, actor, draft)
    except InvalidInput as invalid:
        state[ERRORS] = invalid.errors
        if fen is None:
            state[ERRORS]["threshold_fen"] = AMOUNT_INVALID
    else:
        state.pop(ERRORS, None)
        state[NOTICE] = RULES_SAVED.format(level=AccountabilityLevel(level).label, date=effective.isoformat())
        for widget in [k for k in state if str(k).startswith(prefix)]:
            del state[widget]
    st.rerun()
