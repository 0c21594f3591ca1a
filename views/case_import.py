"""案件导入: upload a CSV/XLSX of cases, see every bad row, import all or nothing."""

import hashlib

import pandas as pd
import streamlit as st

import cached
import login_gate
from components.plain import table
from services.access.permissions import Permission
from services.access.scope import require
from services.case_import.reader import template_csv, template_xlsx
from services.case_import.text import (
    IMPORT_COL_COLUMN,
    IMPORT_COL_REASON,
    IMPORT_COL_ROW,
    IMPORT_DATUM,
    IMPORT_DATUM_GCJ02,
    IMPORT_DATUM_HELP,
    IMPORT_DATUM_WGS84,
    IMPORT_DONE,
    IMPORT_ERRORS_DOWNLOAD,
    IMPORT_ERRORS_NAME,
    IMPORT_FILE,
    IMPORT_FILE_HELP,
    IMPORT_INTRO,
    IMPORT_READING,
    IMPORT_REFUSED,
    IMPORT_START,
    IMPORT_TEMPLATE_CSV,
    IMPORT_TEMPLATE_NAME,
    IMPORT_TEMPLATE_XLSX,
    IMPORT_TITLE,
    IMPORT_TOO_LARGE,
    IMPORT_WRITING,
)
from services.case_import.writer import import_file
from services.shared.export_cells import csv_bytes

MAX_UPLOAD_MB = 50
TABLE_ROWS = 200  # up to this many bad rows are listed as a plain table
DATUMS = {"wgs84": IMPORT_DATUM_WGS84, "gcj02": IMPORT_DATUM_GCJ02}
state = st.session_state

actor = login_gate.actor()
st.title(IMPORT_TITLE, anchor=False)
with login_gate.refusals():
    require(actor, Permission.EDIT_CASES)

st.markdown(IMPORT_INTRO)
with st.container(horizontal=True):
    st.download_button(IMPORT_TEMPLATE_XLSX, template_xlsx(), file_name=IMPORT_TEMPLATE_NAME + ".xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="template_xlsx")
    st.download_button(IMPORT_TEMPLATE_CSV, template_csv(), file_name=IMPORT_TEMPLATE_NAME + ".csv",
                       mime="text/csv", icon=":material/download:", key="template_csv")

upload = st.file_uploader(IMPORT_FILE, type=["csv", "xlsx"], key="import_file", help=IMPORT_FILE_HELP)
datum = st.radio(IMPORT_DATUM, list(DATUMS), format_func=DATUMS.get, horizontal=True, key="import_datum",
                 help=IMPORT_DATUM_HELP)
if upload is None:
    st.stop()
data = upload.getvalue()
if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
    st.error(IMPORT_TOO_LARGE.format(mb=MAX_UPLOAD_MB))
    st.stop()

# One import per file content and datum: a second click or a rerun shows the first result instead of importing again.
run_key = f"import_done_{hashlib.sha256(data).hexdigest()[:16]}_{datum}"
earlier = state.get(run_key)
if (earlier is None or earlier.errors) and st.button(IMPORT_START, type="primary", icon=":material/upload:", key="import_start"):
    bar = st.progress(0.0, text=IMPORT_READING)

    def _progress(phase: str, done: int, total: int) -> None:
        label = IMPORT_READING if phase == "read" else IMPORT_WRITING
        bar.progress(min(done / max(total, 1), 1.0), text=f"{label} {done:,} / {total:,}")

    with login_gate.refusals():
        state[run_key] = import_file(cached.engine(), actor, data, upload.name, datum, progress=_progress)
    bar.empty()
    cached.invalidate()
    st.rerun()  # redraw without the button: the same file is not imported twice by a second click

report = state.get(run_key)
if report is None:
    st.stop()
for warning in report.warnings:
    st.warning(str(warning))
if report.errors:
    st.error(IMPORT_REFUSED.format(count=len(report.errors)), icon=":material/error:")
    frame = pd.DataFrame([
        {IMPORT_COL_ROW: e.row, IMPORT_COL_COLUMN: e.column, IMPORT_COL_REASON: e.reason} for e in report.errors
    ])
    st.download_button(IMPORT_ERRORS_DOWNLOAD, csv_bytes(frame.columns, frame.itertuples(index=False)),
                       file_name=IMPORT_ERRORS_NAME, mime="text/csv", icon=":material/download:", key="errors_csv")
    if len(frame) <= TABLE_ROWS:
        table(frame)
    else:  # a long list scrolls in a grid (cells are plain text there)
        st.dataframe(frame, hide_index=True, width="stretch", key="import_errors")
else:
    outcome = report.outcome
    st.success(IMPORT_DONE.format(created=outcome.created, updated=outcome.updated, unchanged=outcome.unchanged),
               icon=":material/check_circle:")
