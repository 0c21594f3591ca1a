"""案件登记: the cases of the user's scope, filtered by URL parameters, masked, with audited unmasking."""

import uuid
from datetime import timedelta

import streamlit as st

import cached
import login_gate
from components import url_state
from components.case_forms import case_edit_form, new_case_form, revisions_table
from components.case_panels import case_detail_panel, case_table
from components.notice import show_notice
from components.steps import run_step
from components.strike_panels import case_solve_form, case_stop_form
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
from services.cases import api as cases_api
from services.cases.export import EXPORT_LIMIT
from services.cases.read import SORTS, CaseFilter
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
    CASES_EXPORT,
    CASES_EXPORT_FILE,
    CASES_EXPORT_HELP,
    CASES_EXPORT_TOO_MANY,
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
from services.shared.loss_bands import LOSS_BANDS
from services.shared.text import UNIT_PICKER
from services.shared.timeutil import SHANGHAI, day_start_utc, now_utc, shanghai_today, to_shanghai
from services.strike import api as strike_api
from services.strike import text as strike_text
from vocabulary import FraudType, SolvedHow

PAGE_SIZE = 50
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EDIT_NOTICE = "case_edit_notice"
NEW_ERRORS = "case_new_errors"
state = st.session_state
actor = login_gate.actor()
st.title(CASES_TITLE, anchor=False)

today = shanghai_today()
choices = cached.unit_choices(actor)
with st.container(horizontal=True, vertical_alignment="bottom"):
    chosen_unit = url_state.scoped_unit(UNIT_PICKER, choices, actor.unit_id, key="cases_unit", refusal=OUT_OF_SCOPE)
    fraud_type = url_state.select(CASES_FILTER_TYPE, [None, *FraudType], "type", key="cases_type",
                                  format_func=lambda t: CASES_FILTER_ALL if t is None else FraudType(t).label)
    first = st.date_input(CASES_FILTER_FROM, url_state.get_date("from") or today - timedelta(days=29), key="cases_from")
    last = st.date_input(CASES_FILTER_TO, url_state.get_date("to") or today, key="cases_to")
    band = url_state.select(CASES_FILTER_BAND, list(LOSS_BANDS), "band", key="cases_band",
                            format_func=lambda b: LOSS_BANDS[b][0])
    case_no = st.text_input(CASES_FILTER_CASE_NO, url_state.get_str("q") or "", max_chars=40, key="cases_q")
    sort = url_state.select(CASES_FILTER_SORT, list(SORTS), "sort", key="cases_sort", format_func=CASE_SORT_LABELS.get)

if actor.can(Permission.EDIT_CASES):
    with st.expander(CASE_NEW, icon=":material/add:", expanded=bool(state.get(NEW_ERRORS))):
        typed = new_case_form(choices, now_utc().astimezone(SHANGHAI), state.get(NEW_ERRORS, {}), key="case_new")
        if typed is not None:
            def _registered(outcome) -> tuple[str, str]:
                saved, number = outcome
                url_state.set_params(case=saved.case_id)
                return "success", CASE_NEW_SAVED.format(case_no=number)

            run_step(lambda: cases_api.register(cached.engine(), actor, **typed), notice_key=EDIT_NOTICE,
                     errors_key=NEW_ERRORS, invalid_text=lambda count: CASE_EDIT_INVALID.format(count=count),
                     done=_registered, denied_field="unit_id", clear_prefixes=("case_new_",))

if first > last:
    st.error(CASES_DATE_ORDER)
    st.stop()
url_state.set_params(q=case_no.strip() or None, **{"from": first.isoformat(), "to": last.isoformat()})
_, low, high = LOSS_BANDS[band]
criteria = CaseFilter(unit_id=chosen_unit, fraud_type=fraud_type, start=day_start_utc(first),
                      end=day_start_utc(last + timedelta(days=1)), min_loss_fen=low, max_loss_fen=high,
                      case_no=case_no.strip() or None, sort=sort)

