"""Engine creation and transactions: SQLite in WAL with foreign keys and BEGIN IMMEDIATE writes; PostgreSQL as is."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

WRITE_OPTION = "fanzha_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_OPTIONS = "-c max_parallel_workers_per_gather=0"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's begin event, not the driver, decide when transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # Writers take the write lock up front so two writers never deadlock on upgrade.
        mode = "IMMEDIATE" if connection.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """An engine for a SQLAlchemy URL, configured for this project's transaction rules."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ":memory:"
        if database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        else:
            engine = create_engine(
                "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
            )
        _configure_sqlite(engine)
        return engine
    # No parallel workers: the pages' reads are many small index range reads, and on PostgreSQL's defaults a tally
    # read of a few thousand rows got two workers whose start-up took longer than the read (a 1,000,000-case wall
    # refresh: 205-211 ms with them, 155-156 ms without, on 2 CPUs), taking the CPUs other screens and desks need.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         connect_args={"options": PG_OPTIONS})


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions are write transactions (BEGIN IMMEDIATE on SQLite)."""
    return engine.execution_options(**{WRITE_OPTION: True})


_sqlite_write_locks: dict[str, "threading.Lock"] = {}
_locks_guard = threading.Lock()


def _process_write_lock(engine: Engine) -> "threading.Lock | None":
    # SQLite allows one writer; waiting in SQLite's busy handler means sleeping and polling,
    # which gives 20 concurrent officers a long latency tail. Queue this process's writers on
    # a lock instead (other processes still meet BEGIN IMMEDIATE and the busy timeout).
    if engine.dialect.name != "sqlite":
        return None
    with _locks_guard:
        return _sqlite_write_locks.setdefault(str(engine.url), threading.Lock())


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction: commits on success, rolls back everything on any error."""
    lock = _process_write_lock(engine)
    with lock if lock is not None else nullcontext():
        with Session(writer(engine), expire_on_commit=False) as session:
            with session.begin():
                yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only session."""
    with Session(engine) as session:
        yield session
