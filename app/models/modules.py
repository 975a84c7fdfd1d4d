"""Who should read which psychoeducation module, and how far each person got.

The modules themselves are files (app/content/modules/); rows name them by slug.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db
from app.models.teams import Membership, Role
from app.models.types import created_at, intpk, str_enum, team_fk

slug_str = String(80)


class ModuleAssignment(db.Model):
    """A module the therapist asked one member, or everyone with a role on the team, to read."""

    __tablename__ = "module_assignment"
    __table_args__ = (
        CheckConstraint("(membership_id IS NULL) <> (role IS NULL)", name="member_or_role"),
    )

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    module_slug: Mapped[str] = mapped_column(slug_str)
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role | None] = mapped_column(str_enum(Role))
    due_on: Mapped[date | None] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[created_at]

    membership: Mapped[Membership | None] = relationship(lazy="raise")

    def is_for(self, member: Membership) -> bool:
        if self.team_id != member.team_id:
            return False
        return self.membership_id == member.id or (
            self.membership_id is None and self.role == member.role
        )


class ModuleProgress(db.Model):
    """One member's reading of one module: where to resume, their answers, when they finished."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("membership_id", "module_slug"),)

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(slug_str)
    # The step (page) to resume at, counted from 1: sections first, then scenarios.
    position: Mapped[int] = mapped_column(Integer, default=1)
    # Scenario id -> the number (from 1) of the option last chosen.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)

    membership: Mapped[Membership] = relationship(lazy="raise")
