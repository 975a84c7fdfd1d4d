"""A seeded team's care plan: three versions of about twenty lines, and who agreed to or read
which version."""

from __future__ import annotations

from datetime import timedelta

from app.models import AckKind, Section
from app.seed.rows import VERSION_AGES, Chunk, Context, Member, Team
from app.seed.text import PLAN_LINES

# How many lines of each section a team's plan has.
SECTION_SIZES = {
    Section.WARNING_SIGNS: 3,
    Section.COPING_ALONE: 2,
    Section.DISTRACTIONS: 2,
    Section.HELP_PEOPLE: 2,
    Section.PROFESSIONALS: 2,
    Section.SAFER_SURROUNDINGS: 1,
    Section.REASONS: 2,
    Section.COPING_STEPS: 3,
    Section.GOALS: 2,
    Section.FAMILY_HELP: 2,
    Section.SCHOOL_PLAN: 2,
    Section.CLINICAL_NOTES: 1,
}
LATE_SECTIONS = (Section.GOALS, Section.FAMILY_HELP)


def add_plan(chunk: Chunk, ctx: Context, team_id: int, therapist: Member, rng):
    """Three versions: the first without the school part or the two latest additions, the
    second with the school part, the third with everything and one line reworded."""
    lines = []
    for section, size in SECTION_SIZES.items():
        for text, audiences, phone in rng.sample(PLAN_LINES[section], size):
            key = f"{rng.getrandbits(64):016x}"
            # Some teens keep a line to themselves that others share with the family.
            if audiences == ("teen", "family") and rng.random() < 0.2:
                audiences = ("teen",)
            lines.append([section, key, text, phone, audiences])
    # A goal and a family-help line were added last.
    late = {next(line[1] for line in lines if line[0] == s) for s in LATE_SECTIONS}
    reworded = lines[0][1]
    drafts = (
        [line for line in lines if line[0] != Section.SCHOOL_PLAN and line[1] not in late],
        [line for line in lines if line[1] not in late],
        lines,
    )
    plan_id = chunk.add("care_plan", (team_id, len(drafts), ctx.now - timedelta(days=366)))
    version_ids = []
    for number, draft in enumerate(drafts, start=1):
        saved = ctx.now - timedelta(days=VERSION_AGES[number - 1])
        version_id = chunk.add(
            "plan_version",
            (team_id, plan_id, number, therapist.user_id, saved.date() + timedelta(90), saved),
        )
        version_ids.append(version_id)
        for position, (section, key, text, phone, audiences) in enumerate(draft):
            if key == reworded and number == len(drafts):
                text = f"{text}, most of all after a hard day"
            chunk.add(
                "plan_item",
                (
                    team_id,
                    version_id,
                    key,
                    section.value,
                    position,
                    text,
                    phone,
                    "teen" in audiences,
                    "family" in audiences,
                    "school" in audiences,
                ),
            )
        chunk.add(
            "access_event",
            (
                saved,
                therapist.user_id,
                therapist.id,
                team_id,
                "plan.save",
                "plan_version",
                version_id,
                {"number": number},
            ),
        )
    steps = tuple(line[1] for line in lines if line[0] == Section.COPING_STEPS)
    return tuple(version_ids), steps


def add_acknowledgements(chunk: Chunk, ctx: Context, team: Team) -> None:
    """The teen agreed to and the guardian read every version; the counselor read the second,
    so the latest is still waiting for them."""
    readers = (
        (team.teen, AckKind.AGREED, (1, 2, 3)),
        (team.guardian, AckKind.READ, (1, 2, 3)),
        (team.counselor, AckKind.READ, (2,)),
    )
    for member, kind, numbers in readers:
        for number in numbers:
            at = ctx.now - timedelta(days=VERSION_AGES[number - 1] - 2)
            version_id = team.versions[number - 1]
            chunk.add("plan_acknowledgement", (team.id, version_id, member.id, kind.value, at))
