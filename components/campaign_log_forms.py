"""专项行动 entry forms: the activity log with photos, bases, surveys and task completions, and recent activities.

Each form carries a key made when it is first drawn and kept until it has been saved; the key is also part of the
form's widget identity, so a second press that reaches the server after the save names a form no longer drawn.
"""

import uuid
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from components.campaign_panels import field_errors
from components.uploads import chinese_uploader
from services.campaigns import text as t
from services.campaigns.read import ActivityRow
from vocabulary import ActivityChannel, Audience, Outreach

UPLOADER_KEY = "camp_uploader"
KEYS_STATE = "camp_form_keys"  # form name → its key (32 hex digits)
state = st.session_state


def form_id(name: str, resume: str | None = None) -> str:
    """The key of a form, made when it is first drawn and kept across reruns (`resume`: one the address bar named)."""
    keys = state.setdefault(KEYS_STATE, {})
    if name not in keys:
        keys[name] = resume or uuid.uuid4().hex
    return keys[name]


def has_form_id(name: str) -> bool:
    """Whether this browser session has drawn the form already."""
    return name in state.get(KEYS_STATE, {})


def renew_form_id(name: str) -> str:
    """A new key after a successful save: the next entry is a new form."""
    state.setdefault(KEYS_STATE, {})[name] = key = uuid.uuid4().hex
    return key


def form_hints_in_chinese() -> None:
    """The forms' English "Press Enter to submit form" hint replaced by Chinese."""
    st.html(f"""<style>
.stForm [data-testid='InputInstructions'] > span {{ font-size: 0 !important; }}
.stForm [data-testid='InputInstructions'] > span::after {{ content: "{t.LOG_ENTER_TO_SAVE}"; font-size: .75rem; }}
</style>""")


@dataclass(frozen=True)
class ActivityInput:
    """What the activity form returns when sent."""

    unit_id: int
    activity_date: date
    outreach: str
    channel: str
    audience: str
    place: str
    officers: int
    people_reached: int
    households: int
    pieces: int
    receipts: int
    description: str
    files: list


NUMBERS = (("officers", t.ACT_OFFICERS, None), ("people_reached", t.ACT_PEOPLE, None),
           ("households", t.ACT_HOUSEHOLDS, None), ("pieces", t.ACT_PIECES, None),
           ("receipts", t.ACT_RECEIPTS, t.ACT_RECEIPTS_HELP))


def activity_form(units: dict[int, str], first: date, last: date, errors: dict[str, str], max_mb: int,
                  max_files: int, extensions: list[str], form: str) -> ActivityInput | None:
    """The activity-log form with photos; returns the input when 保存活动 was pressed (`form`: the form's key)."""
    key = f"camp_form_{form}"
    with st.form(key, border=True):
        st.markdown(f"**{t.ACT_FORM}**")
        ids = list(units)
        left, right = st.columns(2)
        unit_id = left.selectbox(t.ACT_UNIT, ids, format_func=units.get, key=f"{key}_unit")
        day = right.date_input(t.ACT_DATE, value=last, min_value=first, max_value=last, format="YYYY-MM-DD",
                               key=f"{key}_date")
        with left:
            field_errors(errors, "unit")
        with right:
            field_errors(errors, "activity_date")
        a, b, c = st.columns(3)
        outreach = a.selectbox(t.ACT_OUTREACH, list(Outreach), format_func=lambda o: o.label, key=f"{key}_outreach")
        channel = b.selectbox(t.ACT_CHANNEL, list(ActivityChannel), format_func=lambda o: o.label, key=f"{key}_channel")
        audience = c.selectbox(t.ACT_AUDIENCE, list(Audience), format_func=lambda o: o.label, key=f"{key}_audience")
        for column, name in ((a, "outreach"), (b, "channel"), (c, "audience")):
            with column:
                field_errors(errors, name)
        place = st.text_input(t.ACT_PLACE, placeholder=t.ACT_PLACE_HELP, max_chars=100, key=f"{key}_place")
        field_errors(errors, "place")
        numbers = {}
        for column, (name, label, help_text) in zip(st.columns(len(NUMBERS)), NUMBERS, strict=True):
            numbers[name] = int(column.number_input(label, min_value=0, max_value=1_000_000, step=1, value=0,
                                                    help=help_text, key=f"{key}_{name}"))
            with column:
                field_errors(errors, name)
        description = st.text_area(t.ACT_DESCRIPTION, max_chars=2000, key=f"{key}_description")
        field_errors(errors, "description")
        with st.container(key=UPLOADER_KEY):
            chinese_uploader(UPLOADER_KEY, f"{t.CAMP_UPLOAD_DROP}（每张不超过 {max_mb} MB）", t.CAMP_UPLOAD_BROWSE)
            form_hints_in_chinese()
            files = st.file_uploader(t.ACT_PHOTOS.format(mb=max_mb, count=max_files), type=extensions,
                                     accept_multiple_files=True, max_upload_size=max_mb, key=f"{key}_files")
        field_errors(errors, "photos", "form")
        if st.form_submit_button(t.ACT_SAVE, type="primary"):
            return ActivityInput(unit_id, day, outreach.value, channel.value, audience.value, place,
                                 description=description, files=list(files or []), **numbers)
    return None


