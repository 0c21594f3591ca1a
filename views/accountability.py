"""问责预警: by-unit table, drill into unit → items → item, explanation/review/close forms, 倒查, integrity flags."""

import streamlit as st

import cached
import web_session
from components import accountability_views as view
from components import url_state
from db.engine import read_session, write_session
from services.access.actor import AccessDenied
from services.access.permissions import Permission
from services.access.text import OUT_OF_SCOPE
from services.accountability.integrity import MIN_CASES
from services.accountability.read import ItemFilter, item_detail
from services.accountability.text import (
    ACC_ATTACHMENT_PREPARE,
    ACC_ATTACHMENT_SAVE,
    ACC_ATTACHMENTS,
    ACC_ATTACHMENTS_NONE,
    ACC_BACK_TO_LIST,
    ACC_DONE,
    ACC_EMPTY,
    ACC_FILTER_ALL,
    ACC_FILTER_FLAGGED,
    ACC_FILTER_LEVEL,
    ACC_FILTER_OPEN,
    ACC_FILTER_OVERDUE,
    ACC_FILTER_STATUS,
    ACC_HISTORY,
    ACC_INTEGRITY_NOTE,
    ACC_INTEGRITY_TITLE,
    ACC_INVALID,
    ACC_ITEMS_OF,
    ACC_OVERDUE_NOTE,
    ACC_SELECT_ITEM_HINT,
    ACC_SELECT_UNIT_HINT,
    ACC_TITLE,
    ACC_UNIT_TABLE,
)
from services.accountability.workflow import (
    ATTACHMENT_MAX_MB,
    Upload,
    attachment,
    close,
    needs_decision,
    needs_prevention_review,
    resolve_flag,
    review,
    submit_explanation,
)
from services.shared.errors import InvalidInput
from services.shared.text import UNIT_PICKER
from services.shared.timeutil import now_utc
from vocabulary import AccountabilityLevel, ItemAction, ItemStatus

NOTICE = "acc_notice"
state = st.session_state
actor = web_session.actor()
now = now_utc()
st.title(ACC_TITLE, anchor=False)
if notice := state.pop(NOTICE, None):
    getattr(st, notice[0])(notice[1])

choices = cached.unit_choices(actor)
requested_unit = url_state.get_int("unit")
if requested_unit is not None and requested_unit not in {c[0] for c in choices}:
    st.error(OUT_OF_SCOPE, icon=":material/block:")
    st.stop()
# Keyed by the unit in the link, so a drill-down from the table redraws the picker on the new unit.
chosen = url_state.unit_picker(UNIT_PICKER, choices, requested_unit or actor.unit_id,
                               key=f"acc_unit_{requested_unit or actor.unit_id}")
url_state.set_params(unit=chosen if chosen != actor.unit_id else None)

with web_session.refusals():
    figures, table = cached.accountability_units(cached.current_minute(), actor, chosen)
view.summary_metrics(figures)

st.subheader(ACC_UNIT_TABLE, anchor=False)
st.caption(ACC_OVERDUE_NOTE)


def _drill(unit_id: int) -> None:
    if unit_id != chosen:
        url_state.set_params(unit=unit_id, item=None)


view.unit_table(table, key=f"acc_units_{chosen}", pick=_drill)
st.caption(ACC_SELECT_UNIT_HINT)

levels, statuses = [None, *AccountabilityLevel], [None, *ItemStatus]
with st.container(horizontal=True, vertical_alignment="bottom"):
    level = st.selectbox(
        ACC_FILTER_LEVEL, levels, index=levels.index(AccountabilityLevel(v)) if (v := url_state.get_str(
            "level", set(AccountabilityLevel))) else 0,
        format_func=lambda x: ACC_FILTER_ALL if x is None else AccountabilityLevel(x).label, key="acc_level")
    status = st.selectbox(
        ACC_FILTER_STATUS, statuses, index=statuses.index(ItemStatus(v)) if (v := url_state.get_str(
            "status", set(ItemStatus))) else 0,
        format_func=lambda x: ACC_FILTER_ALL if x is None else ItemStatus(x).label, key="acc_status")
    open_only = st.toggle(ACC_FILTER_OPEN, url_state.get_str("open") == "1", key="acc_open")
    overdue_only = st.toggle(ACC_FILTER_OVERDUE, url_state.get_str("overdue") == "1", key="acc_overdue")
    flagged_only = st.toggle(ACC_FILTER_FLAGGED, url_state.get_str("flag") == "1", key="acc_flag")
url_state.set_params(level=level.value if level else None, status=status.value if status else None,
                     open="1" if open_only else None, overdue="1" if overdue_only else None,
                     flag="1" if flagged_only else None)

criteria = ItemFilter(unit_id=chosen, level=level, status=status, open_only=open_only, overdue_only=overdue_only,
                      flagged_only=flagged_only)
with web_session.refusals():
    rows = cached.accountability_items(cached.current_minute(), actor, criteria)
