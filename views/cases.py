"""案件登记: the cases of the user's scope, filtered by URL parameters, masked, with audited unmasking."""

from datetime import timedelta

import streamlit as st

import cached
import web_session
from components import url_state
from components.case_forms import case_edit_form, new_case_form, revisions_table
from components.case_views import case_detail_panel, case_table
from db.engine import read_session, write_session
from services.access.actor import AccessDenied
from services.access.permissions import Permission
from services.access.text import (
    OUT_OF_SCOPE,
    UNMASK_BUTTON,
    UNMASK_CONFIRM,
    UNMASK_REASON,
    UNMASK_REASON_HELP,
    UNMASK_SHOWN,
)
from services.cases.read import SORTS, CaseFilter, case_detail, case_revisions, list_cases, unmask_case
from services.cases.text import (
    CASE_EDIT,
    CASE_EDIT_INVALID,
    CASE_EDIT_NOTHING,
    CASE_EDIT_SAVED,
    CASE_FIELD_LABELS,
    CASE_NEW,
    CASE_NEW_SAVED,
    CASE_REVISIONS,
    CASE_SORT_LABELS,
    CASES_DATE_ORDER,
    CASES_DETAIL,
    CASES_EMPTY,
    CASES_FILTER_ALL,
    CASES_FILTER_BAND,
    CASES_FILTER_CASE_NO,
    CASES_FILTER_FROM,
    CASES_FILTER_SORT,
    CASES_FILTER_TO,
    CASES_FILTER_TYPE,
    CASES_PAGE,
    CASES_SELECT_HINT,
    CASES_TITLE,
    CASES_TOTAL,
)
from services.cases.write import changes_from_form, create_case, new_case_from_input, update_case
from services.shared.errors import InvalidInput
from services.shared.loss_bands import LOSS_BANDS
from services.shared.text import UNIT_PICKER
from services.shared.timeutil import SHANGHAI, day_start_utc, now_utc, shanghai_today
from vocabulary import FraudType

PAGE_SIZE = 50
EDIT_NOTICE = "case_edit_notice"
state = st.session_state
actor = web_session.actor()
st.title(CASES_TITLE, anchor=False)

today = shanghai_today()
unit_id = url_state.get_int("unit")
choices = cached.unit_choices(actor)
if unit_id is not None and unit_id not in {c[0] for c in choices}:
    st.error(OUT_OF_SCOPE, icon=":material/block:")
    st.stop()
with st.container(horizontal=True, vertical_alignment="bottom"):
    chosen_unit = url_state.unit_picker(UNIT_PICKER, choices, unit_id or actor.unit_id, key="cases_unit")
    types = [None, *FraudType]
    fraud_type = st.selectbox(
        CASES_FILTER_TYPE, types, index=types.index(FraudType(t)) if (t := url_state.get_str("type", set(FraudType))) else 0,
        format_func=lambda t: CASES_FILTER_ALL if t is None else FraudType(t).label, key="cases_type",
    )
    first = st.date_input(CASES_FILTER_FROM, url_state.get_date("from") or today - timedelta(days=29), key="cases_from")
    last = st.date_input(CASES_FILTER_TO, url_state.get_date("to") or today, key="cases_to")
    bands = list(LOSS_BANDS)
    band = st.selectbox(CASES_FILTER_BAND, bands, index=bands.index(url_state.get_str("band", set(bands)) or "all"),
                        format_func=lambda b: LOSS_BANDS[b][0], key="cases_band")
    case_no = st.text_input(CASES_FILTER_CASE_NO, url_state.get_str("q") or "", max_chars=40, key="cases_q")
    sorts = list(SORTS)
    sort = st.selectbox(CASES_FILTER_SORT, sorts, index=sorts.index(url_state.get_str("sort", set(sorts)) or "reported_desc"),
                        format_func=CASE_SORT_LABELS.get, key="cases_sort")

NEW_ERRORS = "case_new_errors"
if actor.can(Permission.EDIT_CASES):
    with st.expander(CASE_NEW, icon=":material/add:", expanded=bool(state.get(NEW_ERRORS))):
        typed = new_case_form(choices, now_utc().astimezone(SHANGHAI), state.get(NEW_ERRORS, {}), key="case_new")
        if typed is not None:
            try:
                new = new_case_from_input(**typed)
                with write_session(cached.engine()) as session:
                    created = create_case(session, actor, new)
            except InvalidInput as invalid:
                state[NEW_ERRORS] = invalid.errors
            except AccessDenied as denied:
                state[NEW_ERRORS] = {"unit_id": str(denied)}
            else:
                state.pop(NEW_ERRORS, None)
                state[EDIT_NOTICE] = ("success", CASE_NEW_SAVED.format(case_no=new.case_no.strip().upper()))
                for widget in [k for k in state if str(k).startswith("case_new_")]:
                    del state[widget]
                url_state.set_params(case=created.case_id)
            st.rerun()

