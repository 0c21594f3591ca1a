"""专项行动 panels: the matrix with traffic lights and pacing, 八进 coverage, charts, the activity form."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.plain import plain
from services.campaigns import text as t
from services.campaigns.progress import EIGHT_PLACES, Progress, Series, gaps
from services.campaigns.read import ActivityRow
from vocabulary import ActivityChannel, Audience, Light, Outreach

# A word for the light (readable without colour and without an emoji font), and the cell's background colour.
DOT = {Light.GREEN: "绿｜", Light.AMBER: "黄｜", Light.RED: "红｜", Light.GREY: "灰｜"}
SHADE = {"绿｜": "#d5f5e3", "黄｜": "#fcf3cf", "红｜": "#fadbd8", "灰｜": "#eaeded"}


def _shade(value: object) -> str:
    text = str(value)
    return next((f"background-color: {colour}" for word, colour in SHADE.items() if text.startswith(word)), "")
UPLOADER_KEY = "camp_uploader"


def header(progress: Progress) -> None:
    """The campaign's theme and period with how far into it today is."""
    info = progress.campaign
    total = (info.end_date - info.start_date).days + 1
    day = min(max((progress.today - info.start_date).days + 1, 0), total)
    if info.theme:
        plain(t.CAMP_THEME.format(theme=info.theme))
    st.caption(t.CAMP_PERIOD.format(start=info.start_date, end=info.end_date, day=day, total=total))


def matrix(progress: Progress, unit_ids: list[int], behind_only: bool) -> pd.DataFrame:
    """Units × targets: a light and the figures with pacing in each cell (plain text)."""
    st.subheader(t.CAMP_MATRIX, anchor=False, help=t.CAMP_MATRIX_HELP)
    st.caption(t.CAMP_LEGEND)
    rows = []
    for unit in progress.units:
        if unit.unit_id not in unit_ids:
            continue
        cells = [progress.cells.get((unit.unit_id, target.id)) for target in progress.targets]
        if behind_only and not any(c and c.light in (Light.RED, Light.AMBER) for c in cells):
            continue
        row = {t.CAMP_UNIT: unit.name, t.CAMP_LIAISON: unit.liaison_name or "", t.CAMP_LIAISON_PHONE: unit.liaison_phone or ""}
        for target, cell in zip(progress.targets, cells, strict=True):
            row[target.description] = f"{DOT[cell.light]}{cell.text}" if cell else "—"
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        st.info(t.CAMP_NO_ROWS)
        return frame
    with st.container(key="camp_matrix"):
        st.dataframe(frame.style.map(_shade, subset=list(frame.columns[3:])), hide_index=True, width="stretch",
                     column_config={c: st.column_config.TextColumn(c, width="medium") for c in frame.columns[3:]})
    return frame


def partners(progress: Progress) -> None:
    """Partner units (only log activities) with their 联络员."""
    with st.expander(f"{t.CAMP_PARTNERS}（{len(progress.partners)}）"):
        if not progress.partners:
            st.caption(t.CAMP_PARTNERS_NONE)
            return
        names = {u.unit_id: u.name for u in progress.units}
        st.dataframe(pd.DataFrame([{t.CAMP_UNIT: p.name, t.CAMP_COL_PARENT: names.get(p.parent_id, ""),
                                    t.CAMP_LIAISON: p.liaison_name or "", t.CAMP_LIAISON_PHONE: p.liaison_phone or ""}
                                   for p in progress.partners]), hide_index=True, width="stretch")


