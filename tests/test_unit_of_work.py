"""One commit point (app.web.unit_of_work): a view that returns is committed once, after it
returns; one that raises, or that shows a service's refusal, leaves nothing; keep() keeps; a
commit that fails is answered by the error page; a CLI command commits through the same
module. And no view, request hook or command commits by itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import abort, redirect
from sqlalchemy import delete, select

from app.blueprints.forms import ActionForm, flash_service_error, show_service_error
from app.domain.errors import ServiceError
from app.extensions import db
from app.models import IdempotencyKey, Message, Organization, OrgKind, PracticeStaff, User
from app.web import unit_of_work
from tests.conftest import log_in
from tests.security.creating_forms import thread_url

ROOT = Path(__file__).resolve().parent.parent


def school(name: str | None) -> Organization:
    return Organization(name=name, kind=OrgKind.SCHOOL, country="US")


def saved() -> list[str]:
    """The organizations the database holds, as any other connection would see them."""
    db.session.rollback()
    names = db.session.scalars(select(Organization.name).order_by(Organization.id)).all()
    db.session.rollback()
    return list(names)


def flushed(name: str) -> Organization:
    organization = school(name)
    db.session.add(organization)
    db.session.flush()
    return organization


@pytest.fixture
def views(app):
    """Views that do what a service and a view do, one way of ending each."""

    def saves():
        flushed("Saved")
        return "saved"

    def aborts():
        flushed("Aborted")
        abort(404)

    def fails():
        flushed("Failed")
        raise RuntimeError("the view failed")

    def refused():
        form = ActionForm()
        flushed("Half done")
        show_service_error(form, ServiceError("Not like this."))
        return " ".join(form.form_errors), 400

    def refused_with_a_flash():
        flushed("Half done")
        flash_service_error(ServiceError("Not like this."))
        return redirect("/")

    def kept():
        form = ActionForm()
        flushed("Kept")
        unit_of_work.keep()
        flushed("After the keep")
        show_service_error(form, ServiceError("Not like this."))
        return "refused", 400

    def changes_nothing():
        return redirect("/")

    def keep_after_refusal():
        flushed("Half done")
        show_service_error(ActionForm(), ServiceError("Not like this."))
        unit_of_work.keep()
        return "kept what was refused"

    def commit_fails():
        db.session.add(school("Fine on its own"))
        db.session.add(school(None))  # NOT NULL: the flush inside the commit fails
        return "not reached"

    def stale():
        organization = db.session.scalars(select(Organization)).one()
        db.session.execute(
            delete(Organization).execution_options(synchronize_session=False)
        )  # as if another request had removed it meanwhile
        organization.name = "Renamed"  # the commit's UPDATE then matches no row
        return "not reached"

    for view in (saves, aborts, fails, refused, refused_with_a_flash, kept, keep_after_refusal):
        app.add_url_rule(f"/uow/{view.__name__}", view_func=view, methods=["POST"])
    app.add_url_rule("/uow/changes_nothing", view_func=changes_nothing, methods=["POST"])
    app.add_url_rule("/uow/commit_fails", view_func=commit_fails, methods=["POST"])
    app.add_url_rule("/uow/stale", view_func=stale, methods=["POST"])


@pytest.fixture
def error_pages(app):
    """Errors answered by the app's error pages, as in production, not raised into the test."""
    app.config["PROPAGATE_EXCEPTIONS"] = False


# -- views -------------------------------------------------------------------------------


def test_a_view_that_returns_is_committed_once(client, views, endings):
    endings.clear()
    assert client.post("/uow/saves").status_code == 200
    assert endings == ["commit"]
    assert saved() == ["Saved"]


def test_a_real_post_commits_once(client, team, endings):
    log_in(client, team.guardian.email)
    endings.clear()
    assert client.post(thread_url(team), data={"body": "See you Thursday"}).status_code == 302
    assert endings.count("commit") == 1
    db.session.rollback()
    assert db.session.scalars(select(Message.body)).all() == ["See you Thursday"]


def test_a_form_key_is_settled_in_the_same_commit(client, team, endings):
    log_in(client, team.guardian.email)
    endings.clear()
    data = {"body": "See you Thursday", "idempotency_key": "k" * 32}
    response = client.post(thread_url(team), data=data)
    assert response.status_code == 302
    assert endings.count("commit") == 1
    db.session.rollback()
    assert db.session.scalars(select(IdempotencyKey.result_url)).one() == response.location


def keys() -> list[str | None]:
    db.session.rollback()
    return list(db.session.scalars(select(IdempotencyKey.result_url)))


def test_a_form_key_of_a_view_that_changed_nothing_is_not_kept(client, team, views, endings):
    log_in(client, team.guardian.email)
    endings.clear()
    response = client.post("/uow/changes_nothing", data={"idempotency_key": "k" * 32})
    assert response.status_code == 302
    assert "commit" not in endings  # not even the claim's insert
    assert keys() == []


