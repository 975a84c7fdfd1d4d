"""Posting, the email notices it sends, editing and deleting within ten minutes, hiding."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AccessEvent, Message, OutboxMessage, Thread
from app.platform.delivery import deliver_pending
from tests.conftest import log_in
from tests.threads.helpers import age_message, age_notices, messages, notices, say, url

SECRET = "CANARY-message-body"


def emails(team, *keys) -> list[str]:
    return sorted(team.users[key].email for key in keys)


# -- who is told -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "slug", "told"),
    [
        ("guardian", "care-team", ("therapist", "teen", "guardian2")),
        ("therapist", "family", ("teen", "guardian", "guardian2")),
        ("teen", "teen-therapist", ("therapist",)),
        ("therapist", "teen-therapist", ("teen",)),
        ("guardian", "school", ("therapist", "guardian2")),
    ],
)
def test_each_new_message_tells_exactly_the_other_readers(team, author, slug, told):
    say(team, author, slug, SECRET)
    assert notices() == emails(team, *told)


def test_the_counselor_is_told_only_while_the_consent_is_in_force(team, with_consent):
    say(team, "therapist", "care-team", SECRET)
    assert team.school.email in notices()
    say(team, "therapist", "school", SECRET)
    assert notices().count(team.school.email) == 2


def test_the_teen_is_told_about_the_school_thread_only_after_joining(client, team):
    say(team, "therapist", "school", "Before")
    assert team.teen.email not in notices()
    log_in(client, team.teen.email)
    client.post(url(team, "school/teen"), data={"include": "1"})
    say(team, "therapist", "school", "After")
    assert team.teen.email in notices()


def test_the_notice_says_nothing_of_the_message(team, smtp):
    say(team, "teen", "teen-therapist", f"{SECRET} https://example.org/secret-link")
    sent, failed = deliver_pending()
    assert (sent, failed) == (1, 0)
    [mail] = smtp.messages
    assert mail.recipients == [team.therapist.email]
    text = f"{mail.subject}\n{mail.body}"
    for leak in (SECRET, "example.org", team.teen.name, "teen-therapist", "messages"):
        assert leak not in text
    assert re.findall(r"https?://\S+", mail.body) == ["http://harbor.test/"]


def test_one_notice_an_hour_per_thread_per_person(team):
    say(team, "therapist", "family", "One")
    say(team, "therapist", "family", "Two")
    assert len(notices()) == 3
    say(team, "guardian", "family", "Three")  # the therapist has not been told yet
    assert notices().count(team.therapist.email) == 1
    assert notices().count(team.guardian.email) == 1
    say(team, "therapist", "care-team", "Another thread is another notice")
    assert notices().count(team.teen.email) == 2
    age_notices(minutes=61)
    say(team, "therapist", "family", "Four")
    assert notices().count(team.teen.email) == 3
    assert notices().count(team.guardian.email) == 3


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Please write a message before sending."),
        ("  \r\n\t ", "Please write a message before sending."),
        ("x" * 5001, "This is 5,001 characters long. The limit is 5,000."),
        ("nul\x00byte", "Please remove the unusual characters"),
    ],
)
def test_a_refused_message_keeps_the_text_and_saves_nothing(client, team, body, error):
    log_in(client, team.guardian.email)
    response = client.post(url(team, "family"), data={"body": body})
    assert response.status_code == 400
    assert error in response.text
    assert 'aria-describedby="body-hint body-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    if body.strip() and "\x00" not in body:
        assert body in response.text
    assert messages() == 0
    assert db.session.scalars(select(Thread)).all() == []
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_five_thousand_characters_and_line_breaks_are_fine(client, team):
    log_in(client, team.guardian.email)
    body = "line one\r\n" + "y" * 4991
    assert client.post(url(team, "family"), data={"body": body}).status_code == 302
    stored = db.session.scalars(select(Message.body)).one()
    assert stored == body.replace("\r\n", "\n")
    assert len(stored) == 5000


def test_hostile_text_is_stored_literally_and_shown_inert(client, team):
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> javascript:alert(1)"
    log_in(client, team.guardian.email)
    client.post(url(team, "family"), data={"body": hostile})
    assert db.session.scalars(select(Message.body)).one() == hostile
    page = client.get(url(team, "family")).text
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page


# -- edit and delete -------------------------------------------------------------------------


def test_the_author_edits_within_ten_minutes(client, team):
    message = say(team, "guardian", "family", "We are at the park")
    log_in(client, team.guardian.email)
    edit = url(team, "family", f"/{message.id}/edit")
    assert "We are at the park" in client.get(edit).text
    assert client.post(edit, data={"body": "We are home now"}).status_code == 302
    page = client.get(url(team, "family")).text
    assert "We are home now" in page
    assert "edited" in page
    assert "We are at the park" not in page


def test_after_ten_minutes_edit_and_delete_are_refused_clearly(client, team):
    message = say(team, "guardian", "family", "Original words")
    age_message(message.id, minutes=11)
    log_in(client, team.guardian.email)
    for path, data in (("edit", {"body": "Changed"}), ("delete", {})):
        response = client.post(
            url(team, "family", f"/{message.id}/{path}"), data=data, follow_redirects=True
        )
        assert "only in the first 10 minutes" in response.text
    db.session.expire_all()
    stored = db.session.get(Message, message.id)
    assert stored.body == "Original words"
    assert stored.deleted_at is None
    assert ">Edit<" not in client.get(url(team, "family")).text


def test_nobody_changes_someone_elses_message(client, team, other_team):
    mine = say(team, "guardian", "family", "Mine")
    theirs = say(other_team, "guardian", "family", "Theirs")
    log_in(client, team.guardian2.email)
    for message_id in (mine.id, theirs.id, 999999):
        for path in ("edit", "delete"):
            assert (
                client.post(
                    url(team, "family", f"/{message_id}/{path}"), data={"body": "Mine now"}
                ).status_code
                == 404
            )
    assert client.get(url(team, "family", f"/{mine.id}/edit")).status_code == 404
    # The right id under the wrong thread is no way round.
    log_in(client, team.guardian.email)
    assert client.post(url(team, "care-team", f"/{mine.id}/delete")).status_code == 404
    db.session.expire_all()
    assert {m.body for m in db.session.scalars(select(Message))} == {"Mine", "Theirs"}


def test_a_deleted_message_is_erased_and_says_so(client, team):
    message = say(team, "teen", "teen-therapist", "Something I want back")
    log_in(client, team.teen.email)
    assert client.post(url(team, "teen-therapist", f"/{message.id}/delete")).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Message, message.id)
    assert stored.deleted_at is not None
    assert stored.body == ""
    client.post("/logout")
    log_in(client, team.therapist.email)
    page = client.get(url(team, "teen-therapist")).text
    assert "Message deleted" in page
    assert "Something I want back" not in page
    actions = db.session.scalars(select(AccessEvent.action).order_by(AccessEvent.id)).all()
    assert actions.count("message.delete") == 1


# -- hide ------------------------------------------------------------------------------------


def test_a_therapist_hides_a_message_with_a_reason(client, team):
    message = say(team, "guardian", "care-team", SECRET)
    log_in(client, team.therapist.email)
    hide = url(team, "care-team", f"/{message.id}/hide")
    refused = client.post(hide, data={"reason": "   "})
    assert refused.status_code == 400
    assert "Please write why you are hiding this message." in refused.text
    db.session.expire_all()
    assert db.session.get(Message, message.id).hidden_at is None

    assert client.post(hide, data={"reason": "Moved to a phone call"}).status_code == 302
    therapist_view = client.get(url(team, "care-team")).text
    assert SECRET in therapist_view
    assert "Moved to a phone call" in therapist_view
    assert "Hidden from everyone but the therapists." in therapist_view
    assert client.post(hide, data={"reason": "Again"}, follow_redirects=True).status_code == 400

    for key in ("teen", "guardian", "guardian2"):
        client.post("/logout")
        log_in(client, team.users[key].email)
        page = client.get(url(team, "care-team")).text
        assert "Hidden by the therapist" in page
        assert SECRET not in page
        assert "Moved to a phone call" not in page

    db.session.expire_all()
    assert db.session.get(Message, message.id).body == SECRET
    event = db.session.scalars(
        select(AccessEvent).where(AccessEvent.action == "message.hide")
    ).one()
    assert event.user_id == team.therapist.id
    assert event.target_id == message.id
    assert SECRET not in str(event.detail)


def test_only_therapists_hide(client, team):
    message = say(team, "teen", "care-team", "Hello")
    for key in ("teen", "guardian"):
        log_in(client, team.users[key].email)
        hide = url(team, "care-team", f"/{message.id}/hide")
        assert client.get(hide).status_code == 404
        assert client.post(hide, data={"reason": "No"}).status_code == 404
        client.post("/logout")
    db.session.expire_all()
    assert db.session.get(Message, message.id).hidden_at is None


def test_a_hidden_message_can_no_longer_be_edited(client, team):
    message = say(team, "guardian", "care-team", "First draft")
    log_in(client, team.therapist.email)
    client.post(url(team, "care-team", f"/{message.id}/hide"), data={"reason": "Private"})
    client.post("/logout")
    log_in(client, team.guardian.email)
    response = client.post(
        url(team, "care-team", f"/{message.id}/edit"),
        data={"body": "Sneaky"},
        follow_redirects=True,
    )
    assert "A therapist hid this message" in response.text
    db.session.expire_all()
    assert db.session.get(Message, message.id).body == "First draft"


# -- audit -----------------------------------------------------------------------------------


def test_posts_and_views_are_audited_without_their_text(client, team, with_consent):
    say(team, "therapist", "care-team", SECRET)
    log_in(client, team.therapist.email)
    client.get(url(team, "care-team"))
    client.post("/logout")
    for key in ("school", "guardian"):
        log_in(client, team.users[key].email)
        client.get(url(team, "care-team"))
        client.post("/logout")
    events = db.session.scalars(select(AccessEvent).order_by(AccessEvent.id)).all()
    views = [e for e in events if e.action == "thread.view"]
    assert [e.user_id for e in views] == [team.school.id, team.guardian.id]
    assert all(e.detail["kind"] == "care_team" for e in views)
    assert [e.action for e in events].count("message.post") == 1
    assert all(SECRET not in str(e.detail) for e in events)


def test_a_former_members_messages_stay_with_a_neutral_name(client, team):
    from sqlalchemy import delete

    from app.models import Membership

    say(team, "guardian2", "family", "Still worth reading")
    db.session.execute(delete(Membership).where(Membership.id == team.memberships["guardian2"].id))
    db.session.commit()
    log_in(client, team.guardian.email)
    page = client.get(url(team, "family")).text
    assert "Still worth reading" in page
    assert "A former member" in page
    assert team.guardian2.name not in page


def test_every_form_carries_its_csrf_token(app, client, team):
    app.config["WTF_CSRF_ENABLED"] = True
    token = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
    page = client.get("/login").text
    log_in_form = {"email": team.teen.email, "password": "correct horse battery"}
    client.post("/login", data={**log_in_form, "csrf_token": token.search(page).group(1)})
    assert client.post(url(team, "family"), data={"body": "No token"}).status_code == 400
    thread = client.get(url(team, "family")).text
    sent = client.post(
        url(team, "family"),
        data={"body": "With token", "csrf_token": token.search(thread).group(1)},
    )
    assert sent.status_code == 302
    thread = client.get(url(team, "family")).text
    [message_id] = db.session.scalars(select(Message.id)).all()
    delete_form = thread.split(f"/{message_id}/delete")[1]
    deleted = client.post(
        url(team, "family", f"/{message_id}/delete"),
        data={"csrf_token": token.search(delete_form).group(1)},
    )
    assert deleted.status_code == 302
    listing = client.get(url(team)).text
    join_form = listing.split("school/teen")[1]
    joined = client.post(
        url(team, "school/teen"),
        data={"include": "1", "csrf_token": token.search(join_form).group(1)},
    )
    assert joined.status_code == 302
    assert client.get(url(team, "school")).status_code == 200
