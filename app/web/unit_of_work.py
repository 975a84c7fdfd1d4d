"""One commit point: a request's view runs as one unit of work, committed once it returns.

Services change objects and flush; they never commit, and neither do views. `register(app)`
wraps the app's `dispatch_request` (the call that runs the view, inside Flask's request
handling), so for every view:

- it returns normally: the before-commit steps run with its response, in its transaction
  (app.web.form_keys records where a form led, or frees its key), then the session commits,
  once. Whatever the status: a form shown again because it did not validate commits too,
  which changes nothing it did not mean to (a thread page's read marker, say). The commit runs
  before the after-request hooks, inside the same `try` as the view, so an error the commit
  itself raises (an IntegrityError, a stale-version conflict) reaches the app's error
  handlers like any other: rolled back, answered by the error page.
- it raises (abort(404), any error): the session rolls back, then the error handlers answer.
- it reported a service's refusal: app.blueprints.forms.show_service_error and
  flash_service_error, the one place views report a ServiceError, call `discard()`, and when
  the view returns the session rolls back instead of committing. Nothing the refused service
  half did is kept, and nothing the page that shows the refusal writes either (a thread's read
  marker, its look in the audit): the page that first showed the form recorded its own.

`keep()` commits now what the request has done so far, whatever happens to the rest: a failed
sign-in attempt that counts towards the lockout, a session's end, a session's "last seen" touch.
It is the only other way a request commits (app.web.read_transactions ends a transaction
that only read with it too). Call it before anything that may be refused: after `discard()`
it raises rather than commit refused work.

A request answered before its view runs (a guard's redirect or 404, a repeated form sent where
the first one went) has no unit of work: those hooks keep() what they must keep, and the rest
is rolled back, or, for a transaction that only read, ended by app.web.read_transactions.

Outside a request (the CLI), `transaction()` is the commit point: its block's work is
committed when the block ends and rolled back when it raises. The outbox worker
(app.platform.delivery) and the bench seeder (app.seed.scale) commit as they go, on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from flask import Flask, Response, g

from app.extensions import db

BeforeCommit = Callable[[Response], None]

BEFORE_COMMIT_KEY = "harbor.unit_of_work.before_commit"
_DISCARD = "unit_of_work_discard"


def register(app: Flask) -> None:
    steps: list[BeforeCommit] = []
    app.extensions[BEFORE_COMMIT_KEY] = steps
    run_view = app.dispatch_request

    # On this app object, not on the Flask class: every app of the process (the tests make
    # many) gets exactly one unit of work, its own.
    @wraps(run_view)
    def dispatch_request() -> Response:
        g.pop(_DISCARD, None)
        try:
            returned = run_view()
            if g.pop(_DISCARD, False):
                db.session.rollback()
                return app.make_response(returned)
            response = app.make_response(returned)
            for step in steps:
                step(response)
            # A view that never touched the database (/health) has no session to end.
            if db.session.registry.has():
                db.session.commit()
        except BaseException:
            g.pop(_DISCARD, None)
            db.session.rollback()
            raise
        return response

    app.dispatch_request = dispatch_request  # type: ignore[method-assign]


def before_commit(app: Flask, step: BeforeCommit) -> None:
    """Runs step(response) once a view has returned, just before its commit, in its
    transaction (after a refusal or an error it does not run: nothing is committed)."""
    app.extensions[BEFORE_COMMIT_KEY].append(step)


def discard() -> None:
    """In a view: roll back everything the request did when the view returns (a refusal is
    being shown). What keep() committed before stays."""
    g.setdefault(_DISCARD, True)


def keep() -> None:
    """In a request: commit now what the request has done so far, whatever comes after."""
    if g.get(_DISCARD):
        raise RuntimeError("keep() after discard() would commit the refused work")
    db.session.commit()


def keep_bookkeeping() -> None:
    """keep() for bookkeeping that may as well wait for the next request (a session's "last
    seen" touch, the end of an expired session): after a refusal it commits nothing, rather
    than fail the page showing the refusal."""
    if not g.get(_DISCARD):
        db.session.commit()


@contextmanager
def transaction() -> Iterator[None]:
    """Outside a request (a CLI command): commits the block's work when it ends normally,
    rolls it back when it raises."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
