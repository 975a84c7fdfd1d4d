"""Read markers, unread counts, the dashboards' link, paging and the cost of a thread page."""

import pytest
from sqlalchemy import select

from app.domain.threads import commands as threads
from app.domain.threads.queries import inbox, messages_link
from app.extensions import db
from app.models import Message, ThreadKind, ThreadRead
from app.policy import threads as thread_policy
from tests.conftest import log_in
from tests.threads.helpers import say, url

DASHBOARDS = {"guardian": "/family/", "teen": "/teen/", "school": "/school/"}


def unread(team, key) -> dict[str, int]:
    db.session.expire_all()
    return {s.kind.slug: s.unread for s in inbox(team.memberships[key]).threads}


def test_unread_counts_messages_by_others_after_the_marker(client, team):
    say(team, "teen", "care-team", "My own words do not count")
    for n in range(3):
        say(team, "guardian", "care-team", f"Update {n}")
    assert unread(team, "teen") == {"care-team": 3, "family": 0, "teen-therapist": 0}
    assert unread(team, "guardian")["care-team"] == 0  # posting marks what came before as read
    assert unread(team, "therapist")["care-team"] == 4

    log_in(client, team.teen.email)
    page = client.get(url(team, "care-team")).text
    assert page.count(">New<") == 3
    assert unread(team, "teen")["care-team"] == 0
    assert ">New<" not in client.get(url(team, "care-team")).text
    say(team, "therapist", "care-team", "One more")
    assert unread(team, "teen")["care-team"] == 1


def test_deleted_and_hidden_messages_are_not_waiting_to_be_read(team):
    gone = say(team, "guardian", "care-team", "Oops")
    threads.delete(team.memberships["guardian"], team.guardian, gone)
    hidden = say(team, "guardian", "care-team", "Private detail")
    threads.hide(team.memberships["therapist"], team.therapist, hidden, "Better by phone")
    db.session.commit()
    assert unread(team, "teen")["care-team"] == 0
    assert unread(team, "therapist")["care-team"] == 1  # therapists still read hidden ones


def test_the_marker_only_moves_forward(team):
    first = say(team, "guardian", "family", "First")
    second = say(team, "guardian", "family", "Second")
    teen = team.memberships["teen"]
    thread = thread_policy.thread_of_kind(teen, "family")
    threads.mark_read(teen, thread, second.id)
    threads.mark_read(teen, thread, first.id)
    db.session.commit()
    marker = db.session.scalars(
        select(ThreadRead.last_read_message_id).where(ThreadRead.membership_id == teen.id)
    ).one()
    assert marker == second.id


@pytest.mark.parametrize("key", DASHBOARDS)
def test_each_dashboard_links_to_messages_with_the_unread_total(client, team, key):
    say(team, "therapist", "care-team", "One")
    say(team, "therapist", "family", "Two")
    say(team, "therapist", "school", "Three")
    log_in(client, team.users[key].email)
    page = client.get(DASHBOARDS[key]).text
    expected = {"guardian": "Messages (3 unread)", "teen": "Messages (2 unread)", "school": None}
    if expected[key]:
        assert expected[key] in page
        assert f'href="{url(team)}"' in page
    else:  # no consent: the counselor reads no thread, so there is no way in
        assert f'href="{url(team)}"' not in page


def test_the_counselor_with_consent_and_the_therapist_see_their_link(client, team, with_consent):
    say(team, "guardian", "school", "For the school")
    log_in(client, team.school.email)
    assert "Messages (1 unread)" in client.get("/school/").text
    client.post("/logout")
    log_in(client, team.therapist.email)
    page = client.get(f"/therapist/teams/{team.id}").text
    assert "Messages (1 unread)" in page
    assert messages_link(team.memberships["therapist"]).unread == 1


def _fill(team, count: int) -> None:
    thread = thread_policy.thread_of_kind(team.memberships["guardian"], "care-team")
    thread = threads._saved(thread)
    authors = ["guardian", "guardian2", "teen", "therapist"]
    db.session.add_all(
        Message(
            team_id=team.id,
            thread_id=thread.id,
            author_membership_id=team.memberships[authors[n % 4]].id,
            body=f"Message number {n}",
        )
        for n in range(count)
    )
    db.session.commit()


def test_the_latest_fifty_first_with_a_link_to_earlier_ones(client, team):
    _fill(team, 120)
    log_in(client, team.guardian.email)
    page = client.get(url(team, "care-team")).text
    assert "Message number 119" in page
    assert "Message number 70<" in page
    assert "Message number 69<" not in page
    assert page.index("Message number 70<") < page.index("Message number 119")  # oldest first
    ids = db.session.scalars(select(Message.id).order_by(Message.id)).all()
    earlier = f"{url(team, 'care-team')}?before={ids[70]}"
    assert f'href="{earlier}"' in page
    older = client.get(earlier).text
    assert "Message number 20<" in older
    assert "Message number 70<" not in older
    assert "Latest messages" in older
    oldest = client.get(f"{url(team, 'care-team')}?before={ids[20]}").text
    assert "Message number 0<" in oldest
    assert "Earlier messages" not in oldest
    for bad in ("-1", "0", "99999999999999999999"):
        assert client.get(f"{url(team, 'care-team')}?before={bad}").status_code in (200, 404)


@pytest.mark.parametrize("key", ["guardian", "therapist"])
def test_a_thread_page_costs_the_same_whatever_its_length(client, team, count_queries, key):
    _fill(team, 3)
    log_in(client, team.users[key].email)
    client.get(url(team, "care-team"))
    before = count_queries.count
    client.get(url(team, "care-team"))
    few = count_queries.count - before
    _fill(team, 80)
    client.get(url(team, "care-team"))  # moves the read marker, as the first visit did
    before = count_queries.count
    client.get(url(team, "care-team"))
    many = count_queries.count - before
    assert many == few
    assert few <= 16


def test_the_list_costs_a_fixed_number_of_queries(client, team, count_queries):
    _fill(team, 5)
    log_in(client, team.teen.email)
    before = count_queries.count
    client.get(url(team))
    assert count_queries.count - before <= 12


def test_readers_are_named_by_role_for_each_kind(client, team, with_consent):
    log_in(client, team.therapist.email)
    care = client.get(url(team, "care-team")).text
    assert (
        f"Who reads this thread: therapists, {team.team.teen_name}, parents, "
        "and the school counselor." in care
    )
    private = client.get(url(team, "teen-therapist")).text
    assert f"Who reads this thread: therapists and {team.team.teen_name}." in private
    assert ThreadKind.TEEN_THERAPIST.slug == "teen-therapist"


def test_times_are_shown_in_the_readers_time_zone_and_language(client, team):
    from datetime import datetime

    from sqlalchemy import update

    from app.models import User

    message = say(team, "therapist", "family", "Hola")
    db.session.execute(
        update(Message)
        .where(Message.id == message.id)
        .values(created_at=datetime(2026, 1, 15, 18, 0))
    )
    db.session.execute(
        update(User)
        .where(User.id == team.guardian.id)
        .values(timezone="America/Mexico_City", locale="es")
    )
    db.session.commit()
    log_in(client, team.guardian.email)
    page = client.get(url(team, "family")).text
    assert 'datetime="2026-01-15T18:00:00Z"' in page
    assert "15/1/26, 12:00" in page
