"""专项行动 · 行动管理: leaders create campaigns with their units, 联络员, targets and consequences, and maintain them."""

import uuid

import streamlit as st

import cached
import login_gate
from components import campaign_admin_forms as forms
from components.campaign_panels import field_errors
from components.notice import set_notice, show_notice
from components.steps import run_step
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import api
from services.campaigns import text as t
from services.campaigns.setup import CampaignDraft, Consequences, UnitEntry
from services.shared.timeutil import shanghai_today

NOTICE = "ca_notice"
NEW_NOTICE = "ca_create_notice"
NEW = "ca_new"  # every widget and value of the create form starts with this
NEW_KEY = "ca_form_key"  # the create form's idempotency key: one campaign per key in this browser session
CREATED = "ca_created"  # form key → (campaign id, name) of what that form created
NEW_ERRORS, TARGET_ERRORS = "ca_errors", "ca_target_errors"
TARGETS = f"{NEW}_targets"
CLEAR_TARGET = "ca_clear_target"
DONE = "ca_done"  # what each maintenance form last saved: the same content again is not sent twice

state = st.session_state
actor = login_gate.actor()
engine = cached.engine()
today = shanghai_today()
with login_gate.refusals():
    require(actor, Permission.MANAGE_CAMPAIGNS)
st.title(t.ADMIN_TITLE, anchor=False)
show_notice(NOTICE)

with login_gate.refusals():
    owned = api.owned_campaigns(engine, actor, today)
    choices = api.admin_choices(engine, actor)
police = {u.id: u.name for u in choices.police}
partner_names = {u.id: t.ADM_PARTNER_OPTION.format(name=u.name, parent=u.parent_name) for u in choices.partners}
forms.campaign_list(owned)


def _invalid(count: int) -> str:
    return t.ADM_INVALID.format(count=count)


def _new_form() -> None:
    """Empty the create form and give it a new key (widgets are set, not forgotten: the browser keeps what it shows)."""
    for name in [k for k in state if str(k).startswith(NEW)]:
        if type(state[name]) is str:  # text boxes (choices are enums, themselves str subclasses)
            state[name] = ""
        elif type(state[name]) is list:  # multiselects; the drafted targets
            state[name] = []
        else:
            del state[name]
    state[NEW_KEY] = uuid.uuid4().hex
    state.pop(NEW_ERRORS, None)
    state.pop(TARGET_ERRORS, None)


def _create_step(draft: CampaignDraft, form_key: str) -> None:
    def done(campaign_id: int) -> tuple[str, str]:
        state.setdefault(CREATED, {})[form_key] = (campaign_id, draft.name.strip())
        return "success", t.ADM_CREATED.format(name=draft.name.strip())

    run_step(lambda: api.create_campaign(engine, actor, draft), notice_key=NEW_NOTICE, errors_key=NEW_ERRORS,
             invalid_text=_invalid, done=done)


