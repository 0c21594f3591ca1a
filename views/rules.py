"""问责规则: the accountability rule versions in force and in history; administrators add a version."""

from datetime import timedelta

import streamlit as st

import cached
import login_gate
from components import url_state
from components.accountability_panels import field_errors, rules_frame
from components.notice import show_notice
from components.steps import run_step
from services.accountability import api
from services.accountability.rules import (
    ACTION_LIMIT,
    LEVEL_ORDER,
    MAX_DEADLINE_DAYS,
    RESPONSIBLE_LIMIT,
    RuleDraft,
    RuleVersionRow,
)
from services.accountability.text import (
    ACC_INVALID,
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
actor = login_gate.actor()
today = shanghai_today()
st.title(RULES_TITLE, anchor=False)
st.caption(RULES_NOTE)
show_notice(NOTICE)

with login_gate.refusals():
    page = api.rules_page(cached.engine(), actor, today)

st.subheader(RULES_CURRENT.format(date=today.isoformat()), anchor=False)
if page.current:
    st.dataframe(rules_frame(page.current, with_history=False), hide_index=True, width="stretch", key="rules_current")
else:
    st.info(RULES_NONE)
st.subheader(RULES_VERSIONS, anchor=False)
st.dataframe(rules_frame(page.versions, with_history=True), hide_index=True, width="stretch", key="rules_versions")

st.subheader(RULES_NEW, anchor=False)
if not page.editable:
    st.info(RULES_READ_ONLY, icon=":material/lock:")
    st.stop()
level = url_state.select(RULES_FIELD_LEVEL, list(LEVEL_ORDER), "level", key="rules_level",
                         format_func=AccountabilityLevel.labels().get)
base = next((r for r in page.versions if r.level == level.value and r.effective_from <= today), None)
errors = state.get(ERRORS, {})
prefix = f"rules_form_{level.value}"


def _draft_form(base: RuleVersionRow | None) -> tuple[RuleDraft, bool] | None:
    """The new version's fields from the version in force; once saved, the draft and whether the amount parsed."""
    with st.form(prefix, border=True):
        left, right = st.columns(2)
        threshold = left.text_input(RULES_FIELD_THRESHOLD,
                                    format_yuan(base.threshold_fen).replace(",", "") if base else "",
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
        if not st.form_submit_button(RULES_SAVE, type="primary"):
            return None
    fen = parse_amount_fen(threshold.strip()) if threshold.strip() else None
    return RuleDraft(level=level, threshold_fen=fen or 0, required_action=action, responsible=responsible,
                     deadline_days=int(deadline), effective_from=effective, reason=reason,
                     retired=retired), fen is not None


def _save(draft: RuleDraft, amount_typed: bool) -> None:
    """Add the version (its own transaction); a threshold that is no amount is refused as such."""
    try:
        api.add_rule_version(cached.engine(), actor, draft)
    except InvalidInput as invalid:
        if not amount_typed:
            invalid.errors["threshold_fen"] = AMOUNT_INVALID
        raise


saved = _draft_form(base)
if saved is not None:
    draft, amount_typed = saved
    run_step(lambda: _save(draft, amount_typed), notice_key=NOTICE, errors_key=ERRORS,
             invalid_text=lambda count: ACC_INVALID.format(count=count),
             done=lambda _: ("success", RULES_SAVED.format(level=AccountabilityLevel(level).label,
                                                           date=draft.effective_from.isoformat())),
             clear_prefixes=(prefix,))
