"""The therapist's view across their teams: every teen's last check-in, a 7-day sparkline and
open alerts first, and the list of alerts. A fixed number of queries whatever the caseload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.charts import Chart
from app.extensions import db
from app.models import Alert, CareTeam, CheckIn, Membership, Role, User
from app.policy import checkins as policy
from app.services import checkin_charts, checkins
from app.services.checkin_views import (
    WEEK,
    EntryView,
    coping_names,
    entry_view,
    period,
    with_detail,
)

ALERT_PAGE = 50


@dataclass(frozen=True)
class CaseloadRow:
    team: CareTeam
    teen_joined: bool
    last_checkin: date | None
    checked_in_today: bool
    open_alerts: int
    sparkline: Chart


def caseload(user: User) -> list[CaseloadRow]:
    """Five queries, however many teams: teams, teens' time zones, last check-ins, the last
    week's urges and open alert counts."""
    teams = db.session.scalars(
        select(CareTeam)
        .where(CareTeam.id.in_(policy.caseload_team_ids(user)))
        .order_by(CareTeam.teen_name, CareTeam.id)
    ).all()
    ids = [team.id for team in teams]
    if not ids:
        return []
    zones = dict(
        db.session.execute(
            select(Membership.team_id, User.timezone)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id.in_(ids), Membership.role == Role.TEEN)
        ).all()
    )
    todays = {team_id: checkins.today_in(zones.get(team_id)) for team_id in ids}
    last = dict(
        db.session.execute(
            select(CheckIn.team_id, func.max(CheckIn.local_date))
            .where(CheckIn.team_id.in_(ids))
            .group_by(CheckIn.team_id)
        ).all()
    )
    urges: dict[int, dict[date, int]] = {}
    for team_id, day, urge in db.session.execute(
        select(CheckIn.team_id, CheckIn.local_date, CheckIn.urge).where(
            CheckIn.team_id.in_(ids),
            CheckIn.local_date >= min(todays.values()) - timedelta(days=WEEK - 1),
        )
    ):
        urges.setdefault(team_id, {})[day] = urge
    open_counts = dict(
        db.session.execute(
            select(Alert.team_id, func.count(Alert.id))
            .where(Alert.team_id.in_(ids), Alert.acknowledged_at.is_(None))
            .group_by(Alert.team_id)
        ).all()
    )
    rows = [
        CaseloadRow(
            team=team,
            teen_joined=team.id in zones,
            last_checkin=last.get(team.id),
            checked_in_today=last.get(team.id) == todays[team.id],
            open_alerts=open_counts.get(team.id, 0),
            sparkline=checkin_charts.urge_sparkline(
                f"spark-{team.id}",
                team.teen_name,
                period(todays[team.id], WEEK),
                urges.get(team.id, {}),
            ),
        )
        for team in teams
    ]
    return sorted(rows, key=lambda row: -row.open_alerts)  # stable: names stay in order


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    team_id: int
    teen_name: str
    day: date
    acknowledged_by: str | None


def _alert_rows(user: User, *, open_: bool, limit: int) -> list[AlertRow]:
    acknowledger = aliased(Membership)
    who = aliased(User)
    query = (
        select(Alert, CareTeam.teen_name, CheckIn.local_date, who.name)
        .join(CheckIn, CheckIn.id == Alert.checkin_id)
        .join(CareTeam, CareTeam.id == Alert.team_id)
        .outerjoin(acknowledger, acknowledger.id == Alert.acknowledged_by_membership_id)
        .outerjoin(who, who.id == acknowledger.user_id)
        .where(Alert.team_id.in_(policy.caseload_team_ids(user)))
    )
    if open_:
        query = query.where(Alert.acknowledged_at.is_(None)).order_by(Alert.created_at, Alert.id)
    else:
        query = query.where(Alert.acknowledged_at.is_not(None)).order_by(
            Alert.acknowledged_at.desc()
        )
    return [
        AlertRow(alert, alert.team_id, name, day, by)
        for alert, name, day, by in db.session.execute(query.limit(limit))
    ]


def alert_list(user: User) -> tuple[list[AlertRow], list[AlertRow]]:
    """Open alerts (oldest first), then the latest acknowledged ones."""
    return (
        _alert_rows(user, open_=True, limit=ALERT_PAGE * 4),
        _alert_rows(user, open_=False, limit=ALERT_PAGE),
    )


@dataclass(frozen=True)
class AlertDetail:
    alert: Alert
    entry: EntryView
    acknowledged_by: str | None


def alert_detail(membership: Membership, alert_id: int) -> AlertDetail:
    alert = policy.alert_or_404(membership, alert_id)
    checkin = db.session.scalars(
        with_detail(policy.checkins(membership)).where(CheckIn.id == alert.checkin_id)
    ).one()
    by = None
    if alert.acknowledged_by_membership_id is not None:
        by = db.session.scalar(
            select(User.name)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.id == alert.acknowledged_by_membership_id)
        )
    names = coping_names(membership.team_id, membership.role)
    return AlertDetail(alert=alert, entry=entry_view(checkin, names), acknowledged_by=by)
