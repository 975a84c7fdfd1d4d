from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db import utcnow
from app.extensions import db
from app.models import Invitation, Membership, OutboxMessage, Role
from tests.conftest import log_in
from tests.factories import PASSWORD, make_user


def _invite(client, team, email, role="guardian", relation_label=""):
    return client.post(
        f"/therapist/teams/{team.id}/invitations",
        data={"email": email, "role": role, "relation_label": relation_label},
    )


def _token_for(email: str) -> str:
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == email, OutboxMessage.template == "invitation")
        .order_by(OutboxMessage.id)
    ).all()
    return rows[-1].params["token"]


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_therapist_invites_and_the_new_person_joins(app, client, team, login_as):
    login_as("therapist")
    response = _invite(client, team, "Grandpa@Example.org", "guardian", "Grandfather")
    assert response.status_code == 302
    invitation = db.session.scalars(select(Invitation)).one()
    token = _token_for("grandpa@example.org")
    assert invitation.email == "grandpa@example.org"
    assert invitation.token_hash != token  # stored hashed
    assert invitation.expires_at - utcnow() > timedelta(days=6, hours=23)

    newcomer = app.test_client()
    page = newcomer.get(f"/invite/{token}")
    assert page.status_code == 200
    assert "Parent or guardian" in page.text
    joined = newcomer.post(
        f"/invite/{token}",
        data={"name": "Walter", "password": "my long passphrase", "confirm": "my long passphrase"},
    )
    assert joined.status_code == 302
    assert newcomer.get("/", follow_redirects=True).request.path == "/family/"
    membership = db.session.scalars(
        select(Membership)
        .where(Membership.team_id == team.id, Membership.role == Role.GUARDIAN)
        .order_by(Membership.id.desc())
    ).first()
    assert membership.relation_label == "Grandfather"

    again = app.test_client().get(f"/invite/{token}")
    assert again.status_code == 410


def test_a_person_with_an_account_joins_with_their_password(app, client, team, other_team):
    existing = other_team.therapist  # a therapist elsewhere who is also a parent here
    log_in(client, team.therapist.email)
    _invite(client, team, existing.email, "guardian")
    token = _token_for(existing.email)
    visitor = app.test_client()
    page = visitor.get(f"/invite/{token}")
    assert "Enter its password to join" in page.text
    wrong = visitor.post(f"/invite/{token}", data={"password": "not my password"})
    assert "That password does not match this account." in wrong.text
    assert visitor.post(f"/invite/{token}", data={"password": PASSWORD}).status_code == 302
    assert _count(Membership, Membership.user_id == existing.id) == 2


def test_signed_in_with_another_account_is_told_so(app, client, team):
    log_in(client, team.therapist.email)
    _invite(client, team, "someone.new@example.org")
    token = _token_for("someone.new@example.org")
    response = client.get(f"/invite/{token}")
    assert response.status_code == 409
    assert "someone.new@example.org" in response.text


@pytest.mark.parametrize("pending", [False, True])
def test_teen_invitation_to_a_guardians_email_is_refused(client, team, login_as, pending):
    login_as("therapist")
    email = team.guardian.email
    if pending:
        email = "new.parent@example.org"
        _invite(client, team, email, "guardian")
    db.session.execute(
        Membership.__table__.delete().where(
            Membership.team_id == team.id, Membership.role == "teen"
        )
    )
    db.session.commit()
    before = (_count(Invitation), _count(OutboxMessage))
    response = _invite(client, team, email.upper(), "teen")
    assert response.status_code == 400
    assert "belongs to a guardian on this team" in response.text
    assert 'id="email-error"' in response.text
    assert (_count(Invitation), _count(OutboxMessage)) == before


def test_a_team_has_one_teen(client, team, login_as):
    login_as("therapist")
    response = _invite(client, team, "second.teen@example.org", "teen")
    assert response.status_code == 400
    assert "already has a teen" in response.text
    assert _count(Invitation) == 0


def test_guardian_invitation_to_the_teens_email_is_refused(client, team, login_as):
    login_as("therapist")
    response = _invite(client, team, team.teen.email, "guardian")
    assert response.status_code == 400
    assert _count(Invitation) == 0


def test_someone_already_on_the_team_cannot_be_invited(client, team, login_as):
    login_as("therapist")
    response = _invite(client, team, team.school.email, "school")
    assert "already on the care team" in response.text


def test_resend_gives_a_new_link_and_kills_the_old_one(app, client, team, login_as):
    login_as("therapist")
    _invite(client, team, "aunt@example.org")
    old = _token_for("aunt@example.org")
    invitation = db.session.scalars(select(Invitation)).one()
    assert (
        client.post(f"/therapist/teams/{team.id}/invitations/{invitation.id}/resend").status_code
        == 302
    )
    new = _token_for("aunt@example.org")
    assert new != old
    visitor = app.test_client()
    assert visitor.get(f"/invite/{old}").status_code == 410
    assert visitor.get(f"/invite/{new}").status_code == 200


