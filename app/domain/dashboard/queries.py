"""The therapist dashboard's list of care teams, its words worked out once per row here rather
than by {% trans %} and date filters in the template (a page lists 25 teams)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import get_locale, get_translations, ngettext
from flask_babel import gettext as _

from app.domain.plans.queries import TeamPlanStatus
from app.domain.teams.queries import LedTeam
from app.platform.i18n import medium_date


@dataclass(frozen=True)
class TeamRow:
    status: TeamPlanStatus
    meta: str  # "· school · 3 members · 1 invitation waiting"
    plan: str  # "Plan version 2", or "" with no plan yet
    review: str  # "Review due …" or "Review overdue since …", or ""
    waiting: str  # "Not yet agreed or read: …", or ""


@lru_cache(maxsize=64)
def _words(translations: object) -> tuple[str, str, str, str]:
    """The row's words in one language, looked up once rather than for every team."""
    return (
        _("Plan version %(number)s"),
        _("Review overdue since %(date)s"),
        _("Review due %(date)s"),
        _("Not yet agreed or read: %(names)s"),
    )


@lru_cache(maxsize=1024)
def _members(translations: object, count: int) -> str:
    return str(ngettext("%(count)s member", "%(count)s members", count, count=count))


@lru_cache(maxsize=1024)
def _invitations(translations: object, count: int) -> str:
    return str(
        ngettext(
            "%(count)s invitation waiting", "%(count)s invitations waiting", count, count=count
        )
    )


def team_rows(statuses: list[TeamPlanStatus], led: list[LedTeam]) -> list[TeamRow]:
    translations, locale = get_translations(), str(get_locale())
    plan_of, overdue_since, due_on, waiting_for = _words(translations)
    counts = {row.team.id: (row.members, row.invitations) for row in led}
    rows = []
    for s in statuses:
        members, invites = counts[s.team.id]
        meta = [s.team.school.name] if s.team.school else []
        meta.append(_members(translations, members))
        if invites:
            meta.append(_invitations(translations, invites))
        plan = review = ""
        if s.version:
            plan = plan_of % {"number": s.version.number}
            day = medium_date(s.version.review_due, locale)
            review = (overdue_since if s.overdue else due_on) % {"date": day}
        waiting = ""
        if s.waiting_for:
            waiting = waiting_for % {"names": ", ".join(m.name for m in s.waiting_for)}
        rows.append(
            TeamRow(
                status=s,
                meta="".join(f"· {part} " for part in meta).rstrip(),
                plan=plan,
                review=review,
                waiting=waiting,
            )
        )
    return rows
