"""专项行动: campaign progress — the unit × target matrix with lights and pacing grouped by 分局 and paged, 八进 coverage,
outreach against the change in case rate, charts; filters in the URL, exports for those who may export."""

import streamlit as st

import cached
import login_gate
from components import campaign_panels as view
from components import campaign_picker, url_state
from components.notice import show_notice
from services.access.permissions import Permission, allowed
from services.access.text import OUT_OF_SCOPE
from services.campaigns import api
from services.campaigns import progress as model
from services.campaigns import text as t
from services.shared.timeutil import now_utc, shanghai_today
from vocabulary import TargetKind

NOTICE = "camp_notice"
BEHIND = "behind"
PAGE_SIZE = 20
actor = login_gate.actor()
engine = cached.engine()
today = shanghai_today()
st.title(t.CAMPAIGNS_TITLE, anchor=False)
show_notice(NOTICE)


def refuse() -> None:
    st.error(OUT_OF_SCOPE, icon=":material/block:")
    st.stop()


with login_gate.refusals():
    choices = dict(api.campaign_choices(engine, actor))
pick, bureau_col, unit_col, show_col = st.columns([3, 2, 2, 1.4])
with pick:
    campaign_id = campaign_picker.pick(choices, key="camp_pick")
with login_gate.refusals():
    progress = cached.campaign_progress(cached.current_minute(), actor, campaign_id, today)
view.header(progress)

# The 分局 and unit filters live in the URL and must name a 分局 / unit of this campaign within the actor's scope.
units = {u.unit_id: u for u in progress.units}
bureaus = dict(progress.bureaus)
requested = url_state.get_int("unit")
requested_bureau = url_state.get_int("bureau")
if (requested is not None and requested not in units) or (requested_bureau is not None and requested_bureau not in bureaus):
    refuse()
if requested is not None and len(bureaus) > 1:
    url_state.set_params(bureau=units[requested].bureau_id)  # a link naming a unit opens its 分局
bureau = 0
if len(bureaus) > 1:
    with bureau_col:
        bureau = url_state.select(t.CAMP_FILTER_BUREAU, [0, *bureaus], "bureau", key="camp_bureau",
                                  format_func=lambda b: bureaus.get(b, t.CAMP_FILTER_ALL_BUREAUS))
in_bureau = [u for u in units if bureau in (0, units[u].bureau_id)]
if url_state.get_int("unit") not in (None, *in_bureau):  # another 分局 was picked: its units only
    url_state.set_params(unit=None)
    st.session_state.pop("camp_unit", None)
with unit_col:
    chosen = url_state.select(t.CAMP_FILTER_UNIT, [0, *in_bureau], "unit", key="camp_unit",
                              format_func=lambda u: units[u].name if u in units else t.CAMP_FILTER_ALL_UNITS)
with show_col:
    show = url_state.select(t.CAMP_FILTER_SHOW, ["all", BEHIND], "show", key="camp_show",
                            format_func={"all": t.CAMP_SHOW_ALL, BEHIND: t.CAMP_SHOW_BEHIND}.get)
matrix_view = model.MatrixView(bureau or None, chosen or None, show == BEHIND)

if len(bureaus) > 1 and not chosen:
    view.bureaus([r for r in model.bureau_summary(progress) if bureau in (0, r.bureau_id)])
shown = model.shown_units(progress, matrix_view)
with st.container(horizontal=True, vertical_alignment="bottom"):
    page, caption = view.pager(len(shown), PAGE_SIZE, url_state.get_int("page") or 1, key="camp_page")
    url_state.set_params(page=None if page == 1 else page)
    if allowed(actor.role, Permission.EXPORT):
        export_at = now_utc()
        view.export_buttons({fmt: (model.matrix_file_name(progress, matrix_view, fmt),
                                   lambda fmt=fmt: api.export_matrix(engine, actor, campaign_id, today, matrix_view,
                                                                     fmt, export_at))
                             for fmt in model.EXPORT_FORMATS})
on_page = shown[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
view.matrix(model.matrix_header(progress), [model.matrix_row(progress, u) for u in on_page], caption)
view.partners(progress)
view.coverage(progress, [u.unit_id for u in on_page])
view.reach_chart(progress.reach)

st.subheader(t.CAMP_CHART, anchor=False)
cumulative_targets = {x.id: x.description for x in progress.targets if x.kind in (TargetKind.COUNT, TargetKind.COVERAGE)}
if cumulative_targets:
    target_id = url_state.select(t.CAMP_CHART_TARGET, list(cumulative_targets), "target", key="camp_target",
                                 format_func=cumulative_targets.get)
    with login_gate.refusals():
        view.cumulative_chart(cached.campaign_cumulative(cached.current_minute(), actor, campaign_id, target_id,
                                                         chosen or None, today))
view.weekly_chart(progress.weekly)
