"""专家席来电登记: the call log an officer fills in while on the phone, and the desk's own views."""

import re
import uuid

import streamlit as st

import cached
import login_gate
from components import desk_form, url_state
from components.desk_form import SubmitOutcome
from components.desk_panels import (
    action_form,
    action_rows,
    calls_table,
    counters_row,
    follow_up_picker,
    hot_leads_table,
    seen_lines,
)
from components.notice import set_notice, show_notice
from components.steps import run_step
from components.strike_panels import call_interception_form, stop_payment_panel
from services.access.masking import mask_identifier
from services.access.permissions import Permission
from services.access.scope import require
from services.desk import api as desk_api
from services.desk import identifier_actions
from services.desk.calls import CallDraft, CallRow
from services.desk.identifier_actions import ActionDraft
from services.desk.identifier_store import SeenBefore
from services.desk.text import (
    ACTION_DUPLICATE,
    ACTION_HEADING,
    ACTION_SAVED,
    DESK_DUPLICATE,
    DESK_FOLLOW_HEADING,
    DESK_FOLLOW_NOTHING,
    DESK_FOLLOW_OPTION,
    DESK_INVALID,
    DESK_SAVED,
    DESK_SAVED_CASE,
    DESK_SEARCH_INPUT,
    DESK_SEARCH_NONE,
    DESK_TAB_FORM,
    DESK_TAB_HOT,
    DESK_TAB_SEARCH,
    DESK_TAB_TODAY,
    DESK_TITLE,
)
from services.shared.errors import InvalidInput
from services.shared.money import format_yuan, money_text
from services.shared.timeutil import SHANGHAI, now_utc, shanghai_today, to_shanghai
from services.strike import api as strike_api
from services.strike import text as strike_text
from services.strike.interceptions import CallInterception, InterceptionDraft, InterceptionSaved
from vocabulary import CallOutcome, FraudType, IdentifierActionKind, IdentifierKind, InterceptionOutcome

actor = login_gate.actor()
st.title(DESK_TITLE, anchor=False)
with login_gate.refusals():
    require(actor, Permission.VIEW_CALLS)
state = st.session_state


def _now_local():
    return now_utc().astimezone(SHANGHAI)


def _start_form() -> None:
    """A new browser session resumes the form named in the address bar, unless that one was saved already."""
    form_key = url_state.get_str("form")
    form_key = form_key if form_key and re.fullmatch(r"[0-9a-f]{32}", form_key) else None
    saved = desk_api.saved(cached.engine(), f"{actor.user_id}-{form_key}") if form_key else None
    if saved is not None:
        set_notice("desk_flash", "info", DESK_DUPLICATE.format(call_id=saved.call_id))
        form_key = None
    desk_form.new_call(form_key, str(actor.user_id), _now_local())


def _save(draft: CallDraft) -> SubmitOutcome:
    """The save step of 保存登记: validated, saved exactly once, and what to tell the officer."""
    try:
        result = desk_api.save(cached.engine(), actor, draft)
    except InvalidInput as invalid:
        return SubmitOutcome("error", DESK_INVALID.format(count=len(invalid.errors)), errors=invalid.errors)
    state["desk_last_call"] = result.call_id  # for 立即止付 (打击挽损)
    if result.duplicate:
        text, kind = DESK_DUPLICATE.format(call_id=result.call_id), "info"
    elif result.case_no:
        text, kind = DESK_SAVED_CASE.format(call_id=result.call_id, case_no=result.case_no), "success"
    else:
        text, kind = DESK_SAVED.format(call_id=result.call_id), "success"
    return SubmitOutcome(kind, text, tuple(result.warnings), new_call=True)


def _call_tab() -> None:
    show_notice("desk_flash")
    with st.container():  # slots (see desk_form): these come and go above the form
        for warning in state.pop("desk_warnings", []):
            st.warning(warning)
    with st.container():
        if desk_form.saved() and (call_id := state.get("desk_last_call")):
            _stop_payment(call_id, "desk")
            _record_interception(call_id, "desk")
    desk_form.call_form(cached.unit_choices(actor), _now_local(),
                        seen_of=lambda identifiers: desk_api.seen_before(cached.engine(), actor, identifiers),
                        on_submit=_save, namespace=str(actor.user_id))


