"""Database backup and restore: SQLite through the online backup API, PostgreSQL through pg_dump -Fc / pg_restore."""

import os
import re
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from db.engine import make_engine
from services.shared.backup_text import (
    BACKUP_MEMORY_DATABASE,
    BACKUP_NO_DATABASE,
    BACKUP_NO_FILE,
    BACKUP_STAGE_COPY,
    BACKUP_STAGE_DUMP,
    BACKUP_TARGET_EXISTS,
    BACKUP_TOOL_FAILED,
    BACKUP_TOOL_MISSING,
    BACKUP_WRONG_FORMAT,
    RESTORE_NOT_EMPTY,
    RESTORE_STAGE_COPY,
    RESTORE_STAGE_LOAD,
)

# Progress: (what is being done, done so far, total).
Progress = Callable[[str, int, int], None]
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SQLITE_PAGES_PER_STEP = 256
# Tables that a freshly migrated database already fills; rows elsewhere mean the database holds data.
SCHEMA_TABLES = {"alembic_version", "accountability_rule"}
PG_DUMP = os.environ.get("FANZHA_PG_DUMP", "pg_dump")
PG_RESTORE = os.environ.get("FANZHA_PG_RESTORE", "pg_restore")
_PG_TABLE_LINE = re.compile(r'(?:dumping contents of|processing data for) table "?(?:public\.)?"?([\w$]+)"?')


class BackupRefused(Exception):
    """A backup or restore that was not done, with a Chinese message saying why."""


def _ignore(_what: str, _done: int, _total: int) -> None:
    return None


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupRefused(BACKUP_MEMORY_DATABASE)
    return Path(url.database)


def data_tables(database_url: str) -> dict[str, int]:
    """Row counts of the tables that hold data (schema-only tables left out); empty for a new database."""
    engine = make_engine(database_url)
    try:
        names = [name for name in inspect(engine).get_table_names() if name not in SCHEMA_TABLES]
        with engine.connect() as connection:
            return {name: int(connection.execute(select(func.count()).select_from(table(name))).scalar())
                    for name in names}
    finally:
        engine.dispose()


def is_empty(database_url: str) -> bool:
    """No table holds data (a new or only migrated database)."""
    return not any(data_tables(database_url).values())


def _copy_sqlite(source: Path, target: Path, what: str, progress: Progress) -> None:
    def report(_status: int, remaining: int, total: int) -> None:
        progress(what, total - remaining, total)

    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer, pages=SQLITE_PAGES_PER_STEP, progress=report)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment carrying it."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return plain, environment


def _run_pg(command: list[str], environment: dict[str, str], what: str, total: int, progress: Progress) -> None:
    """Run pg_dump/pg_restore --verbose, advancing progress per table it reports."""
    done = 0
    progress(what, done, total)
    try:
        process = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    except FileNotFoundError as missing:
        raise BackupRefused(BACKUP_TOOL_MISSING.format(tool=command[0])) from missing
    errors = []
    for line in process.stderr:
        if _PG_TABLE_LINE.search(line):
            done = min(done + 1, total)
            progress(what, done, total)
        elif "error" in line.lower() or "错误" in line:
            errors.append(line.strip())
    if process.wait() != 0:
        raise BackupRefused(BACKUP_TOOL_FAILED.format(tool=Path(command[0]).name, detail="；".join(errors[-3:])))
    progress(what, total, total)


def backup(database_url: str, target: Path, *, force: bool = False, progress: Progress = _ignore) -> Path:
    """Write a consistent copy of the database to target (a SQLite file, or a pg_dump custom-format archive)."""
    url = make_url(database_url)
    if target.exists() and not force:
        raise BackupRefused(BACKUP_TARGET_EXISTS.format(path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        if not source.is_file():
            raise BackupRefused(BACKUP_NO_DATABASE.format(path=source))
        target.unlink(missing_ok=True)
        _copy_sqlite(source, target, BACKUP_STAGE_COPY, progress)
    else:
        connection, environment = _libpq(url)
        tables = len(data_tables(database_url)) + len(SCHEMA_TABLES)
        _run_pg([PG_DUMP, "--format=custom", "--verbose", f"--file={target}", f"--dbname={connection}"],
                environment, BACKUP_STAGE_DUMP, tables, progress)
    return target


def _check_archive(source: Path, magic: bytes) -> None:
    if not source.is_file():
        raise BackupRefused(BACKUP_NO_FILE.format(path=source))
    with source.open("rb") as handle:
        if handle.read(len(magic)) != magic:
            raise BackupRefused(BACKUP_WRONG_FORMAT.format(path=source))


def restore(database_url: str, source: Path, *, force: bool = False, progress: Progress = _ignore) -> None:
    """Replace the database with a backup; a database that holds data is refused unless force."""
    url = make_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    _check_archive(source, SQLITE_MAGIC if sqlite else PG_DUMP_MAGIC)
    if not force and not is_empty(database_url):
        raise BackupRefused(RESTORE_NOT_EMPTY)
    if sqlite:
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_sqlite(source, target, RESTORE_STAGE_COPY, progress)
        return
    connection, environment = _libpq(url)
    listing = subprocess.run([PG_RESTORE, "--list", str(source)], capture_output=True, text=True, env=environment)
    tables = sum(" TABLE DATA " in line for line in listing.stdout.splitlines()) or 1
    # --clean drops what the archive holds (an empty migrated schema included) before recreating it, all in one
    # transaction; --no-owner/--no-privileges let the restoring role own the objects (grants: postgres-roles.sql).
    _run_pg([PG_RESTORE, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner",
             "--no-privileges", "--verbose", f"--dbname={connection}", str(source)],
            environment, RESTORE_STAGE_LOAD, tables, progress)
