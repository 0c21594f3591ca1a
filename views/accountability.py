"""问责预警: by-unit table, drill into unit → items → item, explanation/review/close forms, 倒查, integrity flags."""

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

import cached
import login_gate
from components import accountability_panels as view
from components import url_state
from components.notice import show_notice
from components.plain import escape_markdown, plain
from components.steps import run_step
from services.access.permissions import Permission
from services.access.text import OUT_OF_SCOPE
from services.accountability import api
from services.accountability.export import EXPORT_LIMIT
from services.accountability.integrity import MIN_CASES
from services.accountability.read import AttachmentInfo, ItemDetail, ItemFilter, level_label
from services.accountability.text import (
    ACC_ATTACHMENT_PREPARE,
    ACC_ATTACHMENT_SAVE,
    ACC_ATTACHMENTS,
    ACC_ATTACHMENTS_NONE,
    ACC_BACK_TO_LIST,
    ACC_DONE,
    ACC_EMPTY,
    ACC_EXPORT,
    ACC_EXPORT_FILE,
    ACC_EXPORT_HELP,
    ACC_FILTER_ALL,
    ACC_FILTER_FLAGGED,
    ACC_FILTER_LEVEL,
    ACC_FILTER_OPEN,
    ACC_FILTER_OVERDUE,
    ACC_FILTER_SOURCE,
    ACC_FILTER_STATUS,
    ACC_HISTORY,
    ACC_INTEGRITY_NOTE,
    ACC_INTEGRITY_TITLE,
    ACC_INVALID,
    ACC_ITEMS_OF,
    ACC_ITEMS_PAGE,
    ACC_OVERDUE_NOTE,
    ACC_PAGE,
    ACC_SELECT_ITEM_HINT,
    ACC_SELECT_UNIT_HINT,
    ACC_TITLE,
    ACC_UNIT_TABLE,
)
from services.accountability.workflow import (
    ATTACHMENT_MAX_MB,
    MAX_ATTACHMENTS,
    Upload,
    needs_decision,
    needs_prevention_review,
)
from services.campaigns import api as campaigns_api
from services.shared.text import UNIT_PICKER
from services.shared.timeutil import now_utc, to_shanghai
from vocabulary import AccountabilityLevel, CampaignConsequence, ItemAction, ItemSource, ItemStatus

NOTICE = "acc_notice"
ITEM_BOX = "acc_item_box"
PAGE_SIZE = 50
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
state = st.session_state
actor = login_gate.actor()
now = now_utc()
st.title(ACC_TITLE, anchor=False)
show_notice(NOTICE)

# Campaigns a unit fell behind in raise their items now, before the figures are read (cheap when nothing is due).
if campaigns_api.check_consequences(cached.engine(), now).raised:
    cached.invalidate()

# Keyed by the unit in the link, so a drill-down from the table redraws the picker on the new unit.
chosen = url_state.scoped_unit(UNIT_PICKER, cached.unit_choices(actor), actor.unit_id, refusal=OUT_OF_SCOPE,
                               key=f"acc_unit_{url_state.get_int('unit') or actor.unit_id}")

# A clerk first sees what their own unit owes (and what is overdue), whatever unit the link names.
if actor.can(Permission.EDIT_CASES) and not actor.can(Permission.SIGN_OFF):
    with login_gate.refusals():
        todo = api.unit_todo(cached.engine(), actor, now)
    view.todo_block(todo, key="acc_todo", pick=lambda item_id: url_state.set_params(item=item_id))

with login_gate.refusals():
    figures, table = cached.accountability_units(cached.current_minute(), actor, chosen)
view.summary_metrics(figures)

st.subheader(ACC_UNIT_TABLE, anchor=False)
st.caption(ACC_OVERDUE_NOTE)


def _drill(unit_id: int) -> None:
    """Open a unit of the table: its items, none selected."""
    if unit_id != chosen:
        url_state.set_params(unit=unit_id, item=None, ipage=None)


view.unit_table(table, key=f"acc_units_{chosen}", pick=_drill)
st.caption(ACC_SELECT_UNIT_HINT)


def _all_or(label: Callable[[object], str]) -> Callable[[object], str]:
    """A filter's option label: 全部 for None."""
    return lambda option: ACC_FILTER_ALL if option is None else label(option)


