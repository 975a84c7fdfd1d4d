"""A request whose transaction only read ends it with COMMIT rather than ROLLBACK.

The two are the same for a transaction that wrote nothing, but psycopg forgets every prepared
statement on ROLLBACK (an object they use might have been dropped and rolled back), so ending
each page's reads with one made PostgreSQL plan every statement afresh on every request and
cost a DEALLOCATE ALL as well. The unit of work (app.web.unit_of_work) commits every view that
returns, so this ends what is left open without it: a request answered before its view (a
guard's redirect), and reads made after the view's commit (an error page, an after-request
hook). A transaction that wrote anything, or a request that failed, still ends in a rollback:
nothing here ever commits a change the unit of work did not commit.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from app.extensions import db
from app.web import unit_of_work

WRITES = "harbor_writes"
# Statements that leave the database as it was (a savepoint alone changes nothing). Anything
# else (WITH may hide an UPDATE) counts as a write.
READS = ("SELECT", "BEGIN", "SHOW", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
_LONGEST = max(len(read) for read in READS)


def _new_transaction(conn) -> None:
    conn.info[WRITES] = 0


def _note_writes(conn, _cursor, statement: str, *_args) -> None:
    if not statement.lstrip()[:_LONGEST].upper().startswith(READS):
        conn.info[WRITES] = conn.info.get(WRITES, 0) + 1


def writes() -> int:
    """How many statements of db.session's transaction have written so far (changes the
    session holds but has not flushed are not counted)."""
    session = db.session()
    if not session.in_transaction():
        return 0
    return session.connection().info.get(WRITES, 0)


def register(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    event.listen(engine, "begin", _new_transaction)
    event.listen(engine, "before_cursor_execute", _note_writes)

    # Registered after Flask-SQLAlchemy's own teardown, so it runs before it (Flask runs them
    # in reverse) and the session it removes has nothing left to roll back.
    @app.teardown_appcontext
    def _commit_reads(error: BaseException | None) -> None:
        session = db.session()
        if error is not None or not session.in_transaction():
            return
        if session.new or session.dirty or session.deleted:
            return
        if session.connection().info.get(WRITES, 1):
            return
        try:
            unit_of_work.keep()  # there is nothing to keep: it ends the reads with COMMIT
        except Exception:
            # Nothing was written, so nothing is lost: the rollback that follows ends it.
            session.rollback()
