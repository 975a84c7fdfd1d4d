"""Who reads and writes in each kind of thread. Expectations are written out by hand."""

import pytest
from sqlalchemy import select, update

from app.db import utcnow
from app.extensions import db
from app.models import Membership, Role, Thread
from tests.conftest import log_in
from tests.threads.helpers import grant_school_thread, messages, say, url

# kind              therapist guardian teen school school-with-consent
READ = {
    "care-team": (200, 200, 200, 404, 200),
    "family": (200, 200, 200, 404, 404),
    "teen-therapist": (200, 404, 200, 404, 404),
    "school": (200, 200, 404, 404, 200),
}
COLUMNS = ("therapist", "guardian", "teen", "school", "school+consent")


@pytest.fixture(params=COLUMNS)
def reader(request, team, monkeypatch):
    key = request.param
    if key == "school+consent":
        request.getfixturevalue("with_consent")
        key = "school"
    return request.param, key


@pytest.mark.parametrize("slug", READ)
def test_who_reads_each_thread(client, team, reader, slug):
    column, key = reader
    say(team, "therapist", slug, "A word from the therapist")
    log_in(client, team.users[key].email)
    expected = READ[slug][COLUMNS.index(column)]
    response = client.get(url(team, slug))
    assert response.status_code == expected, (column, slug)
    assert ("A word from the therapist" in response.text) == (expected == 200)


@pytest.mark.parametrize("slug", READ)
def test_who_posts_in_each_thread(client, team, reader, slug):
    column, key = reader
    log_in(client, team.users[key].email)
    expected = READ[slug][COLUMNS.index(column)]
    response = client.post(url(team, slug), data={"body": "Checking in"})
    if expected == 200:
        assert response.status_code == 302
        assert messages() == 1
    else:
        assert response.status_code == 404
        assert messages() == 0


@pytest.mark.parametrize("column", COLUMNS)
def test_the_list_shows_exactly_the_readable_threads(client, team, monkeypatch, column):
    key = "school" if column == "school+consent" else column
    if column == "school+consent":
        grant_school_thread(monkeypatch, team.memberships["school"])
    log_in(client, team.users[key].email)
    page = client.get(url(team))
    assert page.status_code == 200
    for slug, statuses in READ.items():
        shown = f'href="{url(team, slug)}"' in page.text
        assert shown == (statuses[COLUMNS.index(column)] == 200), (column, slug)


def test_another_teams_threads_are_404_like_missing_ones(client, team, other_team):
    say(other_team, "therapist", "care-team", "Not for you")
    log_in(client, team.therapist.email)
    for path in ("", "care-team", "family", "teen-therapist", "school"):
        assert client.get(url(other_team, path)).status_code == 404
        assert client.get(f"/teams/999999/messages/{path}").status_code == 404
    assert client.post(url(other_team, "care-team"), data={"body": "hi"}).status_code == 404
    assert messages() == 1


@pytest.mark.parametrize("slug", ["nope", "care_team", "CARE-TEAM", "school/teen"])
def test_unknown_kinds_are_404(client, team, slug):
    log_in(client, team.therapist.email)
    assert client.get(url(team, slug)).status_code in (404, 405)
    assert client.post(url(team, slug), data={"body": "x"}).status_code in (400, 404)
    assert messages() == 0


def test_only_the_teen_joins_and_leaves_the_school_thread(client, team):
    say(team, "guardian", "school", "Report cards come home Friday")
    log_in(client, team.guardian.email)
    assert client.post(url(team, "school/teen"), data={"include": "1"}).status_code == 404
    client.post("/logout")

    log_in(client, team.teen.email)
    assert client.get(url(team, "school")).status_code == 404
    listing = client.get(url(team)).text
    assert "Join the school thread" in listing
    joined = client.post(url(team, "school/teen"), data={"include": "1"}, follow_redirects=True)
    assert "Report cards come home Friday" in joined.text
    assert "Leave the school thread" in joined.text
    assert client.post(url(team, "school"), data={"body": "I am here too"}).status_code == 302
    client.post(url(team, "school/teen"), data={"include": "0"})
    assert client.get(url(team, "school")).status_code == 404
    assert client.post(url(team, "school/teen"), data={"include": "maybe"}).status_code == 400
    assert db.session.scalars(select(Thread.teen_included)).all() == [False]


def test_a_restricted_guardian_loses_every_thread(client, team):
    say(team, "therapist", "family", "Family note")
    db.session.execute(
        update(Membership)
        .where(Membership.id == team.memberships["guardian"].id)
        .values(restricted_at=utcnow())
    )
    db.session.commit()
    log_in(client, team.guardian.email)
    for slug in READ:
        assert client.get(url(team, slug)).status_code == 404
        assert client.post(url(team, slug), data={"body": "x"}).status_code == 404
    listing = client.get(url(team))
    assert not any(f'href="{url(team, slug)}"' in listing.text for slug in READ)
    assert listing.status_code == 404 or "no conversation on this team" in listing.text


def test_a_person_on_two_teams_reads_each_teams_threads_in_their_role(client, team, other_team):
    person = team.guardian
    db.session.add(Membership(user_id=person.id, team_id=other_team.id, role=Role.SCHOOL))
    db.session.commit()
    say(team, "therapist", "family", "Here as a parent")
    say(other_team, "therapist", "family", "Not for the school")
    log_in(client, person.email)
    assert "Here as a parent" in client.get(url(team, "family")).text
    assert client.get(url(other_team, "family")).status_code == 404
    assert client.get(url(other_team)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, team):
    for path in ("", "family"):
        response = client.get(url(team, path))
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
