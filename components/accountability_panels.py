"""Accountability panels: summary metrics, by-unit and item tables, item detail, forms, 倒查, integrity flags.

They take plain read models built by the services; text users typed is shown literally (never as Markdown).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from components.plain import escape_markdown, field, plain
from components.uploads import chinese_uploader
from services.accountability.export import ITEM_HEADER, item_cells
from services.accountability.integrity import IntegrityFlag
from services.accountability.prevention_review import PreventionReview
from services.accountability.read import (
    AccountabilitySummary,
    EventRow,
    ItemDetail,
    ItemRow,
    UnitTable,
    UnitTodo,
)
from services.accountability.read import level_label as item_level_label
from services.accountability.rules import RuleVersionRow
from services.accountability.text import (
    ACC_APPROVE,
    ACC_CAMPAIGN_PERIOD,
    ACC_CLOSE,
    ACC_DETAIL,
    ACC_DETAIL_CAMPAIGN,
    ACC_FIELD_ACTION,
    ACC_FIELD_DECISION,
    ACC_FIELD_DUE,
    ACC_FIELD_ESCALATED,
    ACC_FIELD_EXPLANATION,
    ACC_FIELD_FLAG,
    ACC_FIELD_LEVEL,
    ACC_FIELD_LOSS,
    ACC_FIELD_PREVENTION,
    ACC_FIELD_REASON,
    ACC_FIELD_RESPONSIBLE,
    ACC_FIELD_REVIEW_NOTE,
    ACC_FIELD_RULE,
    ACC_FIELD_SOURCE,
    ACC_FIELD_STATUS,
    ACC_FIELD_UNIT,
    ACC_FLAG_CLOSE,
    ACC_FLAG_KEEP,
    ACC_FORM_CLOSE,
    ACC_FORM_CLOSE_NOTE,
    ACC_FORM_DECISION,
    ACC_FORM_DECISION_NOTE,
    ACC_FORM_EXPLANATION_HELP,
    ACC_FORM_FILES,
    ACC_FORM_FILES_BROWSE,
    ACC_FORM_FILES_DROP,
    ACC_FORM_FLAG,
    ACC_FORM_FLAG_REASON,
    ACC_FORM_PREVENTION_HELP,
    ACC_FORM_REVIEW,
    ACC_FORM_REVIEW_NOTE,
    ACC_FORM_SEND,
    ACC_FORM_SUBMIT,
    ACC_HISTORY_COLUMNS,
    ACC_INTEGRITY_COLUMNS,
    ACC_INTEGRITY_NONE,
    ACC_ITEM_COLUMNS,
    ACC_PREVENTION_ACTIVITIES,
    ACC_PREVENTION_ACTIVITY_COLUMNS,
    ACC_PREVENTION_CASE_COLUMNS,
    ACC_PREVENTION_EARLIER,
    ACC_PREVENTION_NO_ACTIVITIES,
    ACC_PREVENTION_REACHED,
    ACC_PREVENTION_TITLE,
    ACC_RETURN,
    ACC_RULE_VERSION,
    ACC_SUMMARY_AWAITING,
    ACC_SUMMARY_AWAITING_HELP,
    ACC_SUMMARY_MONTH,
    ACC_SUMMARY_OPEN,
    ACC_SUMMARY_OVERDUE,
    ACC_SUMMARY_REVIEW,
    ACC_SUMMARY_REVIEW_HELP,
    ACC_TODO_HINT,
    ACC_TODO_NONE,
    ACC_TODO_OVERDUE,
    ACC_TODO_SUMMARY,
    ACC_TODO_TITLE,
    ACC_UNIT_COLUMNS,
    ACC_UNIT_HELP,
    RULES_COLUMNS,
)
from services.shared.money import money_text, wan_decimal, wan_figure
from services.shared.text import NO, UNKNOWN, YES
from services.shared.timeutil import to_shanghai
from vocabulary import (
    ActivityChannel,
    Decision,
    FraudType,
    IntegrityKind,
    ItemAction,
    ItemSource,
    ItemStatus,
    Outreach,
)

RED = "color: #c62828; font-weight: 600"
U, I = ACC_UNIT_COLUMNS, ACC_ITEM_COLUMNS


def level_label(level: str) -> str:
    """The Chinese label of a level code: a loss level, or a campaign consequence (打招呼/谈话/告诫)."""
    return item_level_label(level)


def status_label(status: str) -> str:
    """The Chinese label of a status code."""
    return ItemStatus(ItemStatus(status)).label


def _stamp(moment: datetime | None) -> str:
    return to_shanghai(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _red_when_positive(value: object) -> str:
    return RED if isinstance(value, (int, float)) and value > 0 else ""


def file_size(size: int) -> str:
    """Bytes as B / KB / MB."""
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:,.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"


def field_errors(errors: dict[str, str], *names: str) -> None:
    """Show the refusals of the named fields."""
    for name in names:
        if name in errors:
            st.error(errors[name], icon=":material/error:")


def summary_metrics(figures: AccountabilitySummary) -> None:
    """Five headline numbers: open, overdue, explanations awaiting a leader's approval, downward revisions awaiting
    review, raised this month."""
    with st.container(horizontal=True):
        st.metric(ACC_SUMMARY_OPEN, figures.open_total, border=True)
        st.metric(ACC_SUMMARY_OVERDUE, figures.overdue, border=True)
        st.metric(ACC_SUMMARY_AWAITING, figures.awaiting_approval, help=ACC_SUMMARY_AWAITING_HELP, border=True)
        st.metric(ACC_SUMMARY_REVIEW, figures.needs_review, help=ACC_SUMMARY_REVIEW_HELP, border=True)
        st.metric(ACC_SUMMARY_MONTH, figures.raised_this_month,
                  delta=figures.raised_this_month - figures.raised_last_month, delta_color="inverse", border=True)


def _on_pick(key: str, ids: list[int], pick: Callable[[int], None]) -> Callable[[], None]:
    # Only a new click counts: a selection kept by the widget across reruns must not re-pick a shifted row.
    def callback() -> None:
        chosen = st.session_state[key]["selection"]["rows"]
        if chosen and chosen[0] < len(ids):
            pick(ids[chosen[0]])
    return callback


def unit_table(table: UnitTable, key: str, pick: Callable[[int], None]) -> None:
    """The by-unit table with overdue in red; clicking a unit's row (not the total) calls pick(unit_id)."""
    rows = [*table.rows, table.total] if len(table.rows) > 1 else table.rows
    frame = pd.DataFrame.from_records([{
        U["unit"]: r.name, U["open_l10w"]: r.open_by_level["l10w"], U["open_l50w"]: r.open_by_level["l50w"],
        U["open_l100w"]: r.open_by_level["l100w"], U["open_campaign"]: r.open_campaign, U["overdue"]: r.overdue, U["max_overdue"]: r.max_days_overdue,
        U["awaiting"]: r.awaiting_approval, U["needs_review"]: r.needs_review,
        U["median_close"]: "" if r.median_days_to_close is None else f"{r.median_days_to_close:g}",
        U["this_month"]: r.raised_this_month,
        U["last_month"]: r.raised_last_month,
    } for r in rows])
    styled = frame.style.map(_red_when_positive, subset=[U["overdue"], U["max_overdue"]])
    # Fits a 1366 px laptop with the sidebar open: short headers (explained on hover), fixed widths.
    config = {U["unit"]: st.column_config.TextColumn(width=150, pinned=True)}
    config |= {U[name]: st.column_config.NumberColumn(width=width, help=ACC_UNIT_HELP[name]) for name, width in (
        ("open_l10w", 58), ("open_l50w", 58), ("open_l100w", 64), ("open_campaign", 64), ("overdue", 50),
        ("max_overdue", 64), ("awaiting", 80), ("needs_review", 80), ("this_month", 64), ("last_month", 64))}
    config[U["median_close"]] = st.column_config.TextColumn(width=64, help=ACC_UNIT_HELP["median_close"])
    st.dataframe(styled, hide_index=True, width="stretch", selection_mode="single-row", key=key, column_config=config,
                 on_select=_on_pick(key, [r.unit_id for r in table.rows], pick))


