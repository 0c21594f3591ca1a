"""Expert-desk render helpers: the narrative assist, 已有记录 lines, counters, today's calls, hot leads."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.plain import escape_markdown, plain, table
from services.desk.assist import Assist
from services.desk.calls import CallRow, Counters
from services.desk.identifier_store import HotLead, SeenBefore
from services.desk.text import (
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
    DESK_FOUND,
    DESK_FRAUD_TYPE,
    DESK_HOT,
    DESK_HOT_COUNT,
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
    DESK_SUGGEST_TYPE,
    DESK_VALUE,
)
from services.shared.money import format_wan, wan_decimal
from services.shared.timeutil import to_shanghai
from vocabulary import IdentifierKind


def _stamp(moment) -> str:
    return to_shanghai(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def assist_panel(help_: Assist, accept_type: Callable, add_identifier: Callable, set_amount: Callable,
                 entered: set[tuple[str, str]], chosen_type=None) -> None:
    """Proposals from the narrative; each needs one click to be used (nothing is filled silently).

    entered: (kind, value) already in the form, shown as added instead of offered again.
    """
    if not (help_.types or help_.identifiers or help_.amounts):
        return
    with st.container(border=True, key="desk_assist"):
        if help_.types:
            best = help_.types[0]
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(DESK_SUGGEST_TYPE.format(label=best.label, cues="、".join(best.cues)))
                # Once used, the same button says so and stays where it was, so keyboard focus is not lost.
                done = chosen_type == best.fraud_type
                st.button(DESK_ADDED if done else DESK_ACCEPT, key="assist_type", on_click=accept_type,
                          args=(best.fraud_type,), type="tertiary" if done else "secondary")
            for other in help_.types[1:3]:
                st.caption(DESK_SUGGEST_TYPE.format(label=other.label, cues="、".join(other.cues)))
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


def _seen_line(item: SeenBefore, shown: Callable[[str], str]) -> str:
    label = shown(f"{IdentifierKind(item.kind).label} {item.value}")
    line = DESK_SEEN.format(value=label, calls=item.calls, cases=item.cases, first=_stamp(item.first_seen),
                            last=_stamp(item.last_seen), units=shown("、".join(item.units)) or "—",
                            loss=format_wan(item.loss_fen))
    return line + (DESK_SEEN_OUTSIDE.format(cases=item.cases_outside) if item.cases_outside else "")


def seen_lines(seen: list[SeenBefore]) -> None:
    """One line per identifier: first time, or where and when it was seen; hot leads flagged."""
    with st.container(border=True, key="desk_seen"):
        st.markdown(f"**{DESK_SEEN_TITLE}**")
        for item in seen:
            if item.reports == 0:
                plain(DESK_SEEN_NONE.format(value=f"{IdentifierKind(item.kind).label} {item.value}"))
            elif item.hot:  # a notice parses Markdown: the values in it are escaped
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


def calls_table(rows: list[CallRow]) -> None:
    """Today's calls (caller numbers masked by the service)."""
    st.dataframe(pd.DataFrame([
        {"编号": r.id, DESK_RECEIVED_AT: _stamp(r.received_at), DESK_CALL_TYPE: r.call_type,
         DESK_CALLER_PHONE: r.caller_phone or "", DESK_JURISDICTION: r.jurisdiction, DESK_FRAUD_TYPE: r.fraud_type,
         DESK_OUTCOME: r.outcome, "已损失(万元)": wan_decimal(r.lost_fen), "拟转账(万元)": wan_decimal(r.pending_fen)}
        for r in rows
    ], columns=["编号", DESK_RECEIVED_AT, DESK_CALL_TYPE, DESK_CALLER_PHONE, DESK_JURISDICTION,
                DESK_FRAUD_TYPE, DESK_OUTCOME, "已损失(万元)", "拟转账(万元)"]), hide_index=True, width="stretch")


def hot_leads_table(leads: list[HotLead]) -> None:
    """Identifiers reported by three or more separate calls or cases (a plain table: copyable text)."""
    table(pd.DataFrame([
        {DESK_KIND: IdentifierKind(IdentifierKind(h.kind)).label, DESK_VALUE: h.value,
         "开户行": h.bank_name or "", DESK_HOT_COUNT: h.reports, DESK_FIRST_SEEN: _stamp(h.first_seen),
         DESK_LAST_SEEN: _stamp(h.last_seen)} for h in leads
    ], columns=[DESK_KIND, DESK_VALUE, "开户行", DESK_HOT_COUNT, DESK_FIRST_SEEN, DESK_LAST_SEEN]))
