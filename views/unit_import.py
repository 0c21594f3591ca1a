"""辖区导入: upload a GeoJSON of jurisdictions, map its properties, preview the plan, import all or nothing."""

import pandas as pd
import streamlit as st

import cached
import login_gate
from components.plain import table
from services.access.permissions import Permission
from services.access.scope import require
from services.case_import.text import IMPORT_DATUM, IMPORT_DATUM_HELP, IMPORT_TOO_LARGE
from services.shared.errors import InvalidInput
from services.units import api as units_api
from services.units.boundary_import import UnitImportOptions, read_crosswalk
from services.units.text import (
    UNIT_IMPORT_APPLY,
    UNIT_IMPORT_CODE_PROPERTY,
    UNIT_IMPORT_CROSSWALK,
    UNIT_IMPORT_CROSSWALK_HELP,
    UNIT_IMPORT_DATUM_REQUIRED,
    UNIT_IMPORT_FILE,
    UNIT_IMPORT_HAS_PROBLEMS,
    UNIT_IMPORT_INTRO,
    UNIT_IMPORT_NAME_PROPERTY,
    UNIT_IMPORT_NOT_UTF8,
    UNIT_IMPORT_PARENT,
    UNIT_IMPORT_PARENT_PROPERTY,
    UNIT_IMPORT_PLAN_TITLE,
    UNIT_IMPORT_POPULATION_PROPERTY,
    UNIT_IMPORT_PROBLEMS_TITLE,
    UNIT_IMPORT_TITLE,
    UNIT_IMPORT_TOP_LEVEL,
)
from vocabulary import Datum

MAX_UPLOAD_MB = 50
TABLE_ROWS = 200  # up to this many problems are listed as a plain table
state = st.session_state
actor = login_gate.actor()
st.title(UNIT_IMPORT_TITLE, anchor=False)
with login_gate.refusals():
    require(actor, Permission.MANAGE_UNITS)
st.markdown(UNIT_IMPORT_INTRO)

upload = st.file_uploader(UNIT_IMPORT_FILE, type=["geojson", "json"], key="units_file")
with st.container(horizontal=True, vertical_alignment="bottom"):
    datum = st.radio(IMPORT_DATUM, list(Datum), index=None, format_func=Datum.labels().get, horizontal=True,
                     key="units_datum", help=IMPORT_DATUM_HELP)
    name_property = st.text_input(UNIT_IMPORT_NAME_PROPERTY, "name", key="units_name_prop")
    code_property = st.text_input(UNIT_IMPORT_CODE_PROPERTY, "adcode", key="units_code_prop")
    parent_property = st.text_input(UNIT_IMPORT_PARENT_PROPERTY, "", key="units_parent_prop")
    population_property = st.text_input(UNIT_IMPORT_POPULATION_PROPERTY, "", key="units_population_prop")
choices = cached.unit_choices(actor)
parent = st.selectbox(UNIT_IMPORT_PARENT, [None, *[c[0] for c in choices]], key="units_parent",
                      format_func=lambda u: UNIT_IMPORT_TOP_LEVEL if u is None else {c[0]: c[1] for c in choices}[u])
crosswalk_file = st.file_uploader(UNIT_IMPORT_CROSSWALK, type=["csv"], key="units_crosswalk",
                                  help=UNIT_IMPORT_CROSSWALK_HELP)
if upload is None:
    st.stop()
if datum is None:
    st.warning(UNIT_IMPORT_DATUM_REQUIRED)
    st.stop()
if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
    st.error(IMPORT_TOO_LARGE.format(mb=MAX_UPLOAD_MB))
    st.stop()
try:
    crosswalk = read_crosswalk(crosswalk_file.getvalue().decode("utf-8-sig")) if crosswalk_file else {}
except (InvalidInput, UnicodeDecodeError) as invalid:
    st.error(str(invalid) if isinstance(invalid, InvalidInput) else UNIT_IMPORT_NOT_UTF8)
    st.stop()
parent_code = next((code for unit_id, code in cached.unit_codes(actor) if unit_id == parent), None)
options = UnitImportOptions(datum=datum, name_property=name_property.strip() or "name",
                            code_property=code_property.strip() or "adcode", parent_code=parent_code,
                            crosswalk=crosswalk, parent_code_property=parent_property.strip() or None,
                            population_property=population_property.strip() or None, source_name=upload.name)
plan = units_api.plan_import(cached.engine(), upload.getvalue(), options)

if plan.problems:
    st.error(UNIT_IMPORT_HAS_PROBLEMS.format(count=len(plan.problems)), icon=":material/error:")
    st.subheader(UNIT_IMPORT_PROBLEMS_TITLE, anchor=False)
    problems = pd.DataFrame(plan.problem_rows())
    if len(problems) <= TABLE_ROWS:
        table(problems)  # selectable text, every cell escaped
    else:
        st.dataframe(problems, hide_index=True, width="stretch", key="units_problems")
    st.stop()
st.subheader(UNIT_IMPORT_PLAN_TITLE, anchor=False)
st.dataframe(pd.DataFrame(plan.rows()), hide_index=True, width="stretch", key="units_plan")
if st.button(UNIT_IMPORT_APPLY, type="primary", icon=":material/upload:", key="units_apply"):
    try:
        with login_gate.refusals():
            result = units_api.apply_import(cached.engine(), actor, plan)
    except InvalidInput as invalid:
        st.error(str(invalid))
    else:
        cached.invalidate()
        st.success(result.summary())
