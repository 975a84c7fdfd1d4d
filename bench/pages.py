"""What the benchmark requests, and as whom. The load (locustfile.py) and the profiler
(profile.py) share it; it imports no locust, which patches the standard library for gevent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.seed.scale import TEAMS_PER_PRACTICE
from app.seed.team import email

THERAPIST, TEEN, GUARDIAN, SCHOOL = "therapist", "teen", "guardian", "school"
ROLES = (THERAPIST, TEEN, GUARDIAN, SCHOOL)

HEALTH = "health"
LOGIN = "login (POST)"
CHECKIN = "check-in submit (POST)"

CSRF_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CHECKIN_DAY = re.compile(r'name="day" value="([^"]+)"')
# On the teen's dashboard and reading list: the team's id and the teen's first module.
TEAM_LINK = re.compile(r'href="/teams/(\d+)/')
MODULE_LINK = re.compile(r'href="/modules/([a-z0-9-]+)/"')


def account(role: str, team: int) -> str:
    """The seed's account contract (app.seed.scale): one therapist leads 50 teams."""
    if role == THERAPIST:
        return email("therapist", (team - 1) // TEAMS_PER_PRACTICE + 1)
    return email("counselor" if role == SCHOOL else role, team)


@dataclass(frozen=True)
class Page:
    name: str
    role: str | None  # None: no one signed in
    path: str  # formatted with the team's id and the teen's module

    def url(self, team: str, module: str) -> str:
        return self.path.format(team=team, module=module)


GETS = (
    Page(HEALTH, None, "/health"),
    Page("therapist caseload", THERAPIST, "/therapist/"),
    Page("teen today", TEEN, "/teen/"),
    Page("plan: therapist", THERAPIST, "/therapist/teams/{team}/plan"),
    Page("plan: teen", TEEN, "/teen/plan"),
    Page("plan: guardian", GUARDIAN, "/family/plan"),
    Page("plan: school", SCHOOL, "/school/plan"),
    Page("thread (family)", GUARDIAN, "/teams/{team}/messages/family"),
    Page("module page", TEEN, "/modules/{module}/1"),
)
# Every timed page, in the order bench/run.py measures them: signing in last, because it
# replaces the sessions the other pages use.
PAGE_NAMES = (
    *(page.name for page in GETS[:3]),
    CHECKIN,
    *(page.name for page in GETS[3:]),
    LOGIN,
)


def found(pattern: re.Pattern, html: str | None, missing: str) -> str:
    match = pattern.search(html or "")
    return match.group(1) if match else missing
