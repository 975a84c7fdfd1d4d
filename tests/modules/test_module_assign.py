"""The therapist assigns modules, members see them first, and the therapist follows progress."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.content.modules import library
from app.extensions import db
from app.models import AccessEvent, ModuleAssignment, ModuleProgress, OutboxMessage
from app.platform import delivery, email
from tests.conftest import log_in
from tests.modules.helpers import count, first_module, text_of

CLINICAL_WORDS = ("self-harm", "harm", "injur", "urge", "therap", "module", "lesson", "plan")


def _page(team) -> str:
    return f"/therapist/teams/{team.id}/modules"


def _assign(client, team, slug, assignee, due_on=""):
    return client.post(_page(team), data={"module": slug, "assignee": assignee, "due_on": due_on})


@pytest.mark.parametrize(
    ("who", "status"),
    [("therapist", 200), ("guardian", 404), ("teen", 404), ("school", 404)],
)
def test_only_the_teams_therapist_opens_the_assignment_page(client, team, who, status):
    log_in(client, team.users[who].email)
    assert client.get(_page(team)).status_code == status


def test_another_teams_assignment_page_is_a_404(client, team, other_team):
    log_in(client, team.therapist.email)
    assert client.get(_page(other_team)).status_code == 404
    assert client.get("/therapist/teams/999999/modules").status_code == 404
    member = other_team.memberships["teen"].id
    assert client.get(f"{_page(other_team)}/members/{member}").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, team):
    response = client.get(_page(team))
    assert response.headers["Location"].startswith("/login?next=")


def test_assigning_to_a_member_queues_one_discreet_email(app, client, team, smtp):
    log_in(client, team.therapist.email)
    module = first_module("teen")
    teen = team.memberships["teen"]
    response = _assign(client, team, module.slug, f"member:{teen.id}")
    assert response.status_code == 302
    assignment = db.session.scalars(select(ModuleAssignment)).one()
    assert (assignment.membership_id, assignment.role, assignment.team_id) == (
        teen.id,
        None,
        team.id,
    )
    message = db.session.scalars(select(OutboxMessage)).one()
    assert (message.to_email, message.template, message.params) == (
        team.teen.email,
        "module_assigned",
        {},
    )
    with app.app_context():
        rendered = email.render(message)
    assert rendered.subject == "You have something new to read"
    text = f"{rendered.subject}\n{rendered.body}".lower()
    assert "http://harbor.test/modules/" in text
    text = text.replace("http://harbor.test/modules/", "")
    assert module.title.lower() not in text
    assert module.slug not in text
    for word in CLINICAL_WORDS:
        assert word not in text, word

    assert delivery.deliver_pending() == (1, 0)
    assert smtp.messages[0].recipients == [team.teen.email]
    assert smtp.messages[0].subject == "You have something new to read"


def test_assigning_to_a_role_emails_everyone_with_it(client, team):
    log_in(client, team.therapist.email)
    module = first_module("guardian")
    assert _assign(client, team, module.slug, "role:guardian").status_code == 302
    assignment = db.session.scalars(select(ModuleAssignment)).one()
    assert (assignment.membership_id, assignment.role) == (None, "guardian")
    recipients = set(db.session.scalars(select(OutboxMessage.to_email)))
    assert recipients == {team.guardian.email, team.guardian2.email}
    assert count(AccessEvent, AccessEvent.action == "module.assign") == 1


def test_another_teams_member_is_a_404_and_nothing_is_saved(client, team, other_team):
    log_in(client, team.therapist.email)
    theirs = other_team.memberships["teen"]
    response = _assign(client, team, first_module("teen").slug, f"member:{theirs.id}")
    assert response.status_code == 404
    assert count(ModuleAssignment) == count(OutboxMessage) == 0
    assert _assign(client, team, first_module("teen").slug, "member:999999").status_code == 404
    assert _assign(client, team, first_module("teen").slug, "member:x").status_code == 404


@pytest.mark.parametrize(
    ("slug", "assignee", "due_on", "field", "message"),
    [
        ("no-such-module", "role:guardian", "", "module", "Please choose a lesson from the list."),
        ("", "role:guardian", "", "module", "Please choose a lesson."),
        ("@guardian", "nobody", "", "assignee", "Please choose who should read it."),
        ("@teen", "role:guardian", "", "assignee", "written for someone in another role"),
        ("@guardian", "role:therapist", "", "assignee", "written for someone in another role"),
        ("@guardian", "role:guardian", "past", "due_on", "The due date cannot be in the past."),
        ("@guardian", "role:guardian", "31/02/2030", "due_on", "Please enter a date as year"),
        ("@guardian", "role:guardian", "2030-02-31", "due_on", "Please enter a date as year"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(
    client, team, slug, assignee, due_on, field, message
):
    log_in(client, team.therapist.email)
    if slug.startswith("@"):
        slug = first_module(slug[1:]).slug
    if due_on == "past":
        due_on = (date.today() - timedelta(days=2)).isoformat()
    response = _assign(client, team, slug, assignee, due_on)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert count(ModuleAssignment) == count(OutboxMessage) == 0


def test_the_same_assignment_twice_is_refused(client, team):
    log_in(client, team.therapist.email)
    slug = first_module("guardian").slug
    assert _assign(client, team, slug, "role:guardian").status_code == 302
    again = _assign(client, team, slug, "role:guardian")
    assert again.status_code == 400
    assert "already assigned" in again.text
    assert count(ModuleAssignment) == 1


def test_members_see_their_assigned_modules_first_with_the_due_date(client, team):
    guardian_modules = [m for m in library().all("en") if m.audience == "guardian"]
    later = guardian_modules[-1]
    db.session.add(
        ModuleAssignment(
            team_id=team.id,
            module_slug=later.slug,
            membership_id=team.memberships["guardian"].id,
            due_on=date(2031, 5, 4),
        )
    )
    db.session.commit()
    log_in(client, team.guardian.email)
    page = client.get("/modules/").text
    assert page.index("From your care team") < page.index("More to read")
    first = guardian_modules[0]
    assert page.index(f"/modules/{later.slug}/") < page.index(f"/modules/{first.slug}/")
    assert "Suggested by May 4, 2031" in page

    log_in(client, team.guardian2.email)  # assigned by name, so not to the other parent
    assert "From your care team" not in client.get("/modules/").text


def test_the_therapist_sees_progress_and_answers(client, team):
    module = first_module("teen")
    scenario = module.scenarios[0]
    teen = team.memberships["teen"]
    db.session.add(
        ModuleAssignment(team_id=team.id, module_slug=module.slug, membership_id=teen.id)
    )
    db.session.commit()
    log_in(client, team.teen.email)
    step = module.step_of_scenario(scenario.id)
    client.post(f"/modules/{module.slug}/{step}/answer", data={"option": str(scenario.best)})

    log_in(client, team.therapist.email)
    overview = client.get(_page(team)).text
    assert f"Reading: page {step} of {module.step_count}" in overview
    answers = client.get(f"{_page(team)}/members/{teen.id}")
    assert answers.status_code == 200
    assert scenario.options[scenario.best - 1].text in text_of(answers)
    assert "This is the answer that helps most." in answers.text
    assert "Not answered yet." in answers.text  # the other scenarios
    viewed = db.session.scalars(
        select(AccessEvent).where(AccessEvent.action == "module_progress.view")
    ).one()
    assert (viewed.target_type, viewed.target_id) == ("membership", teen.id)


def test_only_the_therapist_sees_anyones_answers(client, team):
    teen = team.memberships["teen"].id
    for who in ("guardian", "teen", "school"):
        log_in(client, team.users[who].email)
        assert client.get(f"{_page(team)}/members/{teen}").status_code == 404
    log_in(client, team.therapist.email)
    therapist = team.memberships["therapist"].id
    assert client.get(f"{_page(team)}/members/{therapist}").status_code == 404


def test_removing_an_assignment_keeps_the_reading(client, team, other_team):
    module = first_module("guardian")
    guardian = team.memberships["guardian"]
    mine = ModuleAssignment(team_id=team.id, module_slug=module.slug, role="guardian")
    theirs = ModuleAssignment(team_id=other_team.id, module_slug=module.slug, role="guardian")
    progress = ModuleProgress(
        team_id=team.id, membership_id=guardian.id, module_slug=module.slug, answers={}
    )
    db.session.add_all([mine, theirs, progress])
    db.session.commit()
    log_in(client, team.therapist.email)
    assert client.post(f"{_page(team)}/assignments/{theirs.id}/remove").status_code == 404
    assert client.post(f"{_page(team)}/assignments/{mine.id}/remove").status_code == 302
    assert count(ModuleAssignment) == 1
    assert count(ModuleProgress) == 1
