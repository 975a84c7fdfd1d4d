"""The therapist's CSV download: every check-in, no cell a spreadsheet could run as a formula,
and the download in the audit for the teen and the guardians to see."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.checkins.export import safe_cell
from app.extensions import db
from app.models import AccessEvent, CheckInCoping, CheckInEmotion, Helped
from tests.checkins.helpers import NOTE, add, plan_with_steps, today
from tests.conftest import log_in


def rows_of(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("fine - really", "fine - really"),
        (3, "3"),
        (None, ""),
    ],
)
def test_formula_cells_get_a_quote(value, expected):
    assert safe_cell(value) == expected


def test_the_csv_has_every_check_in_and_is_audited(client, team):
    keys = plan_with_steps(team)
    first = add(team, today(team) - timedelta(days=40), urge=2, thoughts=1, note=NOTE)
    add(team, today(team), urge=4, acted=True, note="=cmd|' /C calc'!A0")
    db.session.add(CheckInEmotion(team_id=team.id, checkin_id=first.id, emotion="sad", intensity=3))
    db.session.add(
        CheckInCoping(team_id=team.id, checkin_id=first.id, item_key=keys[0], helped=Helped.A_BIT)
    )
    db.session.commit()
    log_in(client, team.therapist.email)
    response = client.get(f"/therapist/teams/{team.id}/checkins.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert team.team.teen_name not in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    header, older, newer = rows_of(response)
    assert header[:4] == ["Date", "Urge (0–5)", "Thoughts of suicide (0–5)", "Acted on an urge"]
    assert older == [
        first.local_date.isoformat(),
        "2",
        "1",
        "No",
        "Sad 3",
        "When I feel overwhelmed, I will hold ice for a minute (Helped a bit)",
        NOTE,
    ]
    assert newer[3] == "Yes" and newer[6] == "'=cmd|' /C calc'!A0"
    [event] = db.session.scalars(
        select(AccessEvent).where(AccessEvent.action == "checkin.export")
    ).all()
    assert event.membership_id == team.memberships["therapist"].id
    assert event.detail == {"count": 2}
    client.post("/logout")
    log_in(client, team.guardian.email)
    assert "Downloaded check-ins" in client.get(f"/teams/{team.id}/record-views").text


@pytest.mark.parametrize("role", ["teen", "guardian", "school"])
def test_only_the_therapist_downloads(client, team, role):
    add(team, today(team), urge=1, note=NOTE)
    log_in(client, team.users[role].email)
    response = client.get(f"/therapist/teams/{team.id}/checkins.csv")
    assert response.status_code == 404
    assert NOTE not in response.get_data(as_text=True)


def test_another_teams_therapist_cannot_download(client, team, other_team):
    add(team, today(team), urge=1, note=NOTE)
    log_in(client, other_team.therapist.email)
    response = client.get(f"/therapist/teams/{team.id}/checkins.csv")
    assert response.status_code == 404
    assert not db.session.scalars(
        select(AccessEvent).where(AccessEvent.action == "checkin.export")
    ).all()
