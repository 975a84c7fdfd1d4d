"""A seeded team's conversations: the four threads, 200 messages spread over the year (most of
them in the family thread, the benchmark's long thread) and each reader's marker, a few
messages short of the end so every member has something unread."""

from __future__ import annotations

from datetime import timedelta

from app.models import ThreadKind
from app.seed.rows import YEAR, Chunk, Context, Member, Team
from app.seed.text import MESSAGES

# Messages per thread: 200 in all.
SIZES = {
    ThreadKind.FAMILY: 170,
    ThreadKind.CARE_TEAM: 14,
    ThreadKind.TEEN_THERAPIST: 10,
    ThreadKind.SCHOOL: 6,
}
UNREAD = 2


def _speakers(team: Team, kind: ThreadKind) -> tuple[Member, ...]:
    """Who writes in, and reads, each kind (the counselor through the consents in force)."""
    return {
        ThreadKind.FAMILY: (team.therapist, team.teen, team.guardian),
        ThreadKind.CARE_TEAM: (team.therapist, team.guardian, team.teen, team.counselor),
        ThreadKind.TEEN_THERAPIST: (team.therapist, team.teen),
        ThreadKind.SCHOOL: (team.counselor, team.guardian, team.therapist),
    }[kind]


def add_threads(chunk: Chunk, ctx: Context, team: Team, rng) -> dict[ThreadKind, int]:
    """The team's threads by kind. The teen has not joined the school thread."""
    ids = {}
    messages = chunk.rows["message"]
    for kind, size in SIZES.items():
        thread_id = chunk.add("thread", (team.id, kind.value, False, team.created_at))
        ids[kind] = thread_id
        speakers = _speakers(team, kind)
        bodies = MESSAGES[kind.value]
        first = chunk.take("message", size)
        step = YEAR / (size + 1)
        start = ctx.now - YEAR
        for number in range(size):
            author = speakers[rng.randrange(len(speakers))]
            at = start + step * (number + 1) + timedelta(minutes=rng.randrange(120))
            body = bodies[rng.randrange(len(bodies))]
            messages.append((first + number, team.id, thread_id, author.id, body, at))
        last_read = first + size - 1 - UNREAD
        for reader in speakers:
            chunk.add("thread_read", (team.id, thread_id, reader.id, last_read, at))
    return ids