def coverage(progress: Progress, unit_ids: list[int]) -> None:
    """Units × the 八进 places: activities so far, and the places not yet reached."""
    st.subheader(t.CAMP_COVERAGE, anchor=False)
    rows = []
    for unit in progress.units:
        if unit.unit_id not in unit_ids:
            continue
        counts = progress.coverage.get(unit.unit_id, {})
        row = {t.CAMP_UNIT: unit.name}
        row.update({place.label: counts.get(place.value, 0) for place in EIGHT_PLACES})
        row[t.CAMP_COL_GAPS] = "、".join(p.label for p in gaps(progress, unit.unit_id)) or "—"
        rows.append(row)
    if rows:
        with st.container(key="camp_coverage"):
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def cumulative_chart(series: Series | None) -> None:
    """Cumulative value so far against the straight line to the goal at the end of the campaign."""
    if series is None:
        st.caption(t.CAMP_CHART_NONE)
        return
    figure = go.Figure()
    figure.add_scatter(x=series.days, y=series.ideal, name=t.CAMP_CHART_IDEAL, line={"dash": "dash", "color": "#888"})
    figure.add_scatter(x=series.days[:len(series.actual)], y=series.actual, name=t.CAMP_CHART_ACTUAL,
                       line={"color": "#c0392b"})
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"},
                         xaxis_title=t.CAMP_CHART_DATE, yaxis_title=t.CAMP_CHART_VALUE.format(uom=series.unit_of_measure))
    st.plotly_chart(figure, key="camp_cumulative", config={"displaylogo": False})


def weekly_chart(weekly: list[tuple[date, int]]) -> None:
    """Activities per week (Monday to Sunday)."""
    st.subheader(t.CAMP_WEEKLY, anchor=False)
    figure = go.Figure(go.Bar(x=[w for w, _ in weekly], y=[n for _, n in weekly], marker_color="#2e86c1",
                              name=t.CAMP_ACTIVITIES))
    figure.update_layout(height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis_title=t.CAMP_WEEK,
                         yaxis_title=t.CAMP_ACTIVITIES)
    st.plotly_chart(figure, key="camp_weekly", config={"displaylogo": False})


def field_errors(errors: dict[str, str], *names: str) -> None:
    """The refusals of the named fields, under the field."""
    for name in names:
        if name in errors:
            st.error(errors[name], icon=":material/error:")


