"""Consents the family gives for a disclosure, their signatures, and safety disclosures made
without one."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.teams import Membership, Role
from app.models.types import created_at, intpk, str_enum, team_fk


class Scope(enum.StrEnum):
    SCHOOL_PLAN = "school_plan"
    SCHOOL_THREAD = "school_thread"
    CHECKIN_SUMMARY = "checkin_summary"


class Consent(db.Model):
    __tablename__ = "consent"

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    scope: Mapped[Scope] = mapped_column(str_enum(Scope))
    # A named counselor for the school scopes; empty for checkin_summary, whose recipients
    # are the team's guardians.
    recipient_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(500))
    text_version: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    started_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL")
    )
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    signatures: Mapped[list[ConsentSignature]] = relationship(
        back_populates="consent", lazy="raise", order_by="ConsentSignature.signed_at"
    )
    recipient: Mapped[Membership | None] = relationship(
        foreign_keys=[recipient_membership_id], lazy="raise"
    )


class ConsentSignature(db.Model):
    __tablename__ = "consent_signature"
    __table_args__ = (UniqueConstraint("consent_id", "membership_id"),)

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"))
    signer_role: Mapped[Role] = mapped_column(str_enum(Role))
    typed_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[created_at]

    consent: Mapped[Consent] = relationship(back_populates="signatures", lazy="raise")
    membership: Mapped[Membership] = relationship(lazy="raise")


class DisclosureAudience(enum.StrEnum):
    FAMILY = "family"
    SCHOOL = "school"


class SafetyDisclosure(db.Model):
    """One plan item shared without a consent because a risk was serious and imminent."""

    __tablename__ = "safety_disclosure"

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    audience: Mapped[DisclosureAudience] = mapped_column(str_enum(DisclosureAudience))
    item_key: Mapped[str] = mapped_column(String(32))
    # The item as it read when shared: later edits of the plan do not change what was shown.
    text: Mapped[str] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(1000))
    created_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]
