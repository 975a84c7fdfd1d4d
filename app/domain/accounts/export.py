"""A person's own account data, as one JSON document they download.

It holds what the person gave or did: never another person's private data, and never a
secret (password hash, two-factor secret, recovery codes, session or reset tokens)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask_babel import get_locale
from sqlalchemy import select

from app.content.modules import library
from app.domain.audit import commands as audit
from app.extensions import db
from app.models import (
    AccessEvent,
    CareTeam,
    Consent,
    ConsentSignature,
    Membership,
    Message,
    ModuleProgress,
    PlanAcknowledgement,
    PlanVersion,
    Thread,
    User,
    UserSession,
)
from app.policy import memberships_of
from app.policy.threads import is_deleted, text_readable

FORMAT_VERSION = 1


def iso(value: datetime | date | None) -> str | None:
    """Times are stored in UTC without a zone; the file says so."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat() if value.tzinfo is None else value.isoformat()
    return value.isoformat()


def export_account(user: User) -> dict[str, Any]:
    """The document; the download is in the audit, without its contents."""
    memberships = memberships_of(user)
    document = {
        "format": "harbor-account",
        "format_version": FORMAT_VERSION,
        "exported_at": iso(datetime.now(UTC)),
        "profile": {
            "name": user.name,
            "email": user.email,
            "language": user.locale,
            "time_zone": user.timezone,
            "created_at": iso(user.created_at),
            "two_factor_on": user.mfa_enabled_at is not None,
        },
        "memberships": [_membership(m) for m in memberships],
        "sessions": _sessions(user),
        "messages": _messages(memberships),
        "modules": _modules(memberships),
        "acknowledgements": _acknowledgements(memberships),
        "consents_signed": _signatures(memberships),
        "activity": _activity(user),
    }
    audit.record("account.export", user=user)
    return document


def _membership(membership: Membership) -> dict[str, Any]:
    team: CareTeam = membership.team
    return {
        "id": membership.id,
        "team": {"id": team.id, "teen_name": team.teen_name, "status": team.status.value},
        "role": membership.role.value,
        "relation": membership.relation_label,
        "joined_at": iso(membership.created_at),
    }


def _sessions(user: User) -> list[dict[str, Any]]:
    records = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    )
    return [
        {
            "signed_in_at": iso(r.created_at),
            "last_active_at": iso(r.last_seen_at),
            "ended_at": iso(r.ended_at),
            "browser": r.user_agent,
        }
        for r in records
    ]


def _messages(memberships: list[Membership]) -> list[dict[str, Any]]:
    """What the person wrote, as they read it in the app: a message they deleted, or one a
    therapist hid from everyone else, shows without its text (to its author too)."""
    by_id = {m.id: m for m in memberships}
    rows = db.session.execute(
        select(Message, Thread.kind)
        .join(Thread, Thread.id == Message.thread_id)
        .where(Message.author_membership_id.in_(by_id))
        .order_by(Message.id)
    ).all()
    written = []
    for message, kind in rows:
        if message.author_membership_id is None:
            continue  # not written by any of them (the statement asks for no other)
        member = by_id[message.author_membership_id]
        readable = text_readable(member, message)
        written.append(
            {
                "team_id": message.team_id,
                "thread": kind.value,
                "written_at": iso(message.created_at),
                "edited_at": iso(message.edited_at),
                "deleted": is_deleted(message),
                "hidden_by_therapist": message.hidden_at is not None,
                "text": message.body if readable else None,
            }
        )
    return written


def _modules(memberships: list[Membership]) -> list[dict[str, Any]]:
    locale = str(get_locale() or "en")
    progress = db.session.scalars(
        select(ModuleProgress)
        .where(ModuleProgress.membership_id.in_([m.id for m in memberships]))
        .order_by(ModuleProgress.id)
    )
    shelf = library()
    read = []
    for row in progress:
        module = shelf.get(row.module_slug, locale)
        answers = []
        for scenario_id, option in sorted((row.answers or {}).items()):
            scenario = module.scenario(scenario_id) if module else None
            chosen = scenario.option(option) if scenario else None
            answers.append(
                {
                    "question": scenario.prompt if scenario else scenario_id,
                    "answer": chosen.text if chosen else option,
                }
            )
        read.append(
            {
                "team_id": row.team_id,
                "module": module.title if module else row.module_slug,
                "started_at": iso(row.started_at),
                "finished_at": iso(row.completed_at),
                "answers": answers,
            }
        )
    return read


def _acknowledgements(memberships: list[Membership]) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(PlanAcknowledgement, PlanVersion.number)
        .join(PlanVersion, PlanVersion.id == PlanAcknowledgement.version_id)
        .where(PlanAcknowledgement.membership_id.in_([m.id for m in memberships]))
        .order_by(PlanAcknowledgement.id)
    ).all()
    return [
        {
            "team_id": ack.team_id,
            "plan_version": number,
            "kind": ack.kind.value,
            "at": iso(ack.created_at),
        }
        for ack, number in rows
    ]


def _signatures(memberships: list[Membership]) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(ConsentSignature, Consent)
        .join(Consent, Consent.id == ConsentSignature.consent_id)
        .where(ConsentSignature.membership_id.in_([m.id for m in memberships]))
        .order_by(ConsentSignature.id)
    ).all()
    return [
        {
            "team_id": consent.team_id,
            "scope": consent.scope.value,
            "purpose": consent.purpose,
            "text": consent.text,
            "text_version": consent.text_version,
            "starts_on": iso(consent.starts_on),
            "ends_on": iso(consent.ends_on),
            "signed_as": signature.signer_role.value,
            "typed_name": signature.typed_name,
            "signed_at": iso(signature.signed_at),
            "withdrawn_at": iso(consent.revoked_at),
        }
        for signature, consent in rows
    ]


def _activity(user: User) -> list[dict[str, Any]]:
    """What the person did, from the audit. Details hold no clinical text by rule, and only
    ids of the records acted on."""
    events = db.session.scalars(
        select(AccessEvent).where(AccessEvent.user_id == user.id).order_by(AccessEvent.id)
    )
    return [
        {
            "at": iso(event.at),
            "action": event.action,
            "team_id": event.team_id,
            "record": event.target_type,
            "record_id": event.target_id,
            "detail": event.detail or {},
        }
        for event in events
    ]