def item_table(rows: list[ItemRow], key: str, pick: Callable[[int], None]) -> None:
    """The item list, overdue in red; clicking a row calls pick(item_id)."""
    # The same cells as the XLSX export, so the file holds exactly what the table shows.
    # Loss as text with two decimals: a campaign item has none, and an empty cell reads better than "None".
    frame = pd.DataFrame.from_records([{**dict(zip(ITEM_HEADER, item_cells(r), strict=True)),
                                        I["loss"]: "" if r.loss_fen is None else f"{wan_figure(r.loss_fen):.2f}"}
                                       for r in rows], columns=ITEM_HEADER)
    styled = frame.style.map(_red_when_positive, subset=[I["overdue"]])
    # Fits a 1366 px laptop with the sidebar open (a campaign item's reason is cut short: the item page has it all).
    widths = {"id": 56, "source": 56, "case_no": 150, "unit": 140, "loss": 72, "level": 84, "status": 80, "due": 88,
              "overdue": 66, "flag": 72}
    config = {I[name]: st.column_config.Column(width=width) for name, width in widths.items()}
    config[I["loss"]] = st.column_config.Column(width=widths["loss"], alignment="right")
    st.dataframe(styled, hide_index=True, width="stretch", selection_mode="single-row", key=key, column_config=config,
                 on_select=_on_pick(key, [r.id for r in rows], pick))


