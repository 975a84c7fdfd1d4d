"""The world the authorization matrix runs in: two complete care teams ("A", the team whose
records the URLs name, and "B", the other team), each with every kind of record and canary
texts planted where only some people may read them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from app.content.modules import Audience, Module, Scenario, library
from app.domain.accounts import commands as accounts
from app.domain.checkins import alerts as checkin_alerts
from app.domain.checkins import commands as checkins
from app.domain.consent import safety
from app.domain.modules import assignments as module_assignments
from app.domain.plans import commands as plans
from app.domain.plans.commands import ItemInput
from app.domain.teams import commands as teams
from app.domain.threads import commands as threads
from app.extensions import db
from app.models import (
    AckKind,
    Alert,
    CheckIn,
    CheckInEmotion,
    Consent,
    DisclosureAudience,
    Membership,
    Message,
    ModuleProgress,
    OutboxMessage,
    PlanAcknowledgement,
    Role,
    Scope,
    Section,
    ThreadKind,
)
from app.policy import threads as thread_policy
from tests.factories import Team, make_team, make_user
from tests.security.access_matrix.canaries import plant
from tests.security.access_matrix.consent_states import add_consent

# The author of the sample message in each thread kind: the one member who may change it.
MESSAGE_AUTHORS = {
    ThreadKind.CARE_TEAM: "guardian",
    ThreadKind.FAMILY: "teen",
    ThreadKind.TEEN_THERAPIST: "teen",
    ThreadKind.SCHOOL: "school",
}
NEW_PASSWORD = "a brand new passphrase for the matrix"


def module_for(audience: str) -> Module:
    return next(m for m in library().all("en") if m.audience == Audience(audience))


def scenario_step(module: Module) -> int:
    """The number of the module's first practice scenario (the page that takes an answer)."""
    return next(n for n in range(1, module.step_count + 1) if isinstance(module.step(n), Scenario))


@dataclass(frozen=True)
class Person:
    """A member as plain values, read once: the matrix never touches the ORM objects."""

    email: str
    name: str
    membership_id: int


@dataclass
class TeamWorld:
    name: str  # "A" or "B"
    team: Team
    canaries: dict[str, str] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    id: int = 0
    practice_id: int = 0
    pending_consent_id: int = 0
    invitation_id: int = 0
    invitation_token: str = ""
    reset_token: str = ""
    alert_id: int = 0
    acknowledged_alert_id: int = 0
    assignment_id: int = 0
    shared_item_key: str = ""
    message_ids: dict[ThreadKind, int] = field(default_factory=dict)

    def member(self, key: str) -> Membership:
        return self.team.memberships[key]

    def canary(self, kind: str) -> str:
        return self.canaries[kind]


def build(name: str) -> TeamWorld:
    """One complete team, committed; its consents come from set_consent_state."""
    team = make_team()
    # A second counselor, whom no consent names: a consent covers the one it names.
    team.users["school2"] = make_user()
    team.memberships["school2"] = Membership(
        user_id=team.users["school2"].id, team_id=team.id, role=Role.SCHOOL
    )
    db.session.add(team.memberships["school2"])
    db.session.flush()
    world = TeamWorld(name, team, id=team.id)
    world.canaries = plant(name)
    team.team.teen_name = world.canary("TEEN-NAME")
    _plan(world)
    add_consent(world, Scope.SCHOOL_PLAN, signers=("guardian",), purpose="Waiting for the teen.")
    world.pending_consent_id = db.session.scalars(
        select(Consent.id).where(Consent.team_id == world.id)
    ).one()
    _checkins(world)
    _modules(world)
    _invitation_and_reset(world)
    db.session.commit()
    world.practice_id = team.practice.id
    world.people = {
        key: Person(user.email, user.name, team.memberships[key].id)
        for key, user in team.users.items()
    }
    return world


