"""One synthetic care team for the bench seed: its people, its plan (app.seed.plans),
the consents in force, and module assignments with progress.

Rows are appended to a Chunk; nothing here touches the database.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.domain.consent.commands import TEXT_VERSION, consent_text
from app.models import Role, Scope
from app.seed.plans import add_acknowledgements, add_plan
from app.seed.rows import (
    TIMEZONE,
    VERSION_AGES,
    YEAR,
    Chunk,
    Context,
    Member,
    Practice,
    Team,
    email,
)
from app.seed.text import CONSENT_PURPOSES, FIRST_NAMES, GUARDIAN_RELATIONS, LAST_NAMES

CONSENT_SCOPES = (Scope.SCHOOL_PLAN, Scope.SCHOOL_THREAD, Scope.CHECKIN_SUMMARY)


def add_practice(chunk: Chunk, ctx: Context, number: int) -> Practice:
    """Practice p, its school and its therapist, who leads all 50 of its teams."""
    created = ctx.now - YEAR - timedelta(days=30)
    practice_id = chunk.add(
        "organization", (f"Bench Practice {number}", "practice", "US", "both", 12, created)
    )
    school_id = chunk.add(
        "organization", (f"Bench School {number}", "school", "US", "both", 12, created)
    )
    user_id = chunk.add(
        "user_account",
        (
            email("therapist", number),
            f"Dr. Bench Therapist {number}",
            ctx.password_hash,
            "en",
            TIMEZONE,
            created,
        ),
    )
    chunk.add("practice_staff", (user_id, practice_id, created))
    return Practice(practice_id, school_id, user_id)


def _person(chunk: Chunk, ctx: Context, kind: str, index: int, name: str, locale: str, at):
    return chunk.add(
        "user_account", (email(kind, index), name, ctx.password_hash, locale, TIMEZONE, at)
    )


def add_team(chunk: Chunk, ctx: Context, practice: Practice, index: int, rng) -> Team:
    """Team i: teen{i}, guardian{i} and counselor{i}, led by the practice's therapist."""
    locale = "en" if index % 2 else "es"
    created = ctx.now - YEAR - timedelta(days=1, hours=rng.randint(0, 20))
    family = rng.choice(LAST_NAMES)
    teen_first, guardian_first = rng.sample(FIRST_NAMES, 2)
    teen_name = f"{teen_first} {family}"
    teen_user = _person(chunk, ctx, "teen", index, teen_name, locale, created)
    guardian_name = f"{guardian_first} {family}"
    guardian_user = _person(chunk, ctx, "guardian", index, guardian_name, locale, created)
    counselor_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    counselor_user = _person(chunk, ctx, "counselor", index, counselor_name, locale, created)
    born = ctx.today - timedelta(days=365 * rng.randint(14, 17) + rng.randint(0, 364))
    team_id = chunk.add(
        "care_team",
        (
            practice.id,
            practice.school_id,
            teen_name,
            born,
            "active",
            practice.therapist_user_id,
            created,
        ),
    )

    def member(user_id: int, role: Role, relation: str | None) -> Member:
        return Member(
            user_id, chunk.add("membership", (user_id, team_id, role.value, relation, created))
        )

    therapist = member(practice.therapist_user_id, Role.THERAPIST, None)
    teen = member(teen_user, Role.TEEN, None)
    guardian = member(guardian_user, Role.GUARDIAN, rng.choice(GUARDIAN_RELATIONS))
    counselor = member(counselor_user, Role.SCHOOL, "School counselor")
    versions, coping_keys = add_plan(chunk, ctx, team_id, therapist, rng)
    team = Team(team_id, created, therapist, teen, guardian, counselor, versions, coping_keys)
    add_acknowledgements(chunk, ctx, team)
    names = {teen.id: teen_name, guardian.id: guardian_name, counselor.id: counselor_name}
    _consents(chunk, ctx, team, names, locale)
    _modules(chunk, ctx, team)
    return team


def _consents(chunk: Chunk, ctx: Context, team: Team, names: dict[int, str], locale: str):
    """The school plan and school thread consents naming the counselor, and the guardian's
    check-in summary: signed by the guardian and the teen (the practices' rule asks for both)
    and in force for most of a year ahead."""
    starts = ctx.today - timedelta(days=VERSION_AGES[1])
    ends = ctx.today + timedelta(days=300)
    signed = ctx.now - timedelta(days=VERSION_AGES[1])
    with force_locale(locale):
        # As the consent service names the recipients of a check-in summary.
        guardians = str(_l("the teen's parents or guardians"))
        texts = {
            scope: consent_text(
                scope,
                guardians if scope == Scope.CHECKIN_SUMMARY else names[team.counselor.id],
                names[team.teen.id],
                starts,
                ends,
                CONSENT_PURPOSES[scope.value],
            )
            for scope in CONSENT_SCOPES
        }
    for scope, text in texts.items():
        recipient = None if scope == Scope.CHECKIN_SUMMARY else team.counselor.id
        consent_id = chunk.add(
            "consent",
            (
                team.id,
                scope.value,
                recipient,
                starts,
                ends,
                CONSENT_PURPOSES[scope.value],
                TEXT_VERSION,
                text,
                team.guardian.id,
                signed,
            ),
        )
        for signer, role in ((team.guardian, Role.GUARDIAN), (team.teen, Role.TEEN)):
            chunk.add(
                "consent_signature",
                (team.id, consent_id, signer.id, role.value, names[signer.id], signed),
            )


def _modules(chunk: Chunk, ctx: Context, team: Team) -> None:
    """One module for each of teen, guardian and counselor: the guardian finished theirs, the
    teen is part way, the counselor has not started."""
    assigned = ctx.now - timedelta(days=60)
    for member, role in (
        (team.teen, Role.TEEN),
        (team.guardian, Role.GUARDIAN),
        (team.counselor, Role.SCHOOL),
    ):
        slug, best, steps = ctx.modules[role]
        chunk.add(
            "module_assignment",
            (team.id, slug, member.id, None, None, team.therapist.user_id, assigned),
        )
        if role == Role.GUARDIAN:
            done = assigned + timedelta(days=3)
            chunk.add(
                "module_progress",
                (team.id, member.id, slug, steps, best, assigned, done, done),
            )
        elif role == Role.TEEN:
            chunk.add(
                "module_progress",
                (team.id, member.id, slug, 2, {}, assigned, assigned + timedelta(days=1), None),
            )