def todo_block(todo: UnitTodo, key: str, pick: Callable[[int], None]) -> None:
    """A clerk's own unit's open items: counts, overdue in red, and the items it must explain (click to open)."""
    with st.container(border=True, key=f"{key}_box"):
        st.subheader(ACC_TODO_TITLE, anchor=False)
        st.markdown(escape_markdown(ACC_TODO_SUMMARY.format(unit=todo.unit_name, open=todo.open_total,
                                                            actionable=todo.actionable, overdue=todo.overdue)))
        if todo.overdue:
            st.error(ACC_TODO_OVERDUE.format(overdue=todo.overdue), icon=":material/alarm:")
        if not todo.rows:
            st.caption(ACC_TODO_NONE)
            return
        item_table(todo.rows, key=key, pick=pick)
        st.caption(ACC_TODO_HINT)


def _source_facts(detail: ItemDetail) -> None:
    """The case (loss, type, reported) or the campaign (name, period, reason) the item comes from."""
    case, campaign = detail.case, detail.campaign
    if case is not None:
        st.markdown(f"{ACC_FIELD_LOSS}：{money_text(case.loss_fen)} · "
                    f"{FraudType(FraudType(case.fraud_type)).label} · {_stamp(case.reported_at)}")
    elif campaign is not None:
        field(ACC_FIELD_SOURCE, f"{ItemSource.CAMPAIGN.label} · {campaign.name}（"
                                f"{ACC_CAMPAIGN_PERIOD.format(start=campaign.start_date, end=campaign.end_date)}）")
        field(ACC_FIELD_REASON, campaign.reason or "")


def item_header(detail: ItemDetail) -> None:
    """The item's facts: unit, case or campaign, level, status, requirement, due date (red when overdue)."""
    item, case = detail.item, detail.case
    title = ACC_DETAIL.format(item_id=item.id, case_no=escape_markdown(case.case_no)) if case is not None else \
        ACC_DETAIL_CAMPAIGN.format(item_id=item.id, campaign=escape_markdown(detail.campaign.name))
    st.subheader(title, anchor=False)
    left, right = st.columns(2)
    with left:
        field(ACC_FIELD_UNIT, detail.unit_name)
        _source_facts(detail)
        escalated = f"（{ACC_FIELD_ESCALATED.format(level=level_label(item.escalated_from_level))}）" \
            if item.escalated_from_level else ""
        st.markdown(f"{ACC_FIELD_LEVEL}：**{level_label(item.level)}**{escalated}")
        st.markdown(f"{ACC_FIELD_STATUS}：**{status_label(item.status)}**")
    with right:
        field(ACC_FIELD_ACTION, item.required_action)
        field(ACC_FIELD_RESPONSIBLE, item.responsible)
        overdue = f" :red[**（{I['overdue']} {detail.days_overdue}）**]" if detail.days_overdue else ""
        st.markdown(f"{ACC_FIELD_DUE}：{item.due_date.isoformat()}{overdue}")
        if detail.rule is not None:
            st.markdown(f"{ACC_FIELD_RULE}：{ACC_RULE_VERSION.format(date=detail.rule.effective_from.isoformat())}")
    if item.needs_review:
        st.warning(f"{ACC_FIELD_FLAG}：{escape_markdown(item.needs_review_reason or '')}", icon=":material/flag:")
    _item_texts(detail)


def _item_texts(detail: ItemDetail) -> None:
    """The explanation, 倒查, review note and closing decision, each as plain text under its label."""
    item = detail.item
    for label, text in ((ACC_FIELD_EXPLANATION, item.explanation), (ACC_FIELD_PREVENTION, item.prevention_review),
                        (ACC_FIELD_REVIEW_NOTE, item.review_note)):
        if text:
            st.markdown(f"**{label}**")
            plain(text)
    if item.decision:
        st.markdown(f"**{ACC_FIELD_DECISION}**：{Decision(Decision(item.decision)).label}")
        if item.decision_note:
            plain(item.decision_note)
    elif item.decision_note:  # below 100万 no decision is taken: the note is the leader's closing remark
        st.markdown(f"**{ACC_FORM_CLOSE_NOTE}**")
        plain(item.decision_note)