def add_threads(world: TeamWorld) -> None:
    """In every kind of thread a canary message (by a therapist, or the teen in their own
    thread, so no author outside its readers) and then the sample message of MESSAGE_AUTHORS;
    a guardian's message the therapist hid. Needs the school thread consent in force."""
    canaries = {
        ThreadKind.CARE_TEAM: ("therapist", "THREAD-CARE-TEAM"),
        ThreadKind.FAMILY: ("therapist", "THREAD-FAMILY"),
        ThreadKind.TEEN_THERAPIST: ("teen", "THREAD-TEEN"),
        ThreadKind.SCHOOL: ("therapist", "THREAD-SCHOOL"),
    }
    for kind, (author, canary) in canaries.items():
        _say(world, author, kind, world.canary(canary))
        sample = f"A short update from the {MESSAGE_AUTHORS[kind]}."
        world.message_ids[kind] = _say(world, MESSAGE_AUTHORS[kind], kind, sample).id
    hidden = _say(world, "guardian", ThreadKind.CARE_TEAM, world.canary("HIDDEN-MESSAGE"))
    threads.hide(
        world.member("therapist"), world.team.therapist, hidden, world.canary("HIDDEN-REASON")
    )
    db.session.commit()


def _say(world: TeamWorld, author: str, kind: ThreadKind, text: str) -> Message:
    member = world.member(author)
    thread = thread_policy.thread_of_kind(member, kind.slug)
    return threads.post(member, world.team.users[author], thread, text)


def restrict_second_guardian(world: TeamWorld) -> None:
    safety.restrict(
        world.member("therapist"), world.team.therapist, world.member("guardian2"), "Court order."
    )
    db.session.commit()


# The plan's items: name -> section, then (text or canary kind, audiences) in the first and
# the second version. "moved" was the teen's alone and becomes the family's under new words:
# a guardian's diff must not show its old text.
_TEEN = {"for_teen": True}
_FAMILY = {"for_family": True}
_TEEN_FAMILY = {"for_teen": True, "for_family": True}
PLAN_ITEMS = {
    "clinical": (
        Section.CLINICAL_NOTES,
        ("CLINICAL", {"for_teen": True, "for_family": True, "for_school": True}),
        ("CLINICAL", {"for_teen": True, "for_family": True, "for_school": True}),
    ),
    "teen": (Section.COPING_ALONE, ("TEEN-ITEM", _TEEN), ("TEEN-ITEM", _TEEN)),
    "moved": (Section.FAMILY_HELP, ("TEEN-ITEM", _TEEN), ("Walks together after dinner", _FAMILY)),
    "family": (Section.FAMILY_HELP, ("FAMILY-ITEM", _FAMILY), ("FAMILY-ITEM", _FAMILY)),
    "school": (
        Section.SCHOOL_PLAN,
        ("SCHOOL-ITEM", {"for_school": True}),
        ("SCHOOL-ITEM", {"for_school": True}),
    ),
    "unticked": (Section.GOALS, ("UNTICKED", {}), ("UNTICKED", {})),
    "step": (Section.COPING_STEPS, ("THERAPIST-STEP", {}), ("THERAPIST-STEP", {})),
    "teen-step": (
        Section.COPING_STEPS,
        ("When I feel overwhelmed, I will draw", _TEEN),
        ("When I feel overwhelmed, I will draw", _TEEN),
    ),
    "shared": (Section.HELP_PEOPLE, ("Aunt Rosa", _TEEN_FAMILY), ("Aunt Rosa", _TEEN_FAMILY)),
}


def _items(world: TeamWorld, version: int, keys: dict[str, str]) -> list[ItemInput]:
    found = []
    for position, (name, (section, *versions)) in enumerate(PLAN_ITEMS.items(), start=1):
        text, audiences = versions[version - 1]
        shown = f"{world.canaries.get(text, text)} ({name}, version {version})"
        found.append(ItemInput(section, shown, position, key=keys.get(name), **audiences))
    return found