def _stop_payment(call_id: int, where: str) -> bool:
    """立即止付 for a saved call: one ledger request per call, however often pressed (in either tab); whether it applies.

    `where` names the tab ("desk": the call just saved, "desk_today": 补录), so each keeps its own widgets and notices.
    """
    lost_fen, accounts, requested = strike_api.call_state(cached.engine(), actor, call_id)
    lost = money_text(lost_fen) if lost_fen > 0 else ""
    for refusal in state.pop(f"{where}_stop_errors", {}).values():
        st.error(refusal)
    if stop_payment_panel(call_id, lost, accounts, requested, key=f"{where}_stop_payment_{call_id}",
                          labels=(strike_text.DESK_STOP_BUTTON, strike_text.DESK_STOP_DONE)):
        run_step(lambda: strike_api.stop_from_call(cached.engine(), actor, call_id, f"desk-stop-{call_id}"),
                 notice_key=f"{where}_flash", errors_key=f"{where}_stop_errors",
                 invalid_text=lambda n: strike_text.FORM_REFUSED.format(count=n),
                 done=lambda saved: cached.strike_changed() or ("info" if saved.duplicate else "success",
                                     (strike_text.DESK_STOP_DUPLICATE if saved.duplicate
                                      else strike_text.DESK_STOP_SAVED).format(id=saved.request_id)))
    return bool(requested) or (accounts > 0 and bool(lost))


INTERCEPT_LABELS = {
    "unit": strike_text.UNIT_LABEL, "bank": strike_text.INTERCEPTION_BANK, "branch": strike_text.INTERCEPTION_BRANCH,
    "day": strike_text.STEP_DAY, "time": strike_text.STEP_TIME, "officer": strike_text.INTERCEPTION_OFFICER,
    "amount": strike_text.INTERCEPTION_AMOUNT, "fraud_type": strike_text.INTERCEPTION_FRAUD_TYPE,
    "payee": strike_text.DESK_INTERCEPT_PAYEE, "payee_other": strike_text.DESK_INTERCEPT_PAYEE_OTHER,
    "outcome": strike_text.INTERCEPTION_OUTCOME, "submit": strike_text.DESK_INTERCEPT_SUBMIT}


def _intercept_choices(call: CallInterception) -> dict[str, dict]:
    units = {unit: name for unit, name, _ in cached.unit_choices(actor)} or {actor.unit_id: actor.unit_name}
    payees = {i: f"{bank} {masked}".strip() for i, masked, bank in call.accounts}
    return {"unit": units, "fraud_type": {f.value: f.label for f in FraudType},
            "payee": payees | {None: strike_text.DESK_INTERCEPT_PAYEE_NONE},
            "outcome": {o.value: o.label for o in InterceptionOutcome}}


def _intercepted(saved: InterceptionSaved) -> tuple[str, str]:
    """The notice of a 阻截 recorded from the desk, with what was known of its payee account."""
    cached.strike_changed()
    if saved.duplicate:
        return "info", strike_text.INTERCEPTION_DUPLICATE.format(id=saved.interception_id)
    seen = strike_text.INTERCEPTION_SEEN.format(account=saved.payee, reports=saved.payee_reports,
                                               interceptions=saved.payee_interceptions) if saved.payee else ""
    return "success", strike_text.INTERCEPTION_SAVED.format(id=saved.interception_id) + seen


def _record_interception(call_id: int, where: str) -> bool:
    """记录阻截 for a saved call that stopped a payment: prefilled from the call, recorded once per call; whether it applies."""
    call = strike_api.call_interception(cached.engine(), actor, call_id)
    if not call.stopped_payment:
        return False
    if call.recorded:
        st.info(strike_text.DESK_INTERCEPT_DONE.format(call_id=call_id, ids="、".join(map(str, call.recorded))),
                icon=":material/shield:")
        return True
    errors_key = f"{where}_intercept_errors_{call_id}"
    defaults = {"unit": call.unit_id, "at": to_shanghai(call.received_at).replace(tzinfo=None),
                "amount": format_yuan(call.pending_fen).replace(",", "") if call.pending_fen > 0 else "",
                "fraud_type": call.fraud_type, "payee": call.accounts[0][0] if call.accounts else None,
                "outcome": InterceptionOutcome.STOPPED.value}
    with st.expander(strike_text.DESK_INTERCEPT_HEADING.format(call_id=call_id), expanded=True):
        values = call_interception_form(defaults, _intercept_choices(call), state.get(errors_key, {}),
                                        key=f"{where}_intercept_{call_id}", labels=INTERCEPT_LABELS)
    if values is None:
        return True
    draft = InterceptionDraft(values["unit"], values["at"], values["bank"], values["branch"], values["officer"],
                              values["amount"], values["fraud_type"], values["payee_other"], values["outcome"],
                              call_id=call_id, payee_identifier_id=values["payee"])
    run_step(lambda: strike_api.add_interception(cached.engine(), actor, draft, f"desk-intercept-{call_id}"),
             notice_key=f"{where}_flash", errors_key=errors_key,
             invalid_text=lambda n: strike_text.FORM_REFUSED.format(count=n), done=_intercepted)
    return True


