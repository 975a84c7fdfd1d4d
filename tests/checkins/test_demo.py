"""The demo: 90 believable days of check-ins for both demo teens, loaded once."""

from sqlalchemy import delete, func, select

from app.demo import load as demo
from app.demo.checkins import DAYS, load_checkin_demo
from app.demo.plans import load_plan_demo
from app.domain.checkins.commands import today_in
from app.extensions import db
from app.models import Alert, CheckIn, CheckInCoping, CheckInEmotion


def load() -> list:
    for spec in demo.TEAMS:
        demo._load_team(spec)
    load_plan_demo(demo.demo_teams())
    load_checkin_demo(demo.demo_teams())
    db.session.commit()
    return demo.demo_teams()


def test_both_teens_have_ninety_varied_days_and_a_few_alerts(app):
    teams = load()
    for team, spec in zip(teams, demo.TEAMS, strict=True):
        rows = db.session.scalars(
            select(CheckIn).where(CheckIn.team_id == team.id).order_by(CheckIn.local_date)
        ).all()
        assert 60 < len(rows) < DAYS  # some days missed
        assert rows[-1].local_date < today_in(spec.timezone)  # today is left to fill in
        assert len({row.urge for row in rows}) >= 3
        early = sum(r.urge for r in rows[:20]) / 20
        late = sum(r.urge for r in rows[-20:]) / 20
        assert late < early  # slowly better
        alerts = db.session.scalars(select(Alert).where(Alert.team_id == team.id)).all()
        assert 3 <= len(alerts) <= 6
        still_open = [a for a in alerts if a.is_open]
        assert len(still_open) == 1
        assert all(a.note and a.acknowledged_by_membership_id for a in alerts if not a.is_open)
    assert db.session.scalar(select(func.count()).select_from(CheckInEmotion)) > 100
    assert db.session.scalar(select(func.count()).select_from(CheckInCoping)) > 50


def test_the_demo_loads_once_and_the_same_way_each_time(app):
    teams = load()

    def snapshot():
        return db.session.execute(
            select(CheckIn.team_id, CheckIn.local_date, CheckIn.urge, CheckIn.thoughts).order_by(
                CheckIn.team_id, CheckIn.local_date
            )
        ).all()

    first = snapshot()
    load_checkin_demo(teams)
    db.session.commit()
    assert snapshot() == first
    db.session.execute(delete(CheckIn))
    db.session.commit()
    load_checkin_demo(teams)
    db.session.commit()
    assert snapshot() == first