with st.container(horizontal=True, vertical_alignment="bottom"):
    source = url_state.select(ACC_FILTER_SOURCE, [None, *ItemSource], "src", key="acc_source",
                              format_func=_all_or(lambda x: ItemSource(x).label))
    level = url_state.select(ACC_FILTER_LEVEL, [None, *AccountabilityLevel, *CampaignConsequence], "level",
                             key="acc_level", format_func=_all_or(level_label))
    status = url_state.select(ACC_FILTER_STATUS, [None, *ItemStatus], "status", key="acc_status",
                              format_func=_all_or(lambda x: ItemStatus(x).label))
    open_only = st.toggle(ACC_FILTER_OPEN, url_state.get_str("open") == "1", key="acc_open")
    overdue_only = st.toggle(ACC_FILTER_OVERDUE, url_state.get_str("overdue") == "1", key="acc_overdue")
    flagged_only = st.toggle(ACC_FILTER_FLAGGED, url_state.get_str("flag") == "1", key="acc_flag")
url_state.set_params(open="1" if open_only else None, overdue="1" if overdue_only else None,
                     flag="1" if flagged_only else None)

criteria = ItemFilter(unit_id=chosen, level=level, status=status, open_only=open_only, overdue_only=overdue_only,
                      flagged_only=flagged_only, source=source)
FILTER_KEY = f"{chosen}_{source}_{level}_{status}_{open_only:d}{overdue_only:d}{flagged_only:d}"
page_number = max(url_state.get_int("ipage") or 1, 1)
if state.get("acc_filter_key", FILTER_KEY) != FILTER_KEY:  # a new filter starts on its first page
    page_number = 1
    url_state.set_params(ipage=None)
state["acc_filter_key"] = FILTER_KEY
with login_gate.refusals():
    found = api.items(cached.engine(), actor, criteria, now, PAGE_SIZE, (page_number - 1) * PAGE_SIZE)
    if not found.rows and found.total and page_number > 1:  # a page past the end (the filter shrank): the last one
        page_number = (found.total + PAGE_SIZE - 1) // PAGE_SIZE
        found = api.items(cached.engine(), actor, criteria, now, PAGE_SIZE, (page_number - 1) * PAGE_SIZE)
