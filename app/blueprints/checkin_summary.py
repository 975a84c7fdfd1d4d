"""The check-in summary card of the family dashboard."""

from __future__ import annotations

from flask import after_this_request
from flask_login import current_user

from app.domain.checkins import queries as checkin_views
from app.extensions import db
from app.models import Membership


def summary_card(membership: Membership) -> checkin_views.Summary | None:
    """What this member may see of the check-ins (None: nothing at all). A guardian's look is
    in the audit; it is written once the page is rendered, so the commit cannot expire what
    the page is still reading."""
    shown = checkin_views.summary(membership)
    if shown is not None:
        user = current_user._get_current_object()

        @after_this_request
        def _record(response):
            if response.status_code == 200:
                checkin_views.record_summary_view(membership, user)
                db.session.commit()
            return response

    return shown
