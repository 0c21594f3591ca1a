"""Shared fixtures: engines on SQLite (always) and PostgreSQL (when FANZHA_TEST_PG_URL is set), caches, demo."""

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import streamlit as st
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from db.engine import make_engine
from db.migrate import upgrade
from services.shared.config import normalise_database_url

PG_URL_VARIABLE = "FANZHA_TEST_PG_URL"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_URL_VARIABLE) else [])
DEMO_ANCHOR = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)  # 10:30 Beijing time


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def _sqlite_template() -> Iterator[Engine]:
    engine = make_engine("sqlite://")
    upgrade(engine)
    yield engine
    engine.dispose()


def _fresh_sqlite(template: Engine) -> Engine:
    engine = make_engine("sqlite://")
    with template.connect() as source, engine.connect() as target:
        source.connection.driver_connection.backup(target.connection.driver_connection)
    return engine


@pytest.fixture(scope="session")
def new_sqlite(_sqlite_template):
    """A factory of extra migrated, empty in-memory SQLite databases."""
    return lambda: _fresh_sqlite(_sqlite_template)


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[str | None]:
    base = os.environ.get(PG_URL_VARIABLE)
    if not base:
        yield None
        return
    url = make_url(normalise_database_url(base))
    name = f"fanzha_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    test_url = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(test_url)
    upgrade(engine)
    engine.dispose()
    yield test_url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgresql(engine: Engine) -> None:
    with engine.begin() as connection:
        # The audit log refuses deletion by trigger; only the test harness, as superuser, bypasses it.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        tables = connection.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename NOT IN ('alembic_version', 'accountability_rule')"
        )).scalars().all()
        connection.execute(text(f"TRUNCATE {', '.join(f'{t}' for t in tables)} RESTART IDENTITY CASCADE"))
        connection.execute(text("DELETE FROM accountability_rule WHERE effective_from > DATE '2000-01-01'"))


@pytest.fixture(params=BACKENDS)
def engine(request, _sqlite_template) -> Iterator[Engine]:
    """A migrated, empty database on each backend under test."""
    if request.param == "sqlite":
        database = _fresh_sqlite(_sqlite_template)
    else:
        database = make_engine(request.getfixturevalue("_pg_database"))
        _reset_postgresql(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory) -> str:
    """A SQLite file with a small demo (2,000 cases ending now), shared read-only by page tests."""
    from services.demo.generator import DemoSpec
    from services.demo.loader import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(engine, DemoSpec(cases=2_000, seed=11, anchor=datetime.now(UTC)))
    engine.dispose()
    return url


def actor_for_username(url: str, username: str):
    """The Actor of a demo account, as the login would produce it."""
    from db.engine import read_session
    from services.access.auth import actor_by_username

    database = make_engine(url)
    with read_session(database) as session:
        actor = actor_by_username(session, username, "127.0.0.1")
    database.dispose()
    return actor
