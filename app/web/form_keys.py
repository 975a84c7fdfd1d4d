"""Double submissions: a form sent twice (a double click, eight taps on a slow phone, a resend
after a timeout) makes one record.

Forms that create records carry a one-time key (app.blueprints.forms.IdempotentForm).
Before the view runs, the request claims the key in its own transaction. A repeat that finds
the key taken goes where the first request went, or, while that is not known, to a page
saying it was already sent. The key belongs to the view's transaction: when the view returns,
the unit of work (app.web.unit_of_work) settles it just before its commit, in the same
transaction (settle_form_key: where the view led, or the key freed), and when the view is
refused or fails, the rollback frees it. A request without a key (an old page, a script) is
handled as before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    has_app_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.db import listen_once
from app.extensions import db
from app.platform import idempotency
from app.platform.idempotency import IDEMPOTENCY_FIELD
from app.web import read_transactions, unit_of_work

# How long a repeat waits for the first request to say where it led. The first request
# records it in its commit, so this only matters if a keep() committed the claim earlier and
# the request died before its own commit.
WAIT_FOR_FIRST = 3.0
POLL_EVERY = 0.02


@dataclass
class Claim:
    user_id: int
    key: str
    # The session's transaction when the key was claimed, and how many statements of it had
    # written by then (read_transactions.writes), to tell whether the view wrote anything.
    transaction: object
    writes: int
    committed: bool = False  # by a keep() before the view returned


def _note_commit(session) -> None:
    # Releasing a savepoint fires this too (services use them), but commits nothing yet.
    if session.in_nested_transaction():
        return
    if has_app_context() and (held := g.get("idempotency_claim")) is not None:
        held.committed = True


def _local(url: str | None) -> str:
    """Where a repeat may be sent: a path on this site, never another host."""
    if url and url.startswith("/") and not url.startswith("//") and len(url) <= 500:
        return url
    return url_for("auth.index")


def _already_sent():
    # Back to the page the form was on when that is a page (a form usually posts to it).
    shows_a_page = current_app.url_map.bind_to_environ(request.environ).test(request.path, "GET")
    back = request.script_root + request.path if shows_a_page else url_for("auth.index")
    return render_template("errors/already_sent.html", back=back), 409


def claim_form_key():
    if request.method != "POST" or request.url_rule is None:
        return None
    key = request.form.get(IDEMPOTENCY_FIELD)
    if not idempotency.well_formed(key) or not current_user.is_authenticated:
        return None
    user_id = current_user.id
    deadline = time.monotonic() + WAIT_FOR_FIRST
    while time.monotonic() < deadline:
        if idempotency.claim(user_id, key, request.endpoint or "?"):
            g.idempotency_claim = Claim(
                user_id, key, db.session().get_transaction(), read_transactions.writes()
            )
            return None
        # Ends the transaction: each look then sees the first request's latest commit, and
        # on SQLite the write lock is free for that request to record its result.
        db.session.rollback()
        first = idempotency.find(user_id, key)
        url = first.result_url if first is not None else None
        db.session.rollback()
        if url:
            flash(_("This was already sent."), "info")
            return redirect(_local(url), 303)
        if first is not None:  # committed, result not recorded yet: wait for it
            time.sleep(POLL_EVERY)
        # else the first request failed and released the key: try to claim it again
    return _already_sent()


def _redirects(response: Response) -> bool:
    return response.status_code in (301, 302, 303, 307, 308)


def _wrote_since(held: Claim) -> bool:
    session = db.session
    # In a later transaction (a keep() committed, or the view rolled back), all of it counts.
    before = held.writes if session().get_transaction() is held.transaction else 0
    return read_transactions.writes() > before or bool(
        session.new or session.dirty or session.deleted
    )


def settle_form_key(response: Response) -> None:
    """The view returned. In its transaction, just before its commit: when it made something
    and led somewhere, remember where, for any repeat to follow; otherwise free the key (a
    form shown again keeps it for the corrected one). When the view changed nothing at all, a
    rollback frees it, so such a request commits no write."""
    held: Claim | None = g.pop("idempotency_claim", None)
    if held is None:
        return
    wrote = _wrote_since(held)
    if wrote and _redirects(response):
        idempotency.record_result(held.user_id, held.key, _local(response.location))
    elif wrote or held.committed:
        idempotency.release(held.user_id, held.key)
    else:
        db.session.rollback()


def release_kept_claim(response: Response) -> Response:
    """The view was refused or failed, so its rollback freed the claim, unless a keep()
    committed the claim first: then free it here."""
    held: Claim | None = g.pop("idempotency_claim", None)
    if held is not None and held.committed:
        db.session.rollback()
        idempotency.release(held.user_id, held.key)
        unit_of_work.keep()
    return response


def register(app: Flask) -> None:
    listen_once(db.session, "after_commit", _note_commit)
    # After CSRFProtect's check (registered with the extensions), before the blueprints' guards.
    app.before_request(claim_form_key)
    unit_of_work.before_commit(app, settle_form_key)
    app.after_request(release_kept_claim)
