"""Alembic owns the schema: on an empty database, `upgrade head` builds exactly what the models
describe, and `downgrade base` takes all of it away again, on SQLite and on PostgreSQL.

The tests walk whatever revisions migrations/ holds, so they keep working as revisions are added.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from app import create_app
from app.config import ROOT
from app.extensions import db
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL

MIGRATIONS = str(ROOT / "migrations")


def revisions_base_to_head() -> list[str]:
    script = ScriptDirectory(MIGRATIONS)
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


@contextmanager
def logging_left_alone() -> Iterator[None]:
    """migrations/env.py calls logging.config.fileConfig, which replaces the root handlers
    (pytest's capture among them) and disables every logger that already exists. Put it all
    back so the tests that run after these still see their logs."""
    manager = logging.Logger.manager
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved = {
        name: (logger.disabled, logger.level, list(logger.handlers), logger.propagate)
        for name, logger in manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        for handler in root.handlers:
            if handler not in saved_root[1]:
                handler.close()
        root.setLevel(saved_root[0])
        root.handlers[:] = saved_root[1]
        for name, logger in manager.loggerDict.items():
            if not isinstance(logger, logging.Logger):
                continue
            disabled, level, handlers, propagate = saved.get(
                name, (False, logging.NOTSET, [], True)
            )
            logger.disabled, logger.propagate = disabled, propagate
            logger.setLevel(level)
            logger.handlers[:] = handlers


@contextmanager
def app_on(url: str, app_config: dict) -> Iterator[Flask]:
    """The app pointed at `url`, without create_all: the schema is the migrations' job."""
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), logging_left_alone():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A brand-new, empty PostgreSQL database on TEST_DATABASE_URL's server, dropped afterwards."""
    if not ON_POSTGRES:
        pytest.skip(
            "set TEST_DATABASE_URL=postgresql+psycopg://... to run the migrations on PostgreSQL"
        )
    server = make_url(TEST_DATABASE_URL)
    name = f"harbor_migrations_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    return request.getfixturevalue("postgres_database")


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def drift() -> list:
    """What autogenerate would write for the live schema to match the models; [] when none."""
    options = dict(current_app.extensions["migrate"].configure_args)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, db.metadata)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def leftovers_on_postgres() -> dict[str, list[str]]:
    """Sequences, types and functions a downgrade forgot (tables are checked separately)."""
    if db.engine.dialect.name != "postgresql":
        return {}
    queries = {
        "sequences": "SELECT sequence_name FROM information_schema.sequences "
        "WHERE sequence_schema = 'public'",
        "types": "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') "
        "AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)",
        "functions": "SELECT p.proname FROM pg_proc p JOIN pg_namespace n "
        "ON n.oid = p.pronamespace WHERE n.nspname = 'public'",
    }
    with db.engine.connect() as connection:
        found = {kind: list(connection.scalars(text(sql))) for kind, sql in queries.items()}
    return {kind: names for kind, names in found.items() if names}


def test_the_revisions_form_one_line():
    script = ScriptDirectory(MIGRATIONS)
    revisions = revisions_base_to_head()
    assert revisions, "migrations/versions holds no revision"
    assert len(script.get_heads()) == 1, f"several heads, merge them: {script.get_heads()}"
    assert len(script.get_bases()) == 1, f"several bases: {script.get_bases()}"
    assert revisions[-1] == script.get_current_head()


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(empty_database, app_config):
    with app_on(empty_database, app_config):
        assert table_names() == set()

        upgrade(directory=MIGRATIONS, revision="head")
        assert current_revision() == revisions_base_to_head()[-1]
        assert table_names() == set(db.metadata.tables) | {"alembic_version"}
        assert drift() == []

        downgrade(directory=MIGRATIONS, revision="base")
        assert table_names() == {"alembic_version"}
        assert current_revision() is None
        assert leftovers_on_postgres() == {}

        # Nothing the downgrade forgot stands in the way of building it all again.
        upgrade(directory=MIGRATIONS, revision="head")
        assert drift() == []


def test_every_revision_steps_down_and_up_again(empty_database, app_config):
    with app_on(empty_database, app_config):
        for revision in revisions_base_to_head():
            upgrade(directory=MIGRATIONS, revision=revision)
            tables = table_names()
            downgrade(directory=MIGRATIONS, revision="-1")
            upgrade(directory=MIGRATIONS, revision=revision)
            assert current_revision() == revision
            assert table_names() == tables, revision
        assert drift() == []
