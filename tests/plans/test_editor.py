import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AccessEvent, OutboxMessage, PlanItem, PlanVersion
from tests.conftest import log_in
from tests.plans.helpers import CLINICAL, form_data, save


def _versions(team) -> int:
    return db.session.scalar(
        select(func.count()).select_from(PlanVersion).where(PlanVersion.team_id == team.id)
    )


def _edit_url(team) -> str:
    return f"/therapist/teams/{team.id}/plan/edit"


def test_editor_shows_all_twelve_sections_without_javascript(client, team, login_as):
    login_as("therapist")
    page = client.get(_edit_url(team))
    assert page.status_code == 200
    assert page.text.count('class="plan-section-edit"') == 12
    for heading in (
        "Signs that a hard moment is coming",
        "What matters most to me",
        "Clinical notes",
    ):
        assert heading in page.text
    assert "<script" not in page.text
    assert "Stanley and Brown" in page.text


def test_saving_makes_a_numbered_version_with_author_and_review_date(client, team, login_as):
    login_as("therapist")
    data = form_data(
        [
            {
                "section": "warning_signs",
                "text": "Skipping meals",
                "for_teen": True,
                "for_family": True,
            },
            {
                "section": "help_people",
                "text": "Coach Lee",
                "phone": "+1 312 555 0100",
                "for_teen": True,
            },
            {"section": "clinical_notes", "text": CLINICAL, "for_teen": True, "for_family": True},
        ],
        base_number=0,
    )
    response = client.post(_edit_url(team), data=data)
    assert response.status_code == 302, response.text
    version = db.session.scalars(select(PlanVersion)).one()
    assert version.number == 1
    assert version.author_id == team.therapist.id
    assert version.review_due == date.today() + timedelta(days=30)
    clinical = db.session.scalars(
        select(PlanItem).where(PlanItem.section == "clinical_notes")
    ).one()
    assert (clinical.for_teen, clinical.for_family, clinical.for_school) == (False, False, False)
    assert (
        db.session.scalar(
            select(func.count()).select_from(AccessEvent).where(AccessEvent.action == "plan.save")
        )
        == 1
    )


def test_edit_reorder_and_remove_make_the_next_version(client, team, login_as):
    first = save(team)
    items = db.session.scalars(select(PlanItem).where(PlanItem.version_id == first.id)).all()
    login_as("therapist")
    rows = [
        {
            "key": item.key,
            "section": item.section.value,
            "text": item.text,
            "phone": item.phone or "",
            "for_teen": item.for_teen,
            "for_family": item.for_family,
            "for_school": item.for_school,
        }
        for item in items
    ]
    rows[0]["remove"] = True
    rows[1]["text"] = "Rewritten"
    rows.append({"section": "coping_alone", "text": "Second step", "position": 1, "for_teen": True})
    rows.append({"section": "coping_alone", "text": "", "for_teen": True})  # a blank row
    response = client.post(_edit_url(team), data=form_data(rows, base_number=1))
    assert response.status_code == 302, response.text
    second = db.session.scalars(select(PlanVersion).where(PlanVersion.number == 2)).one()
    texts = db.session.scalars(select(PlanItem.text).where(PlanItem.version_id == second.id)).all()
    assert items[0].text not in texts
    assert "Rewritten" in texts
    assert len(texts) == len(items)  # one removed, one added, the blank ignored
    coping = db.session.scalars(
        select(PlanItem.text)
        .where(PlanItem.version_id == second.id, PlanItem.section == "coping_alone")
        .order_by(PlanItem.position)
    ).all()
    assert coping[0] == "Second step"  # position 1 put it first


def test_add_a_row_keeps_what_was_typed(client, team, login_as):
    login_as("therapist")
    data = form_data(
        [{"section": "goals", "text": "Sleep better", "for_teen": True}], base_number=0
    )
    response = client.post(_edit_url(team), data={**data, "add_row": "goals"})
    assert response.status_code == 200
    assert "Sleep better" in response.text
    assert response.text.count('name="items-1-text"') == 1
    assert _versions(team) == 0