def test_a_form_key_kept_before_a_refusal_is_freed(client, team, views):
    log_in(client, team.guardian.email)
    assert client.post("/uow/kept", data={"idempotency_key": "k" * 32}).status_code == 400
    assert "Kept" in saved()
    assert keys() == []  # the corrected form may use it


def test_a_view_that_aborts_after_a_flush_leaves_nothing(client, views, endings):
    endings.clear()
    assert client.post("/uow/aborts").status_code == 404
    assert "commit" not in endings
    assert saved() == []


def test_a_view_that_fails_after_a_flush_leaves_nothing(client, views, endings, error_pages):
    endings.clear()
    response = client.post("/uow/fails")
    assert response.status_code == 500
    assert "Nothing was saved" in response.text
    assert "commit" not in endings
    assert saved() == []


def test_a_refusal_shown_next_to_the_form_leaves_nothing(client, views, endings):
    endings.clear()
    response = client.post("/uow/refused")
    assert (response.status_code, response.text) == (400, "Not like this.")
    assert "commit" not in endings
    assert saved() == []


def test_a_refusal_flashed_before_a_redirect_leaves_nothing(client, views, endings):
    endings.clear()
    assert client.post("/uow/refused_with_a_flash").status_code == 302
    assert "commit" not in endings
    assert saved() == []


def test_keep_commits_what_was_done_so_far_whatever_follows(client, views, endings):
    endings.clear()
    assert client.post("/uow/kept").status_code == 400
    assert endings.count("commit") == 1
    assert saved() == ["Kept"]


def test_keep_after_a_refusal_is_refused(client, views, error_pages):
    assert client.post("/uow/keep_after_refusal").status_code == 500
    assert saved() == []


def test_a_commit_that_fails_is_answered_by_the_error_page(client, views, endings, error_pages):
    endings.clear()
    response = client.post("/uow/commit_fails")
    assert response.status_code == 500
    assert "Nothing was saved" in response.text
    assert "commit" not in endings
    assert saved() == []


def test_a_stale_row_at_the_commit_is_answered_by_the_error_page(client, views, error_pages):
    db.session.add(school("Before"))
    db.session.commit()
    response = client.post("/uow/stale")
    assert response.status_code == 500
    assert "Nothing was saved" in response.text
    assert saved() == ["Before"]


def test_every_app_has_its_own_unit_of_work(app):
    from app import create_app

    other = create_app(dict(app.config))
    assert other.dispatch_request is not app.dispatch_request
    assert (
        other.extensions[unit_of_work.BEFORE_COMMIT_KEY]
        is not (app.extensions[unit_of_work.BEFORE_COMMIT_KEY])
    )
    assert len(other.extensions[unit_of_work.BEFORE_COMMIT_KEY]) == 1  # the form keys' step


# -- the CLI -------------------------------------------------------------------------------


def _create_therapist(runner, password: str):
    return runner.invoke(
        args=[
            *("create-therapist", "--email", "new@example.org", "--name", "Dr. New"),
            *("--practice", "New Practice", "--password", password),
        ]
    )


def test_a_cli_command_commits_its_change(runner, endings):
    endings.clear()
    result = _create_therapist(runner, "a long enough pass")
    assert result.exit_code == 0, result.output
    assert endings.count("commit") == 1
    db.session.rollback()  # what was not committed would be gone now
    assert db.session.scalars(select(User.email)).all() == ["new@example.org"]
    assert db.session.scalars(select(PracticeStaff)).one()
    assert saved() == ["New Practice"]


def test_a_refused_cli_command_leaves_nothing(runner, endings):
    endings.clear()
    result = _create_therapist(runner, "short")
    assert result.exit_code == 1
    assert "commit" not in endings
    assert saved() == []


# -- one commit point, in the code -------------------------------------------------------


def _commit_calls(paths) -> list[str]:
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
            ):
                found.append(f"{path}:{node.lineno}")
    return found


def _request_and_cli_code() -> list[Path]:
    app = ROOT / "app"
    files = [
        *(app / "blueprints").rglob("*.py"),
        *(app / "web").rglob("*.py"),
        *(app / "cli").rglob("*.py"),
    ]
    return [f for f in files if f != app / "web" / "unit_of_work.py"]


def test_views_hooks_and_commands_never_commit_themselves():
    found = _commit_calls(_request_and_cli_code())
    assert found == [], "commit through app.web.unit_of_work instead:\n" + "\n".join(found)


def test_the_check_sees_a_commit(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def view():\n    db.session.commit()\n    session.commit()\n")
    assert len(_commit_calls([probe])) == 2