def create_section() -> None:
    if NEW_KEY not in state:
        _new_form()
    if state.pop(CLEAR_TARGET, False):
        state[f"{NEW}_target_description"] = ""
    form_key, errors = state[NEW_KEY], state.get(NEW_ERRORS, {})
    name, theme, start, end = forms.basics(today, errors, key=NEW)
    chosen, partners = forms.unit_pickers(police, choices.stations, partner_names, errors, key=NEW)
    rows = [(u, police[u], False) for u in chosen] + [(u, partner_names[u], True) for u in partners]
    liaisons = forms.liaison_editor(rows, {}, errors, key=f"{NEW}_liaisons")

    st.markdown(f"**{t.ADM_TARGETS}**")
    targets = state.setdefault(TARGETS, [])
    chosen_police = {u: police[u] for u in chosen}
    if (removed := forms.drafted_targets(targets, chosen_police, errors, key=f"{NEW}_list")) is not None:
        targets.pop(removed)
        st.rerun()
    drafted = forms.target_form(chosen_police, start, end, state.get(TARGET_ERRORS, {}), key=f"{NEW}_target")
    if drafted is not None:
        problem = api.target_problem(drafted, start, end, set(chosen_police))
        if problem is None and drafted.description in {x.description for x in targets}:
            problem = t.ERR_TARGET_TWICE
        if problem is None:
            targets.append(drafted)
            state.pop(TARGET_ERRORS, None)
            state[CLEAR_TARGET] = True  # emptied on the next run, before the box is drawn
            set_notice(NOTICE, "success", t.ADM_TARGET_ADDED.format(description=drafted.description))
        else:
            state[TARGET_ERRORS] = {"target": problem}
        st.rerun()

    st.markdown(f"**{t.ADM_CONSEQUENCES}**")
    consequences = forms.consequence_fields(Consequences(), errors, key=f"{NEW}_consequences")
    field_errors(errors, "form")
    created = state.get(CREATED, {}).get(form_key)
    with st.container(horizontal=True):
        pressed = st.button(t.ADM_CREATE, type="primary", key="ca_create")
        if created is not None:
            st.button(t.ADM_NEW_FORM, on_click=_new_form, key="ca_another")
    show_notice(NEW_NOTICE)  # by the button: the form is long, the page's top is out of sight
    if not pressed:
        return
    if created is not None:  # a second click, or a re-sent form: this form's campaign exists already
        set_notice(NEW_NOTICE, "info", t.ADM_ALREADY_CREATED.format(name=created[1]))
        st.rerun()
    units = [UnitEntry(u, False, *liaisons.get(u, ("", ""))) for u in chosen]
    units += [UnitEntry(u, True, *liaisons.get(u, ("", ""))) for u in partners]
    _create_step(CampaignDraft(name, theme, start, end, units, list(targets), consequences), form_key)


def _once(form: str, signature: tuple, step, saved: str, errors_key: str) -> None:
    """Save a maintenance form unless this session saved the very same content already (a double click)."""
    if state.get(DONE, {}).get(form) == signature:
        set_notice(NOTICE, "info", t.ADM_ALREADY_SAVED)
        st.rerun()

    def done(_) -> tuple[str, str]:
        state.setdefault(DONE, {})[form] = signature
        return "success", saved

    run_step(step, notice_key=NOTICE, errors_key=errors_key, invalid_text=_invalid, done=done)


