"""The care plan: numbered versions, each a full snapshot of its items, and who read which."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import created_at, intpk, str_enum, team_fk
from app.models.users import User


class Section(enum.StrEnum):
    """Sections 1-7 follow the steps of the Stanley-Brown safety planning method, in
    Harbor's own words; 8-12 are the wider care plan."""

    WARNING_SIGNS = "warning_signs"
    COPING_ALONE = "coping_alone"
    DISTRACTIONS = "distractions"
    HELP_PEOPLE = "help_people"
    PROFESSIONALS = "professionals"
    SAFER_SURROUNDINGS = "safer_surroundings"
    REASONS = "reasons"
    COPING_STEPS = "coping_steps"
    GOALS = "goals"
    FAMILY_HELP = "family_help"
    SCHOOL_PLAN = "school_plan"
    CLINICAL_NOTES = "clinical_notes"


class AckKind(enum.StrEnum):
    AGREED = "agreed"  # the teen agrees to the plan
    READ = "read"  # guardians and counselors acknowledge their part


class CarePlan(db.Model):
    __tablename__ = "care_plan"

    id: Mapped[intpk]
    team_id: Mapped[int] = mapped_column(
        ForeignKey("care_team.id", ondelete="CASCADE"), unique=True
    )
    # The optimistic lock: a save names the number it started from and must still match it.
    current_number: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[created_at]


class PlanVersion(db.Model):
    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    plan_id: Mapped[int] = mapped_column(ForeignKey("care_plan.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    review_due: Mapped[date] = mapped_column(Date)
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship(lazy="raise")
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="version", lazy="raise", order_by="(PlanItem.section, PlanItem.position)"
    )


class PlanItem(db.Model):
    __tablename__ = "plan_item"

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    version_id: Mapped[int] = mapped_column(
        ForeignKey("plan_version.id", ondelete="CASCADE"), index=True
    )
    # Stable across versions, so a diff can tell a changed item from a new one.
    key: Mapped[str] = mapped_column(String(32))
    section: Mapped[Section] = mapped_column(str_enum(Section))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    for_teen: Mapped[bool] = mapped_column(Boolean, default=False)
    for_family: Mapped[bool] = mapped_column(Boolean, default=False)
    for_school: Mapped[bool] = mapped_column(Boolean, default=False)

    version: Mapped[PlanVersion] = relationship(back_populates="items", lazy="raise")


class PlanAcknowledgement(db.Model):
    __tablename__ = "plan_acknowledgement"
    __table_args__ = (UniqueConstraint("version_id", "membership_id"),)

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AckKind] = mapped_column(str_enum(AckKind))
    created_at: Mapped[created_at]


SECTION_ORDER = {section: index for index, section in enumerate(Section)}


class _Placed(Protocol):
    """A plan item, or an item being saved: where it goes in the plan."""

    @property
    def section(self) -> Section: ...

    @property
    def position(self) -> int: ...


_P = TypeVar("_P", bound=_Placed)


def in_plan_order(items: Iterable[_P]) -> list[_P]:
    return sorted(items, key=lambda item: (SECTION_ORDER[item.section], item.position))
