"""Writing the bench seed in bulk: COPY on PostgreSQL, one executemany per table elsewhere.

The seed hands out ids itself (past the largest in each table), so on PostgreSQL each table's
sequence is moved past them in the same transaction: the app's own inserts never collide.
"""

from __future__ import annotations

import json

from sqlalchemy import JSON, Boolean, Connection, Date, DateTime, Engine, Integer, insert, text

from app.extensions import db
from app.seed.rows import COLUMNS, Chunk


def _tables():
    """The seeded tables, parents before children."""
    return [table for table in db.metadata.sorted_tables if table.name in COLUMNS]


def next_ids(connection: Connection) -> dict[str, int]:
    """The first free id of every seeded table."""
    names = list(COLUMNS)
    largest = ", ".join(f"(SELECT max(id) FROM {name})" for name in names)  # noqa: S608 - ours
    row = connection.execute(text(f"SELECT {largest}")).one()
    return {name: (value or 0) + 1 for name, value in zip(names, row, strict=True)}


def write(connection: Connection, chunk: Chunk) -> None:
    postgres = connection.dialect.name == "postgresql"
    if postgres and connection.scalar(text("SELECT current_setting('is_superuser')")) == "on":
        # Foreign-key checks are two thirds of the load time; the seed's rows are consistent
        # by construction (the SQLite run of tests/test_seed.py checks every key), so skip
        # them as pg_restore --disable-triggers does, for this transaction only.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
    for table in _tables():
        rows = chunk.rows[table.name]
        if not rows:
            continue
        columns = COLUMNS[table.name]
        if postgres:
            _copy(connection, table, columns, rows)
        else:
            connection.execute(
                insert(table), [dict(zip(columns, row, strict=True)) for row in rows]
            )
    if postgres:
        _move_sequences(connection, chunk)


def _wire_type(column) -> str:
    """The type a column's values travel as in a binary COPY. JSON goes as text: its binary
    form is its text, and the seed serialises it itself (below)."""
    kind = column.type
    for sql_type, name in ((Boolean, "bool"), (DateTime, "timestamp"), (Date, "date")):
        if isinstance(kind, sql_type):
            return name
    return "int4" if isinstance(kind, Integer) else "text"


def _copy(connection: Connection, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    json_at = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    if json_at:
        rows = _with_json_text(rows, json_at)
    # Binary: a third less time than text, most of it the server's parsing of timestamps.
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
    with (
        connection.connection.driver_connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        copy.set_types([_wire_type(table.c[name]) for name in columns])
        for row in rows:
            copy.write_row(row)


def _with_json_text(rows: list[tuple], positions: list[int]) -> list[tuple]:
    """COPY takes JSON as text. The generators share one object for equal values (a day's
    detail, say), so each object is serialised once: it stays alive, so its id is its key."""
    dumped: dict[int, str] = {}

    def dump(value) -> str:
        key = id(value)
        if key not in dumped:
            dumped[key] = json.dumps(value)
        return dumped[key]

    converted = []
    for row in rows:
        row = list(row)
        for position in positions:
            row[position] = dump(row[position])
        converted.append(tuple(row))
    return converted


def _move_sequences(connection: Connection, chunk: Chunk) -> None:
    moved = ", ".join(
        f"setval(pg_get_serial_sequence('{name}', 'id'), {chunk.next_ids[name] - 1})"
        for name, rows in chunk.rows.items()
        if rows
    )
    connection.execute(text(f"SELECT {moved}"))


def settle(engine: Engine) -> None:
    """On PostgreSQL, vacuums and analyzes the seeded tables as autovacuum would before long,
    so a benchmark run straight after the seed gets the plans (statistics, index-only scans)
    of a settled database rather than those of freshly loaded tables."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM (ANALYZE) {', '.join(COLUMNS)}"))
