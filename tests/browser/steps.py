"""What a person does in Harbor, step by step, and what they should see."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache

from babel.messages.pofile import read_po
from playwright.sync_api import expect

from app.config import ROOT
from tests.browser.harness import HarborServer, Mailbox, Tab, link_in

DEMO_PASSWORD = "harbor-demo"
LONG_EMAIL = "a" * 250 + "@example.org"  # 262 characters; the limit is 254
LONG_TEXT = " ".join(["Lorem ipsum dolor sit amet"] * 12)  # 323 characters


@lru_cache(maxsize=1)
def _spanish_catalog():
    with (ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale="es")


def es(english: str) -> str:
    """What the Spanish interface says for `english` (team 2 works in Spanish), read from the
    catalog the app is built from, so journeys are written once, in English."""
    message = _spanish_catalog().get(english)
    assert message is not None and message.string and not message.fuzzy, (
        f"no Spanish for {english!r} in translations/es"
    )
    return message.string


def sign_in(tab: Tab, email: str, password: str = DEMO_PASSWORD) -> None:
    page = tab.page
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    tab.click(page.get_by_role("button", name="Sign in", exact=True))


def open_team(tab: Tab, teen_name: str) -> None:
    """From the therapist's dashboard to one care team's page (the dashboard may link the
    teen's name elsewhere too, to their check-ins say)."""
    links = tab.page.get_by_role("link", name=teen_name, exact=True).all()
    team = [link for link in links if re.search(r"/teams/\d+$", link.get_attribute("href"))]
    assert len(team) == 1, f"{len(team)} links to {teen_name}'s team"
    tab.click(team[0])
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(f"{teen_name}'s care team")


def emailed_link(server: HarborServer, mailbox: Mailbox, address: str) -> str:
    """Runs the outbox once, then reads the link in the newest email to `address`."""
    said = server.deliver_mail()
    return link_in(mailbox.last_to(address, f"The outbox said: {said}").body, server)


def create_account(server: HarborServer, email: str, password: str) -> None:
    """A dedicated person for journeys that change a password, so demo logins stay intact."""
    server.flask(
        "create-therapist",
        *("--email", email, "--name", "Robin Reyes", "--practice", f"Practice of {email}"),
        *("--country", "US", "--password", password),
    )


def join_care_team(
    new_tab: Callable[..., Tab],
    server: HarborServer,
    mailbox: Mailbox,
    address: str,
    name: str,
    password: str,
) -> tuple[Tab, Tab]:
    """The demo therapist invites `address` to Maya's team as a guardian, and the invited
    person makes their account from the emailed link in a browser of their own: a person a
    journey may change or delete without disturbing the demo logins. Returns the therapist's
    tab and the newcomer's, on the family dashboard."""
    therapist = new_tab().goto("/login")
    sign_in(therapist, "therapist@demo.example")
    therapist.goto("/therapist/teams/1")
    page = therapist.page
    page.get_by_label("Their email", exact=True).fill(address)
    page.get_by_label("Joins as", exact=True).select_option(label="Parent or guardian")
    therapist.click(page.get_by_role("button", name="Send invitation"))
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {address}.")

    newcomer = new_tab().goto(emailed_link(server, mailbox, address))
    page = newcomer.page
    page.get_by_label("Your name", exact=True).fill(name)
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Type the new password again", exact=True).fill(password)
    newcomer.click(page.get_by_role("button", name="Create my account and join"))
    assert newcomer.path == "/family/"
    return therapist, newcomer


def let_sign_in_age(server: HarborServer, email: str, minutes: int = 11) -> None:
    """Moves the person's open sessions `minutes` into the past, as if they had signed in
    then and confirmed nothing since: the ten minutes in which exports and security changes
    pass without the password again are over, without the test waiting for them."""
    url = server.env["DATABASE_URL"]
    assert url.startswith("sqlite:///"), "the harness's server runs on a SQLite file"
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path, timeout=10) as db:
        rows = db.execute(
            "SELECT s.id, s.created_at FROM user_session s JOIN user_account u"
            " ON u.id = s.user_id WHERE u.email = ? AND s.ended_at IS NULL",
            (email,),
        ).fetchall()
        assert rows, f"{email} has no open session"
        for session_id, created in rows:
            earlier = datetime.fromisoformat(created) - timedelta(minutes=minutes)
            db.execute(
                "UPDATE user_session SET created_at = ?, reauthenticated_at = NULL WHERE id = ?",
                (earlier.strftime("%Y-%m-%d %H:%M:%S.%f"), session_id),
            )
    db.close()


def type_too_much(tab: Tab, label: str, text: str) -> None:
    """Types `text` into a field; where the browser stops at maxlength (as it should), the
    full text is then put in as a script or an old browser would send it."""
    field = tab.page.get_by_label(label, exact=True)
    field.fill(text)
    limit = field.get_attribute("maxlength")
    if limit is not None:
        assert len(field.input_value()) == int(limit), f"{label}: maxlength not applied"
        field.evaluate("(el, value) => { el.value = value; }", text)
    assert field.input_value() == text


def expect_field_error(tab: Tab, label: str, message: str, *, kept: str | None = None) -> None:
    """The error sits next to its field, is part of the field's accessible description,
    marks the field invalid, and an alert announces the form's problems; the text typed
    into a non-password field is still there to correct."""
    page = tab.page
    field = page.get_by_label(label, exact=True)
    field_id = field.get_attribute("id")
    error = page.locator(f"#{field_id}-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(message)
    expect(page.locator(".field", has=field).locator(f"#{field_id}-error")).to_have_count(1)
    expect(field).to_have_attribute("aria-invalid", "true")
    assert f"{field_id}-error" in (field.get_attribute("aria-describedby") or "").split()
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.get_by_role("alert")).to_be_visible()
    if field.get_attribute("type") == "password":
        expect(field).to_have_value("")  # a password is never sent back in the page
    elif kept is not None:
        expect(field).to_have_value(kept)


def expect_no_field_error(tab: Tab, label: str) -> None:
    field = tab.page.get_by_label(label, exact=True)
    expect(field).not_to_have_attribute("aria-invalid", "true")


def check_new_password_form_refuses_bad_input(tab: Tab) -> None:
    """On the emailed reset link's page: empty, too long, then two different passwords."""
    page = tab.page
    submit = page.get_by_role("button", name="Save my new password")
    tab.click(submit)
    expect_field_error(tab, "New password", "Please choose a password.")
    expect_field_error(tab, "Type the new password again", "Please type the password again.")

    type_too_much(tab, "New password", LONG_TEXT)
    type_too_much(tab, "Type the new password again", LONG_TEXT)
    tab.click(submit)
    expect_field_error(tab, "New password", "Use at most 200 characters.")

    page.get_by_label("New password", exact=True).fill("harbor lights at dusk")
    page.get_by_label("Type the new password again", exact=True).fill("harbor lights")
    tab.click(submit)
    expect_field_error(tab, "Type the new password again", "The two passwords are not the same.")
    expect_no_field_error(tab, "New password")
