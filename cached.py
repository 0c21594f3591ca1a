"""The one module that owns Streamlit caching: the database engine and cached read models."""

from datetime import date, datetime, timedelta

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
from services.campaigns import api as campaigns_api
from services.campaigns.progress import Progress, Series
from services.map.read import (
    CaseMarks,
    JurisdictionDetail,
    JurisdictionMeasure,
    MapFilter,
    case_marks,
    jurisdiction_detail,
    jurisdiction_measures,
)
from services.overview import board as overview_board
from services.overview.read import Overview, build_overview
from services.shared.config import load_settings
from services.shared.timeutil import Span, now_utc
from services.strike import api as strike_api
from services.units.tree import jurisdiction_choices
from services.wall.read import Board, board, campaign_standing
from services.wall.standing import Standing

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


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=64, hash_funcs=BY_SCOPE)
def overview_view(as_of: datetime, actor: Actor, unit_id: int | None, span: Span
                  ) -> tuple[overview_board.Headline, overview_board.Branches, list[overview_board.TypeRow], overview_board.Trend]:
    """The leaders' 总览 for a span at a given minute: headline, branches, fraud types, trend (one transaction)."""
    with read_session(engine()) as session:
        return overview_board.view(session, actor, as_of, unit_id, span)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, hash_funcs=BY_SCOPE)
def unit_choices(actor: Actor) -> list[tuple[int, str, int]]:
    """(id, name, level) of every police unit in the actor's scope, for pickers (campaign partners are no jurisdictions)."""
    with read_session(engine()) as session:
        return jurisdiction_choices(session, actor)


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


# ---------------------------------------------------------------- the wall display (issue 14)
WALL_TTL_SECONDS = 20  # shorter than the wall's refresh, so every refresh shows figures at most this old


@st.cache_data(ttl=WALL_TTL_SECONDS, show_spinner=False, max_entries=32, hash_funcs=BY_SCOPE)
def wall_board(period: datetime, actor: Actor, unit_id: int | None) -> Board:
    """The wall's figures of a unit in scope, keyed by (scope, unit, refresh period): walls of one unit share them."""
    with read_session(engine()) as session:
        return board(session, actor, period, unit_id)


WALL_STANDING_SECONDS = 300  # the campaign ranking on the wall: this month's standing moves slowly


@st.cache_data(ttl=WALL_STANDING_SECONDS, show_spinner=False, max_entries=32, hash_funcs=BY_SCOPE)
def wall_standing(period: datetime, actor: Actor, unit_id: int | None) -> Standing | None:
    """The running campaign's ranking on the wall, keyed by (scope, unit, five-minute period)."""
    with read_session(engine()) as session:
        return campaign_standing(session, actor, period, unit_id)


# ---------------------------------------------------------------- 专项行动 · 行动进度
@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=64, hash_funcs=BY_SCOPE)
def campaign_progress(as_of: datetime, actor: Actor, campaign_id: int, today: date) -> Progress:
    """A campaign's matrix, coverage and charts within the actor's scope at a given minute (scope checked by the service)."""
    return campaigns_api.progress(engine(), actor, campaign_id, today)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=64, hash_funcs=BY_SCOPE)
def campaign_cumulative(as_of: datetime, actor: Actor, campaign_id: int, target_id: int, unit_id: int | None,
                        today: date) -> Series | None:
    """A target's cumulative line against the ideal at a given minute (scope checked by the service)."""
    return campaigns_api.cumulative(engine(), actor, campaign_id, target_id, unit_id, today)


def campaign_entry_saved() -> None:
    """Forget the cached campaign figures after a unit logged an activity, base, survey or task: 行动进度 counts it now."""
    campaign_progress.clear()
    campaign_cumulative.clear()


# ---------------------------------------------------------------- 打击挽损 (issue 15)
@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=64, hash_funcs=BY_SCOPE)
def strike_board(as_of: datetime, actor: Actor, unit_id: int | None, span: Span) -> strike_api.StrikeBoard:
    """打击挽损 of a unit in the actor's scope for a span at a given minute (scope checked by the service)."""
    return strike_api.board(engine(), actor, unit_id, span)


def strike_changed() -> None:
    """Forget the cached 打击挽损 figures after a ledger step, 阻截, 劝阻, strike results or a solved case: shown at once."""
    strike_board.clear()
