"""The forms that create a record, each with what it takes to send it once: who, from which
page, to where, with what, and the records to count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import (
    AccessEvent,
    CareTeam,
    CheckIn,
    Consent,
    ConsentSignature,
    Invitation,
    Message,
    ModuleAssignment,
    PlanItem,
    PlanVersion,
    SafetyDisclosure,
)
from tests.checkins.helpers import alerts_of, plan_with_steps, today
from tests.checkins.helpers import form as checkin_form
from tests.conftest import log_in
from tests.consent.helpers import latest_consent, start_form
from tests.factories import PASSWORD
from tests.modules.helpers import first_module
from tests.plans.helpers import TEEN_ONLY, save

REASON = "She told the counselor she is not safe tonight; the school must act now."


def thread_url(team, slug="family") -> str:
    return f"/teams/{team.id}/messages/{slug}"


@dataclass
class Case:
    """One creating form: who sends it, where, with what, and the records it makes."""

    who: str
    page: str  # the GET page that renders the form
    action: str  # where it posts
    data: dict
    model: type
    where: tuple = ()


def _plan_item_key() -> str:
    return db.session.scalars(select(PlanItem.key).where(PlanItem.text == TEEN_ONLY)).first()


def _open_alert(app, team) -> int:
    plan_with_steps(team)
    teen = app.test_client()
    log_in(teen, team.teen.email)
    assert teen.post("/teen/check-in", data=checkin_form(today(team), urge=5)).status_code == 302
    [alert] = alerts_of(team)
    return alert.id


def case(name: str, app, team) -> Case:
    """Built inside the test: most need a plan, a consent or an alert to exist first."""
    t = team.id
    if name == "message":
        return Case("guardian", thread_url(team), thread_url(team), {"body": "On my way"}, Message)
    if name == "new team":
        data = {"practice": team.practice.id, "teen_name": "Ana", "teen_birth_date": "2011-02-03"}
        return Case("therapist", "/therapist/teams/new", "/therapist/teams/new", data, CareTeam)
    if name == "invitation":
        page = f"/therapist/teams/{t}"
        data = {"email": "aunt@example.org", "role": "guardian"}
        return Case("therapist", page, f"{page}/invitations", data, Invitation)
    if name == "consent":
        save(team)
        school = team.memberships["school"].id
        data = start_form("school_plan", school, team.guardian.name)
        page = f"/teams/{t}/consents/new"
        return Case("guardian", page, page, data, Consent)
    if name == "consent signature":
        save(team)
        guardian = app.test_client()
        log_in(guardian, team.guardian.email)
        school = team.memberships["school"].id
        started = guardian.post(
            f"/teams/{t}/consents/new", data=start_form("school_plan", school, team.guardian.name)
        )
        assert started.status_code == 302
        page = f"/teams/{t}/consents/{latest_consent().id}"
        data = {"typed_name": team.teen.name, "password": PASSWORD}
        return Case("teen", page, page, data, ConsentSignature)
    if name == "check-in":
        plan_with_steps(team)
        return Case("teen", "/teen/check-in", "/teen/check-in", checkin_form(today(team)), CheckIn)
    if name == "alert acknowledgement":
        page = f"/therapist/teams/{t}/alerts/{_open_alert(app, team)}"
        where = (AccessEvent.action == "alert.acknowledge",)
        return Case("therapist", page, page, {"note": "Phoned her mum."}, AccessEvent, where)
    if name == "module assignment":
        page = f"/therapist/teams/{t}/modules"
        data = {"module": first_module("guardian").slug, "assignee": "role:guardian"}
        return Case("therapist", page, page, data, ModuleAssignment)
    if name == "safety disclosure":
        save(team)
        page = f"/therapist/teams/{t}/safety-share"
        data = {"item": _plan_item_key(), "audience": "school", "reason": REASON}
        return Case("therapist", page, page, data, SafetyDisclosure)
    if name == "plan version":
        save(team)
        page = f"/therapist/teams/{t}/plan/edit"
        data = {"base_number": "1", "review_due": (today(team) + timedelta(days=30)).isoformat()}
        return Case("therapist", page, page, data, PlanVersion)
    raise AssertionError(name)


CASES = [
    "message",
    "new team",
    "invitation",
    "consent",
    "consent signature",
    "check-in",
    "alert acknowledgement",
    "module assignment",
    "safety disclosure",
    "plan version",
]
