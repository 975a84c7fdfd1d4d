"""Reading a module: who may open which, one page at a time, practice answers, resume, finish."""

import html
import re

import pytest

from app.content.modules import library
from app.db import utcnow
from app.extensions import db
from app.models import ModuleProgress, PracticeStaff
from tests.conftest import log_in
from tests.factories import make_user
from tests.modules.helpers import count, first_module, progress_of, text_of


def _scenario_step(module, index: int = 0) -> int:
    return module.step_of_scenario(module.scenarios[index].id)


def test_anonymous_visitors_are_sent_to_sign_in(client, team):
    module = first_module("guardian")
    for path in ("/modules/", f"/modules/{module.slug}/", f"/modules/{module.slug}/1"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    assert client.post(f"/modules/{module.slug}/1/next").headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("role", "audience"), [("guardian", "guardian"), ("teen", "teen"), ("school", "school")]
)
def test_each_member_lists_only_the_modules_written_for_them(client, team, role, audience):
    log_in(client, team.users[role].email)
    page = client.get("/modules/")
    assert page.status_code == 200
    shown = set(re.findall(r'href="/modules/([a-z0-9-]+)/"', page.text))
    assert shown == {m.slug for m in library().all("en") if m.audience == audience}


@pytest.mark.parametrize(
    ("role", "foreign"), [("guardian", "teen"), ("teen", "school"), ("school", "guardian")]
)
def test_a_module_for_another_audience_is_a_404_and_records_nothing(client, team, role, foreign):
    log_in(client, team.users[role].email)
    module = first_module(foreign)
    slug = module.slug
    assert client.get(f"/modules/{slug}/").status_code == 404
    assert client.get(f"/modules/{slug}/1").status_code == 404
    assert client.post(f"/modules/{slug}/1/next").status_code == 404
    step = _scenario_step(module)
    assert client.post(f"/modules/{slug}/{step}/answer", data={"option": "1"}).status_code == 404
    assert client.post(f"/modules/{slug}/finish").status_code == 404
    assert count(ModuleProgress) == 0


def test_a_guardian_cannot_open_teen_only_module_progress(client, team):
    log_in(client, team.guardian.email)
    teen_module = first_module("teen")
    step = _scenario_step(teen_module)
    response = client.post(f"/modules/{teen_module.slug}/{step}/answer", data={"option": "1"})
    assert response.status_code == 404
    assert count(ModuleProgress) == 0


def test_unknown_modules_and_pages_are_404s(client, team):
    log_in(client, team.guardian.email)
    module = first_module("guardian")
    assert client.get("/modules/no-such-module/").status_code == 404
    assert client.get("/modules/no-such-module/1").status_code == 404
    assert client.get(f"/modules/{module.slug}/0").status_code == 404
    assert client.get(f"/modules/{module.slug}/{module.step_count + 1}").status_code == 404
    assert client.post(f"/modules/{module.slug}/{module.step_count + 1}/next").status_code == 404
    assert client.get(f"/modules/{module.slug}/99999999999").status_code == 404


def test_bad_answers_are_refused_and_nothing_is_saved(client, team):
    log_in(client, team.guardian.email)
    module = first_module("guardian")
    step = _scenario_step(module)
    answer = f"/modules/{module.slug}/{step}/answer"
    # A section page has no scenario to answer.
    assert client.post(f"/modules/{module.slug}/1/answer", data={"option": "1"}).status_code == 404
    too_many = len(module.scenarios[0].options) + 1
    assert client.post(answer, data={"option": str(too_many)}).status_code == 404
    assert client.post(answer, data={"option": "0"}).status_code == 404
    assert client.post(answer, data={"option": "two"}).status_code == 404
    missing = client.post(answer, data={})
    assert missing.status_code == 400
    assert "Please choose an answer." in missing.text
    assert 'aria-describedby="option-error"' in missing.text
    assert count(ModuleProgress) == 0


def test_reading_on_records_where_to_resume(client, team):
    member = team.memberships["guardian"]
    log_in(client, team.guardian.email)
    module = first_module("guardian")
    base = f"/modules/{module.slug}"
    assert "Start" in client.get(f"{base}/").text
    assert client.post(f"{base}/1/next").headers["Location"] == f"{base}/2"
    assert client.post(f"{base}/2/next").headers["Location"] == f"{base}/3"
    assert progress_of(member.id, module.slug).position == 3

    overview = client.get(f"{base}/")
    assert "Continue on page 3" in overview.text
    assert f'href="{base}/3"' in overview.text
    assert "Reading: page 3 of" in client.get("/modules/").text


def test_the_page_shows_a_progress_bar_with_text(client, team):
    log_in(client, team.teen.email)
    module = first_module("teen")
    page = client.get(f"/modules/{module.slug}/2")
    assert f'<progress max="{module.step_count}" value="2"' in page.text
    assert f"Page 2 of {module.step_count}" in page.text
    assert module.sections[1].heading in page.text
    # A discreet tab title: the browser history on a shared phone says only "Learn".
    assert "<title>Learn · Harbor</title>" in page.text


