"""Builders for check-ins, a clock to stand at any local time, and the canary note."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.domain.checkins import commands as checkins
from app.domain.consent import commands as consents
from app.domain.plans.commands import ItemInput
from app.extensions import db
from app.models import Alert, CheckIn, OutboxMessage, Scope, Section
from tests.plans.helpers import canary_items, save

NOTE = "CANARY-checkin-note"
STEP_TEXTS = (
    "When I feel overwhelmed, I will hold ice for a minute",
    "When I can't sleep, I will draw",
)


def plan_with_steps(team) -> list[str]:
    """Saves a plan with two coping steps the teen sees (and one the teen does not); returns
    the keys of the two, in order."""
    items = [
        *canary_items(),
        ItemInput(Section.COPING_STEPS, STEP_TEXTS[0], 1, for_teen=True, for_family=True),
        ItemInput(Section.COPING_STEPS, STEP_TEXTS[1], 2, for_teen=True),
        ItemInput(Section.COPING_STEPS, "CANARY-therapist-only-step", 3),
    ]
    version = save(team, items)
    from app.domain.plans import commands as plans

    steps = [
        i for i in plans.items_for(version, plans.Role.TEEN) if i.section == Section.COPING_STEPS
    ]
    return [step.key for step in steps]


def stand_at(monkeypatch, when: datetime) -> None:
    """Makes the check-in clock read `when` (an aware datetime)."""
    monkeypatch.setattr(checkins, "now", lambda: when.astimezone(UTC))


def local(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def today(team) -> date:
    return checkins.local_today(team.teen)


def form(day: date, *, urge=0, thoughts=0, acted="no", note="", feelings=None, steps=None) -> dict:
    data = {"day": day.isoformat(), "urge": str(urge), "thoughts": str(thoughts), "acted": acted}
    data["note"] = note
    for code, value in (feelings or {}).items():
        data[f"feeling-{code}"] = str(value)
    for key, value in (steps or {}).items():
        data[f"step-{key}"] = value
    return data


def post(client, day: date, **answers):
    return client.post("/teen/check-in", data=form(day, **answers))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def checkins_of(team) -> list[CheckIn]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(CheckIn).where(CheckIn.team_id == team.id).order_by(CheckIn.local_date)
        )
    )


def alerts_of(team) -> list[Alert]:
    db.session.expire_all()
    return list(db.session.scalars(select(Alert).where(Alert.team_id == team.id)))


def alert_emails() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "checkin_alert"))
    )


def add(team, day: date, urge=0, thoughts=0, acted=False, note=None) -> CheckIn:
    """A check-in written straight to the database (for reading tests)."""
    row = CheckIn(
        team_id=team.id,
        teen_membership_id=team.memberships["teen"].id,
        local_date=day,
        urge=urge,
        thoughts=thoughts,
        acted=acted,
        note=note,
    )
    db.session.add(row)
    db.session.commit()
    return row


def summary_consent(team) -> None:
    """The real thing: a guardian starts a check-in summary consent and the teen signs it."""
    consent = consents.start(
        team.memberships["guardian"],
        team.guardian,
        scope=Scope.CHECKIN_SUMMARY,
        recipient_id=None,
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=90),
        purpose="So we know how the week went.",
        typed_name=team.guardian.name,
    )
    consent = consents.with_signatures(consent)
    consents.sign(team.memberships["teen"], team.teen, consent, team.teen.name)
    db.session.commit()