rows = found.rows
pages = max((found.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
st.subheader(ACC_ITEMS_OF.format(unit=escape_markdown(table.unit.name), count=found.total), anchor=False)
# A new filter or page is a new table: no row stays highlighted from the previous list.
ITEMS_KEY = f"acc_items_{FILTER_KEY}_{page_number}"
if rows:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(ACC_ITEMS_PAGE.format(page=page_number, pages=pages, size=PAGE_SIZE))
        new_page = st.number_input(ACC_PAGE, 1, pages, page_number, key=f"acc_page_{FILTER_KEY}", width=140)
        url_state.set_params(ipage=None if new_page == 1 else new_page)
        # Every item of the filter, not just this page; the file is built (and audited) only when clicked.
        engine = cached.engine()
        st.download_button(ACC_EXPORT, lambda: api.export_items(engine, actor, criteria, now),
                           file_name=ACC_EXPORT_FILE.format(unit=table.unit.name, stamp=f"{to_shanghai(now):%Y%m%d%H%M}"),
                           mime=XLSX_MIME, icon=":material/download:", key="acc_export",
                           help=ACC_EXPORT_HELP.format(limit=EXPORT_LIMIT), on_click="ignore")
    if new_page != page_number:
        st.rerun()
    view.item_table(rows, key=ITEMS_KEY, pick=lambda item_id: url_state.set_params(item=item_id))
else:
    st.info(ACC_EMPTY)


def _run(item_id: int, action: ItemAction, operation: Callable[[], None]) -> None:
    """Run one workflow step (its own transaction); keep refusals by field for the form; say what happened; rerun."""
    def _step() -> None:
        operation()
        cached.invalidate()  # the tables above show the step at once, not a minute later

    # On success the form is forgotten, and the list's highlighted row too (the list order may change).
    run_step(_step, notice_key=NOTICE, errors_key=f"acc_errors_{item_id}", denied_field="status",
             invalid_text=lambda count: ACC_INVALID.format(count=count),
             done=lambda _: ("success", ACC_DONE.format(action=ItemAction(action).label)),
             clear_prefixes=(f"acc_form_{item_id}_", ITEMS_KEY))


def _uploads(files: list[UploadedFile]) -> list[Upload]:
    """The uploaded files as the service takes them."""
    return [Upload(f.name, f.type or "application/octet-stream", f.getvalue()) for f in files]


def _explanation_form(detail: ItemDetail, errors: dict[str, str], prefix: str) -> None:
    """The unit's explanation (and 倒查) with attachments."""
    item = detail.item
    typed = view.explanation_form(detail, needs_prevention_review(item.level), errors, ATTACHMENT_MAX_MB,
                                  key=f"{prefix}explain", max_files=MAX_ATTACHMENTS)
    if typed is not None:
        _run(item.id, ItemAction.SUBMITTED, lambda: api.submit_explanation(
            cached.engine(), actor, item.id, typed.explanation, typed.prevention_review, _uploads(typed.files)))


def _review_form(detail: ItemDetail, errors: dict[str, str], prefix: str) -> None:
    """A leader approves or returns the explanation."""
    decided = view.review_form(errors, key=f"{prefix}review")
    if decided is not None:
        approve, note = decided
        _run(detail.item.id, ItemAction.APPROVED if approve else ItemAction.RETURNED,
             lambda: api.review(cached.engine(), actor, detail.item.id, approve, note))


def _close_form(detail: ItemDetail, errors: dict[str, str], prefix: str) -> None:
    """A leader closes the approved item."""
    closing = view.close_form(needs_decision(detail.item.level), errors, key=f"{prefix}close")
    if closing is not None:
        decision, note = closing
        _run(detail.item.id, ItemAction.CLOSED,
             lambda: api.close(cached.engine(), actor, detail.item.id, decision, note))


def _flag_form(detail: ItemDetail, errors: dict[str, str], prefix: str) -> None:
    """A leader settles a downward-revision flag."""
    settled = view.flag_form(errors, key=f"{prefix}flag")
    if settled is not None:
        keep, reason = settled
        _run(detail.item.id, ItemAction.FLAG_KEPT if keep else ItemAction.FLAG_CLOSED,
             lambda: api.resolve_flag(cached.engine(), actor, detail.item.id, keep, reason))


FORMS = ((ItemAction.SUBMITTED, _explanation_form), (ItemAction.APPROVED, _review_form),
         (ItemAction.CLOSED, _close_form), (ItemAction.FLAG_KEPT, _flag_form))


def _forms(detail: ItemDetail) -> None:
    """The form of every step open to the actor."""
    errors = state.get(f"acc_errors_{detail.item.id}", {})
    for step, form in FORMS:
        if step in detail.steps:
            form(detail, errors, f"acc_form_{detail.item.id}_")


def _attachment(info: AttachmentInfo) -> None:
    """One attachment: name, size and uploader as plain text; fetched on request, then saved."""
    with st.container(horizontal=True, vertical_alignment="center"):
        plain(f"{info.filename}（{view.file_size(info.size)} · {info.uploaded_by or ''}）")
        ready = state.get(f"acc_file_{info.id}")
        if ready is None and st.button(ACC_ATTACHMENT_PREPARE, key=f"acc_fetch_{info.id}"):
            with login_gate.refusals():
                fetched = api.attachment(cached.engine(), actor, info.id)
            state[f"acc_file_{info.id}"] = (fetched.content, fetched.content_type)
            st.rerun()
        if ready is not None:
            st.download_button(ACC_ATTACHMENT_SAVE.format(name=escape_markdown(info.filename)), ready[0],
                               file_name=info.filename, mime=ready[1], key=f"acc_save_{info.id}")


def _attachments(detail: ItemDetail) -> None:
    """The item's attachments."""
    st.markdown(f"**{ACC_ATTACHMENTS}**")
    if not detail.attachments:
        st.caption(ACC_ATTACHMENTS_NONE)
    for info in detail.attachments:
        _attachment(info)


def _item(item_id: int) -> None:
    """The selected item: its facts, the 倒查, the forms open to the actor, attachments and history."""
    with login_gate.refusals():
        detail = api.item_detail(cached.engine(), actor, item_id, now)
    # Opening an item (a click in a list, or a link with ?item=) brings its page into view.
    view.scroll_to(ITEM_BOX, str(item_id), key="acc_scroll")
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


selected = url_state.get_int("item")
if selected is None:
    view.scroll_to(ITEM_BOX, None, key="acc_scroll")
    if rows:
        st.caption(ACC_SELECT_ITEM_HINT)
else:
    with st.container(key=ITEM_BOX):
        _item(selected)

if actor.can(Permission.SIGN_OFF):
    st.subheader(ACC_INTEGRITY_TITLE, anchor=False)
    st.caption(ACC_INTEGRITY_NOTE.format(min_cases=MIN_CASES))
    with login_gate.refusals():
        flags = cached.integrity(cached.current_minute(), actor, chosen)
    view.integrity_table(flags)
