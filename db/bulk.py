"""Bulk loading for large inserts: executemany on SQLite, COPY on PostgreSQL, explicit ids."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

import numpy as np
from sqlalchemy import Connection, Table, func, select, text

Progress = Callable[[int], None]
CHUNK_ROWS = 20_000
SQLITE_LOAD_CACHE_KIB = 262_144


def next_id(connection: Connection, table: Table) -> int:
    """The first free integer primary key of a table."""
    return (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1


@contextmanager
def _indexes_rebuilt(connection: Connection, table: Table) -> Iterator[None]:
    indexes = [index for index in table.indexes if not index.unique]
    for index in indexes:
        index.drop(connection)
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_LOAD_CACHE_KIB}")
    yield
    for index in indexes:
        index.create(connection)


def timestamp_texts(stamps: np.ndarray, dialect: str) -> list[str]:
    """UTC datetime64 values as the text each backend stores (SQLite: as SQLAlchemy writes it)."""
    text = np.char.replace(np.datetime_as_string(stamps.astype("datetime64[us]"), unit="us"), "T", " ")
    if dialect == "postgresql":
        text = np.char.add(text, "+00")
    return text.tolist()


def _chunks(rows: Iterable[Sequence], size: int) -> Iterable[list[Sequence]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert_sqlite(connection: Connection, table: Table, columns: Sequence[str], rows, progress) -> int:
    placeholders = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES ({placeholders})'
    cursor = connection.connection.driver_connection.cursor()
    count = 0
    for chunk in _chunks(rows, CHUNK_ROWS):
        cursor.executemany(statement, chunk)
        count += len(chunk)
        if progress:
            progress(len(chunk))
    cursor.close()
    return count


def _insert_postgresql(connection: Connection, table: Table, columns: Sequence[str], rows, progress) -> int:
    cursor = connection.connection.driver_connection.cursor()
    count = 0
    with cursor.copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN') as copy:
        for chunk in _chunks(rows, CHUNK_ROWS):
            for row in chunk:
                copy.write_row(row)
            count += len(chunk)
            if progress:
                progress(len(chunk))
    cursor.close()
    return count


def bulk_insert(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    progress: Progress | None = None,
) -> int:
    """Insert rows (tuples in column order, values in storage form: timestamps as text from
    `timestamp_texts`) inside the caller's transaction; returns the row count.

    Into an empty table the secondary indexes are dropped and rebuilt afterwards,
    which is several times faster than maintaining them row by row.
    """
    inserters = {"sqlite": _insert_sqlite, "postgresql": _insert_postgresql}
    if connection.dialect.name not in inserters:
        raise NotImplementedError(f"bulk insert not supported on {connection.dialect.name}")
    insert = inserters[connection.dialect.name]
    if connection.execute(select(func.count()).select_from(table)).scalar():
        return insert(connection, table, columns, rows, progress)
    with _indexes_rebuilt(connection, table):
        return insert(connection, table, columns, rows, progress)


def reset_id_sequence(connection: Connection, table: Table) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past them."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
        )
    )


def refresh_statistics(connection, tables: tuple[str, ...] = ()) -> None:
    """After a bulk load, let PostgreSQL's planner see the new row counts (it plans 1M-row queries blind otherwise)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables or ("",):
        connection.exec_driver_sql(f"ANALYZE {table}".strip())
