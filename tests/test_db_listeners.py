"""SQLAlchemy listeners are attached by create_app's register steps, to the app's own engine
and to db.session, never to SQLAlchemy's Session or Engine classes at import; and however
many apps a process makes (the tests make hundreds), each listener runs once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app import create_app
from app import db as engine_tuning
from app.domain.teams import revisions
from app.extensions import db
from app.models import CareTeam
from app.web import form_keys, read_transactions
from tests.conftest import ON_POSTGRES

ROOT = Path(__file__).resolve().parent.parent
SESSION_LISTENERS = (
    ("after_flush", revisions._note_changes),
    ("after_flush_postexec", revisions._bump),
    ("after_commit", form_keys._note_commit),
)


def _listeners_at_import(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        decorators = getattr(node, "decorator_list", [])
        for decorator in decorators:
            call = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(call, ast.Attribute) and call.attr == "listens_for":
                found.append(f"{path}:{decorator.lineno}: @listens_for")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"listen", "listens_for", "listen_once"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in {"Session", "Engine", "Connection", "Pool"}
        ):
            found.append(f"{path}:{node.lineno}: on the {node.args[0].id} class")
    return found


def test_no_listener_is_attached_at_import_or_to_a_class():
    found = [hit for path in (ROOT / "app").rglob("*.py") for hit in _listeners_at_import(path)]
    assert found == [], "attach it in a register(app) step:\n" + "\n".join(found)


def test_the_check_sees_a_listener_on_a_class(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        '@event.listens_for(Session, "after_flush")\ndef f(*a): ...\n'
        'event.listen(Engine, "connect", f)\n'
    )
    assert len(_listeners_at_import(probe)) == 3  # the decorator, on a class, and the listen


def test_create_app_imports_nothing_for_its_side_effects():
    source = (ROOT / "app" / "__init__.py").read_text()
    assert "noqa: F401" not in source


def test_no_listener_is_on_the_session_or_engine_class(app):
    for name, listener in SESSION_LISTENERS:
        assert event.contains(db.session, name, listener)
        assert not event.contains(Session, name, listener)
    assert event.contains(db.engine, "before_cursor_execute", read_transactions._note_writes)
    assert not event.contains(Engine, "before_cursor_execute", read_transactions._note_writes)


def test_more_apps_in_one_process_add_no_second_listener(app, app_config, team):
    for _ in range(3):
        create_app(dict(app_config))
    session = db.session()
    for name, listener in SESSION_LISTENERS:
        assert list(getattr(session.dispatch, name)).count(listener) == 1, name
    before = db.session.scalar(select(CareTeam.revision).where(CareTeam.id == team.team.id))
    team.team.teen_name = "Renamed"
    db.session.flush()
    after = db.session.scalar(select(CareTeam.revision).where(CareTeam.id == team.team.id))
    assert after == before + 1  # one bump, not one per app made
    db.session.rollback()


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's connection settings")
def test_the_app_engine_is_tuned_and_no_other(app, tmp_path):
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert event.contains(db.engine, "connect", engine_tuning._sqlite_pragmas)
    other = create_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        with other.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 0
    finally:
        other.dispose()