def test_a_stale_save_is_refused_and_shown_as_a_conflict(app, client, team, login_as):
    save(team)
    colleague = app.test_client()
    log_in(colleague, team.therapist.email)
    # Both open the editor on version 1; the colleague saves first.
    save(team, base=1)
    mine = form_data(
        [{"section": "goals", "text": "MY-UNSAVED-TEXT", "for_teen": True}], base_number=1
    )
    login_as("therapist")
    conflict = client.post(_edit_url(team), data=mine)
    assert conflict.status_code == 409
    assert "while you were editing" in conflict.text
    assert "MY-UNSAVED-TEXT" in conflict.text  # my text is kept
    assert "CANARY-family" in conflict.text  # their version is shown beside it
    assert 'name="base_number" type="hidden" value="2"' in conflict.text
    assert _versions(team) == 2
    merged = client.post(_edit_url(team), data={**mine, "base_number": "2"})
    assert merged.status_code == 302
    assert _versions(team) == 3


def test_two_saves_at_the_same_moment_make_exactly_one_version(app, team):
    save(team)
    results = []
    barrier = threading.Barrier(2)
    email, url = team.therapist.email, _edit_url(team)
    db.session.rollback()  # the test holds no transaction while the threads run

    def editor(text):
        client = app.test_client()
        with app.app_context():
            log_in(client, email)
            barrier.wait()
            data = form_data([{"section": "goals", "text": text, "for_teen": True}], 1)
            results.append(client.post(url, data=data).status_code)

    threads = [threading.Thread(target=editor, args=(f"text {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [302, 409]
    assert _versions(team) == 2


def test_a_new_version_emails_the_readers_once_without_clinical_content(team):
    save(team)
    rows = db.session.scalars(select(OutboxMessage)).all()
    recipients = sorted(row.to_email for row in rows)
    assert recipients == sorted([team.teen.email, team.guardian.email, team.guardian2.email])
    assert {row.template for row in rows} == {"plan_updated"}
    assert all(CLINICAL not in str(row.params) for row in rows)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"section": "goals", "text": "x" * 501}, "at most 500 characters"),
        (
            {"section": "help_people", "text": "Mum", "phone": "call me maybe"},
            "does not look like a phone number",
        ),
        (
            {"section": "help_people", "text": "Mum", "phone": "12"},
            "does not look like a phone number",
        ),
        (
            {"section": "goals", "text": "Sleep", "phone": "+1 312 555 0100"},
            "does not take phone numbers",
        ),
        (
            {"section": "goals", "text": "", "phone": "", "key": "deadbeefdeadbeef"},
            "Remove this item",
        ),
        ({"section": "no_such_section", "text": "x"}, "Unknown section"),
        ({"section": "goals", "text": "x", "position": "0"}, "from 1 to 999"),
        ({"section": "goals", "text": "bad\u202etext"}, "unusual characters"),
    ],
)
def test_bad_items_are_refused_next_to_the_field_and_nothing_is_saved(
    client, team, login_as, row, message
):
    login_as("therapist")
    response = client.post(_edit_url(team), data=form_data([row], base_number=0))
    assert response.status_code == 400
    assert message in response.text
    assert _versions(team) == 0


def test_foreign_or_missing_item_keys_are_refused(client, team, other_team, login_as):
    theirs = save(other_team)
    foreign_key = db.session.scalars(
        select(PlanItem.key).where(PlanItem.version_id == theirs.id)
    ).first()
    login_as("therapist")
    for key in (foreign_key, "0123456789abcdef"):
        response = client.post(
            _edit_url(team),
            data=form_data([{"key": key, "section": "goals", "text": "x", "for_teen": True}], 0),
        )
        assert response.status_code == 400
        assert "not part of this plan" in response.text
    assert _versions(team) == 0


@pytest.mark.parametrize("base", ["", "abc", "-1"])
def test_a_tampered_base_version_is_refused(client, team, login_as, base):
    login_as("therapist")
    data = form_data([{"section": "goals", "text": "x", "for_teen": True}], 0)
    response = client.post(_edit_url(team), data={**data, "base_number": base})
    assert response.status_code == 400
    assert "out of date" in response.text
    assert _versions(team) == 0


def test_a_review_date_in_the_past_is_refused(client, team, login_as):
    login_as("therapist")
    data = form_data(
        [{"section": "goals", "text": "x"}], 0, review_due=date.today() - timedelta(days=1)
    )
    assert "cannot be in the past" in client.post(_edit_url(team), data=data).text


def test_only_the_teams_therapist_may_edit(client, team, other_team):
    for key in ("teen", "guardian", "school"):
        log_in(client, team.users[key].email)
        assert client.get(_edit_url(team)).status_code == 404
        assert client.post(_edit_url(team), data=form_data([], 0)).status_code == 404
        client.post("/logout")
    log_in(client, other_team.therapist.email)
    assert client.get(_edit_url(team)).status_code == 404
    assert _versions(team) == 0
