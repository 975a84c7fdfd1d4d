"""The teen's record as one member (the teen, or a guardian) sees it in the app, as JSON.

Every part is read through the same policy queries and read models as the pages: the plan
through the item filter of the plan pages, check-ins through app.policy.checkins, threads
through app.policy.threads. So the file never holds more than the person can already read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.db import utcnow
from app.domain.accounts.export import FORMAT_VERSION, iso
from app.domain.audit import commands as audit
from app.domain.checkins import queries as checkin_views
from app.domain.consent import commands as consents
from app.domain.consent import safety
from app.domain.errors import NotFound
from app.domain.labels import person_name, role_label, section_title
from app.domain.plans import commands as plans
from app.domain.records import viewers as record_views
from app.domain.threads.queries import Shown, every_message
from app.extensions import db
from app.models import CheckIn, Membership, User
from app.policy import checkins as checkin_policy
from app.policy import threads as thread_policy
from app.policy.data_rights import may_export_record, reads_checkin_detail
from app.policy.plans import abilities, may_view_plan

# A bound on the "who has seen the record" pages read into one file.
MAX_VIEW_PAGES = 200


def export_record(membership: Membership, user: User) -> dict[str, Any]:
    """The document; the download is in the audit (and so in "who has seen the record")."""
    if not may_export_record(membership):
        raise NotFound()
    team = membership.team
    document = {
        "format": "harbor-record",
        "format_version": FORMAT_VERSION,
        "exported_at": iso(datetime.now(UTC)),
        "exported_by": {"name": user.name, "role": membership.role.value},
        "team": {"id": team.id, "teen_name": team.teen_name},
        "plan": _plan(membership),
        "shared_for_safety": _disclosures(membership),
        **_checkins(membership),
        "consents": _consents(membership),
        "conversations": _threads(membership),
        "record_views": _record_views(membership),
    }
    audit.record("record.export", user=user, membership=membership)
    return document


def _plan(membership: Membership) -> dict[str, Any] | None:
    current = plans.version(membership.team_id) if may_view_plan(membership) else None
    if current is None:
        return None
    show_audience = abilities(membership).see_audiences
    items: list[dict[str, Any]] = []
    for item in plans.items_for(current, membership.role):
        entry: dict[str, Any] = {
            "section": item.section.value,
            "section_title": section_title(item.section),
            "text": item.text,
            "phone": item.phone,
        }
        if show_audience:
            entry["seen_by"] = {
                "teen": item.for_teen,
                "family": item.for_family,
                "school": item.for_school,
            }
        items.append(entry)
    return {
        "version": current.number,
        "saved_at": iso(current.created_at),
        "saved_by": person_name(current.author),
        "review_due": iso(current.review_due),
        "items": items,
    }


def _disclosures(membership: Membership) -> list[dict[str, Any]]:
    """Items a therapist shared for safety without a consent, as the dashboard lists them."""
    return [
        {
            "audience": d.audience.value,
            "text": d.text,
            "phone": d.phone,
            "reason": d.reason,
            "shared_at": iso(d.created_at),
        }
        for d in safety.disclosures(membership.team_id)
    ]


def _checkins(membership: Membership) -> dict[str, Any]:
    if reads_checkin_detail(membership):
        rows = db.session.scalars(
            checkin_views.with_detail(checkin_policy.checkins(membership)).order_by(
                CheckIn.local_date
            )
        )
        names = checkin_views.coping_names(membership.team_id, membership.role)
        return {"checkins": [_entry(checkin_views.entry_view(row, names)) for row in rows]}
    summary = checkin_views.summary(membership)
    if summary is None:
        return {}
    return {
        "checkin_summary": {
            "checked_in_today": summary.checked_in_today,
            "week_average_urge": summary.week_average_urge,
        }
    }


def _entry(entry: checkin_views.EntryView) -> dict[str, Any]:
    return {
        "day": iso(entry.day),
        "urge": entry.urge,
        "thoughts_of_suicide": entry.thoughts,
        "acted_on_urge": entry.acted,
        "feelings": [{"feeling": name, "intensity": value} for name, value in entry.feelings],
        "coping_steps": [{"step": name, "helped": helped} for name, helped in entry.coping],
        "note": entry.note,
    }


def _consents(membership: Membership) -> list[dict[str, Any]]:
    team, practice = consents.team_and_practice(membership.team_id)
    return [
        {
            "scope": consent.scope.value,
            "what": consents.scope_label(consent.scope),
            "for": person_name(consent.recipient.user) if consent.recipient else None,
            "purpose": consent.purpose,
            "text": consent.text,
            "text_version": consent.text_version,
            "starts_on": iso(consent.starts_on),
            "ends_on": iso(consent.ends_on),
            "status": consents.status(consent, practice, team),
            "signatures": [
                {
                    "name": s.typed_name,
                    "role": s.signer_role.value,
                    "signed_at": iso(s.signed_at),
                }
                for s in consent.signatures
            ],
            "withdrawn_at": iso(consent.revoked_at),
        }
        for consent in consents.team_consents(membership.team_id)
    ]


def _threads(membership: Membership) -> list[dict[str, Any]]:
    now = utcnow()
    conversations = []
    for thread in thread_policy.readable_threads(membership):
        messages = every_message(membership, thread, now)
        if not messages:
            continue
        conversations.append(
            {
                "thread": thread.kind.value,
                "messages": [
                    {
                        "author": m.author_name,
                        "author_role": m.author_role.value if m.author_role else None,
                        "written_at": iso(m.created_at),
                        "edited": m.edited,
                        "shown": m.shown,
                        "text": m.body if m.shown in (Shown.TEXT, Shown.HIDDEN_TEXT) else None,
                    }
                    for m in messages
                ],
            }
        )
    return conversations


def _record_views(membership: Membership) -> list[dict[str, Any]]:
    views: list[dict[str, Any]] = []
    for page in range(1, MAX_VIEW_PAGES + 1):
        batch, more = record_views.record_views(membership, page)
        views += [
            {
                "at": iso(v.at),
                "who": v.name,
                "role": role_label(v.role) if v.role else None,
                "what": v.what,
            }
            for v in batch
        ]
        if not more:
            break
    return views
