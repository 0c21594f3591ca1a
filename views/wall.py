"""指挥中心大屏: the command-centre wall, full screen, refreshing itself; a failed refresh keeps the last figures."""

from datetime import datetime, timedelta

import streamlit as st
from sqlalchemy.exc import DBAPIError

import cached
import login_gate
from components import url_state
from components import wall_panels as panels
from services.access.actor import Actor
from services.shared.config import load_settings
from services.shared.timeutil import now_utc
from services.wall.read import Board, measure_of
from services.wall.standing import Standing
from services.wall.text import AGO_MINUTES, AGO_SECONDS, WALL_NO_DATA_YET, WALL_STALE

LAST_BOARD_KEY = "wall_last_board"


def _bucket(moment: datetime, seconds: int) -> datetime:
    """The period an instant falls in: walls of one unit in one period share one cached read."""
    return datetime.fromtimestamp(int(moment.timestamp()) // seconds * seconds, moment.tzinfo)


Shown = tuple[Board, Standing | None]


def _read(actor: Actor, unit_id: int | None, every: int) -> tuple[Shown, datetime, str | None] | None:
    """This refresh's figures, or (database down) the last ones with the stale banner's text; None if none yet."""
    try:
        now = now_utc()
        with login_gate.refusals():
            board = cached.wall_board(_bucket(now, min(every, cached.WALL_TTL_SECONDS)), actor, unit_id)
            standing = cached.wall_standing(_bucket(now, cached.WALL_STANDING_SECONDS), actor, unit_id)
        st.session_state[LAST_BOARD_KEY] = ((board, standing), now_utc())
        return (board, standing), now_utc(), None
    except DBAPIError:
        st.cache_resource.clear()  # the next refresh builds a fresh engine and tries again
        last = st.session_state.get(LAST_BOARD_KEY)
        if last is None:
            return None
        shown, fetched = last
        ago = panels.ago_text((now_utc() - fetched).total_seconds(), AGO_SECONDS, AGO_MINUTES)
        return shown, fetched, WALL_STALE.format(ago=ago)


def _still_allowed(actor: Actor) -> bool:
    try:
        return login_gate.device_still_valid(actor) and login_gate.still_signed_in(actor)
    except DBAPIError:
        return True  # the database is down: keep the last figures; the sign-in is checked again next time


def _draw(shown: Shown, fetched: datetime, stale: str | None) -> None:
    board, standing = shown
    panels.header(board, fetched, stale)
    panels.headline_cards(board)
    left, middle, right = st.columns([0.30, 0.29, 0.41], gap="small")
    with left:
        panels.jurisdiction_map(board.jurisdictions, measure_of(url_state.get_str("measure")),
                                load_settings().map_tile_url)
        panels.strike_panel(board)
        panels.leads_panel(board.leads)
    with middle:
        panels.trend_chart(board.trend)
        panels.types_chart(board.types)
        panels.campaign_panel(standing)
    with right:
        panels.branch_table(board.branches)
        panels.triggers_panel(board.triggers)


actor = login_gate.actor()
panels.wall_style()
unit_id = url_state.get_int("unit")
every = load_settings().wall_refresh_seconds


@st.fragment(run_every=timedelta(seconds=every))
def wall() -> None:
    """One refresh: check the sign-in (a revoked device stops at once), read the figures, draw them."""
    if not _still_allowed(actor):
        st.rerun(scope="app")
    shown = _read(actor, unit_id, every)
    if shown is None:
        st.html(f'<div class="wall-refused">{WALL_NO_DATA_YET}</div>')
        return
    _draw(*shown)


wall()
