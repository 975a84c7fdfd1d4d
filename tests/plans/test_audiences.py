"""Who is told about, and listed for, a team's records: a restricted guardian and a person who
closed their account drop out of every audience (app.policy.audiences)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from app.content.modules import Audience, library
from app.db import utcnow
from app.domain.accounts.deletion import delete_account
from app.domain.consent import safety
from app.domain.errors import ServiceError
from app.domain.modules import assignments
from app.domain.modules.queries import team_overview
from app.domain.plans import commands as plans
from app.domain.plans.queries import status_of_teams
from app.domain.teams.queries import therapist_teams
from app.domain.threads import commands as threads
from app.extensions import db
from app.models import DisclosureAudience, OutboxMessage, Role, ThreadKind, ThreadRead
from app.policy.checkins import alert_recipients
from app.policy.threads import thread_of_kind
from tests.plans.helpers import FAMILY, save


def _emailed(template: str) -> set[str]:
    return set(
        db.session.scalars(select(OutboxMessage.to_email).where(OutboxMessage.template == template))
    )


def _restrict(team, key: str = "guardian") -> None:
    safety.restrict(
        team.memberships["therapist"], team.therapist, team.memberships[key], "Court order"
    )
    db.session.commit()


def _waiting_names(team) -> list[str]:
    [status] = status_of_teams(therapist_teams(team.therapist).items)
    return [reader.name for reader in status.waiting_for]


def test_a_new_version_emails_the_readers_but_its_author(team):
    save(team)
    assert _emailed("plan_updated") == {
        team.teen.email,
        team.guardian.email,
        team.guardian2.email,
    }  # the counselor has no school-plan consent in force


def test_a_restricted_guardian_is_not_emailed_about_a_new_version(team):
    _restrict(team)
    save(team)
    emailed = _emailed("plan_updated")
    assert team.guardian.email not in emailed
    assert team.guardian2.email in emailed


def test_a_restricted_guardian_is_not_listed_as_waiting_to_read(team):
    save(team)
    assert team.guardian.name in _waiting_names(team)
    _restrict(team)
    waiting = _waiting_names(team)
    assert team.guardian.name not in waiting
    assert team.guardian2.name in waiting


def test_a_closed_account_is_neither_emailed_nor_listed_nor_counted(team):
    [before] = therapist_teams(team.therapist).items
    name, email = team.guardian2.name, team.guardian2.email
    delete_account(team.guardian2)
    db.session.commit()
    save(team)
    [after] = therapist_teams(team.therapist).items
    assert after.members == before.members - 1
    waiting = _waiting_names(team)
    assert name not in waiting
    assert team.guardian.name in waiting
    emailed = _emailed("plan_updated")
    assert email not in emailed
    assert team.guardian2.email not in emailed


def test_alerts_reach_therapists_with_an_account_only(team):
    therapist = team.memberships["therapist"]
    assert [m.id for m in db.session.scalars(alert_recipients(team.id))] == [therapist.id]
    # The last therapist cannot close their account; a closed one can only be met in old data.
    team.therapist.deleted_at = utcnow()
    db.session.commit()
    assert list(db.session.scalars(alert_recipients(team.id))) == []


def test_a_disclosure_is_never_silent_but_skips_a_restricted_guardian(team):
    version = save(team)
    _restrict(team)
    db.session.execute(delete(OutboxMessage))  # the version's own emails
    item = next(i for i in plans.items_for(version, Role.THERAPIST) if i.text == FAMILY)
    safety.disclose(
        team.memberships["therapist"],
        team.therapist,
        item_key=item.key,
        audience=DisclosureAudience.FAMILY,
        reason="Serious and imminent risk tonight",
    )
    db.session.commit()
    assert _emailed("plan_updated") == {team.teen.email, team.guardian2.email}


@pytest.mark.parametrize("restricted", [False, True], ids=["active", "restricted"])
def test_a_module_for_every_guardian_skips_a_restricted_one(team, restricted):
    if restricted:
        _restrict(team)
    slug = next(m.slug for m in library().for_audiences({Audience.GUARDIAN}, "en"))
    assignments.assign(
        team.memberships["therapist"],
        team.therapist,
        slug=slug,
        role=Role.GUARDIAN,
        today=date.today(),
    )
    db.session.commit()
    emailed = set(
        db.session.scalars(
            select(OutboxMessage.to_email).where(OutboxMessage.template != "plan_updated")
        )
    )
    assert team.guardian2.email in emailed
    assert (team.guardian.email in emailed) is not restricted


def test_a_restricted_guardian_cannot_be_assigned_a_module_by_name(team):
    _restrict(team)
    slug = next(m.slug for m in library().for_audiences({Audience.GUARDIAN}, "en"))
    overview = team_overview(team.memberships["therapist"], "en")
    offered = {m.id for m in overview.assignees}
    assert team.memberships["guardian"].id not in offered
    assert team.memberships["guardian2"].id in offered
    with pytest.raises(ServiceError):
        assignments.assign(
            team.memberships["therapist"],
            team.therapist,
            slug=slug,
            member_id=team.memberships["guardian"].id,
            today=date.today(),
        )


def test_a_new_message_tells_nobody_whose_account_is_closed(team):
    delete_account(team.guardian2)
    db.session.commit()
    teen = team.memberships["teen"]
    threads.post(teen, team.teen, thread_of_kind(teen, ThreadKind.FAMILY.slug), "Hello everyone")
    db.session.commit()
    told = db.session.scalars(select(ThreadRead.membership_id)).all()
    assert team.memberships["guardian2"].id not in told
    assert team.memberships["guardian"].id in told