st.subheader(ACC_ITEMS_OF.format(unit=table.unit.name, count=len(rows)), anchor=False)
# A new filter is a new table: no row stays highlighted from the previous list.
ITEMS_KEY = f"acc_items_{chosen}_{level}_{status}_{open_only:d}{overdue_only:d}{flagged_only:d}"
if rows:
    view.item_table(rows, key=ITEMS_KEY, pick=lambda item_id: url_state.set_params(item=item_id))
else:
    st.info(ACC_EMPTY)

def _run(item_id: int, action: ItemAction, operation) -> None:
    """Run one workflow step in a write transaction; keep refusals by field for the form; rerun."""
    errors_key = f"acc_errors_{item_id}"
    try:
        with write_session(cached.engine()) as session:
            operation(session)
    except InvalidInput as invalid:
        state[errors_key] = invalid.errors
        state[NOTICE] = ("error", ACC_INVALID.format(count=len(invalid.errors)))
    except AccessDenied as denied:
        state[errors_key] = {"status": str(denied)}
        state[NOTICE] = ("error", str(denied))
    else:
        state.pop(errors_key, None)
        state[NOTICE] = ("success", ACC_DONE.format(action=ItemAction(action).label))
        for widget in [k for k in state if str(k).startswith(f"acc_form_{item_id}_")]:
            del state[widget]
        state.pop(ITEMS_KEY, None)  # the list order may change: forget the highlighted row
        cached.invalidate()  # the tables above show the step at once, not a minute later
    st.rerun()


def _uploads(files) -> list[Upload]:
    return [Upload(f.name, f.type or "application/octet-stream", f.getvalue()) for f in files]


def _forms(detail) -> None:
    item, steps = detail.item, detail.steps
    errors = state.get(f"acc_errors_{item.id}", {})
    prefix = f"acc_form_{item.id}_"
    if ItemAction.SUBMITTED in steps:
        typed = view.explanation_form(detail, needs_prevention_review(item.level), errors, ATTACHMENT_MAX_MB,
                                      key=f"{prefix}explain")
        if typed is not None:
            _run(item.id, ItemAction.SUBMITTED, lambda s: submit_explanation(
                s, actor, item.id, typed.explanation, typed.prevention_review, _uploads(typed.files)))
    if ItemAction.APPROVED in steps:
        decided = view.review_form(errors, key=f"{prefix}review")
        if decided is not None:
            approve, note = decided
            _run(item.id, ItemAction.APPROVED if approve else ItemAction.RETURNED,
                 lambda s: review(s, actor, item.id, approve, note))
    if ItemAction.CLOSED in steps:
        closing = view.close_form(needs_decision(item.level), errors, key=f"{prefix}close")
        if closing is not None:
            _run(item.id, ItemAction.CLOSED, lambda s: close(s, actor, item.id, closing[0], closing[1]))
    if ItemAction.FLAG_KEPT in steps:
        settled = view.flag_form(errors, key=f"{prefix}flag")
        if settled is not None:
            keep, reason = settled
            _run(item.id, ItemAction.FLAG_KEPT if keep else ItemAction.FLAG_CLOSED,
                 lambda s: resolve_flag(s, actor, item.id, keep, reason))


def _attachments(detail) -> None:
    st.markdown(f"**{ACC_ATTACHMENTS}**")
    if not detail.attachments:
        st.caption(ACC_ATTACHMENTS_NONE)
    for info in detail.attachments:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"{info.filename}（{view.file_size(info.size)} · {info.uploaded_by or ''}）")
            ready = state.get(f"acc_file_{info.id}")
            if ready is None and st.button(ACC_ATTACHMENT_PREPARE, key=f"acc_fetch_{info.id}"):
                with web_session.refusals(), write_session(cached.engine()) as session:
                    row = attachment(session, actor, info.id)
                    state[f"acc_file_{info.id}"] = (row.content, row.content_type)
                st.rerun()
            if ready is not None:
                st.download_button(ACC_ATTACHMENT_SAVE.format(name=info.filename), ready[0], file_name=info.filename,
                                   mime=ready[1], key=f"acc_save_{info.id}")


selected = url_state.get_int("item")
if selected is None:
    if rows:
        st.caption(ACC_SELECT_ITEM_HINT)
else:
    with web_session.refusals(), read_session(cached.engine()) as session:
        detail = item_detail(session, actor, selected, now)
    if st.button(ACC_BACK_TO_LIST, icon=":material/arrow_back:", key="acc_back"):
        url_state.set_params(item=None)
        st.rerun()
    view.item_header(detail)
    if detail.prevention is not None:
        view.prevention_panel(detail.prevention)
    _forms(detail)
    _attachments(detail)
    st.markdown(f"**{ACC_HISTORY}**")
    view.history_table(detail.events)

if actor.can(Permission.SIGN_OFF):
    st.subheader(ACC_INTEGRITY_TITLE, anchor=False)
    st.caption(ACC_INTEGRITY_NOTE.format(min_cases=MIN_CASES))
    with web_session.refusals():
        flags = cached.integrity(cached.current_minute(), actor, chosen)
    view.integrity_table(flags)