def _plan(world: TeamWorld) -> None:
    """Two versions, every item changed between them, so diffs show both texts. The teen,
    guardian and counselor acknowledged the first, so their pages list what changed."""
    therapist, user = world.member("therapist"), world.team.therapist
    review = date.today() + timedelta(days=30)
    first_items = _items(world, 1, {})
    first = plans.save_version(therapist, user, base_number=0, items=first_items, review_due=review)
    key_of_text = {item.text: item.key for item in plans.items_for(first, Role.THERAPIST)}
    keys = {
        name: key_of_text[item.text] for name, item in zip(PLAN_ITEMS, first_items, strict=True)
    }
    plans.save_version(
        therapist, user, base_number=1, items=_items(world, 2, keys), review_due=review
    )
    for key in ("teen", "guardian", "school"):
        db.session.add(
            PlanAcknowledgement(
                team_id=world.id,
                version_id=first.id,
                membership_id=world.member(key).id,
                kind=AckKind.AGREED if key == "teen" else AckKind.READ,
            )
        )
    world.shared_item_key = keys["shared"]
    db.session.flush()
    safety.disclose(
        therapist,
        user,
        item_key=world.shared_item_key,
        audience=DisclosureAudience.SCHOOL,
        reason="Serious and imminent risk at school.",
    )


def _checkins(world: TeamWorld) -> None:
    """Yesterday's check-in raised an alert a therapist acknowledged with a note; today's
    raised one still open."""
    teen, user = world.member("teen"), world.team.teen
    today = checkins.local_today(user)
    for day, urge in ((today - timedelta(days=1), 5), (today, 4)):
        row = CheckIn(
            team_id=world.id,
            teen_membership_id=teen.id,
            local_date=day,
            urge=urge,
            thoughts=1,
            acted=False,
            note=world.canary("CHECKIN-NOTE"),
        )
        db.session.add(row)
        db.session.flush()
        db.session.add(
            CheckInEmotion(team_id=world.id, checkin_id=row.id, emotion="sad", intensity=3)
        )
        reasons = checkin_alerts.thresholds(world.id).reasons(urge, 1, False)
        checkin_alerts.raise_alert(teen, user, row, reasons)
    db.session.flush()
    alerts = db.session.scalars(
        select(Alert).where(Alert.team_id == world.id).order_by(Alert.id)
    ).all()
    checkin_alerts.acknowledge(
        world.member("therapist"), world.team.therapist, alerts[0], world.canary("ALERT-NOTE")
    )
    world.acknowledged_alert_id, world.alert_id = alerts[0].id, alerts[1].id


def _modules(world: TeamWorld) -> None:
    guardian_module = module_for("guardian")
    world.assignment_id = module_assignments.assign(
        world.member("therapist"),
        world.team.therapist,
        slug=guardian_module.slug,
        member_id=world.member("guardian").id,
        today=date.today(),
    ).id
    teen_module = module_for("teen")
    db.session.add(
        ModuleProgress(
            team_id=world.id,
            membership_id=world.member("teen").id,
            module_slug=teen_module.slug,
            position=2,
            answers={},
        )
    )


def _invitation_and_reset(world: TeamWorld) -> None:
    """A pending invitation and a password reset link (for the second guardian)."""
    invitation = teams.invite(
        world.member("therapist"),
        world.team.therapist,
        email=f"newcomer-{world.name.lower()}-{secrets.token_hex(3)}@example.org",
        role=Role.GUARDIAN,
    )
    world.invitation_id = invitation.id
    accounts.request_password_reset(world.team.guardian2.email, "en")
    db.session.flush()
    for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
        if message.template == "invitation" and message.to_email == invitation.email:
            world.invitation_token = message.params["token"]
        if message.template == "password_reset" and message.to_email == world.team.guardian2.email:
            world.reset_token = message.params["token"]
