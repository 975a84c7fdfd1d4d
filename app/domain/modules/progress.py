"""Reading a module: moving on a page, answering a practice scenario, finishing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.content.modules import Module
from app.db import utcnow
from app.domain.errors import NotFound, ServiceError
from app.extensions import db
from app.models import Membership, ModuleProgress
from app.policy.modules import Reader, authorize_progress, own_progress


def _progress(membership: Membership, module: Module) -> ModuleProgress:
    progress = db.session.scalars(
        own_progress(membership).where(ModuleProgress.module_slug == module.slug)
    ).first()
    if progress is None:
        progress = ModuleProgress(
            team_id=membership.team_id,
            membership_id=membership.id,
            module_slug=module.slug,
            position=1,
            answers={},
        )
        db.session.add(progress)
    return progress


def record_step(membership: Membership | None, module: Module, step: int) -> ModuleProgress:
    """The reader has read page `step`: next time they resume at the page after it."""
    member = authorize_progress(membership, module)
    if module.step(step) is None:
        raise NotFound()
    progress = _progress(member, module)
    progress.position = min(step + 1, module.step_count)
    db.session.flush()
    return progress


def answer(reader: Reader, module: Module, scenario_id: str, option: int) -> ModuleProgress | None:
    """Keeps the reader's latest answer; a therapist's preview keeps nothing (returns None).
    A scenario or option that does not exist is a 404."""
    scenario = module.scenario(scenario_id)
    if scenario is None or scenario.option(option) is None:
        raise NotFound()
    if not reader.records_progress:
        return None
    member = authorize_progress(reader.membership, module)
    progress = _progress(member, module)
    progress.answers = {**(progress.answers or {}), scenario_id: option}
    progress.position = module.step_of_scenario(scenario_id) or 1
    db.session.flush()
    return progress


def complete(membership: Membership | None, module: Module) -> ModuleProgress:
    """Records that the reader finished. Every practice scenario needs an answer first; the
    refusal names the first one without (as its `field`)."""
    member = authorize_progress(membership, module)
    progress = _progress(member, module)
    missing = [s.id for s in module.scenarios if s.id not in (progress.answers or {})]
    if missing:
        raise ServiceError(
            str(_l("Please answer every practice question before you finish.")), missing[0]
        )
    if progress.completed_at is None:
        progress.completed_at = utcnow()
    progress.position = module.step_count
    db.session.flush()
    return progress


def progress_of(membership: Membership | None, slug: str) -> ModuleProgress | None:
    """The reader's own progress on a module, or None (also for a preview)."""
    if membership is None:
        return None
    return db.session.scalars(
        own_progress(membership).where(ModuleProgress.module_slug == slug)
    ).first()
