"""The therapist's view across their teams: every teen's last check-in, a 7-day sparkline and
open alerts first, and the list of alerts. A fixed number of queries whatever the caseload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from flask_babel import get_locale, get_translations, ngettext
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from app.domain.checkins import charts as checkin_charts
from app.domain.checkins import commands as checkins
from app.domain.checkins.queries import (
    WEEK,
    EntryView,
    coping_names,
    entry_view,
    period,
    with_detail,
)
from app.domain.labels import person_name
from app.extensions import db
from app.models import Alert, CareTeam, CheckIn, Membership, User
from app.platform.charts import Chart
from app.platform.i18n import medium_date
from app.platform.pagination import Page, cut, window
from app.policy import checkins as policy
from app.policy.audiences import the_teen

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


@dataclass(frozen=True)
class CaseloadPage(Page[CaseloadRow]):
    open_alerts: int = 0  # across the whole caseload, not just this page


def caseload(user: User, number: int = 1) -> CaseloadPage:
    """A page of the caseload, teens with open alerts first, then by name. Two queries, however
    many teams: the teams with their open alerts, the teen's time zone and last check-in (and
    the open alerts of the whole caseload, for the badge), then the last week's urges."""
    found = db.session.execute(window(_teams_statement(user), number, CASELOAD_PAGE)).all()
    # The page's teams as the statement reads them; `rows` are what the page shows of them.
    shown = found[:CASELOAD_PAGE]
    rows: list[CaseloadRow] = []
    if shown:
        todays = {team.id: checkins.today_in(zone) for team, _n, _teen, zone, _last, _all in shown}
        urges = _urges_of_the_week(todays)
        translations, locale = get_translations(), str(get_locale())
        words = _row_words(translations)
        rows = [
            _row(
                team,
                alerts,
                joined=teen_id is not None,
                last_day=last_day,
                today=todays[team.id],
                urges=urges.get(team.id, {}),
                words=words,
                translations=translations,
                locale=locale,
            )
            for team, alerts, teen_id, _zone, last_day, _all in shown
        ]
    return CaseloadPage(
        rows,
        number,
        CASELOAD_PAGE,
        len(found) > CASELOAD_PAGE,
        param="checkins",
        anchor="caseload-heading",
        open_alerts=int(found[0][5] or 0) if found else open_alert_count(user),
    )


def _teams_statement(user: User) -> Select[Any]:
    """The user's caseload teams, each with its open alerts, its teen's membership and time
    zone, its last check-in, and the open alerts of the whole caseload."""
    open_alerts = (
        select(func.count(Alert.id))
        .where(Alert.team_id == CareTeam.id, Alert.acknowledged_at.is_(None))
        .correlate(CareTeam)
        .scalar_subquery()
    )
    last_checkin = (
        select(func.max(CheckIn.local_date))
        .where(CheckIn.team_id == CareTeam.id)
        .correlate(CareTeam)
        .scalar_subquery()
    )
    # One teen per team at most (a unique index), so the outer joins add no rows.
    teen, teen_user = aliased(Membership), aliased(User)
    return (
        select(
            CareTeam,
            open_alerts,
            teen.id,
            teen_user.timezone,
            last_checkin,
            func.sum(open_alerts).over(),
        )
        .outerjoin(teen, and_(teen.team_id == CareTeam.id, the_teen(teen)))
        .outerjoin(teen_user, teen_user.id == teen.user_id)
        .where(CareTeam.id.in_(policy.caseload_team_ids(user)))
        .order_by(open_alerts.desc(), CareTeam.teen_name, CareTeam.id)
    )


def _urges_of_the_week(todays: dict[int, date]) -> dict[int, dict[date, int]]:
    """Each team's urge by local date over the week up to its teen's today, in one query."""
    urges: dict[int, dict[date, int]] = {}
    for team_id, day, urge in db.session.execute(
        select(CheckIn.team_id, CheckIn.local_date, CheckIn.urge).where(
            CheckIn.team_id.in_(list(todays)),
            CheckIn.local_date >= min(todays.values()) - timedelta(days=WEEK - 1),
        )
    ):
        urges.setdefault(team_id, {})[day] = urge
    return urges


def _row(
    team: CareTeam,
    alerts: int,
    *,
    joined: bool,
    last_day: date | None,
    today: date,
    urges: dict[date, int],
    words: tuple[str, str, str, str],
    translations: Any,
    locale: str,
) -> CaseloadRow:
    week = period(today, WEEK)
    known = tuple((d, urges[d]) for d in week if d in urges)
    sparkline, figure = _sparkline(
        team.id, team.teen_name, tuple(week), known, translations, locale
    )
    return CaseloadRow(
        team=team,
        teen_joined=joined,
        last_checkin=last_day,
        checked_in_today=last_day == today,
        open_alerts=alerts,
        sparkline=sparkline,
        figure=figure,
        status=_status(words, locale, joined, last_day, today),
        badge=_badge(translations, alerts) if alerts else "",
    )


@lru_cache(maxsize=4096)
def _sparkline(
    team_id: int,
    name: str,
    week: tuple[date, ...],
    urges: tuple[tuple[date, int], ...],
    translations: object,
    locale: str,
) -> tuple[Chart, Markup]:
    """A teen's sparkline and its figure, drawn once for the same week, urges and language:
    the key holds everything they are drawn from, so a new or edited check-in draws afresh."""
    chart = checkin_charts.urge_sparkline(f"spark-{team_id}", name, week, dict(urges))
    return chart, checkin_charts.small_figure(chart)


@lru_cache(maxsize=64)
def _row_words(translations: object) -> tuple[str, str, str, str]:
    """A row's words in one language, looked up once rather than for every teen."""
    return (
        str(_("Checked in today")),
        str(_("Last check-in %(day)s")),
        str(_("No check-ins yet")),
        str(_("The teen has not joined yet")),
    )


@lru_cache(maxsize=1024)
def _badge(translations: object, count: int) -> str:
    return str(ngettext("%(count)s open alert", "%(count)s open alerts", count, count=count))


def _status(
    words: tuple[str, str, str, str], locale: str, joined: bool, last_day: date | None, today: date
) -> str:
    today_words, last_words, none_yet, not_joined = words
    if last_day is not None and last_day == today:
        return today_words
    if last_day is not None:
        return last_words % {"day": medium_date(last_day, locale)}
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
