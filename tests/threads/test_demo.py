"""The demo has a conversation in every kind of thread on both teams, loaded once."""

import pytest
from sqlalchemy import func, select

from app.demo import load as demo
from app.demo.threads import load_thread_demo
from app.extensions import db
from app.models import Message, Thread, ThreadKind
from tests.conftest import log_in


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def demo_teams(app):
    """The demo's teams and people, then their conversations (the rest of the demo is
    other features' business)."""
    for spec in demo.TEAMS:
        demo._load_team(spec)
    load_thread_demo(demo.demo_teams())
    db.session.commit()
    return demo.demo_teams()


def test_every_kind_on_both_teams_and_idempotent(demo_teams):
    threads = db.session.execute(select(Thread.team_id, Thread.kind)).all()
    assert {team for team, _ in threads} == {team.id for team in demo_teams}
    assert sorted(kind for _, kind in threads) == sorted(list(ThreadKind) * 2)
    messages = _count(Message)
    assert messages > 40
    load_thread_demo(demo.demo_teams())
    db.session.commit()
    assert _count(Thread) == 8
    assert _count(Message) == messages


def test_demo_logins_find_their_conversations_and_some_unread(client, demo_teams):
    english, spanish = demo_teams
    log_in(client, "teen@demo.example", demo.DEMO_PASSWORD)
    assert "unread)" in client.get("/teen/").text
    private = client.get(f"/teams/{english.id}/messages/teen-therapist").text
    assert "this thread is just for you and me" in private
    assert "Join the school thread" not in client.get(f"/teams/{english.id}/messages/").text
    client.post("/logout")
    log_in(client, "parent2@demo.example", demo.DEMO_PASSWORD)
    family = client.get(f"/teams/{spanish.id}/messages/family")
    assert "Este es el espacio de la familia" in family.text
    assert "Lo platico con Javier" not in family.text  # the hidden message's reason
    client.post("/logout")
    log_in(client, "teen2@demo.example", demo.DEMO_PASSWORD)
    assert client.get(f"/teams/{spanish.id}/messages/school").status_code == 404
