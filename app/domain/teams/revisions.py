"""A care team's revision: a number that goes up, in the same transaction, whenever something
the therapist dashboard shows of the team changes. The dashboard keys its cache on the
revisions of the caller's teams, so a cached list is never older than the data it came from.

Every flush of `db.session` is watched (register(), called by create_app), so a service
cannot forget to bump: a new, changed or deleted row of a watched model bumps its team; a
person's name, time zone or erasure bumps every team they belong to; a practice's or school's
name or consent rule bumps its teams. Statements that write without the unit of work
(update()/delete() on a watched model) call touch() themselves.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import ColumnElement, Select, inspect, or_, select, update
from sqlalchemy.orm import Session, UOWTransaction

from app.db import listen_once
from app.extensions import db
from app.models import (
    Alert,
    CarePlan,
    CareTeam,
    CheckIn,
    Consent,
    ConsentSignature,
    Invitation,
    Membership,
    Organization,
    PlanAcknowledgement,
    PlanVersion,
    User,
)

# What the dashboard reads, and what of people and organizations it shows.
WATCHED = (
    Alert,
    CarePlan,
    CheckIn,
    Consent,
    ConsentSignature,
    Invitation,
    Membership,
    PlanAcknowledgement,
    PlanVersion,
)
PERSON_FIELDS = ("name", "timezone", "deleted_at")
ORGANIZATION_FIELDS = ("name", "consent_rule", "consent_teen_age")

_TEAMS = "team_revisions.teams"
_PEOPLE = "team_revisions.people"
_ORGANIZATIONS = "team_revisions.organizations"


def touch(session: Session, team_ids: Select[Any]) -> None:
    """Bumps the revisions of the teams a query names, now, in the session's transaction."""
    _bump_where(session, CareTeam.__table__.c.id.in_(team_ids))


def _bump_where(session: Session, condition: ColumnElement[bool]) -> None:
    table = CareTeam.__table__
    session.connection().execute(
        update(table).where(condition).values(revision=table.c.revision + 1)
    )


def _changed(instance: Any, fields: tuple[str, ...]) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in fields)


def register(app: Flask) -> None:
    """Watches the flushes of db.session (the one Flask-SQLAlchemy gives every app: see
    app.db.listen_once), not every Session of the process."""
    listen_once(db.session, "after_flush", _note_changes)
    listen_once(db.session, "after_flush_postexec", _bump)


def _note_changes(session: Session, _context: UOWTransaction) -> None:
    # After the flush, so a row added through a relationship has its team_id; the session
    # still lists what was new, changed and deleted, with each attribute's history.
    teams: set[int] = session.info.setdefault(_TEAMS, set())
    people: set[int] = session.info.setdefault(_PEOPLE, set())
    organizations: set[int] = session.info.setdefault(_ORGANIZATIONS, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, WATCHED):
            teams.add(instance.team_id)
        elif isinstance(instance, CareTeam):
            teams.add(instance.id)
        elif isinstance(instance, User) and _changed(instance, PERSON_FIELDS):
            people.add(instance.id)
        elif isinstance(instance, Organization) and _changed(instance, ORGANIZATION_FIELDS):
            organizations.add(instance.id)


def _bump(session: Session, _context: UOWTransaction) -> None:
    teams = session.info.pop(_TEAMS, set())
    people = session.info.pop(_PEOPLE, set())
    organizations = session.info.pop(_ORGANIZATIONS, set())
    table = CareTeam.__table__
    conditions = []
    if teams:
        conditions.append(table.c.id.in_(sorted(teams)))
    if people:
        conditions.append(
            table.c.id.in_(select(Membership.team_id).where(Membership.user_id.in_(sorted(people))))
        )
    if organizations:
        ids = sorted(organizations)
        conditions.append(or_(table.c.practice_id.in_(ids), table.c.school_id.in_(ids)))
    if conditions:
        _bump_where(session, or_(*conditions))


def revisions(team_ids: Any, session: Session) -> tuple[tuple[int, int], ...]:
    """The (team id, revision) pairs of these teams, in id order: a cache key's core."""
    return tuple(
        (team_id, revision)
        for team_id, revision in session.execute(
            select(CareTeam.id, CareTeam.revision)
            .where(CareTeam.id.in_(team_ids))
            .order_by(CareTeam.id)
        )
    )