def maintain_section() -> None:
    if not owned:
        st.info(t.ADM_NOT_OWNER_NONE)
        return
    names = {c.id: c.name for c in owned}
    campaign_id = st.selectbox(t.ADM_PICK, list(names), format_func=names.get, key="ca_m_pick")
    with login_gate.refusals():
        setup = api.campaign_setup(engine, actor, campaign_id)
    errors = state.get("ca_m_errors", {})
    key = f"ca_m_{campaign_id}"

    st.markdown(f"**{t.ADM_LIAISONS}**")
    initial = {u.unit_id: (u.liaison_name or "", u.liaison_phone or "") for u in setup.units}
    rows = [(u.unit_id, u.name, u.partner) for u in setup.units]
    liaisons = forms.liaison_editor(rows, initial, errors, key=f"{key}_liaisons")
    if st.button(t.ADM_LIAISON_SAVE, key=f"{key}_liaisons_save"):
        changed = {u: v for u, v in liaisons.items() if v != initial.get(u)}
        run_step(lambda: api.update_liaisons(engine, actor, campaign_id, changed), notice_key=NOTICE,
                 errors_key="ca_m_errors", invalid_text=_invalid,
                 done=lambda count: ("success", t.ADM_LIAISON_SAVED.format(count=count)))

    st.markdown(f"**{t.ADM_ADD_PARTNER}**")
    joined = {u.unit_id for u in setup.units}
    addable = {u: n for u, n in partner_names.items() if u not in joined}
    if not addable:
        st.caption(t.ADM_ADD_PARTNER_NONE)
    else:
        with st.form(f"{key}_partner", border=True):
            a, b, c = st.columns(3)
            unit_id = a.selectbox(t.ADM_ADD_PARTNER_PICK, list(addable), format_func=addable.get, key=f"{key}_p_unit")
            liaison = b.text_input(t.ADM_COL_LIAISON, max_chars=32, key=f"{key}_p_name")
            phone = c.text_input(t.ADM_COL_PHONE, max_chars=20, key=f"{key}_p_phone")
            field_errors(errors, "partners", "liaisons")
            if st.form_submit_button(t.ADM_ADD_PARTNER):
                entry = UnitEntry(unit_id, True, liaison, phone)
                _once("partner", (campaign_id, entry), lambda: api.add_partner(engine, actor, campaign_id, entry),
                      t.ADM_PARTNER_ADDED, "ca_m_errors")

    st.markdown(f"**{t.ADM_TARGETS}**")
    forms.saved_targets([(x.description, x.kind.label, x.goal, x.applies_to or t.ADM_TARGET_ALL_UNITS)
                         for x in setup.targets])
    unit_names = {u.unit_id: u.name for u in setup.units if not u.partner}
    drafted = forms.target_form(unit_names, setup.start_date, setup.end_date, errors, key=f"{key}_target")
    if drafted is not None:
        _once("target", (campaign_id, drafted), lambda: api.add_target(engine, actor, campaign_id, drafted),
              t.ADM_TARGET_SAVED, "ca_m_errors")

    st.markdown(f"**{t.ADM_CONSEQUENCES}**")
    with st.form(f"{key}_consequences_form", border=True):
        value = forms.consequence_fields(setup.consequences, errors, key=f"{key}_consequences")
        if st.form_submit_button(t.ADM_CONSEQUENCES_SAVE):
            run_step(lambda: api.update_consequences(engine, actor, campaign_id, value), notice_key=NOTICE,
                     errors_key="ca_m_errors", invalid_text=_invalid,
                     done=lambda _: ("success", t.ADM_CONSEQUENCES_SAVED))

    st.markdown(f"**{t.ADM_PERIOD_FORM}**")
    if setup.reports_submitted:
        st.caption(t.ADM_REPORTED.format(count=setup.reports_submitted))
    with st.form(f"{key}_period_form", border=True):
        a, b = st.columns(2)
        start = a.date_input(t.ADM_START, value=setup.start_date, format="YYYY-MM-DD", key=f"{key}_start",
                             disabled=bool(setup.reports_submitted))
        end = b.date_input(t.ADM_END, value=setup.end_date, format="YYYY-MM-DD", key=f"{key}_end",
                           disabled=bool(setup.reports_submitted))
        field_errors(errors, "period")
        if st.form_submit_button(t.ADM_PERIOD_SAVE, disabled=bool(setup.reports_submitted)):
            run_step(lambda: api.change_period(engine, actor, campaign_id, start, end), notice_key=NOTICE,
                     errors_key="ca_m_errors", invalid_text=_invalid, done=lambda _: ("success", t.ADM_PERIOD_SAVED))


def partner_unit_section() -> None:
    stations = {u.id: u.name for u in choices.police if u.id in set(choices.stations)}
    if not stations:
        st.info(t.ADM_PARTNER_NO_STATION)
        return
    errors = state.get("ca_p_errors", {})
    with st.form("ca_partner_unit", border=True):
        a, b, c = st.columns(3)
        name = a.text_input(t.ADM_PARTNER_NAME, max_chars=64, placeholder=t.ADM_PARTNER_NAME_HELP, key="ca_p_name")
        with a:
            field_errors(errors, "partner_name")
        kind = b.text_input(t.ADM_PARTNER_KIND, max_chars=20, placeholder=t.ADM_PARTNER_KIND_HELP, key="ca_p_kind")
        with b:
            field_errors(errors, "partner_kind")
        parent = c.selectbox(t.ADM_PARTNER_PARENT, list(stations), format_func=stations.get, key="ca_p_parent")
        with c:
            field_errors(errors, "partner_parent", "form")
        if st.form_submit_button(t.ADM_PARTNER_SAVE):
            _once("partner_unit", (parent, name.strip(), kind.strip()),
                  lambda: api.create_partner_unit(engine, actor, parent, name, kind),
                  t.ADM_PARTNER_CREATED.format(name=name.strip()), "ca_p_errors")


create_tab, maintain_tab, partner_tab = st.tabs([t.ADM_TAB_CREATE, t.ADM_TAB_MAINTAIN, t.ADM_TAB_PARTNER])
with create_tab:
    create_section()
with maintain_tab:
    maintain_section()
with partner_tab:
    partner_unit_section()
