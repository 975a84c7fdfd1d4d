"""Read models of the check-ins for each page, already narrowed by app.policy.checkins.

They are plain values loaded before the template runs, so a template never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.domain.audit import commands as audit
from app.domain.checkins import alerts as checkin_alerts
from app.domain.checkins import charts as checkin_charts
from app.domain.checkins import commands as checkins
from app.domain.checkins.alerts import Thresholds
from app.domain.checkins.vocabulary import EMOTIONS, emotion_label, helped_label
from app.extensions import db
from app.models import (
    AccessEvent,
    Alert,
    AlertReason,
    CheckIn,
    Membership,
    PlanItem,
    PlanVersion,
    Role,
    User,
)
from app.platform.charts import Chart
from app.platform.pagination import Page, paginate, slice_page
from app.policy import checkins as policy
from app.policy.audiences import the_teen

PERIODS = (30, 90)
WEEK = 7
ENTRIES = 30  # check-ins listed in full on a page of a trends page; the charts cover the period
OPEN_ALERTS = 20  # a team's open alerts a page of its check-ins lists


def period(end: date, days: int) -> list[date]:
    return [end - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def teen_of(team_id: int) -> tuple[Membership, User] | None:
    row = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id == team_id, the_teen())
    ).first()
    return (row[0], row[1]) if row else None


def team_today(team_id: int) -> date:
    """Today where the teen lives (UTC until a teen has joined)."""
    teen = teen_of(team_id)
    return checkins.local_today(teen[1]) if teen else checkins.now().date()


def with_detail(query: Select[CheckIn]) -> Select[CheckIn]:
    return query.options(selectinload(CheckIn.emotions), selectinload(CheckIn.copings))


def coping_names(team_id: int, role: Role) -> dict[str, str]:
    """Each coping step's latest wording the role may see, by key, in the plan's order."""
    rows = db.session.execute(
        select(PlanItem.key, PlanItem.text)
        .join(PlanVersion, PlanVersion.id == PlanItem.version_id)
        .where(PlanItem.team_id == team_id, policy.coping_steps_filter(role))
        .order_by(PlanVersion.number, PlanItem.position)
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class EntryView:
    """One check-in as a page shows it, its words already translated."""

    id: int
    day: date
    urge: int
    thoughts: int
    acted: bool
    feelings: list[tuple[str, int]]
    coping: list[tuple[str, str]]
    note: str | None


def entry_view(checkin: CheckIn, names: dict[str, str]) -> EntryView:
    order = {emotion.code: index for index, emotion in enumerate(EMOTIONS)}
    feelings = sorted(checkin.emotions, key=lambda e: order.get(e.emotion, len(order)))
    return EntryView(
        id=checkin.id,
        day=checkin.local_date,
        urge=checkin.urge,
        thoughts=checkin.thoughts,
        acted=checkin.acted,
        feelings=[(emotion_label(e.emotion), e.intensity) for e in feelings],
        coping=[
            (
                names.get(c.item_key) or str(_l("A step no longer in the plan")),
                helped_label(c.helped),
            )
            for c in checkin.copings
        ],
        note=checkin.note,
    )


@dataclass
class FormPage:
    """What the teen's check-in page needs."""

    today: date
    existing: CheckIn | None
    steps: list[checkins.CopingStep]
    thresholds: Thresholds
    first_time: bool


def form_page(membership: Membership, user: User) -> FormPage:
    today = checkins.local_today(user)
    mine = policy.checkins(membership)
    existing = db.session.scalars(with_detail(mine.where(CheckIn.local_date == today))).first()
    first_time = existing is None and db.session.scalars(mine.limit(1)).first() is None
    return FormPage(
        today=today,
        existing=existing,
        steps=checkins.coping_steps(membership.team_id),
        thresholds=checkin_alerts.thresholds(membership.team_id),
        first_time=first_time,
    )


@dataclass
class Outcome:
    """What the teen sees right after saving today's check-in."""

    checkin: CheckIn | None
    reasons: list[AlertReason] = field(default_factory=list)

    @property
    def needs_help_now(self) -> bool:
        return bool(self.reasons)

    @property
    def show_crisis_lines(self) -> bool:
        return AlertReason.THOUGHTS in self.reasons