def _follow_up_option(call: CallRow) -> str:
    money = (f" · 损失{money_text(call.lost_fen)}" if call.lost_fen > 0 else "") + (
        f" · 拟转账{money_text(call.pending_fen)}" if call.pending_fen > 0 else "")
    return DESK_FOLLOW_OPTION.format(call_id=call.id, time=to_shanghai(call.received_at).strftime("%H:%M"),
                                     call_type=call.call_type, outcome=call.outcome, money=money)


def _follow_up(calls: list[CallRow]) -> None:
    """补录 for an earlier call of today: the bank's answer often comes after the call has ended."""
    choices = {c.id: _follow_up_option(c) for c in calls if c.lost_fen > 0 or c.outcome == CallOutcome.DISSUADED.label}
    # A bordered section, not an expander: a rerun that redraws the tab would close an expander in mid-entry.
    with st.container(border=True):
        st.markdown(f"**{DESK_FOLLOW_HEADING}**")  # our own constant (no typed text): the same weight as 全席今日
        show_notice("desk_today_flash")
        call_id = follow_up_picker(choices, key="desk_today_follow_call")
        if call_id is not None and not (_stop_payment(call_id, "desk_today") | _record_interception(call_id, "desk_today")):
            st.caption(DESK_FOLLOW_NOTHING.format(call_id=call_id))


def _search_tab() -> None:
    show_notice("desk_search_flash")
    query = st.text_input(DESK_SEARCH_INPUT, key="desk_search", max_chars=100)
    if not query.strip():
        return
    results = desk_api.search(cached.engine(), actor, query)
    if results:
        seen_lines(results)
        for item in results:
            _actions(item)
    else:
        st.info(DESK_SEARCH_NONE)


def _actions(item: SeenBefore) -> None:
    """An identifier's 报送 and 封停, and (for desk officers and case editors) 登记报送/封停, saved once per click."""
    if item.identifier_id is None:
        return
    key = f"desk_action_{item.identifier_id}"
    errors = state.get(f"{key}_errors", {})
    value = item.value if actor.can(Permission.UNMASK) else mask_identifier(item.kind, item.value)
    with st.expander(f"{ACTION_HEADING} · {IdentifierKind(item.kind).label} {value}", expanded=bool(errors)):
        action_rows(identifier_actions.actions_of(cached.engine(), actor, item.identifier_id))
        if not (actor.can(Permission.LOG_CALLS) or actor.can(Permission.EDIT_CASES)):
            return
        values = action_form(shanghai_today(), errors, key=key)
    if values is None:
        return
    form_key = state.setdefault(f"{key}_once", f"{actor.user_id}-{key}-{uuid.uuid4().hex}")
    draft = ActionDraft(item.identifier_id, values["kind"], values["institution"], values["on_date"], values["note"])

    def _done(saved: tuple[int, bool]) -> tuple[str, str]:
        state.pop(f"{key}_once", None)
        if saved[1]:
            return "info", ACTION_DUPLICATE.format(id=saved[0])
        return "success", ACTION_SAVED.format(value=item.value, kind=IdentifierActionKind(values["kind"]).label,
                                              id=saved[0])
    run_step(lambda: identifier_actions.add_action(cached.engine(), actor, draft, form_key), notice_key="desk_search_flash",
             errors_key=f"{key}_errors", invalid_text=lambda n: DESK_INVALID.format(count=n), done=_done,
             clear_prefixes=(f"{key}_kind", f"{key}_institution", f"{key}_note"))


if actor.can(Permission.LOG_CALLS) and not desk_form.started():
    _start_form()
# A role that may not log calls (局领导, 指挥中心) opens on what it may do: no refusal tab first.
logs_calls = actor.can(Permission.LOG_CALLS)
tabs = st.tabs([DESK_TAB_FORM, DESK_TAB_TODAY, DESK_TAB_SEARCH, DESK_TAB_HOT] if logs_calls else
               [DESK_TAB_TODAY, DESK_TAB_SEARCH, DESK_TAB_HOT], key="desk_tabs")  # keyed: a rerun keeps the open tab
if logs_calls:
    with tabs[0]:
        _call_tab()
with tabs[-3]:
    total, per_officer, calls = desk_api.today(cached.engine(), actor)
    counters_row(total, per_officer)
    calls_table(calls)
    if logs_calls:
        _follow_up(calls)
with tabs[-2]:
    _search_tab()
with tabs[-1]:
    hot_leads_table(desk_api.hot_leads(cached.engine(), actor))
