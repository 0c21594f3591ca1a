"""专项行动: campaign progress — unit × target matrix with lights and pacing, 八进 coverage, charts, activity log."""

import streamlit as st

import cached
import login_gate
from components import campaign_panels as view
from components import url_state
from components.notice import show_notice
from components.steps import run_step
from services.access.permissions import Permission
from services.access.text import OUT_OF_SCOPE
from services.campaigns import api
from services.campaigns import text as t
from services.campaigns.entries import ActivityDraft
from services.campaigns.photos import MAX_PHOTOS, PHOTO_MAX_MB, UPLOAD_EXTENSIONS, Upload
from services.campaigns.reports import period_label
from services.shared.timeutil import now_utc, shanghai_today, to_shanghai
from vocabulary import TargetKind

NOTICE = "camp_notice"
FORM = "camp_form"
ERRORS = "camp_errors"
ENTRY_ERRORS = "camp_entry_errors"
BEHIND = "behind"
REPORT_FORM = "camp_report"
REPORT_ERRORS = "camp_report_errors"
state = st.session_state
actor = login_gate.actor()
engine = cached.engine()
today = shanghai_today()
st.title(t.CAMPAIGNS_TITLE, anchor=False)
show_notice(NOTICE)

with login_gate.refusals():
    choices = dict(api.campaign_choices(engine, actor))
if not choices:
    st.info(t.CAMP_NONE)
    st.stop()
if (wanted := url_state.get_int("campaign")) is not None and wanted not in choices:
    st.error(t.ERR_CAMPAIGN, icon=":material/block:")
    st.stop()
left, middle, right = st.columns([3, 2, 1.4])
with left:
    campaign_id = url_state.select(t.CAMP_PICKER, list(choices), "campaign", key="camp_pick", format_func=choices.get)
with login_gate.refusals():
    progress = api.progress(engine, actor, campaign_id, today)
view.header(progress)

# The unit filter lives in the URL and must name a unit of this campaign within the actor's scope.
units = {u.unit_id: u.name for u in progress.units}
requested = url_state.get_int("unit")
if requested is not None and requested not in units:
    st.error(OUT_OF_SCOPE, icon=":material/block:")
    st.stop()
with middle:
    chosen = url_state.select(t.CAMP_FILTER_UNIT, [0, *units], "unit", key="camp_unit",
                              format_func=lambda u: units.get(u, t.CAMP_FILTER_ALL_UNITS))
with right:
    show = url_state.select(t.CAMP_FILTER_SHOW, ["all", BEHIND], "show", key="camp_show",
                            format_func={"all": t.CAMP_SHOW_ALL, BEHIND: t.CAMP_SHOW_BEHIND}.get)
shown = [chosen] if chosen else list(units)
view.matrix(progress, shown, show == BEHIND)
view.partners(progress)
view.coverage(progress, shown)

st.subheader(t.CAMP_CHART, anchor=False)
cumulative_targets = {x.id: x.description for x in progress.targets if x.kind in (TargetKind.COUNT, TargetKind.COVERAGE)}
if cumulative_targets:
    target_id = url_state.select(t.CAMP_CHART_TARGET, list(cumulative_targets), "target", key="camp_target",
                                 format_func=cumulative_targets.get)
    with login_gate.refusals():
        view.cumulative_chart(api.cumulative(engine, actor, campaign_id, target_id, chosen or None, today))
view.weekly_chart(progress.weekly)

if actor.can(Permission.LOG_ACTIVITIES):
    first, last = progress.campaign.start_date, min(today, progress.campaign.end_date)
    loggable = {**units, **{p.unit_id: f"{p.name}（{t.CAMP_PARTNERS}）" for p in progress.partners}}
    if not loggable:
        st.info(t.CAMP_NO_UNIT_TO_LOG)
    elif first <= last:
        typed = view.activity_form(loggable, first, last, state.get(ERRORS, {}), PHOTO_MAX_MB, MAX_PHOTOS,
                                   UPLOAD_EXTENSIONS, key=FORM)
        if typed is not None:
            draft = ActivityDraft(campaign_id, typed.unit_id, typed.activity_date, typed.outreach, typed.channel,
                                  typed.audience, typed.place, typed.officers, typed.people_reached, typed.households,
                                  typed.pieces, typed.description)
            photos = [Upload(f.name, f.type or "", f.getvalue()) for f in typed.files]
            run_step(lambda: api.log_activity(engine, actor, draft, photos), notice_key=NOTICE, errors_key=ERRORS,
                     invalid_text=lambda count: t.ACT_INVALID.format(count=count),
                     done=lambda _: ("success", t.ACT_SAVED.format(photos=len(photos))), clear_prefixes=(FORM,))
        with st.expander(t.CAMP_ENTRIES):
            by_kind = {kind: {x.id: x.description for x in progress.targets if x.kind is kind}
                       for kind in (TargetKind.COVERAGE, TargetKind.SURVEY, TargetKind.TASK)}
            entry = view.entry_forms(by_kind[TargetKind.COVERAGE], by_kind[TargetKind.SURVEY], by_kind[TargetKind.TASK],
                                     units, first, last, state.get(ENTRY_ERRORS, {}), key="camp_entry")
            if entry is not None:
                step = {"base": api.declare_base, "survey": api.enter_survey, "task": api.complete_task}[entry.form]
                saved = {"base": t.BASE_SAVED, "survey": t.SURVEY_SAVED, "task": t.TASK_SAVED}[entry.form]
                run_step(lambda: step(engine, actor, campaign_id, entry.target_id, entry.unit_id, **entry.values), notice_key=NOTICE, errors_key=ENTRY_ERRORS,
                         invalid_text=lambda count: t.ACT_INVALID.format(count=count),
                         done=lambda _: ("success", saved), clear_prefixes=("camp_entry_",))

with login_gate.refusals():
    view.recent(api.recent_activities(engine, actor, campaign_id))

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
        with login_gate.refusals():
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
