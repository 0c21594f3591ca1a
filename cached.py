"""The one module that owns Streamlit caching: the database engine and cached read models."""

from datetime import datetime, timedelta

import streamlit as st
from sqlalchemy import Engine

from db import queries
from db.engine import make_engine, read_session
from db.migrate import upgrade
from services.access.actor import Actor
from services.access.scope import visible_units
from services.accountability.integrity import IntegrityFlag, integrity_flags
from services.accountability.read import (
    AccountabilitySummary,
    UnitTable,
    summary,
    unit_table,
)
from services.map.read import (
    CaseMarks,
    JurisdictionDetail,
    JurisdictionMeasure,
    MapFilter,
    case_marks,
    jurisdiction_detail,
    jurisdiction_measures,
)
from services.overview.read import Overview, build_overview
from services.shared.config import load_settings
from services.shared.timeutil import now_utc

REFRESH_SECONDS = 60
# Figures depend on the role and the unit of whoever asks, never on the person: one cache entry per scope.
BY_SCOPE = {Actor: lambda actor: (actor.role.value, actor.unit_id, actor.unit_path)}


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine; the schema is upgraded once on first use."""
    database = make_engine(load_settings().database_url)
    upgrade(database)
    return database


def _minute_end(minute: datetime) -> datetime:
    # A figure cached for a minute counts what happened in that minute too (a step just taken shows at once).
    return minute + timedelta(minutes=1)


def current_minute() -> datetime:
    """Now, truncated to the minute: the cache key that makes figures at most a minute old."""
    return now_utc().replace(second=0, microsecond=0)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=256, hash_funcs=BY_SCOPE)
def overview(as_of: datetime, actor: Actor, unit_id: int | None = None) -> Overview:
    """The overview of a unit in the actor's scope at a given minute (scope checked by the service)."""
    with read_session(engine()) as session:
        return build_overview(session, as_of, actor, unit_id)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, hash_funcs=BY_SCOPE)
def unit_choices(actor: Actor) -> list[tuple[int, str, int]]:
    """(id, name, level) of every unit in the actor's scope, for pickers."""
    with read_session(engine()) as session:
        return [(u.id, u.name, u.level) for u in visible_units(session, actor)]


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False)
def is_demo() -> bool:
    """Whether the database holds the generated demo."""
    with read_session(engine()) as session:
        return queries.setting(session, queries.DEMO_SETTING_KEY) is not None


def invalidate() -> None:
    """Forget cached figures after a write that changes many of them (an import)."""
    st.cache_data.clear()


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=64, hash_funcs=BY_SCOPE)
def map_layers(as_of: datetime, actor: Actor, criteria: MapFilter) -> tuple[list[JurisdictionMeasure], CaseMarks]:
    """The jurisdictions and case marks of the map at a given minute (scope checked by the service)."""
    with read_session(engine()) as session:
        return jurisdiction_measures(session, actor, criteria), case_marks(session, actor, criteria)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=64, hash_funcs=BY_SCOPE)
def map_detail(as_of: datetime, actor: Actor, unit_id: int, own_level: bool, criteria: MapFilter) -> JurisdictionDetail:
    """One jurisdiction's detail for the map's filters at a given minute."""
    with read_session(engine()) as session:
        return jurisdiction_detail(session, actor, unit_id, criteria, own_level=own_level)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, hash_funcs=BY_SCOPE)
def unit_codes(actor: Actor) -> list[tuple[int, str]]:
    """(id, code) of every unit in the actor's scope."""
    with read_session(engine()) as session:
        return [(u.id, u.code) for u in visible_units(session, actor)]


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=256, hash_funcs=BY_SCOPE)
def accountability_summary(as_of: datetime, actor: Actor, unit_id: int | None) -> AccountabilitySummary:
    """Open, overdue and awaiting-review accountability items of a unit in scope, at a given minute."""
    with read_session(engine()) as session:
        return summary(session, actor, _minute_end(as_of), unit_id)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=64, hash_funcs=BY_SCOPE)
def accountability_units(as_of: datetime, actor: Actor, unit_id: int | None) -> tuple[AccountabilitySummary, UnitTable]:
    """The 问责预警 headline figures and by-unit table of a unit in scope, at a given minute."""
    with read_session(engine()) as session:
        end = _minute_end(as_of)
        return summary(session, actor, end, unit_id), unit_table(session, actor, unit_id, end)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=64, hash_funcs=BY_SCOPE)
def integrity(as_of: datetime, actor: Actor, unit_id: int | None) -> list[IntegrityFlag]:
    """The integrity monitor's flags for a unit in scope, at a given minute."""
    with read_session(engine()) as session:
        return integrity_flags(session, actor, unit_id, _minute_end(as_of))
