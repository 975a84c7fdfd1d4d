"""The therapist dashboard's lists (open alerts, care teams with their plans, check-ins), kept
as rendered HTML for each person and page while nothing in them can have changed.

The key holds the revision of every team the person leads or follows (app/domain/
teams/revisions.py bumps a team's revision in the same transaction as any change the lists
show), the address with its page numbers, the language and time zone, and the minute: days
turn, reviews fall due and invitations expire on the minute, so an entry lives one minute at
most even when no team changes. Reading the revisions is one small statement; building the
lists is ten times that. Each app server keeps its own entries (they share nothing but the
database); an entry holds only what its own person was shown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import cast

from cachetools import LRUCache
from flask import current_app
from flask_babel import get_locale, get_timezone
from markupsafe import Markup
from sqlalchemy import union

from app.db import utcnow
from app.domain.teams.revisions import revisions
from app.extensions import db
from app.models import CareTeam, User
from app.policy import teams_led_by
from app.policy.checkins import caseload_team_ids

# About 60 KB an entry at most: a few MB a worker.
ENTRIES = 256

# The person, the address, the language, the time zone, the minute and the teams' revisions.
Key = tuple[int, str, str, str, datetime, tuple[tuple[int, int], ...]]


class _Store:
    def __init__(self) -> None:
        self.entries: LRUCache[Key, Markup] = LRUCache(maxsize=ENTRIES)
        self.lock = threading.Lock()  # the development server serves requests in threads


def _store() -> _Store:
    # The app's extensions hold anything; this entry is set here alone.
    return cast(_Store, current_app.extensions.setdefault("dashboard_cache", _Store()))


def key(user: User, address: str) -> Key:
    teams = union(teams_led_by(user).with_only_columns(CareTeam.id), caseload_team_ids(user))
    return (
        user.id,
        address,
        str(get_locale()),
        str(get_timezone()),
        utcnow().replace(second=0, microsecond=0),
        revisions(teams, db.session()),  # the request's Session itself, not its proxy
    )


def lists(user: User, address: str, build: Callable[[], Markup]) -> Markup:
    """The lists from the cache, or built, kept and returned. `address` is the page's path
    with its query string (its page numbers)."""
    store, wanted = _store(), key(user, address)
    with store.lock:
        found = store.entries.get(wanted)
    if found is None:
        found = build()
        with store.lock:
            store.entries[wanted] = found
    return found