def history_table(events: list[EventRow]) -> None:
    """The item's history, oldest first."""
    columns = ACC_HISTORY_COLUMNS
    st.dataframe(pd.DataFrame.from_records([{
        columns["at"]: _stamp(e.at), columns["username"]: e.username or "",
        columns["action"]: ItemAction(ItemAction(e.action)).label,
        columns["status"]: " → ".join(status_label(s) for s in (e.from_status, e.to_status) if s),
        columns["note"]: e.note or "",
    } for e in events]), hide_index=True, width="stretch", key="acc_history")


def prevention_panel(review: PreventionReview) -> None:
    """The 倒查 material: activities in the 90 days before, the victim's answer, earlier same-type cases."""
    with st.container(border=True):
        st.markdown(f"**{ACC_PREVENTION_TITLE.format(unit=escape_markdown(review.unit_name))}**")
        window = {"first": review.first_day.isoformat(), "last": review.last_day.isoformat()}
        if review.activities:
            st.markdown(ACC_PREVENTION_ACTIVITIES.format(
                count=len(review.activities), people=review.people_reached, households=review.households,
                pieces=review.pieces, **window))
            columns = ACC_PREVENTION_ACTIVITY_COLUMNS
            st.dataframe(pd.DataFrame.from_records([{
                columns["date"]: a.activity_date.isoformat(),
                columns["outreach"]: Outreach.label_of(a.outreach, a.outreach),
                columns["channel"]: ActivityChannel.label_of(a.channel, a.channel),
                columns["people"]: a.people_reached, columns["place"]: a.place or "",
            } for a in review.activities]), hide_index=True, width="stretch", key="acc_prevention_activities")
        else:
            st.markdown(f":red[{ACC_PREVENTION_NO_ACTIVITIES.format(**window)}]")
        reached = UNKNOWN if review.victim_reached is None else (YES if review.victim_reached else NO)
        st.markdown(ACC_PREVENTION_REACHED.format(value=reached))
        st.markdown(ACC_PREVENTION_EARLIER.format(type=FraudType(FraudType(review.fraud_type)).label,
                                                    count=len(review.earlier_cases),
                                                    loss=money_text(review.earlier_loss_fen)))
        if review.earlier_cases:
            columns = ACC_PREVENTION_CASE_COLUMNS
            st.dataframe(pd.DataFrame.from_records([{
                columns["case_no"]: c.case_no, columns["reported"]: to_shanghai(c.reported_at).date().isoformat(),
                columns["loss"]: float(wan_figure(c.loss_fen)),
            } for c in review.earlier_cases]), hide_index=True, width="stretch", key="acc_prevention_cases")


@dataclass(frozen=True)
class ExplanationInput:
    """What the explanation form submitted."""

    explanation: str
    prevention_review: str | None
    files: list[UploadedFile]


UPLOADER_KEY = "acc_uploader"


def explanation_form(detail: ItemDetail, needs_prevention: bool, errors: dict[str, str], max_mb: int,
                     key: str, max_files: int = 10) -> ExplanationInput | None:
    """Explanation text, the 倒查 text from 50万 up, and attachments."""
    item = detail.item
    with st.form(key, border=True):
        st.markdown(f"**{ACC_FORM_SUBMIT}**")
        text = st.text_area(ACC_FIELD_EXPLANATION, item.explanation or "", help=ACC_FORM_EXPLANATION_HELP,
                            max_chars=5000, key=f"{key}_text")
        field_errors(errors, "explanation")
        review = None
        if needs_prevention:
            review = st.text_area(ACC_FIELD_PREVENTION, item.prevention_review or "",
                                  help=ACC_FORM_PREVENTION_HELP, max_chars=5000, key=f"{key}_prevention")
            field_errors(errors, "prevention_review")
        with st.container(key=UPLOADER_KEY):
            chinese_uploader(UPLOADER_KEY, f"{ACC_FORM_FILES_DROP}（每个不超过 {max_mb} MB）", ACC_FORM_FILES_BROWSE)
            files = st.file_uploader(ACC_FORM_FILES.format(count=max_files, mb=max_mb), accept_multiple_files=True,
                                     max_upload_size=max_mb, key=f"{key}_files")
        field_errors(errors, "attachments", "status")
        if st.form_submit_button(ACC_FORM_SEND, type="primary"):
            return ExplanationInput(text, review, list(files or []))
    return None