def recent(rows: list[ActivityRow]) -> None:
    """The latest activities, with photo thumbnails."""
    st.subheader(t.ACT_RECENT, anchor=False)
    if not rows:
        st.caption(t.CAMP_RECENT_EMPTY)
        return
    st.dataframe(pd.DataFrame([{
        t.CAMP_COL_DATE: r.activity_date, t.CAMP_COL_UNIT: r.unit_name, t.CAMP_COL_OUTREACH: r.outreach,
        t.CAMP_COL_CHANNEL: r.channel, t.CAMP_COL_AUDIENCE: r.audience, t.CAMP_COL_PLACE: r.place or "",
        t.CAMP_COL_OFFICERS: r.officers, t.CAMP_COL_PEOPLE: r.people_reached, t.CAMP_COL_RECEIPTS: r.receipts,
        t.CAMP_COL_PHOTOS: len(r.thumbnails),
    } for r in rows]), hide_index=True, width="stretch")
    with_photos = [r for r in rows if r.thumbnails]
    if with_photos:
        columns = st.columns(4)
        for index, (row, thumb) in enumerate((r, th) for r in with_photos for th in r.thumbnails[:2]):
            columns[index % 4].image(thumb, caption=t.ACT_PHOTO_CAPTION.format(
                date=row.activity_date, unit=row.unit_name, place=row.place or ""))


@dataclass(frozen=True)
class EntryInput:
    """A base, survey or task completion as typed: which form, target, unit and values."""

    form: str  # "base" / "survey" / "task"
    target_id: int
    unit_id: int
    values: dict


ENTRY_FORMS = ("base", "survey", "task")


def entry_forms(bases: dict[int, str], surveys: dict[int, str], tasks: dict[int, str], units: dict[int, str],
                first: date, last: date, errors: dict[str, dict[str, str]], forms: dict[str, str]) -> EntryInput | None:
    """Three small forms: declare a coverage base, enter a survey, report a task done.

    `forms` holds each form's key and `errors` each form's refusals by field, both by form name.
    """
    sent = None
    tabs = st.tabs([t.BASE_FORM, t.SURVEY_FORM, t.TASK_FORM])
    for tab, form, targets in zip(tabs, ENTRY_FORMS, (bases, surveys, tasks), strict=True):
        with tab:
            if not targets or not units:
                st.caption(t.ENTRY_NO_TARGET)
                continue
            key = f"camp_entry_{form}_{forms[form]}"
            with st.form(key, border=True):
                left, right = st.columns(2)
                target_id = left.selectbox(t.ENTRY_TARGET, list(targets), format_func=targets.get, key=f"{key}_t")
                unit_id = right.selectbox(t.ACT_UNIT, list(units), format_func=units.get, key=f"{key}_u")
                if form == "base":
                    values = {"base_value": int(st.number_input(t.BASE_VALUE, min_value=0, step=1, key=f"{key}_bv"))}
                    names, label = ("base_value",), t.BASE_SAVE
                elif form == "survey":
                    a, b, c = st.columns(3)
                    values = {"survey_date": a.date_input(t.SURVEY_DATE, value=last, min_value=first, max_value=last,
                                                          format="YYYY-MM-DD", key=f"{key}_sd"),
                              "sample_size": int(b.number_input(t.SURVEY_SAMPLE, min_value=0, step=1, key=f"{key}_ss")),
                              "yes_count": int(c.number_input(t.SURVEY_YES, min_value=0, step=1, key=f"{key}_sy"))}
                    names, label = ("survey_date", "sample_size", "yes_count"), t.SURVEY_SAVE
                else:
                    values = {"done_on": st.date_input(t.TASK_DONE_ON, value=last, min_value=first, max_value=last,
                                                       format="YYYY-MM-DD", key=f"{key}_do"),
                              "evidence_note": st.text_area(t.TASK_EVIDENCE, max_chars=2000, key=f"{key}_ev")}
                    names, label = ("done_on", "evidence_note"), t.TASK_SAVE
                field_errors(errors.get(form, {}), "target", "unit", "form", *names)
                if st.form_submit_button(label):
                    sent = EntryInput(form, target_id, unit_id, values)
    return sent