def test_revoked_invitation_link_stops_working(app, client, team, login_as):
    login_as("therapist")
    _invite(client, team, "aunt@example.org")
    token = _token_for("aunt@example.org")
    invitation = db.session.scalars(select(Invitation)).one()
    client.post(f"/therapist/teams/{team.id}/invitations/{invitation.id}/revoke")
    response = app.test_client().get(f"/invite/{token}")
    assert response.status_code == 410
    assert "Ask the therapist who invited you" in response.text
    again = client.post(
        f"/therapist/teams/{team.id}/invitations/{invitation.id}/revoke", follow_redirects=True
    )
    assert "already accepted or revoked" in again.text


def test_expired_and_forged_invitation_links_get_a_friendly_page(app, client, team, login_as):
    login_as("therapist")
    _invite(client, team, "aunt@example.org")
    token = _token_for("aunt@example.org")
    invitation = db.session.scalars(select(Invitation)).one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    visitor = app.test_client()
    assert visitor.get(f"/invite/{token}").status_code == 410
    assert visitor.post(f"/invite/{token}", data={"password": "x" * 12}).status_code == 410
    assert visitor.get("/invite/forged-token-123").status_code == 410
    assert _count(Membership, Membership.team_id == team.id) == 5


@pytest.mark.parametrize("action", ["resend", "revoke"])
def test_another_teams_invitation_is_a_404(client, team, other_team, action):
    log_in(client, other_team.therapist.email)
    _invite(client, other_team, "theirs@example.org")
    theirs = db.session.scalars(select(Invitation)).one()
    client.post("/logout")
    log_in(client, team.therapist.email)
    # Through our team's URL, and through theirs: both look like nothing is there.
    assert (
        client.post(f"/therapist/teams/{team.id}/invitations/{theirs.id}/{action}").status_code
        == 404
    )
    assert (
        client.post(
            f"/therapist/teams/{other_team.id}/invitations/{theirs.id}/{action}"
        ).status_code
        == 404
    )
    assert db.session.get(Invitation, theirs.id).revoked_at is None


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"email": "", "role": "guardian"}, "email", "Please enter your email address."),
        ({"email": "not an email", "role": "guardian"}, "email", "Please enter a valid email"),
        ({"email": "a" * 250 + "@example.org", "role": "guardian"}, "email", "at most 254"),
        ({"email": "ok@example.org", "role": "admin"}, "role", "Not a valid choice"),
        (
            {"email": "ok@example.org", "role": "guardian", "relation_label": "x" * 81},
            "relation_label",
            "at most 80",
        ),
        (
            {"email": "ok@example.org", "role": "guardian", "relation_label": "mum\u202e"},
            "relation_label",
            "unusual characters",
        ),
    ],
)
def test_bad_invitation_input_is_shown_next_to_the_field(
    client, team, login_as, form, field, message
):
    login_as("therapist")
    response = client.post(f"/therapist/teams/{team.id}/invitations", data=form)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    assert _count(Invitation) == 0


def test_hostile_text_is_escaped_not_executed(client, team, login_as):
    login_as("therapist")
    _invite(
        client, team, "aunt@example.org", "guardian", "<script>alert(1)</script>'; DROP TABLE x;--"
    )
    page = client.get(f"/therapist/teams/{team.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_therapist_opens_a_new_team(client, team, login_as):
    login_as("therapist")
    response = client.post(
        "/therapist/teams/new",
        data={
            "practice": team.practice.id,
            "teen_name": "  Robin   Lee ",
            "teen_birth_date": "2010-06-01",
            "school_name": "Lakeside Middle School",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Robin Lee" in page.text
    assert "Robin Lee" in client.get("/therapist/").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"teen_name": "", "teen_birth_date": "2010-06-01"}, "Please enter a name."),
        ({"teen_name": "Robin", "teen_birth_date": ""}, "Please enter the date of birth."),
        ({"teen_name": "Robin", "teen_birth_date": "2999-01-01"}, "cannot be in the future"),
        ({"teen_name": "Robin", "teen_birth_date": "1950-01-01"}, "aged 8 to 25"),
        ({"teen_name": "Robin", "teen_birth_date": "not-a-date"}, "Not a valid date value."),
        ({"teen_name": "R" * 201, "teen_birth_date": "2010-06-01"}, "at most 200"),
    ],
)
def test_bad_new_team_input(client, team, login_as, data, message):
    login_as("therapist")
    response = client.post("/therapist/teams/new", data={"practice": team.practice.id, **data})
    assert response.status_code == 200
    assert message in response.text
    assert "R" * 201 not in response.text or 'value="' + "R" * 201 in response.text


def test_therapist_cannot_open_a_team_in_someone_elses_practice(client, team, other_team, login_as):
    login_as("therapist")
    response = client.post(
        "/therapist/teams/new",
        data={
            "practice": other_team.practice.id,
            "teen_name": "Robin",
            "teen_birth_date": "2010-06-01",
        },
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.text


def test_only_practice_staff_may_open_teams(client, team):
    outsider = make_user()
    db.session.add(Membership(user_id=outsider.id, team_id=team.id, role=Role.THERAPIST))
    db.session.commit()
    log_in(client, outsider.email)
    assert client.get("/therapist/").status_code == 200
    assert client.get("/therapist/teams/new").status_code == 404
