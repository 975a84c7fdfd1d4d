"""The whole database, cheaply: a snapshot of every table (to tell whether a request changed
anything) and putting a snapshot back (to undo what an allowed request did)."""

from __future__ import annotations

from sqlalchemy import and_, select

from app.extensions import db

# Written by any request once a minute (a session's last activity), so it is no change.
IGNORED_COLUMNS = frozenset({("user_session", "last_seen_at")})

Snapshot = dict[str, dict[tuple, tuple]]


def _columns(table):
    return [c for c in table.columns if (table.name, c.name) not in IGNORED_COLUMNS]


def snapshot() -> Snapshot:
    found = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = _columns(table)
            keys = [columns.index(c) for c in table.primary_key.columns]
            found[table.name] = {
                tuple(row[i] for i in keys): tuple(row)
                for row in connection.execute(select(*columns))
            }
    return found


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    changed = []
    for name, rows in after.items():
        old = before[name]
        if rows != old:
            added = len(rows.keys() - old.keys())
            removed = len(old.keys() - rows.keys())
            edited = sum(1 for k in rows.keys() & old.keys() if rows[k] != old[k])
            changed.append(f"{name} (+{added} -{removed} ~{edited})")
    return changed


def restore(before: Snapshot, after: Snapshot) -> None:
    """Undoes whatever happened between two snapshots, row by row: new rows go (children
    first), changed and deleted ones come back (parents first)."""
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        for table in reversed(tables):
            pk = list(table.primary_key.columns)
            for key in after[table.name].keys() - before[table.name].keys():
                connection.execute(table.delete().where(_is(pk, key)))
        for table in tables:
            columns, pk = _columns(table), list(table.primary_key.columns)
            now = after[table.name]
            for key, row in before[table.name].items():
                if now.get(key) == row:
                    continue
                values = {c.name: v for c, v in zip(columns, row, strict=True)}
                if key in now:
                    connection.execute(table.update().where(_is(pk, key)).values(values))
                else:
                    connection.execute(table.insert().values(values))


def _is(pk, key):
    return and_(*(column == value for column, value in zip(pk, key, strict=True)))
