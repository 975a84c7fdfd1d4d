"""Check-in alerts: raised for the team's therapists (and nobody else) when a check-in crosses
the team's thresholds, acknowledged by a therapist with a note; the thresholds themselves.

Each use case takes the acting membership, flushes and never commits. The email says nothing
but where to sign in; alerts never promise a response time.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ScalarSelect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.db import utcnow
from app.domain.audit import commands as audit
from app.domain.errors import ServiceError
from app.domain.threads.commands import clean_text
from app.extensions import db
from app.models import Alert, AlertReason, CheckIn, CheckInSettings, Membership, User
from app.models.checkins import DEFAULT_THOUGHTS_AT, DEFAULT_URGE_AT, MAX_NOTE
from app.platform import outbox
from app.policy import Permission, authorize
from app.policy import checkins as policy


@dataclass(frozen=True)
class Thresholds:
    urge_at: int = DEFAULT_URGE_AT
    thoughts_at: int = DEFAULT_THOUGHTS_AT

    def reasons(self, urge: int, thoughts: int, acted: bool) -> list[AlertReason]:
        """Why these answers notify the therapists, in a fixed order; [] when they do not."""
        found = []
        if urge >= self.urge_at:
            found.append(AlertReason.URGE)
        if thoughts >= self.thoughts_at:
            found.append(AlertReason.THOUGHTS)
        if acted:
            found.append(AlertReason.ACTED)
        return found


def thresholds(team_id: int) -> Thresholds:
    row = db.session.scalars(
        select(CheckInSettings).where(CheckInSettings.team_id == team_id)
    ).first()
    return Thresholds(row.alert_urge_at, row.alert_thoughts_at) if row else Thresholds()


def threshold_columns(team_id: int) -> tuple[ScalarSelect[int], ScalarSelect[int]]:
    """The team's thresholds as two columns, so a query that reads another row can bring
    them along instead of a second round trip; read them back with thresholds_of."""
    settings = select(CheckInSettings).where(CheckInSettings.team_id == team_id)
    return (
        settings.with_only_columns(CheckInSettings.alert_urge_at).scalar_subquery(),
        settings.with_only_columns(CheckInSettings.alert_thoughts_at).scalar_subquery(),
    )


def thresholds_of(urge_at: int | None, thoughts_at: int | None) -> Thresholds:
    """From threshold_columns: both None when the team kept the defaults (the settings row
    holds both, never one alone)."""
    if urge_at is None or thoughts_at is None:
        return Thresholds()
    return Thresholds(urge_at, thoughts_at)


def raise_alert(
    actor: Membership, user: User, checkin: CheckIn, reasons: list[AlertReason]
) -> None:
    """One alert per check-in. A change the same day updates it (and opens it again if it
    adds a reason); only the first raise emails the therapists."""
    alert = _alert_of(checkin)
    if alert is None:
        alert = Alert(
            team_id=actor.team_id, checkin_id=checkin.id, reasons=[r.value for r in reasons]
        )
        try:
            with db.session.begin_nested():  # two saves at once: the database keeps one alert
                db.session.add(alert)
        except IntegrityError:
            # The other save's alert, which the database kept. (Were it gone, this is an error.)
            alert = _alert_of(checkin)
            if alert is None:
                raise
        else:
            audit.record("alert.raise", user=user, membership=actor, target=alert)
            _notify_therapists(actor.team_id)
            return
    merged = [r.value for r in AlertReason if r.value in alert.reasons or r in reasons]
    if merged != list(alert.reasons) and not alert.is_open:
        alert.acknowledged_at = None
        alert.acknowledged_by_membership_id = None
        audit.record("alert.reopen", user=user, membership=actor, target=alert)
    alert.reasons = merged


def _alert_of(checkin: CheckIn) -> Alert | None:
    return db.session.scalars(select(Alert).where(Alert.checkin_id == checkin.id)).first()


def _notify_therapists(team_id: int) -> None:
    for member in db.session.scalars(
        policy.alert_recipients(team_id).options(joinedload(Membership.user))
    ):
        outbox.enqueue(member.user.email, "checkin_alert", member.user.locale)


def acknowledge(actor: Membership, user: User, alert: Alert, note: str | None) -> Alert:
    """A therapist notes what they did about an alert; it leaves the open list."""
    authorize(actor, Permission.ALERT_ACK, alert)
    if not alert.is_open:
        raise ServiceError(_("Someone on the team has already acknowledged this alert."))
    alert.note = clean_text(
        note,
        limit=MAX_NOTE,
        field="note",
        empty=_("Please write a short note on what you did or plan to do."),
    )
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by_membership_id = actor.id
    db.session.flush()
    audit.record("alert.acknowledge", user=user, membership=actor, target=alert)
    return alert


def save_thresholds(actor: Membership, user: User, *, urge_at: int, thoughts_at: int) -> None:
    authorize(actor, Permission.ALERT_SETTINGS)
    for value, field_name in ((urge_at, "urge_at"), (thoughts_at, "thoughts_at")):
        if value not in range(1, 6):
            raise ServiceError(_("Choose a number from 1 to 5."), field_name)
    row = db.session.scalars(
        select(CheckInSettings).where(CheckInSettings.team_id == actor.team_id)
    ).first()
    if row is None:
        row = CheckInSettings(team_id=actor.team_id)
        db.session.add(row)
    row.alert_urge_at, row.alert_thoughts_at = urge_at, thoughts_at
    row.updated_by_membership_id = actor.id
    db.session.flush()
    audit.record(
        "checkin.thresholds",
        user=user,
        membership=actor,
        target=row,
        urge_at=urge_at,
        thoughts_at=thoughts_at,
    )
