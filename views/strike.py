"""打击挽损: 两升两降 against last year, the 止付/冻结/返还 ledger, 挽损 totals, strike results and 劝阻."""

import uuid
from datetime import timedelta

import streamlit as st

import cached
import login_gate
from components import url_state
from components.badges import demo_badge
from components.notice import show_notice
from components.overview_panels import range_inputs
from components.plain import plain
from components.steps import run_step
from components.strike_panels import (
    field_error,
    figures_row,
    moment_inputs,
    strike_link_inputs,
    text_table,
    two_up_table,
)
from services.access.permissions import Permission
from services.access.scope import require
from services.access.text import OUT_OF_SCOPE
from services.overview.text import SPAN_LABELS
from services.shared.money import money_text
from services.shared.timeutil import MONTH, SPAN_KINDS, now_utc, reporting_span, shanghai_today, to_shanghai
from services.strike import api
from services.strike import cells as c
from services.strike import text as t
from services.strike.dissuasion import DissuasionDraft
from services.strike.interceptions import InterceptionDraft
from services.strike.results import StrikeEntry
from vocabulary import DissuasionOutcome, FraudType, InterceptionOutcome, RecoveryStatus

state = st.session_state
actor = login_gate.actor()
st.title(t.STRIKE_TITLE, anchor=False)
with login_gate.refusals():
    require(actor, Permission.VIEW_CASES)
engine = cached.engine()
today = shanghai_today()
choices = cached.unit_choices(actor)
unit_id = url_state.scoped_unit(t.UNIT_LABEL, choices, actor.unit_id, key="strike_unit",
                                refusal=OUT_OF_SCOPE) if len(choices) > 1 else actor.unit_id
with st.container(horizontal=True, vertical_alignment="bottom"):
    kind = url_state.select(t.RANGE_LABEL, SPAN_KINDS, "range", key="strike_range", default=MONTH,
                            format_func=SPAN_LABELS.get)
    first = last = None
    if kind == "custom":
        first, last = range_inputs(today, url_state.get_date("from") or today - timedelta(days=29),
                                   url_state.get_date("to") or today, key="strike_custom")
url_state.set_params(**{"from": first.isoformat() if first else None, "to": last.isoformat() if last else None})
span = reporting_span(kind, today, first, last) if kind != "custom" or first <= last else reporting_span(
    "custom", today, last, last)
with login_gate.refusals():
    board = cached.strike_board(cached.current_minute(), actor, unit_id, span)
demo_badge(cached.is_demo())
st.caption(f"{board.unit_name} · {span.current.first_day} 至 {span.current.last_day}，"
           f"去年同期 {span.year_ago.first_day} 至 {span.year_ago.last_day}")
show_notice("strike_notice")
may_export = actor.can(Permission.EXPORT)


