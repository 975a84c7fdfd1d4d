"""A synthetic data set at scale for benchmarks (`flask seed --teams N`).

The account contract the load tests rely on (p and i count from 1):
- practice p (one per 50 teams) has therapist{p}@bench.harbor.example, who leads its 50 teams;
- team i has teen{i}, guardian{i} and counselor{i} @bench.harbor.example; one school per 50 teams;
- every account signs in with the one password given, without two-factor.

Written in chunks of teams, one transaction each, so memory stays flat and an interrupted run
keeps the teams it finished. Nothing else should write to the database meanwhile: the seed
hands out ids itself.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.content.modules import library
from app.db import utcnow
from app.domain.accounts.passwords import hash_password, password_problem
from app.domain.checkins.commands import today_in
from app.domain.errors import ServiceError
from app.extensions import db
from app.models import CareTeam, Role, User
from app.seed.days import add_year, year_before
from app.seed.rows import DOMAIN, TIMEZONE, Chunk, Context, Practice, email
from app.seed.team import add_practice, add_team
from app.seed.threads import add_threads
from app.seed.writer import next_ids, settle, write

TEAMS_PER_PRACTICE = 50
CHUNK_TEAMS = 100
# A module for each reader, so each role has a module page to open.
MODULES = {
    Role.TEEN: "riding-the-wave",
    Role.GUARDIAN: "listen-first",
    Role.SCHOOL: "plan-at-school",
}


@dataclass
class Summary:
    first_team: int
    teams: int
    users: int = 0
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def existing_teams() -> int:
    """How many bench teams the database holds (they are numbered from 1 without gaps)."""
    return db.session.scalar(select(func.count()).where(User.email.like(f"teen%@{DOMAIN}"))) or 0


def seed(
    teams: int,
    *,
    password: str,
    random_seed: int = 0,
    append: bool = False,
    on_chunk: Callable[[int], None] = lambda done: None,
) -> Summary:
    """Adds `teams` bench teams, committing every CHUNK_TEAMS; on_chunk(teams) after each."""
    started = time.perf_counter()
    problem = password_problem(password)
    if problem:
        raise ServiceError(problem, "password")
    already = existing_teams()
    if already and not append:
        raise ServiceError(
            f"The database already holds {already} bench teams; pass --append to add more."
        )
    now = utcnow()
    ctx = Context(
        now=now,
        today=today_in(TIMEZONE),
        password_hash=hash_password(password),
        modules=_modules(),
    )
    days = year_before(ctx.today)
    practices = _existing_practices(already)
    ids = next_ids(db.session.connection())
    summary = Summary(first_team=already + 1, teams=teams)
    for start in range(already + 1, already + teams + 1, CHUNK_TEAMS):
        stop = min(start + CHUNK_TEAMS, already + teams + 1)
        chunk = Chunk(ids)
        for index in range(start, stop):
            # One generator per team: team i is the same whatever the chunking or --append.
            rng = random.Random(f"{random_seed}:{index}")  # noqa: S311 - synthetic data
            number = (index - 1) // TEAMS_PER_PRACTICE + 1
            if number not in practices:
                practices[number] = add_practice(chunk, ctx, number)
            team = add_team(chunk, ctx, practices[number], index, rng)
            add_year(chunk, team, add_threads(chunk, ctx, team, rng), days, rng)
        write(db.session.connection(), chunk)
        # Commits as it goes, on purpose (the bench seeder runs outside any request): a chunk
        # at a time keeps the transaction, and SQLite's journal, small.
        db.session.commit()
        summary.rows.update({table: len(rows) for table, rows in chunk.rows.items()})
        on_chunk(stop - start)
    settle(db.engine)
    summary.users = summary.rows["user_account"]
    summary.seconds = time.perf_counter() - started
    return summary


def _modules() -> dict[Role, tuple[str, dict[str, int], int]]:
    found = {}
    for role, slug in MODULES.items():
        module = library().get(slug, "en")
        if module is None:
            raise ServiceError(f"The bench seed names an unknown module: {slug}")
        best = {scenario.id: scenario.best for scenario in module.scenarios}
        found[role] = (slug, best, module.step_count)
    return found


def _existing_practices(teams: int) -> dict[int, Practice]:
    """The last practice when it has room left, so an --append run fills it up first."""
    number = (teams - 1) // TEAMS_PER_PRACTICE + 1
    if teams == 0 or teams % TEAMS_PER_PRACTICE == 0:
        return {}
    therapist = db.session.scalars(
        select(User).where(User.email == email("therapist", number))
    ).one()
    team = db.session.execute(
        select(CareTeam.practice_id, CareTeam.school_id)
        .where(CareTeam.created_by_id == therapist.id)
        .limit(1)
    ).one()
    return {number: Practice(team.practice_id, team.school_id, therapist.id)}
