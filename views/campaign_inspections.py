"""专项行动 · 督导检查: inspection visits to units with findings, photos and fix-by dates, and campaign follow-up items."""

import uuid

import streamlit as st

import cached
import login_gate
from components import campaign_picker, url_state
from components import inspection_panels as view
from components.notice import show_notice
from components.steps import run_step
from services.access.permissions import Permission
from services.campaigns import api
from services.campaigns import text as t
from services.campaigns.inspections import InspectionDraft
from services.campaigns.photos import MAX_PHOTOS, PHOTO_MAX_MB, UPLOAD_EXTENSIONS, Upload
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today
from vocabulary import InspectionState

NOTICE = "insp_notice"
FORM, ERRORS, KEY = "insp_form", "insp_errors", "insp_form_key"
FIX_FORM, FIX_ERRORS = "insp_fix", "insp_fix_errors"

state = st.session_state
actor = login_gate.actor()
engine = cached.engine()
now = now_utc()
today = shanghai_today(now)
st.title(t.INSPECTIONS_TITLE, anchor=False)
show_notice(NOTICE)

# Campaigns a unit fell behind in raise their accountability items now (cheap when nothing is due).
if api.check_consequences(engine, now).raised:
    cached.invalidate()

with login_gate.refusals():
    choices = dict(api.campaign_choices(engine, actor))
campaign_id = campaign_picker.pick(choices, key="camp_insp_pick")

states = [None, *InspectionState]
wanted_unit = url_state.get_int("iunit")
state_code = url_state.get_str("istate", {s.value for s in InspectionState})
wanted_state = InspectionState(state_code) if state_code else None
with login_gate.refusals():
    try:
        listing = api.inspection_list(engine, actor, campaign_id, today, wanted_unit, wanted_state)
    except InvalidInput:  # a link naming a unit not in this campaign (or not in scope): every unit instead
        url_state.set_params(iunit=None)
        st.rerun()
units = dict(listing.units)

if actor.can(Permission.MANAGE_CAMPAIGNS) and units and listing.start_date <= today:
    # One key per form: a second click of the same form finds the first save. The widgets are keyed by it too, so a
    # click that arrives after the form was saved and replaced presses a button that no longer exists.
    token = state.setdefault(KEY, uuid.uuid4().hex)
    form_key = f"{actor.user_id}-{token}"
    typed = view.inspection_form(units, listing.start_date, today, actor.display_name, state.get(ERRORS, {}),
                                 PHOTO_MAX_MB, MAX_PHOTOS, UPLOAD_EXTENSIONS, key=f"{FORM}_{token[:12]}")
    if typed is not None:
        draft = InspectionDraft(campaign_id, typed.unit_id, typed.visited_on, typed.inspector, typed.findings,
                                typed.fix_by, form_key)
        photos = [Upload(f.name, f.type or "", f.getvalue()) for f in typed.files]

        def _done(saved) -> tuple[str, str]:
            state.pop(KEY, None)  # the next visit gets a new form and a new key
            return ("info", t.INSP_DUPLICATE) if saved.duplicate else ("success", t.INSP_SAVED.format(photos=saved.photos))

        run_step(lambda: api.record_inspection(engine, actor, draft, photos), notice_key=NOTICE, errors_key=ERRORS,
                 invalid_text=lambda count: t.INSP_INVALID.format(count=count), done=_done, clear_prefixes=(FORM,))
elif not actor.can(Permission.MANAGE_CAMPAIGNS):
    st.caption(t.INSP_READ_ONLY)

st.subheader(t.INSP_LIST, anchor=False)
st.caption(t.INSP_OVERDUE_NOTE)
with st.container(horizontal=True, vertical_alignment="bottom"):
    unit_filter = url_state.select(t.INSP_FILTER_UNIT, [None, *units], "iunit", key=f"insp_unit_{campaign_id}",
                                   format_func=lambda u: t.INSP_FILTER_ALL if u is None else units[u])
    state_filter = url_state.select(t.INSP_FILTER_STATE, states, "istate", key="insp_state",
                                    format_func=lambda s: t.INSP_FILTER_ALL if s is None else s.label)
if (unit_filter, state_filter) != (wanted_unit if wanted_unit in units else None, wanted_state):
    st.rerun()  # a filter changed: read the list again with it

view.counts_line(listing.counts)
if listing.rows:
    view.inspection_table(listing.rows, key=f"insp_table_{campaign_id}_{unit_filter}_{state_filter}")
    view.thumbnails(listing.rows)
else:
    st.info(t.INSP_NONE)

markable = [r for r in listing.rows if r.may_mark]
if markable:
    fixed = view.fix_form(markable, listing.start_date, today, state.get(FIX_ERRORS, {}), key=FIX_FORM)
    if fixed is not None:
        run_step(lambda: api.mark_inspection_fixed(engine, actor, fixed.inspection_id, fixed.fixed_on, fixed.note),
                 notice_key=NOTICE, errors_key=FIX_ERRORS, invalid_text=lambda count: t.INSP_INVALID.format(count=count),
                 done=lambda inspection_id: ("success", t.INSP_FIXED.format(id=inspection_id)),
                 clear_prefixes=(FIX_FORM,))
elif any(r.state is not InspectionState.FIXED for r in listing.rows):
    st.caption(t.INSP_FIX_NONE)
