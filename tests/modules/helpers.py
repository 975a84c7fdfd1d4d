"""Small helpers shared by the module tests."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from app.content.modules import Audience, Module, library
from app.extensions import db
from app.models import ModuleProgress


def first_module(audience: str, locale: str = "en") -> Module:
    return next(m for m in library().all(locale) if m.audience == Audience(audience))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def progress_of(membership_id: int, slug: str) -> ModuleProgress | None:
    return db.session.scalars(
        select(ModuleProgress).where(
            ModuleProgress.membership_id == membership_id, ModuleProgress.module_slug == slug
        )
    ).first()


def text_of(response) -> str:
    """The page with HTML entities decoded, to compare with module text."""
    return html.unescape(response.text)