def _note_and_choice(title: str, note_label: str, yes: str, no: str, note_field: str, errors: dict[str, str],
                     key: str) -> tuple[bool, str] | None:
    """A note and two buttons; returns (the first button pressed?, note) when one was pressed."""
    with st.form(key, border=True):
        st.markdown(f"**{title}**")
        note = st.text_area(note_label, max_chars=5000, key=f"{key}_{note_field}")
        field_errors(errors, note_field, "status")
        with st.container(horizontal=True):
            first = st.form_submit_button(yes, type="primary")
            second = st.form_submit_button(no)
    if first or second:
        return first, note
    return None


def review_form(errors: dict[str, str], key: str) -> tuple[bool, str] | None:
    """Approve or return with a note; returns (approve, note) when a button was pressed."""
    return _note_and_choice(ACC_FORM_REVIEW, ACC_FORM_REVIEW_NOTE, ACC_APPROVE, ACC_RETURN, "note", errors, key)


def close_form(needs_decision: bool, errors: dict[str, str], key: str) -> tuple[Decision | None, str] | None:
    """Close an approved item; at the 100万 level with the decision taken."""
    with st.form(key, border=True):
        st.markdown(f"**{ACC_FORM_CLOSE}**")
        decision = None
        if needs_decision:
            decision = st.radio(ACC_FORM_DECISION, list(Decision), index=None, format_func=Decision.labels().get,
                                horizontal=True, key=f"{key}_decision")
            field_errors(errors, "decision")
        note = st.text_area(ACC_FORM_DECISION_NOTE if needs_decision else ACC_FORM_CLOSE_NOTE, max_chars=5000,
                            key=f"{key}_note")
        field_errors(errors, "decision_note", "status")
        if st.form_submit_button(ACC_CLOSE, type="primary"):
            return decision, note
    return None


def flag_form(errors: dict[str, str], key: str) -> tuple[bool, str] | None:
    """Settle a downward-revision flag; returns (keep, reason) when a button was pressed."""
    return _note_and_choice(ACC_FORM_FLAG, ACC_FORM_FLAG_REASON, ACC_FLAG_KEEP, ACC_FLAG_CLOSE, "reason", errors, key)


def _case_links(case_ids: tuple[int, ...], limit: int = 20) -> str:
    links = " ".join(f"[{case_id}](cases?case={case_id})" for case_id in case_ids[:limit])
    return links + (" …" if len(case_ids) > limit else "")


def integrity_table(flags: list[IntegrityFlag]) -> None:
    """Each flag with its unit, kind, what was found and links to the cases behind it."""
    if not flags:
        st.caption(ACC_INTEGRITY_NONE)
        return
    for flag in flags:
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(flag.unit_name)}** · :red[{IntegrityKind(flag.kind).label}]")
            st.markdown(escape_markdown(flag.detail))
            st.markdown(f"{ACC_INTEGRITY_COLUMNS['cases']}（{len(flag.case_ids)}）：{_case_links(flag.case_ids)}")


def rules_frame(rules: list[RuleVersionRow], with_history: bool) -> pd.DataFrame:
    """Rule versions as a table."""
    columns = RULES_COLUMNS
    records = []
    for r in rules:
        record = {columns["level"]: level_label(r.level), columns["threshold"]: float(wan_decimal(r.threshold_fen)),
                  columns["action"]: r.required_action, columns["responsible"]: r.responsible,
                  columns["deadline"]: r.deadline_days, columns["effective"]: r.effective_from.isoformat()}
        if with_history:
            record |= {columns["retired"]: YES if r.retired else "", columns["created_by"]: r.created_by or "",
                       columns["created_at"]: _stamp(r.created_at), columns["reason"]: r.reason or ""}
        records.append(record)
    return pd.DataFrame.from_records(records)


_SCROLL_JS = """
export default function (component) {
  const { data } = component;
  // Once per opened item: a rerun of the same item (a form's refusal, a download) keeps the reader where they are.
  if (!data || !data.target || window.__fanzhaScrolledTo === data.token) { return; }
  window.__fanzhaScrolledTo = data.token;
  let tries = 0;
  const scroll = () => {
    const target = document.querySelector(".st-key-" + data.target);
    if (target) { target.scrollIntoView({ behavior: "smooth", block: "start" }); return; }
    if (++tries < 40) { setTimeout(scroll, 50); }
  };
  scroll();
}
"""
_scroll = st.components.v2.component("fanzha_scroll_to", js=_SCROLL_JS)


def scroll_to(target_key: str, token: str | None, key: str) -> None:
    """Scroll the page to the container keyed `target_key` once per `token` (None forgets, so reopening scrolls)."""
    _scroll(data={"target": target_key if token else None, "token": token}, key=key)
