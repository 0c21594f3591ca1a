"""督导检查 panels: the visit form with photos, the list with overdue fixes in red, thumbnails, the mark-fixed form.

They take plain read models; findings, notes and names users typed reach the page only as table cells or plain text.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from components.campaign_panels import field_errors
from components.uploads import chinese_uploader
from services.campaigns import text as t
from services.campaigns.inspections import InspectionRow
from vocabulary import InspectionState

RED = "color: #c62828; font-weight: 600"
UPLOADER_KEY = "insp_uploader"
C = t.INSP_COLUMNS


@dataclass(frozen=True)
class InspectionInput:
    """What the visit form returns when sent."""

    unit_id: int
    visited_on: date | None
    inspector: str
    findings: str
    fix_by: date | None
    files: list


def inspection_form(units: dict[int, str], first: date, last: date, inspector: str, errors: dict[str, str],
                    max_mb: int, max_files: int, extensions: list[str], key: str) -> InspectionInput | None:
    """The visit form: unit, date, inspector, findings, fix-by date (optional) and photos."""
    with st.form(key, border=True):
        st.markdown(f"**{t.INSP_FORM}**")
        left, middle, right = st.columns(3)
        unit_id = left.selectbox(t.INSP_UNIT, list(units), format_func=units.get, key=f"{key}_unit")
        visited = middle.date_input(t.INSP_VISITED, value=last, min_value=first, max_value=last, format="YYYY-MM-DD",
                                    key=f"{key}_visited")
        name = right.text_input(t.INSP_INSPECTOR, value=inspector, max_chars=64, key=f"{key}_inspector")
        for column, names in ((left, ("unit",)), (middle, ("visited_on",)), (right, ("inspector",))):
            with column:
                field_errors(errors, *names)
        findings = st.text_area(t.INSP_FINDINGS, help=t.INSP_FINDINGS_HELP, max_chars=2000, key=f"{key}_findings")
        field_errors(errors, "findings")
        fix_by = st.date_input(t.INSP_FIX_BY, value=None, min_value=first, format="YYYY-MM-DD", help=t.INSP_FIX_BY_HELP,
                               key=f"{key}_fix_by")
        field_errors(errors, "fix_by")
        with st.container(key=UPLOADER_KEY):
            chinese_uploader(UPLOADER_KEY, f"{t.CAMP_UPLOAD_DROP}（每张不超过 {max_mb} MB）", t.CAMP_UPLOAD_BROWSE)
            files = st.file_uploader(t.INSP_PHOTOS.format(count=max_files, mb=max_mb), type=extensions,
                                     accept_multiple_files=True, max_upload_size=max_mb, key=f"{key}_files")
        field_errors(errors, "photos", "form")
        if st.form_submit_button(t.INSP_SAVE, type="primary"):
            return InspectionInput(unit_id, visited, name, findings, fix_by, list(files or []))
    return None


def counts_line(counts: dict[InspectionState, int]) -> None:
    """How many inspections in all, and per state (overdue in red when any)."""
    line = t.INSP_COUNT.format(total=sum(counts.values()), open=counts[InspectionState.OPEN],
                               overdue=counts[InspectionState.OVERDUE], fixed=counts[InspectionState.FIXED])
    if counts[InspectionState.OVERDUE]:
        st.error(line, icon=":material/alarm:")
    else:
        st.caption(line)


def _red_overdue(row: pd.Series) -> list[str]:
    late = row[C["state"]] == InspectionState.OVERDUE.label
    return [RED if late and name in (C["state"], C["overdue"], C["fix_by"]) else "" for name in row.index]


def inspection_table(rows: list[InspectionRow], key: str) -> None:
    """The inspections, newest visit first; an overdue fix in red with its days."""
    frame = pd.DataFrame.from_records([{
        C["id"]: r.id, C["visited"]: r.visited_on.isoformat(), C["unit"]: r.unit_name, C["inspector"]: r.inspector,
        C["findings"]: r.findings, C["fix_by"]: r.fix_by.isoformat() if r.fix_by else "",
        C["state"]: r.state.label, C["overdue"]: str(r.days_overdue) if r.days_overdue else "",
        C["fixed_on"]: r.fixed_on.isoformat() if r.fixed_on else "", C["fix_note"]: r.fix_note or "",
        C["photos"]: len(r.thumbnails),
    } for r in rows], columns=list(C.values()))
    styled = frame.style.apply(_red_overdue, axis=1)
    widths = {"id": 56, "visited": 92, "unit": 140, "inspector": 80, "findings": 260, "fix_by": 92, "state": 92,
              "overdue": 72, "fixed_on": 92, "fix_note": 200, "photos": 56}
    config = {C[name]: st.column_config.Column(width=width) for name, width in widths.items()}
    config[C["overdue"]] = st.column_config.Column(width=widths["overdue"], alignment="right")
    st.dataframe(styled, hide_index=True, width="stretch", key=key, column_config=config)


def thumbnails(rows: list[InspectionRow], per_row: int = 6) -> None:
    """The visits' photos as thumbnails, captioned with the visit (number, date, unit)."""
    shots = [(r, thumb) for r in rows for thumb in r.thumbnails]
    if not shots:
        return
    st.markdown(f"**{t.INSP_PHOTOS_TITLE}**")
    columns = st.columns(per_row)
    for index, (row, thumb) in enumerate(shots):
        columns[index % per_row].image(thumb, caption=t.INSP_PHOTO_CAPTION.format(
            id=row.id, date=row.visited_on.isoformat(), unit=row.unit_name))


@dataclass(frozen=True)
class FixInput:
    """What the mark-fixed form returns when sent."""

    inspection_id: int
    fixed_on: date | None
    note: str


def _short(text: str, limit: int = 24) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


def fix_form(rows: list[InspectionRow], first: date, last: date, errors: dict[str, str], key: str) -> FixInput | None:
    """Pick an open finding the reader may mark, the date it was fixed and what was done."""
    choices = {r.id: t.INSP_PICK_LABEL.format(id=r.id, date=r.visited_on, unit=r.unit_name, findings=_short(r.findings))
               for r in rows}
    with st.form(key, border=True):
        st.markdown(f"**{t.INSP_FIX_FORM}**")
        picked = st.selectbox(t.INSP_FIX_PICK, list(choices), format_func=choices.get, key=f"{key}_pick")
        fixed_on = st.date_input(t.INSP_FIX_ON, value=last, min_value=first, max_value=last, format="YYYY-MM-DD",
                                 key=f"{key}_on")
        field_errors(errors, "fixed_on")
        note = st.text_area(t.INSP_FIX_NOTE, help=t.INSP_FIX_NOTE_HELP, max_chars=2000, key=f"{key}_note")
        field_errors(errors, "fix_note", "form")
        if st.form_submit_button(t.INSP_FIX_SAVE, type="primary"):
            return FixInput(picked, fixed_on, note)
    return None
