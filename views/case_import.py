"""案件导入: upload a CSV/XLSX of cases, see every bad row, import all or nothing."""

import hashlib

import pandas as pd
import streamlit as st

import cached
import web_session
from services import labels as L
from services.case_file import template_csv, template_xlsx
from services.export_cells import csv_bytes
from services.case_import import import_file
from services.permissions import Permission
from services.scope import require

MAX_UPLOAD_MB = 50
TABLE_ROWS = 200  # up to this many bad rows are listed as a plain table
DATUMS = {"wgs84": L.IMPORT_DATUM_WGS84, "gcj02": L.IMPORT_DATUM_GCJ02}
state = st.session_state

actor = web_session.actor()
st.title(L.IMPORT_TITLE, anchor=False)
with web_session.refusals():
    require(actor, Permission.EDIT_CASES)

st.markdown(L.IMPORT_INTRO)
with st.container(horizontal=True):
    st.download_button(L.IMPORT_TEMPLATE_XLSX, template_xlsx(), file_name=L.IMPORT_TEMPLATE_NAME + ".xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="template_xlsx")
    st.download_button(L.IMPORT_TEMPLATE_CSV, template_csv(), file_name=L.IMPORT_TEMPLATE_NAME + ".csv",
                       mime="text/csv", icon=":material/download:", key="template_csv")

upload = st.file_uploader(L.IMPORT_FILE, type=["csv", "xlsx"], key="import_file", help=L.IMPORT_FILE_HELP)
datum = st.radio(L.IMPORT_DATUM, list(DATUMS), format_func=DATUMS.get, horizontal=True, key="import_datum",
                 help=L.IMPORT_DATUM_HELP)
if upload is None:
    st.stop()
data = upload.getvalue()
if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
    st.error(L.IMPORT_TOO_LARGE.format(mb=MAX_UPLOAD_MB))
    st.stop()

# One import per file content and datum: a second click or a rerun shows the first result instead of importing again.
run_key = f"import_done_{hashlib.sha256(data).hexdigest()[:16]}_{datum}"
earlier = state.get(run_key)
if (earlier is None or earlier.errors) and st.button(L.IMPORT_START, type="primary", icon=":material/upload:", key="import_start"):
    bar = st.progress(0.0, text=L.IMPORT_READING)

    def _progress(phase: str, done: int, total: int) -> None:
        label = L.IMPORT_READING if phase == "read" else L.IMPORT_WRITING
        bar.progress(min(done / max(total, 1), 1.0), text=f"{label} {done:,} / {total:,}")

    with web_session.refusals():
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
    st.error(L.IMPORT_REFUSED.format(count=len(report.errors)), icon=":material/error:")
    frame = pd.DataFrame([
        {L.IMPORT_COL_ROW: e.row, L.IMPORT_COL_COLUMN: e.column, L.IMPORT_COL_REASON: e.reason} for e in report.errors
    ])
    st.download_button(L.IMPORT_ERRORS_DOWNLOAD, csv_bytes(frame.columns, frame.itertuples(index=False)),
                       file_name=L.IMPORT_ERRORS_NAME, mime="text/csv", icon=":material/download:", key="errors_csv")
    if len(frame) <= TABLE_ROWS:
        st.table(frame.set_index(L.IMPORT_COL_ROW))
    else:
        st.dataframe(frame, hide_index=True, width="stretch", key="import_errors")
else:
    outcome = report.outcome
    st.success(L.IMPORT_DONE.format(created=outcome.created, updated=outcome.updated, unchanged=outcome.unchanged),
               icon=":material/check_circle:")