def outcome(membership: Membership, user: User) -> Outcome:
    today = checkins.local_today(user)
    checkin = db.session.scalars(
        policy.checkins(membership).where(CheckIn.local_date == today)
    ).first()
    if checkin is None:
        return Outcome(None)
    reasons = checkin_alerts.thresholds(membership.team_id).reasons(
        checkin.urge, checkin.thoughts, checkin.acted
    )
    return Outcome(checkin, reasons)


@dataclass
class Trends:
    days: int
    start: date
    end: date
    entries: Page[EntryView]  # newest first, ENTRIES a page
    charts: list[Chart]
    count: int  # check-ins in the period


def trends(
    membership: Membership, days: int, end: date, prefix: str = "chart", number: int = 1
) -> Trends:
    days = days if days in PERIODS else PERIODS[0]
    dates = period(end, days)
    rows = list(
        db.session.scalars(
            with_detail(policy.checkins(membership))
            .where(CheckIn.local_date >= dates[0], CheckIn.local_date <= end)
            .order_by(CheckIn.local_date.desc())
        )
    )
    by_day = {row.local_date: row for row in rows}
    names = coping_names(membership.team_id, membership.role)
    shown = slice_page(rows, number, ENTRIES, anchor="entries")
    # The same page, its check-ins as the page shows them.
    entries = Page(
        [entry_view(row, names) for row in shown.items],
        shown.number,
        shown.size,
        shown.has_next,
        param=shown.param,
        anchor=shown.anchor,
    )
    return Trends(
        days=days,
        start=dates[0],
        end=end,
        entries=entries,
        charts=[
            checkin_charts.urge_chart(f"{prefix}-urge", dates, by_day),
            checkin_charts.coping_chart(f"{prefix}-coping", rows, names),
            checkin_charts.emotion_chart(f"{prefix}-feelings", dates, by_day),
        ],
        count=len(rows),
    )


@dataclass
class TeamAlerts:
    open: Page[Alert]
    recent: list[Alert]  # the latest few; the alerts page lists them all


def team_alerts(membership: Membership, number: int = 1, recent: int = 10) -> TeamAlerts:
    query = policy.alerts(membership).options(selectinload(Alert.checkin))
    return TeamAlerts(
        open=paginate(
            query.where(Alert.acknowledged_at.is_(None)).order_by(Alert.id),
            number,
            OPEN_ALERTS,
            param="alerts",
            anchor="open-alerts",
        ),
        recent=list(
            db.session.scalars(
                query.where(Alert.acknowledged_at.is_not(None))
                .order_by(Alert.acknowledged_at.desc())
                .limit(recent)
            )
        ),
    )


@dataclass
class Summary:
    """All that guardians see of check-ins, with the teen's consent."""

    checked_in_today: bool
    week_average_urge: float | None

    @property
    def average_text(self) -> str | None:
        """The average as the reader's locale writes it (2.5, 2,5)."""
        if self.week_average_urge is None:
            return None
        return str(format_decimal(self.week_average_urge, "0.0"))


def summary(membership: Membership) -> Summary | None:
    """None unless the policy lets this member see the summary."""
    if not policy.may_view_summary(membership):
        return None
    today = team_today(membership.team_id)
    since = today - timedelta(days=WEEK - 1)
    count, average, latest = db.session.execute(
        select(func.count(CheckIn.id), func.avg(CheckIn.urge), func.max(CheckIn.local_date)).where(
            CheckIn.team_id == membership.team_id,
            CheckIn.local_date >= since,
            CheckIn.local_date <= today,
        )
    ).one()
    return Summary(
        checked_in_today=latest == today,
        week_average_urge=round(float(average), 1) if count else None,
    )


def record_summary_view(membership: Membership, user: User) -> None:
    """A guardian's look at the summary is a view of the teen's records: in the audit, at
    most once a day per guardian."""
    if not policy.summary_view_is_audited(membership):
        return
    already = db.session.scalars(
        select(AccessEvent.id).where(
            AccessEvent.team_id == membership.team_id,
            AccessEvent.membership_id == membership.id,
            AccessEvent.action == "checkin.view",
            AccessEvent.at >= checkins.now().replace(tzinfo=None) - timedelta(hours=24),
        )
    ).first()
    if already is None:
        audit.record("checkin.view", user=user, membership=membership, page="summary")
