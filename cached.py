"""The one module that owns Streamlit caching: the database engine and cached read models."""

from datetime import datetime

import streamlit as st
from sqlalchemy import Engine

from db.engine import make_engine, read_session
from db.migrate import upgrade
from services.config import load_settings
from services.overview import Overview, build_overview
from services.timeutil import now_utc

REFRESH_SECONDS = 60


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """The process-wide engine; the schema is upgraded once on first use."""
    database = make_engine(load_settings().database_url)
    upgrade(database)
    return database


def current_minute() -> datetime:
    """Now, truncated to the minute: the cache key that makes figures at most a minute old."""
    return now_utc().replace(second=0, microsecond=0)


@st.cache_data(ttl=REFRESH_SECONDS, show_spinner=False, max_entries=256)
def overview(as_of: datetime, root_id: int | None = None) -> Overview | None:
    """The overview of a unit's subtree at a given minute."""
    with read_session(engine()) as session:
        return build_overview(session, as_of, root_id)
