"""Expert-desk render helpers: the narrative assist, 已有记录 lines (with 报送/封停), counters, today's calls, hot leads."""

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from components.plain import escape_markdown, plain, table
from services.desk.assist import Assist
from services.desk.calls import CallRow, Counters
from services.desk.identifier_actions import ActionRow, ActionSummary
from services.desk.identifier_store import HotLead, SeenBefore
from services.desk.text import (
    ACTION_COL_UNIT,
    ACTION_DATE,
    ACTION_HOT_SUSPENDED,
    ACTION_HOT_SUSPENDED_ON,
    ACTION_INSTITUTION,
    ACTION_KIND,
    ACTION_LIST_EMPTY,
    ACTION_NOTE,
    ACTION_NOTE_HIDDEN,
    ACTION_SOURCE,
    ACTION_SOURCES,
    ACTION_SUBMIT,
    ACTION_SUSPENDED,
    DESK_ACCEPT,
    DESK_ADD,
    DESK_ADDED,
    DESK_CALL_TYPE,
    DESK_CALLER_PHONE,
    DESK_COUNT_CALLS,
    DESK_COUNT_CASES,
    DESK_COUNT_DISSUADED,
    DESK_COUNT_LEADS,
    DESK_COUNTERS_DESK,
    DESK_COUNTERS_OFFICER,
    DESK_FIRST_SEEN,
    DESK_FOLLOW_HELP,
    DESK_FOLLOW_NONE,
    DESK_FOLLOW_PICK,
    DESK_FOLLOW_PLACEHOLDER,
    DESK_FOUND,
    DESK_FRAUD_TYPE,
    DESK_HOT,
    DESK_HOT_COUNT,
    DESK_INTERCEPTED,
    DESK_INTERCEPTED_IDS,
    DESK_JURISDICTION,
    DESK_KIND,
    DESK_LAST_SEEN,
    DESK_OFFICER,
    DESK_OUTCOME,
    DESK_RECEIVED_AT,
    DESK_SEEN,
    DESK_SEEN_NONE,
    DESK_SEEN_OUTSIDE,
    DESK_SEEN_TITLE,
    DESK_SET_LOST,
    DESK_SET_PENDING,
    DESK_SUGGEST_TYPE_CONFIDENT,
    DESK_TYPE_UNDETERMINED,
    DESK_VALUE,
)
from services.shared.money import format_wan, wan_decimal
from services.shared.timeutil import to_shanghai
from vocabulary import IdentifierActionKind, IdentifierKind


