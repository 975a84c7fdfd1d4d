"""The bench seed's building blocks: the rows of one chunk, table by table, as plain tuples,
and what the parts of a seeded team need to know of each other.

Ids are handed out here rather than by the database, so a check-in's emotions can point at it
before anything is written and every table can be written in one bulk statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.models import Role

# Reserved like .test (RFC 2606), but .test is refused by the sign-in form's email check.
DOMAIN = "bench.harbor.example"
TIMEZONE = "America/New_York"
YEAR = timedelta(days=365)
# The days before today each plan version was saved: a year of history, the latest a month old.
VERSION_AGES = (366, 200, 30)

# The columns the seed fills, in the order of its tuples; the others stay NULL.
COLUMNS: dict[str, tuple[str, ...]] = {
    "user_account": (
        "id", "email", "name", "password_hash", "locale", "timezone", "created_at",
    ),
    "organization": (
        "id", "name", "kind", "country", "consent_rule", "consent_teen_age", "created_at",
    ),
    "practice_staff": ("id", "user_id", "organization_id", "created_at"),
    "care_team": (
        "id", "practice_id", "school_id", "teen_name", "teen_birth_date", "status",
        "created_by_id", "created_at",
    ),
    "membership": ("id", "user_id", "team_id", "role", "relation_label", "created_at"),
    "care_plan": ("id", "team_id", "current_number", "created_at"),
    "plan_version": (
        "id", "team_id", "plan_id", "number", "author_id", "review_due", "created_at",
    ),
    "plan_item": (
        "id", "team_id", "version_id", "key", "section", "position", "text", "phone",
        "for_teen", "for_family", "for_school",
    ),
    "plan_acknowledgement": ("id", "team_id", "version_id", "membership_id", "kind", "created_at"),
    "consent": (
        "id", "team_id", "scope", "recipient_membership_id", "starts_on", "ends_on", "purpose",
        "text_version", "text", "started_by_membership_id", "created_at",
    ),
    "consent_signature": (
        "id", "team_id", "consent_id", "membership_id", "signer_role", "typed_name", "signed_at",
    ),
    "thread": ("id", "team_id", "kind", "teen_included", "created_at"),
    "message": ("id", "team_id", "thread_id", "author_membership_id", "body", "created_at"),
    "thread_read": (
        "id", "team_id", "thread_id", "membership_id", "last_read_message_id",
        "last_notified_at",
    ),
    "module_assignment": (
        "id", "team_id", "module_slug", "membership_id", "role", "due_on", "assigned_by_id",
        "created_at",
    ),
    "module_progress": (
        "id", "team_id", "membership_id", "module_slug", "position", "answers", "started_at",
        "updated_at", "completed_at",
    ),
    "checkin": (
        "id", "team_id", "teen_membership_id", "local_date", "urge", "thoughts", "acted", "note",
        "created_at", "updated_at",
    ),
    "checkin_emotion": ("id", "team_id", "checkin_id", "emotion", "intensity"),
    "checkin_coping": ("id", "team_id", "checkin_id", "item_key", "helped"),
    "checkin_alert": (
        "id", "team_id", "checkin_id", "reasons", "created_at", "acknowledged_at",
        "acknowledged_by_membership_id", "note",
    ),
    "access_event": (
        "id", "at", "user_id", "membership_id", "team_id", "action", "target_type", "target_id",
        "detail",
    ),
}  # fmt: skip


class Chunk:
    """Rows waiting to be written together; `next_ids` carries on from chunk to chunk."""

    def __init__(self, next_ids: dict[str, int]) -> None:
        self.next_ids = next_ids
        self.rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}

    def take(self, table: str, count: int = 1) -> int:
        """The first of `count` fresh ids for `table`."""
        first = self.next_ids[table]
        self.next_ids[table] = first + count
        return first

    def add(self, table: str, row: tuple) -> int:
        """Appends a row whose first field is a fresh id, filled in here; returns the id."""
        row_id = self.take(table)
        self.rows[table].append((row_id, *row))
        return row_id


def email(kind: str, number: int) -> str:
    """The account naming contract: therapist{p}, teen{i}, guardian{i}, counselor{i}."""
    return f"{kind}{number}@{DOMAIN}"


@dataclass(frozen=True)
class Context:
    """What every team of a run shares."""

    now: datetime  # naive UTC
    today: date  # the teens' local day: the year of check-ins ends the day before
    password_hash: str
    # Per role: the module assigned, its scenario ids, best answers and number of steps.
    modules: dict[Role, tuple[str, dict[str, int], int]]


@dataclass(frozen=True)
class Practice:
    id: int
    school_id: int
    therapist_user_id: int


@dataclass(frozen=True)
class Member:
    user_id: int
    id: int  # the membership


@dataclass(frozen=True)
class Team:
    """What the year of activity needs to know of a seeded team."""

    id: int
    created_at: datetime
    therapist: Member
    teen: Member
    guardian: Member
    counselor: Member
    versions: tuple[int, ...]  # plan version ids, oldest first
    coping_keys: tuple[str, ...]
