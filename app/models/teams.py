"""Practices and schools, care teams, who is on them, and the invitations to join."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import created_at, email_str, intpk, str200, str_enum, team_fk, token_hash
from app.models.users import User


class Role(enum.StrEnum):
    THERAPIST = "therapist"
    GUARDIAN = "guardian"
    TEEN = "teen"
    SCHOOL = "school"


class OrgKind(enum.StrEnum):
    PRACTICE = "practice"
    SCHOOL = "school"


class ConsentRule(enum.StrEnum):
    GUARDIAN = "guardian"
    TEEN = "teen"
    BOTH = "both"


class TeamStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[intpk]
    name: Mapped[str200]
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind))
    # ISO 3166-1 alpha-2; picks the crisis lines shown to the team.
    country: Mapped[str] = mapped_column(String(2))
    consent_rule: Mapped[ConsentRule] = mapped_column(
        str_enum(ConsentRule), default=ConsentRule.BOTH
    )
    consent_teen_age: Mapped[int] = mapped_column(Integer, default=12)
    created_at: Mapped[created_at]


class PracticeStaff(db.Model):
    """A therapist of a practice; lets them open teams before any team exists."""

    __tablename__ = "practice_staff"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[created_at]

    organization: Mapped[Organization] = relationship(lazy="raise")


class CareTeam(db.Model):
    __tablename__ = "care_team"

    id: Mapped[intpk]
    practice_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    teen_name: Mapped[str200]
    teen_birth_date: Mapped[date] = mapped_column(Date)
    status: Mapped[TeamStatus] = mapped_column(str_enum(TeamStatus), default=TeamStatus.ACTIVE)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]
    # Goes up, in the same transaction, whenever something the therapist dashboard shows of
    # the team changes (app/domain/teams/revisions.py). Never loaded with the team: only the
    # dashboard's cache key reads it.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0", deferred=True)

    practice: Mapped[Organization] = relationship(foreign_keys=[practice_id], lazy="raise")
    school: Mapped[Organization | None] = relationship(foreign_keys=[school_id], lazy="raise")
    memberships: Mapped[list[Membership]] = relationship(back_populates="team", lazy="raise")


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "team_id"),
        # One teen per team, enforced by the database as well as by the service.
        Index(
            "uq_membership_one_teen",
            "team_id",
            unique=True,
            sqlite_where=db.text("role = 'teen'"),
            postgresql_where=db.text("role = 'teen'"),
        ),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = team_fk()
    role: Mapped[Role] = mapped_column(str_enum(Role))
    # How this person is related to the teen, in their own words ("Mum", "Grade counselor").
    relation_label: Mapped[str | None] = mapped_column(String(80))
    # A therapist may restrict a guardian (a court order, say): recorded with its reason.
    restricted_at: Mapped[datetime | None] = mapped_column(DateTime)
    restricted_reason: Mapped[str | None] = mapped_column(String(1000))
    restricted_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    team: Mapped[CareTeam] = relationship(back_populates="memberships", lazy="raise")


class Invitation(db.Model):
    __tablename__ = "invitation"

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    email: Mapped[email_str]
    role: Mapped[Role] = mapped_column(str_enum(Role))
    relation_label: Mapped[str | None] = mapped_column(String(80))
    token_hash: Mapped[token_hash]
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    last_sent_at: Mapped[created_at]
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[created_at]

    team: Mapped[CareTeam] = relationship(lazy="raise")

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