page_number = max(url_state.get_int("page") or 1, 1)
with login_gate.refusals():
    result = cases_api.page(cached.engine(), actor, criteria, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
pages = max((result.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
show_notice(EDIT_NOTICE)
picked = None
if result.rows:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(CASES_TOTAL.format(total=result.total, page=min(page_number, pages), pages=pages))
        new_page = st.number_input(CASES_PAGE, 1, pages, min(page_number, pages), key="cases_page", width=140)
        url_state.set_params(page=None if new_page == 1 else new_page)
        # Every case of the filter, not just this page; the file is built (and audited) only when clicked.
        export_at, engine = now_utc(), cached.engine()
        st.download_button(CASES_EXPORT, lambda: cases_api.export(engine, actor, criteria, export_at),
                           file_name=CASES_EXPORT_FILE.format(stamp=f"{export_at.astimezone(SHANGHAI):%Y%m%d%H%M}"),
                           mime=XLSX_MIME, icon=":material/download:", key="cases_export",
                           help=CASES_EXPORT_HELP.format(limit=EXPORT_LIMIT), on_click="ignore")
    if result.total > EXPORT_LIMIT:
        st.caption(CASES_EXPORT_TOO_MANY.format(total=result.total, limit=EXPORT_LIMIT))
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
        full = cases_api.unmask(cached.engine(), actor, case_id, reason)
    except (ValueError, AccessDenied) as refused:
        st.error(str(refused))
        return
    st.warning(UNMASK_SHOWN)
    case_detail_panel(full)


st.subheader(CASES_DETAIL, anchor=False)
with login_gate.refusals():
    detail, revisions = cases_api.detail(cached.engine(), actor, selected)
case_detail_panel(detail)
if actor.can(Permission.UNMASK) and st.button(UNMASK_BUTTON, icon=":material/visibility:", key="unmask_open"):
    unmask_dialog(selected)


def _edited(saved) -> tuple[str, str]:
    if not saved.changed:
        return "info", CASE_EDIT_NOTHING
    return "success", CASE_EDIT_SAVED.format(fields="，".join(CASE_FIELD_LABELS[name] for name in saved.changed))


EDIT_ERRORS = f"case_edit_errors_{selected}"
if actor.can(Permission.EDIT_CASES):
    with st.expander(CASE_EDIT, icon=":material/edit:", expanded=bool(state.get(EDIT_ERRORS))):
        form = case_edit_form(detail.case, choices, state.get(EDIT_ERRORS, {}), key=f"case_edit_{selected}")
        if form is not None:
            run_step(lambda: cases_api.edit(cached.engine(), actor, selected, form), notice_key=EDIT_NOTICE,
                     errors_key=EDIT_ERRORS, invalid_text=lambda count: CASE_EDIT_INVALID.format(count=count),
                     done=_edited, clear_prefixes=(f"case_edit_{selected}",))

def _stop_done(saved) -> tuple[str, str]:
    """The notice of a 止付 request on the case; its form's key is forgotten (the next request is a new one)."""
    state.pop(STOP_KEY, None)
    cached.strike_changed()
    if saved.duplicate:
        return "info", strike_text.CASE_STOP_DUPLICATE.format(id=saved.request_id)
    return "success", strike_text.CASE_STOP_SAVED.format(id=saved.request_id)


SOLVE_ERRORS, STOP_ERRORS, STOP_KEY = (f"case_solve_errors_{selected}", f"case_stop_errors_{selected}",
                                      f"case_stop_key_{selected}")
if actor.can(Permission.EDIT_CASES):  # 打击挽损: 破案 and 申请止付 on the case
    with st.expander(strike_text.CASE_STRIKE_HEADING, icon=":material/gavel:",
                     expanded=bool(state.get(SOLVE_ERRORS) or state.get(STOP_ERRORS))):
        st.caption(strike_text.CASE_SOLVE_SUBHEADING)
        solved = case_solve_form(
            shanghai_today(), to_shanghai(detail.case.reported_at).date(), {h.value: h.label for h in SolvedHow},
            state.get(SOLVE_ERRORS, {}), key=f"case_solve_{selected}",
            labels=(strike_text.CASE_SOLVE_DAY, strike_text.CASE_SOLVE_HOW, strike_text.CASE_SOLVE_SUBMIT))
        if solved is not None:
            run_step(lambda: strike_api.solve(cached.engine(), actor, selected, *solved), notice_key=EDIT_NOTICE,
                     errors_key=SOLVE_ERRORS, invalid_text=lambda count: CASE_EDIT_INVALID.format(count=count),
                     done=lambda changed: cached.strike_changed() or ("success", strike_text.CASE_SOLVE_SAVED.format(
                         fields="，".join(CASE_FIELD_LABELS[n] for n in changed))) if changed
                     else ("info", strike_text.CASE_SOLVE_NOTHING), clear_prefixes=(f"case_solve_{selected}",))
        st.caption(strike_text.CASE_STOP_SUBHEADING)
        stop = case_stop_form(state.get(STOP_ERRORS, {}), key=f"case_stop_{selected}",
                              labels=(strike_text.CASE_STOP_ACCOUNT, strike_text.CASE_STOP_AMOUNT,
                                      strike_text.CASE_STOP_SUBMIT))
        if stop is not None:
            stop_key = state.setdefault(STOP_KEY, uuid.uuid4().hex)  # kept until saved: a double click saves once
            run_step(lambda: strike_api.request_on_case(cached.engine(), actor, selected, *stop, stop_key),
                     notice_key=EDIT_NOTICE, errors_key=STOP_ERRORS,
                     invalid_text=lambda count: CASE_EDIT_INVALID.format(count=count),
                     done=_stop_done, clear_prefixes=(f"case_stop_{selected}",))

st.subheader(CASE_REVISIONS, anchor=False)
revisions_table(revisions)
