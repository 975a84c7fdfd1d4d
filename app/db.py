"""The declarative base shared by every model, and the tuning of the app's engine."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Naive UTC: both SQLite and PostgreSQL `timestamp` columns store it unchanged."""
    return datetime.now(UTC).replace(tzinfo=None)


def register(app: Flask) -> None:
    """Tunes the app's own engine (each app has its own, so nothing leaks between two apps,
    or to an engine a script or a test makes itself)."""
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)


def listen_once(target: Any, identifier: str, fn: Callable[..., Any]) -> None:
    """For listeners on `db.session`: SQLAlchemy attaches them to the session class of its
    sessionmaker, which Flask-SQLAlchemy makes once for every app in the process. So the first
    app to register a listener attaches it, later apps find it there (SQLAlchemy would
    otherwise run it once per app created), and sessions made without `db.session` never see
    it."""
    if not event.contains(target, identifier, fn):
        event.listen(target, identifier, fn)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite's own transaction handling breaks SAVEPOINT and emits BEGIN too late;
    # SQLAlchemy's documented fix is to turn it off and emit BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # IMMEDIATE takes the write lock up front, so concurrent requests wait their turn
    # (busy_timeout) instead of failing with "database is locked" when a transaction that has
    # read tries to write. SQLite is the embedded default; PostgreSQL scales.
    conn.exec_driver_sql("BEGIN IMMEDIATE")
