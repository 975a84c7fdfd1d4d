"""Checking in: the teen saves their day, once a day in their own time zone, editable that
day. Crossing the team's thresholds raises an alert (app.domain.checkins.alerts).

Each use case takes the acting membership, flushes and never commits. Nothing here copies what
the teen wrote into the audit or an email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import Select, and_, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from app.db import utcnow
from app.domain.audit import commands as audit
from app.domain.checkins import alerts as checkin_alerts
from app.domain.checkins.alerts import Thresholds
from app.domain.checkins.vocabulary import BY_CODE, SCALE
from app.domain.errors import ServiceError
from app.domain.threads.commands import clean_text
from app.extensions import db
from app.models import (
    AlertReason,
    CarePlan,
    CheckIn,
    CheckInCoping,
    CheckInEmotion,
    Helped,
    Membership,
    PlanItem,
    PlanVersion,
    Role,
    User,
)
from app.models.checkins import MAX_NOTE
from app.policy import checkins as policy


def now() -> datetime:
    """The current instant (aware, UTC). Tests replace it to stand at a day's edge."""
    return datetime.now(UTC)


def today_in(timezone: str | None) -> date:
    """Today in a time zone (UTC when it is unknown)."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now().astimezone(zone).date()


def local_today(user: User) -> date:
    """Today in the user's own time zone: a check-in belongs to the teen's day."""
    return today_in(user.timezone)


@dataclass(frozen=True)
class Entry:
    """A check-in as posted: raw values, checked here."""

    day: str | None
    urge: int | None
    thoughts: int | None
    acted: bool | None
    note: str | None = None
    emotions: dict[str, str] = field(default_factory=dict)  # code -> "0".."5"
    coping: dict[str, str] = field(default_factory=dict)  # plan item key -> Helped or ""


@dataclass(frozen=True)
class Saved:
    checkin: CheckIn
    reasons: list[AlertReason]
    created: bool


class CopingStep(NamedTuple):
    key: str
    text: str


def _current_coping(team_id: int, *columns: InstrumentedAttribute[str]) -> Select[*tuple[str, ...]]:
    """The agreed coping steps of the current plan that the teen sees (the ones checked daily),
    in one statement: the plan, its current version and the items are joined, not looked up in
    turn."""
    return (
        select(*columns)
        .join(PlanVersion, PlanVersion.id == PlanItem.version_id)
        .join(
            CarePlan,
            and_(CarePlan.id == PlanVersion.plan_id, PlanVersion.number == CarePlan.current_number),
        )
        .where(
            CarePlan.team_id == team_id,
            PlanVersion.team_id == team_id,
            policy.coping_steps_filter(Role.TEEN),
        )
    )


def coping_steps(team_id: int) -> list[CopingStep]:
    """The agreed coping steps of the current plan that the teen sees: the ones checked daily."""
    rows = db.session.execute(
        _current_coping(team_id, PlanItem.key, PlanItem.text).order_by(PlanItem.position)
    )
    return [CopingStep(key, text) for key, text in rows]


def coping_keys(team_id: int) -> set[str]:
    return set(db.session.scalars(_current_coping(team_id, PlanItem.key)))


def checkin_on(team_id: int, day: date) -> CheckIn | None:
    return db.session.scalars(
        select(CheckIn).where(CheckIn.team_id == team_id, CheckIn.local_date == day)
    ).first()


def _day(raw: str | None, today: date) -> date:
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        raise ServiceError(
            _("Harbor could not tell which day this check-in is for."), "day"
        ) from None
    when = format_date(day, "full")
    if day < today:
        raise ServiceError(
            _(
                "This check-in was for %(day)s. A check-in can only be changed on its own day, "
                "so nothing was saved. You can check in for today below.",
                day=when,
            ),
            "day",
        )
    if day > today:
        raise ServiceError(
            _("%(day)s has not started yet where you are, so nothing was saved.", day=when), "day"
        )
    return day


def _scale(value: int | None, field_name: str) -> int:
    if value is None or value not in SCALE:
        raise ServiceError(_("Choose a number from 0 to 5."), field_name)
    return value


def _emotions(raw: dict[str, str]) -> dict[str, int]:
    unknown = set(raw) - set(BY_CODE)
    if unknown:
        raise ServiceError(
            _("Some feelings are not on Harbor's list. Reload the page and try again."), "emotions"
        )
    chosen = {}
    for code, value in raw.items():
        if value not in {str(n) for n in SCALE}:
            raise ServiceError(_("Choose a number from 0 to 5 for each feeling."), "emotions")
        if int(value) > 0:
            chosen[code] = int(value)
    return chosen


def _coping(raw: dict[str, str], team_id: int) -> dict[str, Helped]:
    # No steps posted, nothing to check against the plan, so no query.
    if raw and set(raw) - coping_keys(team_id):
        raise ServiceError(
            _("Some coping steps are not in your plan now. Reload the page and try again."),
            "coping",
        )
    tried = {}
    for key, value in raw.items():
        if value == "":
            continue
        if value not in {helped.value for helped in Helped}:
            raise ServiceError(_("Choose how much each step helped."), "coping")
        tried[key] = Helped(value)
    return tried


def _note(note: str | None) -> str | None:
    if not (note or "").strip():
        return None
    return clean_text(note, limit=MAX_NOTE, field="note", empty="")


def submit(actor: Membership, user: User, entry: Entry) -> Saved:
    """Saves the teen's check-in for today, or changes today's. Another day is refused."""
    policy.authorize_submit(actor)
    day = _day(entry.day, local_today(user))
    urge = _scale(entry.urge, "urge")
    thoughts = _scale(entry.thoughts, "thoughts")
    if entry.acted is None:
        raise ServiceError(_("Choose yes or no."), "acted")
    note = _note(entry.note)
    emotions = _emotions(entry.emotions)
    coping = _coping(entry.coping, actor.team_id)

    checkin, created, limits = _today_row(actor, day)
    checkin.urge, checkin.thoughts, checkin.acted, checkin.note = urge, thoughts, entry.acted, note
    checkin.teen_membership_id = actor.id
    if not created:  # a row made just now has no answers to replace
        db.session.execute(delete(CheckInEmotion).where(CheckInEmotion.checkin_id == checkin.id))
        db.session.execute(delete(CheckInCoping).where(CheckInCoping.checkin_id == checkin.id))
    for code, intensity in emotions.items():
        db.session.add(
            CheckInEmotion(
                team_id=actor.team_id, checkin_id=checkin.id, emotion=code, intensity=intensity
            )
        )
    for key, helped in coping.items():
        db.session.add(
            CheckInCoping(team_id=actor.team_id, checkin_id=checkin.id, item_key=key, helped=helped)
        )
    db.session.flush()
    audit.record(
        "checkin.save" if created else "checkin.edit",
        user=user,
        membership=actor,
        target=checkin,
        day=day.isoformat(),
    )
    reasons = limits.reasons(urge, thoughts, entry.acted)
    if reasons:
        checkin_alerts.raise_alert(actor, user, checkin, reasons)
    return Saved(checkin=checkin, reasons=reasons, created=created)


def _today_row(actor: Membership, day: date) -> tuple[CheckIn, bool, Thresholds]:
    """Today's row, made if missing, and the team's thresholds (read with an existing row,
    as most saves are edits). Two first saves at once: the database keeps one."""
    found = db.session.execute(
        select(CheckIn, *checkin_alerts.threshold_columns(actor.team_id)).where(
            CheckIn.team_id == actor.team_id, CheckIn.local_date == day
        )
    ).first()
    if found is not None:
        existing, urge_at, thoughts_at = found
        existing.updated_at = utcnow()
        return existing, False, checkin_alerts.thresholds_of(urge_at, thoughts_at)
    limits = checkin_alerts.thresholds(actor.team_id)
    row = CheckIn(
        team_id=actor.team_id,
        teen_membership_id=actor.id,
        local_date=day,
        urge=0,
        thoughts=0,
        acted=False,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        # The other save's row, which the database kept. (Were it gone, this is an error.)
        kept = checkin_on(actor.team_id, day)
        if kept is None:
            raise
        return kept, False, limits
    return row, True, limits
