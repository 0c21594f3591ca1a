"""打击挽损 panels: the 两升两降 table in colour, the ledger's figures, plain tables and the write forms' widgets."""

from collections.abc import Sequence
from datetime import date, datetime, time

import pandas as pd
import streamlit as st

GOOD_COLOUR = "background-color: #d9f2d9; color: #14532d"  # moved the way the plans want
BAD_COLOUR = "background-color: #fbdada; color: #7f1d1d"


def two_up_table(header: Sequence[str], rows: list[list[str]], goodness: list[list[bool | None]], key: str) -> None:
    """The 两升两降 table: each change green when it went the wanted way, red when not, plain when flat."""
    frame = pd.DataFrame(rows, columns=list(header))

    def colour(column: pd.Series) -> list[str]:
        index = list(header).index(column.name) - 1
        if index < 0:
            return [""] * len(column)
        return [GOOD_COLOUR if g[index] is True else BAD_COLOUR if g[index] is False else "" for g in goodness]

    st.dataframe(frame.style.apply(colour, axis=0), hide_index=True, width="stretch", key=key)


def figures_row(figures: dict[str, str], labels: dict[str, str], key: str) -> None:
    """Headline figures as metrics (text values keep their counts beside the rates)."""
    with st.container(horizontal=True, key=key):
        for name, label in labels.items():
            st.metric(label, figures[name], border=True)


def text_table(header: Sequence[str], rows: list[list[object]], key: str, empty: str = "—") -> None:
    """A read-only table of text cells (never Markdown), or a short note when empty."""
    if not rows:
        st.caption(empty)
        return
    st.dataframe(pd.DataFrame(rows, columns=list(header)), hide_index=True, width="stretch", key=key)


def moment_inputs(label_day: str, label_time: str, key: str, default: datetime) -> datetime:
    """A Beijing wall-clock date and time picked side by side (naive: the service reads it as Beijing time)."""
    with st.container(horizontal=True):
        day = st.date_input(label_day, default.date(), key=f"{key}_day", width=160)
        clock = st.time_input(label_time, default.time().replace(second=0, microsecond=0), key=f"{key}_time",
                              width=120, step=60)
    return datetime.combine(day if isinstance(day, date) else default.date(),
                            clock if isinstance(clock, time) else default.time())


def field_error(errors: dict[str, str], *names: str) -> None:
    """The refusals kept for these fields, under them."""
    for name in names:
        if name in errors:
            st.error(errors[name], icon=":material/error:")


def stop_payment_panel(call_id: int, lost_text: str, accounts: int, requested: list[int], *, key: str,
                       labels: tuple[str, str]) -> bool:
    """The desk's 立即止付 for a saved call with an account and a loss; returns whether it was pressed.

    `labels` are the button text and the already-requested text (both with their placeholders filled here).
    """
    button, done = labels
    if requested:
        st.info(done.format(ids="、".join(str(i) for i in requested)), icon=":material/account_balance:")
        return False
    if accounts == 0 or not lost_text:
        return False
    return st.button(button.format(call_id=call_id, amount=lost_text), type="primary",
                     icon=":material/front_hand:", key=key)


def case_solve_form(today: date, first_day: date, how_labels: dict[str, str], errors: dict[str, str], *, key: str,
                    labels: tuple[str, str, str]) -> tuple[date, str] | None:
    """破案 on a case: the Beijing day (not before its report day, not after today) and how; the values when saved."""
    day_label, how_label, submit = labels
    with st.form(key, border=False):
        with st.container(horizontal=True):
            day = st.date_input(day_label, today, min_value=first_day, max_value=today, key=f"{key}_day", width=180)
            how = st.radio(how_label, list(how_labels), format_func=how_labels.get, horizontal=True, index=None,
                           key=f"{key}_how")
        field_error(errors, "solved_on", "solved_how", "form")
        if not st.form_submit_button(submit, type="primary"):
            return None
    return (day if isinstance(day, date) else today), how


def case_stop_form(errors: dict[str, str], *, key: str, labels: tuple[str, str, str]) -> tuple[str, str] | None:
    """申请止付 on a case: the account (bank name may lead) and the amount in 元; the typed values when saved."""
    account_label, amount_label, submit = labels
    with st.form(key, border=False):
        with st.container(horizontal=True):
            account = st.text_input(account_label, key=f"{key}_account", max_chars=80)
            amount = st.text_input(amount_label, key=f"{key}_amount", max_chars=20, width=200)
        field_error(errors, "account", "amount", "form")
        if not st.form_submit_button(submit, type="primary"):
            return None
    return account, amount


def call_interception_form(defaults: dict[str, object], choices: dict[str, dict], errors: dict[str, str], *, key: str,
                           labels: dict[str, str]) -> dict[str, object] | None:
    """The desk's 记录阻截 for a saved call that stopped a payment, prefilled from the call; the values when saved.

    `defaults`: unit, at (Beijing wall time), amount (元 as text), fraud_type, payee (an option of `choices["payee"]`);
    `choices`: option → label for unit, fraud_type, payee, outcome; `labels`: the field labels and the submit text.
    """
    def pick(name: str, widget=st.selectbox, **extra):
        options = list(choices[name])
        chosen = defaults.get(name)
        return widget(labels[name], options, format_func=choices[name].get, key=f"{key}_{name}",
                      index=options.index(chosen) if chosen in options else (None if name == "fraud_type" else 0),
                      **extra)

    with st.form(key, border=False):
        with st.container(horizontal=True):
            values: dict[str, object] = {"unit": pick("unit")}
            values["bank"] = st.text_input(labels["bank"], key=f"{key}_bank", max_chars=64)
            values["branch"] = st.text_input(labels["branch"], key=f"{key}_branch", max_chars=100)
        field_error(errors, "unit_id", "bank_name", "branch_name")
        values["at"] = moment_inputs(labels["day"], labels["time"], f"{key}_at", defaults["at"])
        field_error(errors, "intercepted_at")
        with st.container(horizontal=True):
            values["officer"] = st.text_input(labels["officer"], key=f"{key}_officer", max_chars=64)
            values["amount"] = st.text_input(labels["amount"], str(defaults.get("amount") or ""), key=f"{key}_amount",
                                             max_chars=20)
        field_error(errors, "officer_name", "amount")
        values["fraud_type"] = pick("fraud_type")
        with st.container(horizontal=True):
            values["payee"] = pick("payee")
            values["payee_other"] = st.text_input(labels["payee_other"], key=f"{key}_payee_other", max_chars=40)
        field_error(errors, "payee_account")
        values["outcome"] = pick("outcome", st.radio, horizontal=True)
        field_error(errors, "outcome", "form")
        if not st.form_submit_button(labels["submit"], type="primary", icon=":material/shield:"):
            return None
    return values


def strike_link_inputs(cases_label: str, identifiers_label: str, help_text: str, *, key: str) -> tuple[str, str]:
    """A strike result's linked case numbers and phones/accounts, typed one a line (inside the entry form)."""
    with st.container(horizontal=True):
        cases = st.text_area(cases_label, key=f"{key}_cases", help=help_text, height=80, max_chars=2000)
        identifiers = st.text_area(identifiers_label, key=f"{key}_identifiers", help=help_text, height=80,
                                   max_chars=2000)
    return cases, identifiers
