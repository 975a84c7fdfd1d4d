"""Journeys through Harbor in real Chromium, clicked as a person would, at a phone and a
desktop size. Every page on the way is checked by Tab.check (accessibility, budgets)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.steps import (
    check_new_password_form_refuses_bad_input,
    create_account,
    emailed_link,
    open_team,
    sign_in,
)

pytestmark = pytest.mark.browser

DASHBOARDS = [
    # email, screenshot name, landing path, heading
    ("therapist@demo.example", "therapist", "/therapist/", "My care teams"),
    ("parent@demo.example", "family", "/family/", "Supporting Maya Alvarez"),
    ("teen@demo.example", "teen", "/teen/", "Hi, Maya"),
    ("counselor@demo.example", "school", "/school/", "Supporting Maya Alvarez at school"),
]


@pytest.mark.parametrize(
    ("email", "name", "landing", "heading"), DASHBOARDS, ids=[d[1] for d in DASHBOARDS]
)
def test_each_role_signs_in_to_their_dashboard(new_tab, email, name, landing, heading):
    tab = new_tab().goto("/")
    assert tab.path == "/login"
    sign_in(tab, email)
    assert tab.path == landing
    expect(tab.page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(tab.page.get_by_role("link", name="Get help now")).to_be_visible()
    tab.screenshot(name)


def test_sign_in_works_without_javascript(new_tab):
    tab = new_tab(javascript=False).goto("/login")
    sign_in(tab, "parent@demo.example")
    assert tab.path == "/family/"
    tab.click(tab.page.get_by_role("button", name="Sign out"))
    assert tab.path == "/login"
    expect(tab.page.get_by_role("status")).to_contain_text("You are signed out.")


def test_invited_person_joins_and_sets_a_password(new_tab, harbor, mailbox, viewport):
    address, name = f"aunt.{viewport}@example.org", f"Rosa {viewport.title()}"
    therapist = new_tab().goto("/login")
    sign_in(therapist, "therapist@demo.example")
    open_team(therapist, "Maya Alvarez")
    page = therapist.page
    page.get_by_label("Their email", exact=True).fill(address)
    page.get_by_label("Joins as", exact=True).select_option(label="Parent or guardian")
    page.get_by_label("Relationship to the teen (optional)", exact=True).fill("Aunt")
    therapist.click(page.get_by_role("button", name="Send invitation"))
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {address}.")
    expect(page.get_by_role("button", name=f"Revoke invitation for {address}")).to_be_visible()

    link = emailed_link(harbor, mailbox, address)
    email = mailbox.last_to(address)
    assert "Maya" not in email.subject + email.body, "emails stay discreet"
    assert urlsplit(link).path.startswith("/invite/")

    guest = new_tab().goto(link)  # a fresh browser: the invited person's own
    page = guest.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Join a care team on Harbor")
    page.get_by_label("Your name", exact=True).fill(name)
    page.get_by_label("New password", exact=True).fill("lighthouse tide pool")
    page.get_by_label("Type the new password again", exact=True).fill("lighthouse tide pool")
    guest.click(page.get_by_role("button", name="Create my account and join"))
    assert guest.path == "/family/"
    expect(page.get_by_role("status")).to_contain_text("Welcome to the care team.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Supporting Maya Alvarez")
    expect(page.get_by_text(name)).to_be_visible()

    guest.goto(link)  # the link works once
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")


def test_forgotten_password_is_reset_through_the_emailed_link(new_tab, harbor, mailbox, viewport):
    address = f"robin.{viewport}@example.org"
    create_account(harbor, address, "first harbor password")
    tab = new_tab().goto("/login")
    page = tab.page
    tab.click(page.get_by_role("link", name="Forgot your password?"))
    page.get_by_label("Email", exact=True).fill(address)
    tab.click(page.get_by_role("button", name="Email me a link"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    tab.goto(emailed_link(harbor, mailbox, address))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check_new_password_form_refuses_bad_input(tab)
    page.get_by_label("New password", exact=True).fill("second harbor password")
    page.get_by_label("Type the new password again", exact=True).fill("second harbor password")
    tab.click(page.get_by_role("button", name="Save my new password"))
    assert tab.path == "/login"
    expect(page.get_by_role("status")).to_contain_text("Your password is changed.")

    sign_in(tab, address, "first harbor password")
    expect(page.locator("#password-error")).to_contain_text("do not match an account")
    sign_in(tab, address, "second harbor password")
    assert tab.path == "/therapist/"
    harbor.deliver_mail()
    assert mailbox.last_to(address).subject == "Your password was changed"


def test_language_switches_to_spanish_with_the_footer_form(new_tab):
    tab = new_tab().goto("/login")
    page = tab.page
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    page.get_by_label("Language", exact=True).select_option("es")
    tab.click(page.get_by_role("button", name="Change language"))
    assert tab.path == "/login"
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in to Harbor")
    expect(page.get_by_role("button", name="Iniciar sesión")).to_be_visible()

    tab.click(page.locator(".site-header a[href='/help']"))  # the choice stays
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Get help now")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_get_help_now_while_signed_out(new_tab, javascript):
    tab = new_tab(javascript=javascript).goto("/login")
    page = tab.page
    tab.click(page.get_by_role("link", name="Get help now"))
    assert tab.path.startswith("/help")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    page.get_by_label("Show crisis lines for", exact=True).select_option("US")
    tab.click(page.get_by_role("button", name="Show"))
    assert tab.path == "/help?country=US"
    expect(page.get_by_role("heading", name="988 Suicide & Crisis Lifeline")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(page.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
