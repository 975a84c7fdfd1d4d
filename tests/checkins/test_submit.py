"""The teen's daily check-in: one a day in their own time zone, editable that day; anything
else is refused with a message next to its field, and nothing is saved."""

from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.extensions import db
from app.models import AccessEvent, CheckIn, CheckInCoping, CheckInEmotion, Helped, PlanItem
from tests.checkins.helpers import (
    NOTE,
    STEP_TEXTS,
    checkins_of,
    count,
    local,
    plan_with_steps,
    post,
    stand_at,
    today,
)


def test_the_form_shows_every_feeling_and_the_teens_coping_steps_only(as_teen, team, steps):
    page = as_teen.get("/teen/check-in")
    assert page.status_code == 200
    for feeling in ("Happy", "Hopeful", "Lonely", "Numb", "Overwhelmed", "Tired"):
        assert f"<legend>{feeling}</legend>" in page.text
    assert page.text.count('type="radio"') >= 16 * 6
    assert all(str(escape(text)) in page.text for text in STEP_TEXTS)
    assert "CANARY-therapist-only-step" not in page.text
    assert f'name="day" value="{today(team).isoformat()}"' in page.text
    # Told before the first check-in which answers notify the therapist.
    assert "Before your first check-in" in page.text
    assert "an urge of 4 or more, thoughts of suicide of 3 or more" in page.text


def test_a_check_in_is_saved_with_its_feelings_and_steps(as_teen, team, steps):
    response = post(
        as_teen,
        today(team),
        urge=2,
        thoughts=1,
        note=NOTE,
        feelings={"sad": 3, "tired": 1, "happy": 0},
        steps={steps[0]: "a_lot", steps[1]: ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/teen/check-in/done"
    [saved] = checkins_of(team)
    assert (saved.local_date, saved.urge, saved.thoughts, saved.acted, saved.note) == (
        today(team),
        2,
        1,
        False,
        NOTE,
    )
    feelings = db.session.execute(select(CheckInEmotion.emotion, CheckInEmotion.intensity)).all()
    assert sorted(feelings) == [("sad", 3), ("tired", 1)]  # 0 = not felt: no row
    assert db.session.execute(select(CheckInCoping.item_key, CheckInCoping.helped)).all() == [
        (steps[0], Helped.A_LOT)
    ]
    assert db.session.scalars(select(AccessEvent.action)).all().count("checkin.save") == 1
    assert NOTE not in str(db.session.scalars(select(AccessEvent.detail)).all())


def test_a_second_check_in_the_same_day_changes_the_first(as_teen, team, steps):
    post(as_teen, today(team), urge=1, feelings={"sad": 3}, steps={steps[0]: "not"})
    again = as_teen.get("/teen/check-in")
    assert "You checked in today" in again.text
    assert 'id="urge-1" name="urge" value="1" checked' in again.text
    assert 'value="3" checked' in again.text
    post(as_teen, today(team), urge=2, feelings={"calm": 2}, steps={steps[1]: "a_bit"})
    [saved] = checkins_of(team)
    assert saved.urge == 2
    assert db.session.scalars(select(CheckInEmotion.emotion)).all() == ["calm"]
    assert db.session.scalars(select(CheckInCoping.item_key)).all() == [steps[1]]


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"urge": 6}, "urge", "Choose a number from 0 to 5."),
        ({"urge": -1}, "urge", "Choose a number from 0 to 5."),
        ({"urge": ""}, "urge", "Choose a number from 0 to 5."),
        ({"thoughts": "lots"}, "thoughts", "Choose a number from 0 to 5."),
        ({"acted": "maybe"}, "acted", "Choose yes or no."),
        ({"feelings": {"smug": 2}}, "emotions", "Some feelings are not on Harbor"),
        ({"feelings": {"sad": 9}}, "emotions", "Choose a number from 0 to 5 for each feeling."),
        ({"steps": {"0123456789abcdef": "a_lot"}}, "coping", "not in your plan now"),
        ({"note": "x" * 1001}, "note", "The limit is 1,000."),
        ({"note": "bad\x00char"}, "note", "unusual characters"),
    ],
)
def test_bad_answers_are_refused_next_to_their_field(as_teen, team, steps, answers, field, message):
    response = post(as_teen, today(team), **answers)
    assert response.status_code == 400
    assert f'id="{field}-error">{message}' in response.text or (
        message in response.text and f'id="{field}-error"' in response.text
    )
    assert count(CheckIn) == 0


