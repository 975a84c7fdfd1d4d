"""The teen's daily check-in (a diary card), the alerts it raises, and each team's thresholds."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import utcnow
from app.extensions import db
from app.models.types import created_at, intpk, str_enum, team_fk

MAX_NOTE = 1000
# Thresholds when a team has not set its own: an urge of 4 or more, thoughts of suicide of 3 or
# more. Acting on an urge always raises an alert.
DEFAULT_URGE_AT = 4
DEFAULT_THOUGHTS_AT = 3


class Helped(enum.StrEnum):
    NOT = "not"
    A_BIT = "a_bit"
    A_LOT = "a_lot"


class AlertReason(enum.StrEnum):
    URGE = "urge"
    THOUGHTS = "thoughts"
    ACTED = "acted"


class CheckIn(db.Model):
    __tablename__ = "checkin"
    __table_args__ = (
        # One per teen per local day; also the index for "a team's check-ins by date".
        UniqueConstraint("team_id", "local_date"),
        CheckConstraint("urge BETWEEN 0 AND 5", name="urge_range"),
        CheckConstraint("thoughts BETWEEN 0 AND 5", name="thoughts_range"),
    )

    id: Mapped[intpk]
    team_id: Mapped[int] = mapped_column(ForeignKey("care_team.id", ondelete="CASCADE"))
    teen_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"), index=True
    )
    # The day in the teen's own time zone that this check-in is about.
    local_date: Mapped[date] = mapped_column(Date)
    urge: Mapped[int] = mapped_column(Integer)
    thoughts: Mapped[int] = mapped_column(Integer)
    acted: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(MAX_NOTE))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    emotions: Mapped[list[CheckInEmotion]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CheckInEmotion.id"
    )
    copings: Mapped[list[CheckInCoping]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CheckInCoping.id"
    )


class CheckInEmotion(db.Model):
    __tablename__ = "checkin_emotion"
    __table_args__ = (
        UniqueConstraint("checkin_id", "emotion"),
        CheckConstraint("intensity BETWEEN 1 AND 5", name="intensity_range"),
    )

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id", ondelete="CASCADE"))
    # A code from app.domain.checkins.vocabulary.EMOTIONS; an emotion not felt has no row.
    emotion: Mapped[str] = mapped_column(String(20))
    intensity: Mapped[int] = mapped_column(Integer)


class CheckInCoping(db.Model):
    __tablename__ = "checkin_coping"
    __table_args__ = (UniqueConstraint("checkin_id", "item_key"),)

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id", ondelete="CASCADE"))
    # The plan item's stable key (PlanItem.key): the step keeps its history across versions.
    item_key: Mapped[str] = mapped_column(String(32))
    helped: Mapped[Helped] = mapped_column(str_enum(Helped))


class Alert(db.Model):
    """Raised by a check-in that crossed the team's thresholds; a therapist acknowledges it."""

    __tablename__ = "checkin_alert"
    __table_args__ = (
        Index(
            "ix_checkin_alert_open",
            "team_id",
            sqlite_where=text("acknowledged_at IS NULL"),
            postgresql_where=text("acknowledged_at IS NULL"),
        ),
    )

    id: Mapped[intpk]
    team_id: Mapped[int] = team_fk()
    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkin.id", ondelete="CASCADE"), unique=True
    )
    # AlertReason values, in a fixed order.
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[created_at]
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(MAX_NOTE))

    checkin: Mapped[CheckIn] = relationship(lazy="raise")

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class CheckInSettings(db.Model):
    """A team's alert thresholds; a team without a row uses the defaults above."""

    __tablename__ = "checkin_settings"
    __table_args__ = (
        CheckConstraint("alert_urge_at BETWEEN 1 AND 5", name="urge_at_range"),
        CheckConstraint("alert_thoughts_at BETWEEN 1 AND 5", name="thoughts_at_range"),
    )

    id: Mapped[intpk]
    team_id: Mapped[int] = mapped_column(
        ForeignKey("care_team.id", ondelete="CASCADE"), unique=True
    )
    alert_urge_at: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_URGE_AT, server_default=str(DEFAULT_URGE_AT)
    )
    alert_thoughts_at: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_THOUGHTS_AT, server_default=str(DEFAULT_THOUGHTS_AT)
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL")
    )
