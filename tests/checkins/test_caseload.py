"""The therapist's caseload: every teen's last check-in, a 7-day sparkline and open alerts
first, in the same number of queries whatever the number of teams."""

from datetime import timedelta

from app.domain.checkins.caseload import caseload
from app.extensions import db
from app.models import Alert, Membership, Role, User
from tests.checkins.helpers import add, today
from tests.factories import make_team


def lead_more_teams(team, how_many: int) -> list:
    """More teams led by `team`'s therapist, each with a week of check-ins and an alert."""
    made = []
    for _ in range(how_many):
        extra = make_team(practice=team.practice)
        db.session.add(Membership(user_id=team.therapist.id, team_id=extra.id, role=Role.THERAPIST))
        for back in range(7):
            row = add(extra, today(extra) - timedelta(days=back), urge=back % 5)
        db.session.add(Alert(team_id=extra.id, checkin_id=row.id, reasons=["urge"]))
        db.session.commit()
        made.append(extra)
    return made


def queries_for_caseload(team, count_queries, teams: int) -> int:
    db.session.expire_all()
    therapist = db.session.get(User, team.therapist.id)  # loaded before counting
    before = count_queries.count
    assert len(caseload(therapist)) == teams
    return count_queries.count - before


def test_the_query_count_does_not_grow_with_the_caseload(app, team, count_queries):
    add(team, today(team), urge=2)
    one_team = queries_for_caseload(team, count_queries, 1)
    lead_more_teams(team, 4)
    assert queries_for_caseload(team, count_queries, 5) == one_team <= 3  # 2 + BEGIN


def test_open_alerts_come_first_then_names(app, team):
    others = lead_more_teams(team, 2)
    db.session.execute(
        Alert.__table__.update()
        .where(Alert.team_id == others[1].id)
        .values(acknowledged_at=db.func.now())
    )
    db.session.commit()
    rows = caseload(team.therapist)
    assert [row.team.id for row in rows][0] == others[0].id
    assert rows[0].open_alerts == 1
    assert {row.team.id for row in rows[1:]} == {team.id, others[1].id}


def test_each_row_has_its_last_check_in_and_sparkline(app, team):
    assert caseload(team.therapist)[0].last_checkin is None
    add(team, today(team) - timedelta(days=2), urge=3)
    add(team, today(team) - timedelta(days=12), urge=5)
    [row] = caseload(team.therapist)
    assert row.last_checkin == today(team) - timedelta(days=2)
    assert not row.checked_in_today
    assert row.sparkline.table.rows == [(row.sparkline.table.rows[0][0], "3")]
    assert "Check-ins on 1 of 7 days" in row.sparkline.desc


def test_a_therapist_sees_only_their_own_teams(app, team, other_team):
    add(other_team, today(other_team), urge=5)
    assert [row.team.id for row in caseload(team.therapist)] == [team.id]
    assert not caseload(team.guardian)
