"""Column types shared by the models."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import mapped_column

from app.db import utcnow

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
created_at = Annotated[datetime, mapped_column(DateTime, default=utcnow, nullable=False)]
str40 = Annotated[str, mapped_column(String(40))]
str200 = Annotated[str, mapped_column(String(200))]
email_str = Annotated[str, mapped_column(String(254))]
token_hash = Annotated[str, mapped_column(String(64), unique=True)]


def team_fk() -> int:
    return mapped_column(ForeignKey("care_team.id", ondelete="CASCADE"), index=True)


def str_enum(cls: type[enum.Enum]) -> Enum:
    """A Python enum stored as its value in a VARCHAR, so both databases read it alike."""
    return Enum(
        cls,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