def export_button(table: str) -> None:
    """Export one table as shown; audited by the service."""
    if not may_export:
        return
    name = t.EXPORT_TABLE_LABELS[table]
    if st.button(t.EXPORT_LABEL.format(table=name), icon=":material/download:", key=f"strike_export_{table}"):
        filters = [(t.UNIT_LABEL, board.unit_name),
                   (t.RANGE_LABEL, f"{span.current.first_day} 至 {span.current.last_day}")]
        with login_gate.refusals():
            state["strike_export"] = (table, unit_id, span, api.export(engine, actor, unit_id, span, table, filters))
    saved = state.get("strike_export")
    if saved and saved[:3] == (table, unit_id, span):
        st.download_button(t.EXPORT_DOWNLOAD.format(table=name), saved[3], on_click="ignore",
                           file_name=f"{t.STRIKE_TITLE}_{name}_{span.current.first_day}_{span.current.last_day}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"strike_download_{table}")


def form_key(name: str) -> str:
    """The idempotency key of a form: kept until it saves, so a double click or a rerun saves once."""
    return state.setdefault(f"strike_key_{name}", uuid.uuid4().hex)


def done_with(name: str, text: str):
    """A success notice that also forgets the form's key (the next entry is a new one)."""
    def _done(result) -> tuple[str, str]:
        state.pop(f"strike_key_{name}", None)
        cached.strike_changed()
        return "success", text.format(id=getattr(result, "request_id", ""), step="")
    return _done


def step_done(saved, step: str) -> tuple[str, str]:
    """The notice of a recorded ledger step; the form's key is forgotten."""
    state.pop("strike_key_step", None)
    cached.strike_changed()
    text = t.STEP_DUPLICATE if saved.duplicate else t.STEP_SAVED
    return "info" if saved.duplicate else "success", text.format(id=saved.request_id, step=t.STEP_LABELS[step])


# ---------------------------------------------------------------- 两升两降
st.subheader(t.TWO_UP_HEADING, anchor=False)
st.caption(t.STRIKE_CAPTION)
two_up_table(c.TWO_UP_HEADER, c.two_up_rows(board.two_up), c.two_up_goodness(board.two_up), key="strike_two_up")
export_button("two_up")

# ---------------------------------------------------------------- 止付/冻结/返还
st.subheader(t.RECOVERY_HEADING, anchor=False)
st.caption(t.RECOVERY_CAPTION)
figures_row(c.recovery_cells(board.recovery), t.FIG_LABELS, key="strike_recovery")
st.subheader(t.SAVED_HEADING, anchor=False)
st.caption(t.SAVED_CAPTION)
total = board.saved.total
figures_row({"protected": money_text(total.protected_fen), "frozen": money_text(total.frozen_fen),
             "returned": money_text(total.returned_fen), "saved": money_text(total.saved_fen)},
            t.SAVED_FIG_LABELS, key="strike_saved")
for name, heading, rows, column in (("by_unit", t.BY_UNIT, board.saved.by_unit, t.COL_UNIT),
                                    ("by_branch", t.BY_BRANCH, board.saved.by_branch, t.COL_BRANCH),
                                    ("by_type", t.BY_TYPE, board.saved.by_type, t.COL_FRAUD_TYPE)):
    with st.expander(heading, expanded=name == "by_unit"):
        text_table([column, *c.SAVED_HEADER], c.saved_rows(rows), key=f"strike_{name}", empty=t.EMPTY)
        export_button(name)

def interception_done(saved) -> tuple[str, str]:
    """The notice of a saved 阻截 with what was known of its payee account; the form's key is forgotten."""
    state.pop("strike_key_interception", None)
    cached.strike_changed()
    if saved.duplicate:
        return "info", t.INTERCEPTION_DUPLICATE.format(id=saved.interception_id)
    seen = t.INTERCEPTION_SEEN.format(account=saved.payee, reports=saved.payee_reports,
                                      interceptions=saved.payee_interceptions) if saved.payee else ""
    return "success", t.INTERCEPTION_SAVED.format(id=saved.interception_id) + seen


if actor.can(Permission.LOG_CALLS) or actor.can(Permission.EDIT_CASES):
    i_units = {unit: name for unit, name, _ in choices} or {actor.unit_id: actor.unit_name}
    errors = state.get("strike_interception_errors", {})
    with st.expander(t.INTERCEPTION_HEADING, expanded=bool(errors)):
        with st.form("strike_interception_form", border=False):
            with st.container(horizontal=True):
                i_unit = st.selectbox(t.UNIT_LABEL, list(i_units), format_func=i_units.get, key="strike_i_unit")
                i_bank = st.text_input(t.INTERCEPTION_BANK, key="strike_i_bank", max_chars=64)
                i_branch = st.text_input(t.INTERCEPTION_BRANCH, key="strike_i_branch", max_chars=100)
            i_at = moment_inputs(t.STEP_DAY, t.STEP_TIME, "strike_i_at", to_shanghai(now_utc()).replace(tzinfo=None))
            with st.container(horizontal=True):
                i_officer = st.text_input(t.INTERCEPTION_OFFICER, key="strike_i_officer", max_chars=64)
                i_amount = st.text_input(t.INTERCEPTION_AMOUNT, key="strike_i_amount", max_chars=20)
                i_payee = st.text_input(t.INTERCEPTION_PAYEE, key="strike_i_payee", max_chars=40)
            i_type = st.selectbox(t.INTERCEPTION_FRAUD_TYPE, list(FraudType), format_func=lambda f: FraudType(f).label,
                                  index=None, key="strike_i_type")
            i_outcome = st.radio(t.INTERCEPTION_OUTCOME, list(InterceptionOutcome),
                                 format_func=lambda o: InterceptionOutcome(o).label, horizontal=True,
                                 key="strike_i_outcome")
            field_error(errors, "unit_id", "bank_name", "branch_name", "intercepted_at", "officer_name", "amount",
                        "payee_account", "outcome", "form")
            if st.form_submit_button(t.INTERCEPTION_SUBMIT, type="primary"):
                key = form_key("interception")
                draft = InterceptionDraft(i_unit, i_at, i_bank, i_branch, i_officer, i_amount, i_type, i_payee,
                                          i_outcome)
                run_step(lambda: api.add_interception(engine, actor, draft, key), notice_key="strike_notice",
                         errors_key="strike_interception_errors",
                         invalid_text=lambda n: t.FORM_REFUSED.format(count=n), done=interception_done,
                         clear_prefixes=("strike_i_",))

st.subheader(t.LEDGER_HEADING, anchor=False)
text_table(["编号", *c.LEDGER_HEADER], [[r.id, *cells] for r, cells in zip(board.ledger, c.ledger_rows(board.ledger),
                                                                          strict=True)],
           key="strike_ledger", empty=t.EMPTY)
export_button("ledger")
open_rows = [r for r in board.ledger if r.status not in (RecoveryStatus.FAILED.value,)]
if open_rows and (actor.can(Permission.EDIT_CASES) or actor.can(Permission.LOG_CALLS)):
    errors = state.get("strike_step_errors", {})
    with st.form("strike_step_form", border=True):
        labels = {r.id: f"第 {r.id} 号 · {r.source} · {r.account} · {r.status_label}" for r in open_rows}
        request_id = st.selectbox(t.LEDGER_PICK, list(labels), format_func=labels.get, key="strike_step_request")
        step = st.radio(t.LEDGER_STEP, list(t.STEP_LABELS), format_func=t.STEP_LABELS.get, horizontal=True,
                        key="strike_step_kind")
        at = moment_inputs(t.STEP_DAY, t.STEP_TIME, "strike_step_at", to_shanghai(now_utc()).replace(tzinfo=None))
        amount = st.text_input(t.STEP_AMOUNT, key="strike_step_amount")
        field_error(errors, "form", "at", "amount")
        if st.form_submit_button(t.STEP_SUBMIT, type="primary"):
            key = form_key("step")
            run_step(lambda: api.record_step(engine, actor, request_id, RecoveryStatus(step), at, amount, key),
                     notice_key="strike_notice", errors_key="strike_step_errors",
                     invalid_text=lambda n: t.FORM_REFUSED.format(count=n),
                     done=lambda saved: step_done(saved, step),
                     clear_prefixes=("strike_step_amount",))

# ---------------------------------------------------------------- 打击战果
st.subheader(t.STRIKE_RESULTS_HEADING, anchor=False)
strike_links = api.strike_links(engine, actor, [r.id for r in board.strikes])
text_table(c.STRIKE_HEADER, c.strike_rows(board.strikes, strike_links), key="strike_results", empty=t.EMPTY)
export_button("strikes")
if actor.can(Permission.EDIT_CASES):
    unit_names = {unit: "\u3000" * max(level - choices[0][2], 0) + name for unit, name, level in choices} or {
        actor.unit_id: actor.unit_name}
    with st.expander(t.STRIKE_ENTRY_HEADING):
        errors = state.get("strike_entry_errors", {})
        with st.form("strike_entry_form", border=False):
            entry_unit = st.selectbox(t.UNIT_LABEL, list(unit_names), format_func=unit_names.get,
                                      key="strike_entry_unit")
            entry_day = st.date_input(t.COL_DATE, today, max_value=today, key="strike_entry_day")
            with st.container(horizontal=True):
                counts = {name: st.number_input(label, min_value=0, step=1, key=f"strike_entry_{name}")
                          for name, label in (("caught", t.COL_CAUGHT), ("detained", t.COL_DETAINED),
                                              ("dens", t.COL_DENS), ("two_card_cases", t.COL_TWO_CARD))}
            note = st.text_input(t.COL_NOTE, key="strike_entry_note")
            linked_cases, linked_ids = strike_link_inputs(t.COL_LINKED_CASES, t.COL_LINKED_IDENTIFIERS,
                                                          t.STRIKE_LINKS_HELP, key="strike_entry_links")
            field_error(errors, "unit_id", "result_date", "caught", "detained", "dens", "two_card_cases", "note",
                        "case_nos", "identifiers")
            if st.form_submit_button(t.STRIKE_ENTRY_SUBMIT, type="primary"):
                key = form_key("entry")
                entry = StrikeEntry(entry_unit, entry_day, int(counts["caught"]), int(counts["detained"]),
                                    int(counts["dens"]), int(counts["two_card_cases"]), note, linked_cases,
                                    linked_ids)
                run_step(lambda: api.add_strike_result(engine, actor, entry, key), notice_key="strike_notice",
                         errors_key="strike_entry_errors", invalid_text=lambda n: t.FORM_REFUSED.format(count=n),
                         done=done_with("entry", t.STRIKE_ENTRY_SAVED), clear_prefixes=("strike_entry_",))
    with st.expander(t.STRIKE_IMPORT_HEADING, expanded=bool(state.get("strike_import_result"))):
        st.caption(t.STRIKE_IMPORT_HELP)
        upload = st.file_uploader(t.STRIKE_IMPORT_HEADING, type=["csv", "xlsx"], key="strike_import_file",
                                  label_visibility="collapsed")
        if upload is not None and st.button(t.STRIKE_IMPORT_START, type="primary", key="strike_import_start"):
            with login_gate.refusals():
                outcome = api.import_strike_file(engine, actor, upload.getvalue(), upload.name, form_key("import"))
            state["strike_import_result"] = outcome
            if outcome.problems is None:
                state.pop("strike_key_import", None)
                cached.strike_changed()
            st.rerun()
        outcome = state.get("strike_import_result")
        if outcome is not None:
            if outcome.problems is not None:
                st.error(t.STRIKE_FILE_REFUSED.format(count=len(outcome.problems.errors)), icon=":material/error:")
                for e in outcome.problems.errors[:5]:  # the first problems in words, the full list below
                    plain(t.STRIKE_FILE_PROBLEM.format(row=t.STRIKE_FILE_ROW.format(row=e.row) if e.row
                                                       else t.STRIKE_FILE_WHOLE, column=e.column, reason=e.reason))
                text_table([t.COL_ROW, t.COL_COLUMN, t.COL_REASON],
                           [[e.row or t.STRIKE_FILE_WHOLE, e.column, e.reason] for e in outcome.problems.errors[:200]],
                           key="strike_import_errors")
            else:
                st.success((t.STRIKE_FILE_DUPLICATE if outcome.duplicate else t.STRIKE_FILE_IMPORTED)
                           .format(count=outcome.count))

# ---------------------------------------------------------------- 劝阻
st.subheader(t.DISSUASION_HEADING, anchor=False)
text_table(c.DISSUASION_HEADER, c.dissuasion_rows(board.dissuasions), key="strike_dissuasions", empty=t.EMPTY)
export_button("dissuasions")
st.markdown(f"**{t.DISSUASION_MINUTES_HEADING}**")
st.caption(t.DISSUASION_MINUTES_CAPTION)
text_table(c.DISSUASION_MINUTES_HEADER, c.dissuasion_median_rows(board.dissuasion_minutes),
           key="strike_dissuasion_minutes", empty=t.EMPTY)
export_button("dissuasion_minutes")
if actor.can(Permission.LOG_CALLS) or actor.can(Permission.EDIT_CASES):
    unit_names = {unit: name for unit, name, _ in choices} or {actor.unit_id: actor.unit_name}
    with st.expander(t.DISSUASION_ENTRY_HEADING):
        errors = state.get("strike_dissuasion_errors", {})
        with st.form("strike_dissuasion_form", border=False):
            d_unit = st.selectbox(t.UNIT_LABEL, list(unit_names), format_func=unit_names.get, key="strike_d_unit")
            now_local = to_shanghai(now_utc()).replace(tzinfo=None)
            warning = moment_inputs(t.COL_WARNING_AT, t.STEP_TIME, "strike_d_warning", now_local)
            attempted_on = st.checkbox(t.DISSUASION_ATTEMPTED, value=True, key="strike_d_attempted_on")
            attempted = moment_inputs(t.COL_ATTEMPTED_AT, t.STEP_TIME, "strike_d_attempted", now_local)
            reached_on = st.checkbox(t.DISSUASION_REACHED, value=True, key="strike_d_reached_on")
            reached = moment_inputs(t.COL_REACHED_AT, t.STEP_TIME, "strike_d_reached", now_local)
            outcome_choice = st.radio(t.COL_OUTCOME, list(DissuasionOutcome),
                                      format_func=lambda o: DissuasionOutcome(o).label, horizontal=True,
                                      key="strike_d_outcome")
            outcome_on = st.checkbox(t.DISSUASION_OUTCOME_KNOWN, value=True, key="strike_d_outcome_on")
            outcome_at = moment_inputs(t.COL_OUTCOME_AT, t.STEP_TIME, "strike_d_outcome_at", now_local)
            field_error(errors, "unit_id", "warning_at", "attempted_at", "reached_at", "outcome", "outcome_at")
            if st.form_submit_button(t.DISSUASION_SUBMIT, type="primary"):
                key = form_key("dissuasion")
                draft = DissuasionDraft(d_unit, warning, DissuasionOutcome(outcome_choice),
                                        attempted if attempted_on else None, reached if reached_on else None,
                                        outcome_at=outcome_at if outcome_on else None)
                run_step(lambda: api.add_dissuasion(engine, actor, draft, key), notice_key="strike_notice",
                         errors_key="strike_dissuasion_errors", invalid_text=lambda n: t.FORM_REFUSED.format(count=n),
                         done=done_with("dissuasion", t.DISSUASION_SAVED), clear_prefixes=("strike_d_",))