def test_a_coping_step_of_another_team_or_hidden_from_the_teen_is_refused(
    as_teen, team, other_team, steps
):
    theirs = plan_with_steps(other_team)[0]
    hidden = db.session.scalar(
        select(PlanItem.key).where(
            PlanItem.team_id == team.id, PlanItem.text == "CANARY-therapist-only-step"
        )
    )
    for key in (theirs, hidden):
        response = post(as_teen, today(team), steps={key: "a_lot"})
        assert response.status_code == 400
        assert "not in your plan now" in response.text
    assert count(CheckIn) == 0


def test_a_past_or_future_day_is_refused_and_nothing_changes(as_teen, team, steps):
    post(as_teen, today(team), urge=1)
    for day, words in (
        (today(team) - timedelta(days=1), "can only be changed on its own day"),
        (today(team) + timedelta(days=1), "has not started yet where you are"),
    ):
        response = post(as_teen, day, urge=5, acted="yes")
        assert response.status_code == 400
        assert words in response.text
        assert 'id="day-error"' in response.text
        # The form now carries today's date, and keeps the answers to check.
        assert f'name="day" value="{today(team).isoformat()}"' in response.text
        assert 'id="urge-5" name="urge" value="5" checked' in response.text
    [saved] = checkins_of(team)
    assert (saved.local_date, saved.urge, saved.acted) == (today(team), 1, False)


def test_a_day_that_is_not_a_date_is_refused(as_teen, team, steps):
    response = as_teen.post(
        "/teen/check-in", data={"day": "2026-02-30", "urge": "1", "thoughts": "0", "acted": "no"}
    )
    assert response.status_code == 400
    assert "could not tell which day" in response.text
    assert count(CheckIn) == 0


@pytest.mark.parametrize(
    ("zone", "evening", "morning"),
    [
        # 23:59 and 00:01 local: the UTC date is the next day all along in Los Angeles...
        ("America/Los_Angeles", (2026, 3, 7, 23, 59), (2026, 3, 8, 0, 1)),
        # ...and the day before all along in Auckland.
        ("Pacific/Auckland", (2026, 11, 24, 23, 59), (2026, 11, 25, 0, 1)),
    ],
)
def test_the_day_is_the_teens_own_day(monkeypatch, client, team, steps, zone, evening, morning):
    team.teen.timezone = zone
    db.session.commit()
    client.post("/login", data={"email": team.teen.email, "password": "correct horse battery"})
    late = local(zone, *evening)
    stand_at(monkeypatch, late)
    assert f'value="{late.date().isoformat()}"' in client.get("/teen/check-in").text
    assert post(client, late.date(), urge=2).status_code == 302

    early = local(zone, *morning)
    stand_at(monkeypatch, early)
    page = client.get("/teen/check-in")
    assert f'value="{early.date().isoformat()}"' in page.text
    assert "Before your first check-in" not in page.text
    assert "You checked in today" not in page.text  # a new day starts blank
    # The form of last night, sent after midnight: yesterday's is not changed.
    assert post(client, late.date(), urge=4).status_code == 400
    assert post(client, early.date(), urge=3).status_code == 302
    assert [(c.local_date, c.urge) for c in checkins_of(team)] == [
        (late.date(), 2),
        (early.date(), 3),
    ]


@pytest.mark.parametrize("role", ["therapist", "guardian", "school"])
def test_only_the_teen_checks_in(client, login_as, team, role):
    login_as(role)
    assert client.get("/teen/check-in").status_code == 404
    assert client.post("/teen/check-in", data={"day": "2026-01-01"}).status_code == 404
    assert client.get("/teen/trends").status_code == 404


def test_without_a_plan_the_form_still_works(as_teen, team):
    page = as_teen.get("/teen/check-in")
    assert "once you and your therapist add them to your plan" in page.text
    assert post(as_teen, today(team), urge=1).status_code == 302
    assert count(CheckIn) == 1
