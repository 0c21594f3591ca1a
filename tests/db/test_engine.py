"""Engine rules: UTC timestamps, SQLite WAL + foreign keys + BEGIN IMMEDIATE writers."""

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from db.engine import make_engine, write_session
from db.migrate import upgrade
from db.models import AppSetting


def test_timestamps_come_back_aware_utc(engine):
    beijing = timezone(timedelta(hours=8))
    with write_session(engine) as session:
        session.add(AppSetting(key="k", value="v", updated_at=datetime(2026, 11, 28, 10, 30, tzinfo=beijing)))
    with write_session(engine) as session:
        stored = session.get(AppSetting, "k").updated_at
    assert stored == datetime(2026, 11, 28, 2, 30, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(engine):
    with pytest.raises(StatementError):
        with write_session(engine) as session:
            session.add(AppSetting(key="k", value="v", updated_at=datetime(2026, 11, 28, 10, 30)))


def test_sqlite_file_runs_wal_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_sqlite_writers_serialise_instead_of_failing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    upgrade(engine)
    errors: list[Exception] = []

    def write(worker: int) -> None:
        try:
            for i in range(25):
                with write_session(engine) as session:
                    count = session.execute(text("SELECT COUNT(*) FROM app_setting")).scalar()
                    session.add(AppSetting(key=f"{worker}-{i}", value=str(count), updated_at=datetime.now(UTC)))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as connection:
        values = connection.execute(text("SELECT CAST(value AS INTEGER) FROM app_setting")).scalars().all()
    # Each writer saw the count before its own insert: with serialised writes these are 0..199 exactly.
    assert sorted(values) == list(range(200))
    engine.dispose()


def test_postgresql_reads_run_without_parallel_workers(engine):
    """Small range reads with two parallel workers took longer to start the workers than to read (db/engine.py);
    SQLite has no such workers."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            assert connection.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"
        else:
            assert connection.execute(text("PRAGMA threads")).scalar() == 0