if first > last:
    st.error(CASES_DATE_ORDER)
    st.stop()
url_state.set_params(unit=chosen_unit if chosen_unit != actor.unit_id else None,
                     type=fraud_type.value if fraud_type else None, band=None if band == "all" else band,
                     q=case_no.strip() or None, sort=None if sort == "reported_desc" else sort)
url_state.set_params(**{"from": first.isoformat(), "to": last.isoformat()})
_, low, high = LOSS_BANDS[band]
criteria = CaseFilter(unit_id=chosen_unit, fraud_type=fraud_type, start=day_start_utc(first),
                      end=day_start_utc(last + timedelta(days=1)), min_loss_fen=low, max_loss_fen=high,
                      case_no=case_no.strip() or None, sort=sort)

page_number = max(url_state.get_int("page") or 1, 1)
with web_session.refusals(), read_session(cached.engine()) as session:
    result = list_cases(session, actor, criteria, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
pages = max((result.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
notice = state.pop(EDIT_NOTICE, None)
if notice:
    getattr(st, notice[0])(notice[1])
picked = None
if result.rows:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(CASES_TOTAL.format(total=result.total, page=min(page_number, pages), pages=pages))
        new_page = st.number_input(CASES_PAGE, 1, pages, min(page_number, pages), key="cases_page", width=140)
        url_state.set_params(page=None if new_page == 1 else new_page)
    picked = case_table(result.rows, key="cases_table")
    if picked is not None:
        url_state.set_params(case=picked)
else:
    st.info(CASES_EMPTY)
selected = picked if picked is not None else url_state.get_int("case")
if selected is None:
    st.caption(CASES_SELECT_HINT)
    st.stop()


@st.dialog(UNMASK_BUTTON, width="large")
def unmask_dialog(case_id: int) -> None:
    reason = st.text_input(UNMASK_REASON, help=UNMASK_REASON_HELP, max_chars=200, key="unmask_reason")
    if not st.button(UNMASK_CONFIRM, type="primary", key="unmask_confirm"):
        return
    try:
        with write_session(cached.engine()) as session:
            full = unmask_case(session, actor, case_id, reason)
    except ValueError as invalid:
        st.error(str(invalid))
        return
    except AccessDenied as denied:
        st.error(str(denied))
        return
    st.warning(UNMASK_SHOWN)
    case_detail_panel(full)


st.subheader(CASES_DETAIL, anchor=False)
with web_session.refusals(), read_session(cached.engine()) as session:
    detail = case_detail(session, actor, selected)
    revisions = case_revisions(session, actor, selected)
case_detail_panel(detail)
if actor.can(Permission.UNMASK) and st.button(UNMASK_BUTTON, icon=":material/visibility:", key="unmask_open"):
    unmask_dialog(selected)

EDIT_ERRORS = f"case_edit_errors_{selected}"
if actor.can(Permission.EDIT_CASES):
    with st.expander(CASE_EDIT, icon=":material/edit:", expanded=bool(state.get(EDIT_ERRORS))):
        form = case_edit_form(detail.case, choices, state.get(EDIT_ERRORS, {}), key=f"case_edit_{selected}")
        if form is not None:
            try:
                changes = changes_from_form(form)
                with write_session(cached.engine()) as session:
                    saved = update_case(session, actor, selected, changes)
            except InvalidInput as invalid:
                state[EDIT_ERRORS] = invalid.errors
                state[EDIT_NOTICE] = ("error", CASE_EDIT_INVALID.format(count=len(invalid.errors)))
            except AccessDenied as denied:
                state[EDIT_ERRORS] = {"form": str(denied)}
                state[EDIT_NOTICE] = ("error", str(denied))
            else:
                state.pop(EDIT_ERRORS, None)
                fields = "，".join(CASE_FIELD_LABELS[name] for name in saved.changed)
                state[EDIT_NOTICE] = ("success", CASE_EDIT_SAVED.format(fields=fields)) if saved.changed \
                    else ("info", CASE_EDIT_NOTHING)
                for widget in [k for k in state if str(k).startswith(f"case_edit_{selected}")]:
                    del state[widget]
            st.rerun()

st.subheader(CASE_REVISIONS, anchor=False)
revisions_table(revisions)
