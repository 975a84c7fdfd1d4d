"""A request that only read ends its transaction with COMMIT (psycopg forgets its prepared
statements on ROLLBACK); one that wrote and did not commit, or failed, still rolls back.

Every view that returns is committed by the unit of work (tests/test_unit_of_work.py), so a
write left uncommitted is one made where no unit of work runs: in a hook that answers the
request before its view."""

import pytest
from flask import request
from sqlalchemy import func, insert, select

from app.extensions import db
from app.models import Organization, OrgKind


@pytest.fixture
def routes(app):
    """Hooks that write and answer before any view (nothing commits them), and a view that
    fails after writing."""

    def organizations() -> int:
        return db.session.scalar(select(func.count(Organization.id)))

    def core_write():
        db.session.execute(
            insert(Organization).values(name="Core", kind=OrgKind.SCHOOL, country="US")
        )
        return "written, not committed"

    def orm_write():
        db.session.add(Organization(name="ORM", kind=OrgKind.SCHOOL, country="US"))
        db.session.flush()
        return "flushed, not committed"

    def fails():
        db.session.add(Organization(name="Failed", kind=OrgKind.SCHOOL, country="US"))
        db.session.flush()
        raise RuntimeError("the view failed")

    early = {"/test/core-write": core_write, "/test/orm-write": orm_write}

    @app.before_request
    def answer_before_the_view():
        hook = early.get(request.path)
        return hook() if hook else None

    app.add_url_rule("/test/fails", view_func=fails)
    return organizations


@pytest.mark.parametrize("path", ["/teen/", "/modules/", "/account/settings"])
def test_a_page_that_only_read_commits(client, team, login_as, endings, path):
    login_as("teen")
    endings.clear()
    assert client.get(path).status_code == 200
    assert endings == ["commit"]


@pytest.mark.parametrize("path", ["/test/core-write", "/test/orm-write"])
def test_a_write_left_uncommitted_is_rolled_back(app, client, routes, endings, path):
    before = routes()
    endings.clear()
    assert client.get(path).status_code == 200
    assert endings[-1] == "rollback"
    db.session.remove()
    assert routes() == before


def test_a_failed_request_is_rolled_back(app, client, routes, endings):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    before = routes()
    endings.clear()
    assert client.get("/test/fails").status_code == 500
    assert "commit" not in endings
    db.session.remove()
    assert routes() == before
