"""专项行动 · 活动登记: units and partners log activities with photos, declare bases, enter surveys, report tasks done."""

import re

import streamlit as st

import cached
import login_gate
from components import campaign_log_forms as forms
from components import campaign_picker, url_state
from components.notice import show_notice
from components.steps import run_step
from services.campaigns import api
from services.campaigns import text as t
from services.campaigns.entries import ActivityDraft
from services.campaigns.photos import MAX_PHOTOS, PHOTO_MAX_MB, UPLOAD_EXTENSIONS, Upload
from services.campaigns.read import LogContext
from services.shared.errors import InvalidInput
from services.shared.timeutil import shanghai_today
from vocabulary import TargetKind

NOTICE = "camp_log_notice"
ERRORS = "camp_errors"
ENTRY_ERRORS = "camp_entry_errors"
ENTRY_STEPS = {"base": (api.declare_base, t.BASE_SAVED), "survey": (api.enter_survey, t.SURVEY_SAVED),
               "task": (api.complete_task, t.TASK_SAVED)}

state = st.session_state
actor = login_gate.actor()
engine = cached.engine()
today = shanghai_today()
st.title(t.LOG_TITLE, anchor=False)


def stored_key(form_id: str) -> str:
    """The key saved with a row: the form's key under the officer's id, so a copied link names no one else's form."""
    return f"{actor.user_id}-{form_id}"


def activity_form_id() -> str:
    """The activity form's key: made when first drawn, or resumed from the address bar unless that form was saved."""
    if not forms.has_form_id("activity"):
        wanted = url_state.get_str("form")
        wanted = wanted if wanted and re.fullmatch(r"[0-9a-f]{32}", wanted) else None
        try:
            saved = api.saved_activity(engine, actor, stored_key(wanted)) if wanted else None
        except InvalidInput:
            saved, wanted = None, None
        if saved is not None:
            st.info(t.ACT_ALREADY_SAVED.format(id=saved))
            wanted = None
        forms.form_id("activity", wanted)
    form_id = forms.form_id("activity")
    # In the address bar too: a form re-sent after a dropped connection or a server restart keeps its key.
    url_state.set_params(form=form_id)
    return form_id


def after_save(photos: int) -> tuple[str, str]:
    """After a save: a new form (and key) for the next activity, and the notice."""
    url_state.set_params(form=forms.renew_form_id("activity"))
    cached.campaign_entry_saved()
    return "success", t.ACT_SAVED.format(photos=photos)


def log_activity_form(context: LogContext) -> None:
    """The activity form; 保存活动 saves once per form key."""
    form_id = activity_form_id()
    typed = forms.activity_form(context.loggable, context.start_date, context.last_day, state.get(ERRORS, {}),
                                PHOTO_MAX_MB, MAX_PHOTOS, UPLOAD_EXTENSIONS, form=form_id)
    if typed is None:
        return
    draft = ActivityDraft(context.campaign_id, typed.unit_id, typed.activity_date, typed.outreach, typed.channel,
                          typed.audience, typed.place, typed.officers, typed.people_reached, typed.households,
                          typed.pieces, typed.description, receipts=typed.receipts,
                          idempotency_key=stored_key(form_id))
    photos = [Upload(f.name, f.type or "", f.getvalue()) for f in typed.files]
    run_step(lambda: api.log_activity(engine, actor, draft, photos), notice_key=NOTICE, errors_key=ERRORS,
             invalid_text=lambda count: t.ACT_INVALID.format(count=count),
             done=lambda _: after_save(len(photos)))


def entry_forms(context: LogContext) -> None:
    """Bases, surveys and tasks done: police units only, each form saved once per key."""
    ids = {name: forms.form_id(name) for name in forms.ENTRY_FORMS}
    targets = context.targets
    if context.partners:
        st.caption(t.LOG_PARTNER_ONLY_ACTIVITIES)
    errors = {name: state.get(f"{ENTRY_ERRORS}_{name}", {}) for name in forms.ENTRY_FORMS}  # each form its own
    entry = forms.entry_forms(targets[TargetKind.COVERAGE], targets[TargetKind.SURVEY], targets[TargetKind.TASK],
                              context.police, context.start_date, context.last_day, errors, forms=ids)
    if entry is None:
        return
    step, saved_text = ENTRY_STEPS[entry.form]

    def done(_):
        forms.renew_form_id(entry.form)
        cached.campaign_entry_saved()
        return "success", saved_text

    run_step(lambda: step(engine, actor, context.campaign_id, entry.target_id, entry.unit_id, **entry.values,
                          idempotency_key=stored_key(ids[entry.form])),
             notice_key=NOTICE, errors_key=f"{ENTRY_ERRORS}_{entry.form}", done=done,
             invalid_text=lambda count: t.ACT_INVALID.format(count=count))


show_notice(NOTICE)
with login_gate.refusals():
    choices = dict(api.campaign_choices(engine, actor))
campaign_id = campaign_picker.pick(choices, key="camp_log_pick")
with login_gate.refusals():
    context = api.log_context(engine, actor, campaign_id, today)
st.caption(t.LOG_PERIOD.format(start=context.start_date, end=context.end_date))
if not context.loggable:
    st.info(t.CAMP_NO_UNIT_TO_LOG)
elif not context.started:
    st.info(t.LOG_NOT_STARTED.format(start=context.start_date))
else:
    log_activity_form(context)
    if context.police:
        with st.expander(t.CAMP_ENTRIES):
            entry_forms(context)

with login_gate.refusals():
    forms.recent(api.recent_activities(engine, actor, campaign_id))
