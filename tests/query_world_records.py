"""The second half of a query world's batch: conversations, lessons, consents, the audit,
invitations, sessions and safety disclosures (tests.query_world builds the rest)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from app.content.modules import Audience, library
from app.db import utcnow
from app.domain.audit import commands as audit
from app.domain.records.viewers import VIEW_ACTIONS
from app.extensions import db
from app.models import (
    Consent,
    ConsentSignature,
    Invitation,
    Membership,
    Message,
    ModuleAssignment,
    ModuleProgress,
    PlanItem,
    Role,
    SafetyDisclosure,
    Scope,
    Thread,
    ThreadKind,
    ThreadRead,
    UserSession,
)
from app.platform.tokens import new_token
from tests.factories import Team

if TYPE_CHECKING:
    from tests.query_world import World

READERS = ("teen", "guardian", "school")


def _thread(team: Team, kind: ThreadKind) -> Thread:
    thread = db.session.scalars(
        db.select(Thread).where(Thread.team_id == team.id, Thread.kind == kind)
    ).first()
    if thread is None:
        thread = Thread(team_id=team.id, kind=kind, teen_included=kind == ThreadKind.SCHOOL)
        db.session.add(thread)
        db.session.flush()
    return thread


def threads(world: World, n: int) -> None:
    """Every thread kind gets messages by several members (one hidden, one deleted); each
    member has read part of each."""
    team = world.team
    authors = {
        ThreadKind.CARE_TEAM: ("therapist", "teen", "guardian", "school"),
        ThreadKind.FAMILY: ("therapist", "teen", "guardian"),
        ThreadKind.TEEN_THERAPIST: ("therapist", "teen"),
        ThreadKind.SCHOOL: ("therapist", "guardian", "school", "teen"),
    }
    for kind, keys in authors.items():
        thread = _thread(team, kind)
        written = []
        for round_ in range(3):
            for key in keys:
                message = Message(
                    team_id=team.id,
                    thread_id=thread.id,
                    author_membership_id=team.memberships[key].id,
                    body=f"Message {round_} by {key}, batch {n}",
                )
                db.session.add(message)
                db.session.flush()
                written.append(message)
                if kind == ThreadKind.CARE_TEAM:
                    world.messages[key] = message.id
        written[0].hidden_at = utcnow()
        written[0].hidden_by_membership_id = team.memberships["therapist"].id
        written[0].hidden_reason = "Off topic"
        written[1].deleted_at = utcnow()
        written[1].body = ""
        for key in keys:
            _read_up_to(team, thread, team.memberships[key], written[len(written) // 2].id)


def _read_up_to(team: Team, thread: Thread, member: Membership, message_id: int) -> None:
    marker = db.session.scalars(
        db.select(ThreadRead).where(
            ThreadRead.thread_id == thread.id, ThreadRead.membership_id == member.id
        )
    ).first()
    if marker is None:
        marker = ThreadRead(team_id=team.id, thread_id=thread.id, membership_id=member.id)
        db.session.add(marker)
    marker.last_read_message_id = message_id


def modules(team: Team, n: int) -> None:
    """Per batch: each reader's role is assigned a module by role and one by name; each has
    read part of one and finished another."""
    shelf = library().all("en")
    for key, audience in (
        ("teen", Audience.TEEN),
        ("guardian", Audience.GUARDIAN),
        ("school", Audience.SCHOOL),
    ):
        member = team.memberships[key]
        mine = [m for m in shelf if m.audience == audience]
        first, second = mine[(2 * n - 2) % len(mine)], mine[(2 * n - 1) % len(mine)]
        db.session.add(ModuleAssignment(team_id=team.id, module_slug=first.slug, role=member.role))
        db.session.add(
            ModuleAssignment(
                team_id=team.id,
                module_slug=second.slug,
                membership_id=member.id,
                due_on=date.today() + timedelta(days=7 * n),
            )
        )
        for module, finished in ((first, False), (second, True)):
            if db.session.scalars(
                db.select(ModuleProgress).where(
                    ModuleProgress.membership_id == member.id,
                    ModuleProgress.module_slug == module.slug,
                )
            ).first():
                continue
            db.session.add(
                ModuleProgress(
                    team_id=team.id,
                    membership_id=member.id,
                    module_slug=module.slug,
                    position=2,
                    answers={s.id: 1 for s in module.scenarios},
                    completed_at=utcnow() if finished else None,
                )
            )


def _consent(team: Team, scope: Scope, recipient: Membership | None, **extra) -> Consent:
    consent = Consent(
        team_id=team.id,
        scope=scope,
        recipient_membership_id=recipient.id if recipient else None,
        starts_on=date.today() - timedelta(days=1),
        ends_on=date.today() + timedelta(days=90),
        purpose="So the team can work together.",
        text_version="test",
        text="I agree.",
        **extra,
    )
    db.session.add(consent)
    db.session.flush()
    for key in ("guardian", "teen"):
        member = team.memberships[key]
        db.session.add(
            ConsentSignature(
                team_id=team.id,
                consent_id=consent.id,
                membership_id=member.id,
                signer_role=member.role,
                typed_name=team.users[key].name,
            )
        )
    return consent


def consents(world: World, n: int) -> None:
    """Every scope in force for the batch's counselor (and the guardians' check-in summary),
    and one withdrawn."""
    team = world.team
    counselors = [team.memberships[f"school-{n}"]]
    if n == 1:
        counselors.append(team.memberships["school"])
    for school in counselors:
        for scope in (Scope.SCHOOL_PLAN, Scope.SCHOOL_THREAD):
            consent = _consent(team, scope, school)
            world.consent_id = world.consent_id or consent.id
        _consent(team, Scope.SCHOOL_PLAN, school, revoked_at=utcnow())
    _consent(team, Scope.CHECKIN_SUMMARY, None)


def audit_events(team: Team) -> None:
    for key in (*READERS, "guardian2"):
        for action in VIEW_ACTIONS:
            audit.record(
                action, user=team.users[key], membership=team.memberships[key], page="current"
            )


def invitations_sessions_disclosures(team: Team, n: int) -> None:
    for index in range(2):
        db.session.add(
            Invitation(
                team_id=team.id,
                email=f"invited{n}-{index}@example.org",
                role=Role.GUARDIAN,
                token_hash=new_token()[1],
                expires_at=utcnow() + timedelta(days=7 - 8 * index),  # one has expired
                invited_by_id=team.therapist.id,
            )
        )
    for user in team.users.values():
        for _ in range(2):
            db.session.add(
                UserSession(user_id=user.id, token_hash=new_token()[1], user_agent=f"Browser {n}")
            )
    item = db.session.scalars(
        db.select(PlanItem).where(PlanItem.team_id == team.id).order_by(PlanItem.id.desc())
    ).first()
    for audience in ("family", "school"):
        db.session.add(
            SafetyDisclosure(
                team_id=team.id,
                audience=audience,
                item_key=item.key,
                text=item.text,
                reason="A serious and imminent risk.",
                created_by_membership_id=team.memberships["therapist"].id,
            )
        )