def _stamp(moment) -> str:
    return to_shanghai(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def assist_panel(help_: Assist, accept_type: Callable, add_identifier: Callable, set_amount: Callable,
                 entered: set[tuple[str, str]], chosen_type=None) -> None:
    """Proposals from the narrative; each needs one click to be used (nothing is filled silently).

    entered: (kind, value) already in the form, shown as added instead of offered again.
    """
    if not (help_.types or help_.identifiers or help_.amounts or help_.undetermined):
        return
    with st.container(border=True, key="desk_assist"):
        if help_.types:
            best = help_.types[0]
            with st.container(horizontal=True, vertical_alignment="center"):
                # Reasons are words from the caller's story: shown as plain text, never as markdown.
                plain(DESK_SUGGEST_TYPE_CONFIDENT.format(label=best.label, cues="、".join(best.cues),
                                                         level=best.level, confidence=best.confidence))
                # Once used, the same button says so and stays where it was, so keyboard focus is not lost.
                done = chosen_type == best.fraud_type
                st.button(DESK_ADDED if done else DESK_ACCEPT, key="assist_type", on_click=accept_type,
                          args=(best.fraud_type,), type="tertiary" if done else "secondary")
        elif help_.undetermined:
            plain(DESK_TYPE_UNDETERMINED)
        if help_.identifiers or help_.amounts:
            st.caption(DESK_FOUND)
        for i, found in enumerate(help_.identifiers):
            with st.container(horizontal=True, vertical_alignment="center"):
                note = f"（{found.note}）" if found.note else ""
                plain(f"{found.kind_label}：{found.value}{note}")
                done = (found.kind, found.value) in entered
                st.button(DESK_ADDED if done else DESK_ADD, key=f"assist_id_{i}", on_click=add_identifier,
                          args=(found.kind, found.entry), type="tertiary" if done else "secondary")
        for i, amount in enumerate(help_.amounts):
            with st.container(horizontal=True, vertical_alignment="center"):
                plain(f"{amount.raw} → {format_wan(amount.fen)} 万元")
                st.button(DESK_SET_LOST, key=f"assist_lost_{i}", on_click=set_amount, args=("lost", amount.as_yuan),
                          type="primary" if amount.role == "lost" else "secondary")
                st.button(DESK_SET_PENDING, key=f"assist_pending_{i}", on_click=set_amount,
                          args=("pending", amount.as_yuan), type="primary" if amount.role == "pending" else "secondary")


def actions_text(actions: ActionSummary) -> str:
    """An identifier's sources and 封停 in one line (empty when none)."""
    parts = []
    if actions.suspended_on is not None:
        parts.append(ACTION_SUSPENDED.format(day=actions.suspended_on.isoformat(), by=actions.suspended_by or "—"))
    if actions.sources:
        parts.append(ACTION_SOURCES.format(sources="、".join(
            ACTION_SOURCE.format(kind=IdentifierActionKind.label_of(kind, kind), institution=institution,
                                 day=day.isoformat()) for kind, institution, day in actions.sources)))
    return "；".join(parts)


def _seen_line(item: SeenBefore, shown: Callable[[str], str]) -> str:
    label = shown(f"{IdentifierKind(item.kind).label} {item.value}")
    line = DESK_SEEN.format(value=label, calls=item.calls, cases=item.cases, first=_stamp(item.first_seen),
                            last=_stamp(item.last_seen), units=shown("、".join(item.units)) or "—",
                            loss=format_wan(item.loss_fen))
    line += DESK_SEEN_OUTSIDE.format(cases=item.cases_outside) if item.cases_outside else ""
    actions = actions_text(item.actions)
    return f"{line}；{shown(actions)}" if actions else line


def seen_lines(seen: list[SeenBefore]) -> None:
    """One line per identifier: first time, or where and when it was seen, its 报送 and 封停; hot leads flagged."""
    with st.container(border=True, key="desk_seen"):
        st.markdown(f"**{DESK_SEEN_TITLE}**")
        for item in seen:
            if not item.known:
                plain(DESK_SEEN_NONE.format(value=f"{IdentifierKind(item.kind).label} {item.value}"))
            elif item.hot and not item.suspended:  # a notice parses Markdown: the values in it are escaped
                st.error(f"{DESK_HOT}：{_seen_line(item, escape_markdown)}", icon=":material/local_fire_department:")
            else:
                plain(_seen_line(item, str))


def counters_row(total: Counters, per_officer: list[tuple[str, Counters]]) -> None:
    """Today's counters for the desk and each officer."""
    st.markdown(f"**{DESK_COUNTERS_DESK}**")
    with st.container(horizontal=True, key="desk_counters"):
        for label, value in ((DESK_COUNT_CALLS, total.calls), (DESK_COUNT_DISSUADED, total.dissuaded),
                             (DESK_COUNT_LEADS, total.leads), (DESK_COUNT_CASES, total.cases)):
            st.metric(f"{label}（次）", f"{value:,}", border=True)
    if per_officer:
        st.markdown(f"**{DESK_COUNTERS_OFFICER}**")
        st.dataframe(pd.DataFrame([
            {DESK_OFFICER: name, DESK_COUNT_CALLS: c.calls, DESK_COUNT_DISSUADED: c.dissuaded,
             DESK_COUNT_LEADS: c.leads, DESK_COUNT_CASES: c.cases} for name, c in per_officer
        ]), hide_index=True)


def _intercepted(ids: tuple[int, ...]) -> str:
    return DESK_INTERCEPTED_IDS.format(ids="、".join(map(str, ids))) if ids else ""


def calls_table(rows: list[CallRow]) -> None:
    """Today's calls (caller numbers masked by the service), with the 阻截 recorded from each."""
    st.dataframe(pd.DataFrame([
        {"编号": r.id, DESK_RECEIVED_AT: _stamp(r.received_at), DESK_CALL_TYPE: r.call_type,
         DESK_CALLER_PHONE: r.caller_phone or "", DESK_JURISDICTION: r.jurisdiction, DESK_FRAUD_TYPE: r.fraud_type,
         DESK_OUTCOME: r.outcome, "已损失(万元)": wan_decimal(r.lost_fen), "拟转账(万元)": wan_decimal(r.pending_fen),
         DESK_INTERCEPTED: _intercepted(r.interceptions)}
        for r in rows
    ], columns=["编号", DESK_RECEIVED_AT, DESK_CALL_TYPE, DESK_CALLER_PHONE, DESK_JURISDICTION,
                DESK_FRAUD_TYPE, DESK_OUTCOME, "已损失(万元)", "拟转账(万元)", DESK_INTERCEPTED]),
                 hide_index=True, width="stretch", key="desk_calls")


def hot_leads_table(leads: list[HotLead]) -> None:
    """Identifiers reported by three or more separate calls or cases (a plain table: copyable text)."""
    table(pd.DataFrame([
        {DESK_KIND: IdentifierKind(IdentifierKind(h.kind)).label, DESK_VALUE: h.value,
         "开户行": h.bank_name or "", DESK_HOT_COUNT: h.reports, DESK_FIRST_SEEN: _stamp(h.first_seen),
         DESK_LAST_SEEN: _stamp(h.last_seen),
         ACTION_HOT_SUSPENDED: ACTION_HOT_SUSPENDED_ON.format(day=h.suspended_on.isoformat()) if h.suspended_on else ""} for h in leads
    ], columns=[DESK_KIND, DESK_VALUE, "开户行", DESK_HOT_COUNT, DESK_FIRST_SEEN, DESK_LAST_SEEN,
                ACTION_HOT_SUSPENDED]))


def action_rows(rows: list[ActionRow]) -> None:
    """The 报送 and 封停 of one identifier as a plain table (another unit's note is withheld)."""
    if not rows:
        st.caption(ACTION_LIST_EMPTY)
        return
    table(pd.DataFrame([
        {ACTION_KIND: IdentifierActionKind.label_of(r.kind, r.kind), ACTION_INSTITUTION: r.institution,
         ACTION_DATE: r.on_date.isoformat(), ACTION_NOTE: ACTION_NOTE_HIDDEN if r.note is None else r.note,
         ACTION_COL_UNIT: r.unit_name} for r in rows
    ], columns=[ACTION_KIND, ACTION_INSTITUTION, ACTION_DATE, ACTION_NOTE, ACTION_COL_UNIT]))


def action_form(today: date, errors: dict[str, str], *, key: str) -> dict[str, object] | None:
    """登记报送/封停 of one identifier: kind, institution, day, note; the typed values when submitted."""
    kinds = IdentifierActionKind.labels()
    with st.form(key, border=False):
        with st.container(horizontal=True):
            kind = st.radio(ACTION_KIND, list(kinds), format_func=kinds.get, horizontal=True, index=None,
                            key=f"{key}_kind")
            institution = st.text_input(ACTION_INSTITUTION, key=f"{key}_institution", max_chars=64)
            day = st.date_input(ACTION_DATE, today, max_value=today, key=f"{key}_day", width=160)
        note = st.text_input(ACTION_NOTE, key=f"{key}_note", max_chars=500)
        for name in ("kind", "institution", "on_date", "note", "identifier_id", "form"):
            if name in errors:
                st.error(errors[name], icon=":material/error:")
        if not st.form_submit_button(ACTION_SUBMIT, type="primary"):
            return None
    return {"kind": kind, "institution": institution, "on_date": day if isinstance(day, date) else None, "note": note}


def follow_up_picker(choices: dict[int, str], *, key: str) -> int | None:
    """补录: pick one of today's calls (id → label) to record a 立即止付 or a 阻截 for; None until one is picked."""
    st.caption(DESK_FOLLOW_HELP)
    if not choices:
        st.caption(DESK_FOLLOW_NONE)
        return None
    return st.selectbox(DESK_FOLLOW_PICK, list(choices), format_func=choices.get, index=None,
                        placeholder=DESK_FOLLOW_PLACEHOLDER, key=key)