def test_an_answer_shows_its_feedback_on_the_next_page(client, team):
    member = team.memberships["teen"]
    log_in(client, team.teen.email)
    module = first_module("teen")
    scenario = module.scenarios[0]
    step = _scenario_step(module)
    other = next(n for n in range(1, len(scenario.options) + 1) if n != scenario.best)

    response = client.post(f"/modules/{module.slug}/{step}/answer", data={"option": str(other)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/modules/{module.slug}/{step}#feedback"
    page = client.get(f"/modules/{module.slug}/{step}").text
    assert "Another answer may help more" in page
    assert scenario.options[other - 1].feedback in html.unescape(page)
    assert f'value="{other}" checked' in page
    for option in scenario.options:  # feedback for every option is there to read
        assert option.feedback in html.unescape(page)

    client.post(f"/modules/{module.slug}/{step}/answer", data={"option": str(scenario.best)})
    assert "This answer helps most" in client.get(f"/modules/{module.slug}/{step}").text
    assert progress_of(member.id, module.slug).answers == {scenario.id: scenario.best}


def test_finishing_needs_every_answer_and_then_is_recorded(client, team):
    member = team.memberships["school"]
    log_in(client, team.school.email)
    module = first_module("school")
    base = f"/modules/{module.slug}"

    early = client.post(f"{base}/finish")
    assert early.headers["Location"] == f"{base}/{_scenario_step(module)}"
    assert "Please answer every practice question" in client.get(early.headers["Location"]).text
    assert progress_of(member.id, module.slug) is None  # the refusal saved nothing

    for index in range(len(module.scenarios)):
        client.post(f"{base}/{_scenario_step(module, index)}/answer", data={"option": "1"})
    last = client.get(f"{base}/{module.step_count}")
    assert f'action="{base}/finish"' in last.text
    done = client.post(f"{base}/finish")
    assert done.headers["Location"] == f"{base}/"
    progress = progress_of(member.id, module.slug)
    assert progress.completed_at is not None
    assert "Finished on" in client.get("/modules/").text
    assert "Read it again" in client.get(f"{base}/").text


def test_the_therapist_previews_any_module_and_nothing_is_recorded(client, team):
    log_in(client, team.therapist.email)
    listing = client.get("/modules/")
    for audience in ("guardian", "teen", "school"):
        assert first_module(audience).title in text_of(listing)
    assert "You are previewing" in listing.text

    module = first_module("teen")
    step = _scenario_step(module)
    page = client.get(f"/modules/{module.slug}/1")
    assert page.status_code == 200
    assert f'href="/modules/{module.slug}/2"' in page.text  # a plain link: no progress to save
    shown = client.post(f"/modules/{module.slug}/{step}/answer", data={"option": "1"})
    assert shown.status_code == 200
    assert module.scenarios[0].options[0].feedback in text_of(shown)
    assert client.post(f"/modules/{module.slug}/1/next").status_code == 404
    assert client.post(f"/modules/{module.slug}/finish").status_code == 404
    assert count(ModuleProgress) == 0


def test_unreviewed_content_says_so(client, team):
    log_in(client, team.guardian.email)
    module = first_module("guardian")
    assert not module.clinically_reviewed
    page = client.get(f"/modules/{module.slug}/")
    assert "Not yet reviewed by a clinician" in page.text
    assert "get help now" in page.text


def test_a_spanish_reader_gets_the_spanish_text(client, team):
    team.teen.locale = "es"
    db.session.commit()
    log_in(client, team.teen.email)
    module = first_module("teen", "es")
    page = client.get(f"/modules/{module.slug}/1")
    assert module.sections[0].heading in text_of(page)
    assert '<html lang="es">' in page.text


def test_the_reading_list_costs_a_fixed_number_of_queries(client, team, count_queries):
    log_in(client, team.guardian.email)
    client.get("/modules/")
    before = count_queries.count
    client.get("/modules/")
    assert count_queries.count - before <= 12


def test_a_therapist_with_no_team_chosen_can_still_preview(client, team):
    staff = make_user()
    db.session.add(PracticeStaff(user_id=staff.id, organization_id=team.practice.id))
    db.session.commit()
    log_in(client, staff.email)
    module = first_module("school")
    assert "You are previewing" in client.get("/modules/").text
    assert client.get(f"/modules/{module.slug}/1").status_code == 200
    assert client.post(f"/modules/{module.slug}/1/next").status_code == 404


def test_someone_on_no_team_and_a_restricted_guardian_read_nothing(client, team):
    loner = make_user()
    db.session.commit()
    log_in(client, loner.email)
    assert client.get("/modules/").status_code == 404

    team.memberships["guardian"].restricted_at = utcnow()
    db.session.commit()
    log_in(client, team.guardian.email)
    assert client.get("/modules/").status_code == 404
    assert client.get(f"/modules/{first_module('guardian').slug}/1").status_code == 404