def chinese_uploader(max_mb: int) -> None:
    """Streamlit's uploader texts replaced by Chinese, with the photo limit."""
    box = f".st-key-{UPLOADER_KEY} [data-testid='stFileUploaderDropzone']"
    st.html(f"""<style>
{box} [data-testid='stFileUploaderDropzoneInstructions'] * {{ font-size: 0 !important; }}
{box} [data-testid='stFileUploaderDropzoneInstructions']::before {{
  content: "{t.CAMP_UPLOAD_DROP}（每张不超过 {max_mb} MB）"; font-size: .875rem; }}
{box} button [data-testid='stMarkdownContainer'] {{ display: none; }}
{box} button::after {{ content: "{t.CAMP_UPLOAD_BROWSE}"; }}
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
    description: str
    files: list


def activity_form(units: dict[int, str], first: date, last: date, errors: dict[str, str], max_mb: int,
                  max_files: int, extensions: list[str], key: str) -> ActivityInput | None:
    """The activity-log form with photos; returns the input when 保存活动 was pressed."""
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
        for column, (name, label) in zip(st.columns(4), (("officers", t.ACT_OFFICERS), ("people_reached", t.ACT_PEOPLE),
                                                          ("households", t.ACT_HOUSEHOLDS), ("pieces", t.ACT_PIECES)),
                                         strict=True):
            numbers[name] = int(column.number_input(label, min_value=0, max_value=1_000_000, step=1, value=0,
                                                    key=f"{key}_{name}"))
            with column:
                field_errors(errors, name)
        description = st.text_area(t.ACT_DESCRIPTION, max_chars=2000, key=f"{key}_description")
        field_errors(errors, "description")
        with st.container(key=UPLOADER_KEY):
            chinese_uploader(max_mb)
            files = st.file_uploader(t.ACT_PHOTOS.format(mb=max_mb, count=max_files), type=extensions,
                                     accept_multiple_files=True, max_upload_size=max_mb, key=f"{key}_files")
        field_errors(errors, "photos", "form")
        if st.form_submit_button(t.ACT_SAVE, type="primary"):
            return ActivityInput(unit_id, day, outreach.value, channel.value, audience.value, place, description=description,
                                 files=list(files or []), **numbers)
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
        t.CAMP_COL_OFFICERS: r.officers, t.CAMP_COL_PEOPLE: r.people_reached, t.CAMP_COL_PHOTOS: len(r.thumbnails),
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


def entry_forms(bases: dict[int, str], surveys: dict[int, str], tasks: dict[int, str], units: dict[int, str],
                first: date, last: date, errors: dict[str, str], key: str) -> EntryInput | None:
    """Three small forms: declare a coverage base, enter a survey, report a task done."""
    sent = None
    tabs = st.tabs([t.BASE_FORM, t.SURVEY_FORM, t.TASK_FORM])
    for tab, form, targets in zip(tabs, ("base", "survey", "task"), (bases, surveys, tasks), strict=True):
        with tab:
            if not targets or not units:
                st.caption(t.ENTRY_NO_TARGET)
                continue
            with st.form(f"{key}_{form}", border=True):
                left, right = st.columns(2)
                target_id = left.selectbox(t.ENTRY_TARGET, list(targets), format_func=targets.get, key=f"{key}_{form}_t")
                unit_id = right.selectbox(t.ACT_UNIT, list(units), format_func=units.get, key=f"{key}_{form}_u")
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
                field_errors(errors, "target", "unit", "form", *names)
                if st.form_submit_button(label):
                    sent = EntryInput(form, target_id, unit_id, values)
    return sent


def report_board(board, period_text: str, when) -> None:
    """Who reported the latest due period, who is late, and the 联络员 to call."""
    from services.campaigns.calendar import ReportStatus

    st.caption(period_text)
    late = [r for r in board.rows if r.status in (ReportStatus.MISSING, ReportStatus.LATE, ReportStatus.DUE_TODAY)]
    missing = [r for r in board.rows if r.status is ReportStatus.MISSING]
    if missing:
        st.warning(t.REP_LATE_CALL.format(count=len(missing)), icon=":material/call:")
    rows = sorted(board.rows, key=lambda r: r not in late)
    with st.container(key="camp_reports"):
        st.dataframe(pd.DataFrame([{
            t.REP_COL_UNIT: r.unit_name, t.REP_COL_STATUS: r.status.label,
            t.REP_COL_SUBMITTED: when(r.submitted_at) if r.submitted_at else "",
            t.REP_COL_MISSED: r.missed_in_a_row, t.REP_COL_LIAISON: r.liaison_name or "",
            t.REP_COL_PHONE: r.liaison_phone or "",
        } for r in rows]), hide_index=True, width="stretch")


@dataclass(frozen=True)
class ReportInput:
    unit_id: int
    methods: str
    channels: str
    process: str
    scope: str
    next_steps: str


def report_form(owed: dict[int, str], errors: dict[str, str], key: str) -> ReportInput | None:
    """The unit's report: 方式、渠道、过程、范围 in its own words and 下步工作打算; figures are added when submitted."""
    with st.form(key, border=True):
        st.markdown(f"**{t.REP_FORM}**")
        unit_id = st.selectbox(t.REP_FORM_UNIT, list(owed), format_func=owed.get, key=f"{key}_unit")
        field_errors(errors, "unit", "form")
        values = {}
        for name, label in (("methods", t.REP_METHODS), ("channels", t.REP_CHANNELS), ("process", t.REP_PROCESS),
                            ("scope", t.REP_SCOPE), ("next_steps", t.REP_NEXT)):
            values[name] = st.text_area(label, max_chars=2000, height=80, key=f"{key}_{name}")
            field_errors(errors, name)
        if st.form_submit_button(t.REP_SUBMIT, type="primary"):
            return ReportInput(unit_id, **values)
    return None
