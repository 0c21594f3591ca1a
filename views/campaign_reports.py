"""专项行动 · 进展报送: who reported the period (10th/25th), who is late and whom to call, submission and downloads."""

import streamlit as st

import cached
import login_gate
from components import campaign_picker
from components import campaign_report_panels as view
from components.notice import show_notice
from components.steps import run_step
from services.access.permissions import Permission
from services.campaigns import api
from services.campaigns import text as t
from services.campaigns.ranking import default_month, table_rows, weight_labels
from services.campaigns.reports import period_label
from services.shared.timeutil import now_utc, shanghai_today, to_shanghai
from vocabulary import Role

NOTICE = "camp_rep_notice"
REPORT_FORM = "camp_report"
REPORT_ERRORS = "camp_report_errors"
WEIGHT_ERRORS = "camp_rank_weight_errors"
RANKING_ROLES = (Role.LEADER, Role.COMMAND)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

state = st.session_state
actor = login_gate.actor()
engine = cached.engine()
today = shanghai_today()
st.title(t.REP_PAGE_TITLE, anchor=False)
show_notice(NOTICE)

with login_gate.refusals():
    choices = dict(api.campaign_choices(engine, actor))
campaign_id = campaign_picker.pick(choices, key="camp_rep_pick")
with login_gate.refusals():
    progress = api.progress(engine, actor, campaign_id, today)
units = {u.unit_id: u.name for u in progress.units}

# 进展报送: who reported the latest due period, who is late (with the 联络员 to call), the unit's form, downloads.
st.subheader(t.REP_TITLE, anchor=False)
with login_gate.refusals():
    board = api.report_board(engine, actor, campaign_id, now_utc())
if board.period is None:
    st.caption(t.REP_NONE)
else:
    view.report_board(board, period_label(board.period), lambda moment: f"{to_shanghai(moment):%Y-%m-%d %H:%M}")
if actor.can(Permission.LOG_ACTIVITIES) and board.owed:
    owed = {unit_id: f"{units.get(unit_id, '')} · {period_label(period)}" for unit_id, period in board.owed.items()}
    typed_report = view.report_form(owed, state.get(REPORT_ERRORS, {}), key=REPORT_FORM)
    if typed_report is not None:
        label = owed[typed_report.unit_id]
        run_step(lambda: api.submit_report(engine, actor, campaign_id, typed_report.unit_id, typed_report.methods,
                                           typed_report.channels, typed_report.process, typed_report.scope,
                                           typed_report.next_steps),
                 notice_key=NOTICE, errors_key=REPORT_ERRORS, invalid_text=lambda count: t.ACT_INVALID.format(count=count),
                 done=lambda _: ("success", t.REP_SUBMITTED.format(period=label)), clear_prefixes=(REPORT_FORM,))
if board.submitted:
    names = dict(board.submitted)
    report_id = st.selectbox(t.REP_DOWNLOAD_PICK, list(names), format_func=names.get, key="camp_report_pick")
    ready = state.get(f"camp_report_file_{report_id}")
    if ready is None and st.button(t.REP_PREPARE, key=f"camp_report_prepare_{report_id}"):
        with login_gate.refusals(), st.spinner(t.REP_PREPARING):
            state[f"camp_report_file_{report_id}"] = (api.report_file(engine, actor, report_id, "docx"),
                                                      api.report_file(engine, actor, report_id, "xlsx"))
        st.rerun()
    if ready is not None:
        (docx_name, docx), (xlsx_name, xlsx) = ready
        with st.container(horizontal=True):
            st.download_button(t.REP_DOCX, docx, file_name=docx_name, key=f"camp_docx_{report_id}",
                               mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            st.download_button(t.REP_XLSX, xlsx, file_name=xlsx_name, key=f"camp_xlsx_{report_id}",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# 汇总报告: a leader or command of the owning unit (or of a unit with units below it in the campaign) rolls up a period.
with login_gate.refusals():
    options = api.rollup_options(engine, actor, campaign_id, now_utc())
if options.allowed and options.periods:
    st.subheader(t.ROLLUP_TITLE, anchor=False)
    st.caption(t.ROLLUP_HELP)
    periods = {p.number: period_label(p) for p in options.periods}
    number, build = view.rollup_picker(periods, key=f"camp_rollup_{campaign_id}")
    files_key = f"camp_rollup_files_{campaign_id}_{number}"
    if build:
        with login_gate.refusals(), st.spinner(t.ROLLUP_BUILDING, show_time=True):  # ~1 s for 133 units
            state[files_key] = api.rollup_files(engine, actor, campaign_id, number, now_utc())
    built = state.get(files_key)
    if built is not None:
        st.success(t.ROLLUP_BUILT.format(period=periods[number], reported=built.reported, late=built.late,
                                         missing=built.missing))
        view.downloads([(t.ROLLUP_DOCX, built.docx_name, built.docx, DOCX_MIME),
                        (t.ROLLUP_XLSX, built.xlsx_name, built.xlsx, XLSX_MIME)], key=files_key)

# 月度排名通报: units ranked on the weighted indicators of a month; leaders of the owning unit adjust the weights.
if actor.role in RANKING_ROLES:
    with login_gate.refusals():
        months = api.ranking_months(engine, actor, campaign_id, today)
    if months:
        st.subheader(t.RANK_TITLE, anchor=False)
        labels = {m: t.RANK_MONTH_FORMAT.format(year=m.year, month=m.month) for m in months}
        first = default_month(months, today)
        month = st.selectbox(t.RANK_MONTH, months, index=months.index(first), format_func=labels.get,
                             key=f"camp_rank_month_{campaign_id}")
        with login_gate.refusals():
            result = api.monthly_ranking(engine, actor, campaign_id, month, now_utc())
        st.caption(t.RANK_AS_OF.format(month=labels[month], as_of=result.as_of))
        view.ranking_table(table_rows(result), key="camp_ranking")
        st.caption(t.RANK_HELP)
        with login_gate.refusals():
            may_weigh = api.may_set_ranking_weights(engine, actor, campaign_id)
        if may_weigh:
            typed = view.weights_form(weight_labels(), result.weights, state.get(WEIGHT_ERRORS, {}),
                                      key=f"camp_rank_weights_{campaign_id}")
            if typed is not None:
                run_step(lambda: api.set_ranking_weights(engine, actor, campaign_id, typed), notice_key=NOTICE,
                         errors_key=WEIGHT_ERRORS, invalid_text=lambda count: t.ACT_INVALID.format(count=count),
                         done=lambda _: ("success", t.RANK_WEIGHTS_SAVED),
                         clear_prefixes=(f"camp_rank_weights_{campaign_id}",))
        if actor.can(Permission.EXPORT) and result.rows:
            doc_key = f"camp_rank_doc_{campaign_id}_{month}"
            if st.button(t.RANK_BUILD, key=f"{doc_key}_build"):
                with login_gate.refusals(), st.spinner(t.RANK_BUILDING):
                    state[doc_key] = api.ranking_file(engine, actor, campaign_id, month, now_utc())
            if state.get(doc_key) is not None:
                name, data = state[doc_key]
                view.downloads([(t.RANK_DOCX, name, data, DOCX_MIME)], key=doc_key)
