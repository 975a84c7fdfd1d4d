"""The check-in summary card of the family dashboard."""

from __future__ import annotations

from flask_login import current_user

from app.domain.checkins import queries as checkin_views
from app.models import Membership


def summary_card(membership: Membership) -> checkin_views.Summary | None:
    """What this member may see of the check-ins (None: nothing at all). A guardian's look is
    in the audit, committed with the page once it is rendered (app.web.unit_of_work): a page
    that fails keeps no look."""
    shown = checkin_views.summary(membership)
    if shown is not None:
        checkin_views.record_summary_view(membership, current_user)
    return shown
