"""The therapist's view across their teams: every teen's last check-in, a 7-day sparkline and
open alerts first, and the list of alerts. A fixed number of queries whatever the caseload."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from babel.dates import format_date
from flask_babel import get_locale, get_translations, ngettext
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.charts import Chart
from app.extensions import db
from app.labels import person_name
from app.models import Alert, CareTeam, CheckIn, Membership, Role, User
from app.pagination import Page, cut, window
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
CASELOAD_PAGE = 25


@dataclass(frozen=True)
class CaseloadRow:
    team: CareTeam
    teen_joined: bool
    last_checkin: date | None
    checked_in_today: bool
    open_alerts: int
    sparkline: Chart
    # Shown as they are: worked out here once per row rather than by {% trans %} in the
    # template (the caseload lists 25 teens a page).
    figure: Markup  # the sparkline and its table for screen readers
    status: str  # checked in today, last check-in on a day, none yet, not joined
    badge: str  # "2 open alerts", or "" when none


def caseload(user: User, number: int = 1) -> Page[CaseloadRow]:
    """A page of the caseload, teens with open alerts first, then by name. Four queries,
    however many teams: teams with their open alerts, teens' time zones, last check-ins and
    the last week's urges."""
    open_alerts = (
        select(func.count(Alert.id))
        .where(Alert.team_id == CareTeam.id, Alert.acknowledged_at.is_(None))
        .correlate(CareTeam)
        .scalar_subquery()
    )
    query = (
        select(CareTeam, open_alerts)
        .where(CareTeam.id.in_(policy.caseload_team_ids(user)))
        .order_by(open_alerts.desc(), CareTeam.teen_name, CareTeam.id)
    )
    page = cut(
        db.session.execute(window(query, number, CASELOAD_PAGE)).all(),
        number,
        CASELOAD_PAGE,
        param="checkins",
        anchor="caseload-heading",
    )
    teams = [team for team, _count in page]
    open_counts = {team.id: count for team, count in page}
    ids = [team.id for team in teams]
    if not ids:
        return replace(page, items=[])
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
    translations, locale = get_translations(), str(get_locale())
    words = _row_words(translations)
    rows = []
    for team in teams:
        sparkline = checkin_charts.urge_sparkline(
            f"spark-{team.id}",
            team.teen_name,
            period(todays[team.id], WEEK),
            urges.get(team.id, {}),
        )
        last_day = last.get(team.id)
        alerts = open_counts.get(team.id, 0)
        rows.append(
            CaseloadRow(
                team=team,
                teen_joined=team.id in zones,
                last_checkin=last_day,
                checked_in_today=last_day == todays[team.id],
                open_alerts=alerts,
                sparkline=sparkline,
                figure=checkin_charts.small_figure(sparkline),
                status=_status(words, locale, team.id in zones, last_day, todays[team.id]),
                badge=_badge(translations, alerts) if alerts else "",
            )
        )
    return replace(page, items=rows)


@lru_cache(maxsize=64)
def _row_words(translations: object) -> tuple[str, str, str, str]:
    """A row's words in one language, looked up once rather than for every teen."""
    return (
        _("Checked in today"),
        _("Last check-in %(day)s"),
        _("No check-ins yet"),
        _("The teen has not joined yet"),
    )


@lru_cache(maxsize=1024)
def _badge(translations: object, count: int) -> str:
    return ngettext("%(count)s open alert", "%(count)s open alerts", count, count=count)


@lru_cache(maxsize=2048)
def _medium_day(day: date, locale: str) -> str:
    return format_date(day, "medium", locale=locale)


def _status(words, locale: str, joined: bool, last_day: date | None, today: date) -> str:
    today_words, last_words, none_yet, not_joined = words
    if last_day is not None and last_day == today:
        return today_words
    if last_day is not None:
        return last_words % {"day": _medium_day(last_day, locale)}
    return none_yet if joined else not_joined


def open_alert_count(user: User) -> int:
    """Open alerts across the whole caseload, not just the page shown."""
    return (
        db.session.scalar(
            select(func.count(Alert.id)).where(
                Alert.team_id.in_(policy.caseload_team_ids(user)), Alert.acknowledged_at.is_(None)
            )
        )
        or 0
    )


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    team_id: int
    teen_name: str
    day: date
    acknowledged_by: str | None


def _alert_rows(user: User, *, open_: bool, number: int) -> Page[AlertRow]:
    acknowledger = aliased(Membership)
    who = aliased(User)
    query = (
        select(Alert, CareTeam.teen_name, CheckIn.local_date, who)
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
            Alert.acknowledged_at.desc(), Alert.id.desc()
        )
    rows = [
        AlertRow(alert, alert.team_id, name, day, _acknowledger(alert, by))
        for alert, name, day, by in db.session.execute(window(query, number, ALERT_PAGE))
    ]
    param, anchor = ("page", "open-alerts") if open_ else ("done", "done-alerts")
    return cut(rows, number, ALERT_PAGE, param=param, anchor=anchor)


def _acknowledger(alert: Alert, user: User | None) -> str | None:
    return person_name(user) if alert.acknowledged_at is not None else None


def alert_list(
    user: User, open_page: int = 1, done_page: int = 1
) -> tuple[Page[AlertRow], Page[AlertRow]]:
    """A page of the open alerts (oldest first), and one of the acknowledged (latest first)."""
    return (
        _alert_rows(user, open_=True, number=open_page),
        _alert_rows(user, open_=False, number=done_page),
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
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.id == alert.acknowledged_by_membership_id)
        )
    names = coping_names(membership.team_id, membership.role)
    return AlertDetail(
        alert=alert, entry=entry_view(checkin, names), acknowledged_by=_acknowledger(alert, by)
    )
