"""Journeys through Harbor's security features, clicked as each person would: turning on
two-factor sign-in and signing in with it, confirming the password again before a download,
downloading one's own data, closing the account, and the practice's activity log.

Each journey that changes an account uses a guardian it invites for itself (named after the
viewport), so the demo logins stay as they are for every other journey."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from app.domain.audit.queries import ACTION_LABELS, KINDS, PAGE_SIZE
from tests.browser.harness import Tab
from tests.browser.steps import (
    expect_field_error,
    join_care_team,
    let_sign_in_age,
    sign_in,
)

pytestmark = pytest.mark.browser

SIGNED_OUT = "That email and password do not match an account."


def _heading(tab: Tab):
    return tab.page.get_by_role("heading", level=1)


def _open_settings(tab: Tab, link: str) -> None:
    """From any page: the header's Settings, then one of its links."""
    tab.click(tab.page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings"))
    expect(_heading(tab)).to_have_text("Settings")
    tab.click(tab.page.get_by_role("link", name=link))


def _code_not_valid_now(totp: pyotp.TOTP) -> str:
    """Six digits that no authenticator would show around now: a mistyped code."""
    now = time.time()
    valid = {totp.at(now + step * totp.interval) for step in range(-2, 3)}
    return next(code for code in ("000000", "123456", "999999") if code not in valid)


# -- 1. Two-factor sign-in ----------------------------------------------------------------------


def test_guardian_turns_on_two_factor_and_signs_in_with_a_recovery_code(
    new_tab, harbor, mailbox, viewport
):
    address, password = f"uncle.mfa.{viewport}@example.org", "quiet harbor morning"
    _, tab = join_care_team(new_tab, harbor, mailbox, address, "Tomás Ortega", password)
    page = tab.page

    _open_settings(tab, "Two-factor sign-in and recovery codes")
    assert tab.path == "/account/two-factor"
    expect(page.locator("main .badge")).to_have_text("Off")
    tab.click(page.get_by_role("link", name="Set up two-factor sign-in"))
    assert tab.path == "/account/two-factor/setup"  # just signed in: no password asked again
    expect(_heading(tab)).to_have_text("Set up two-factor sign-in")
    qr = page.get_by_role("img", name=re.compile(r"^QR code to add Harbor to your authenticator"))
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/")  # drawn by Harbor, not fetched

    # The person types the key shown under the QR code into their app, which shows a code.
    key_step = page.get_by_role("listitem").filter(has_text="Or type this key into the app:")
    key = key_step.locator("code").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", key), key
    totp = pyotp.TOTP(key.replace(" ", ""))
    page.get_by_label("6-digit code from the app", exact=True).fill(totp.now())
    tab.click(page.get_by_role("button", name="Turn on two-factor sign-in"))
    expect(page.get_by_role("status")).to_contain_text("Two-factor sign-in is on.")
    expect(_heading(tab)).to_have_text("Your recovery codes")
    codes = page.get_by_role("main").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    tab.click(page.get_by_role("link", name="I have saved them"))
    assert tab.path == "/account/two-factor"
    expect(page.locator("main .badge")).to_have_text("On")
    expect(page.get_by_text("You have 10 unused recovery codes.")).to_be_visible()

    # Signing in again: the password, then a code; a wrong one is refused next to the field.
    tab.click(page.get_by_role("button", name="Sign out"))
    assert tab.path == "/login"
    sign_in(tab, address, password)
    assert tab.path == "/login/two-factor"
    expect(_heading(tab)).to_have_text("Two-factor sign-in")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)  # not signed in yet
    page.get_by_label("Two-factor code", exact=True).fill(_code_not_valid_now(totp))
    tab.click(page.get_by_role("button", name="Sign in", exact=True))
    assert tab.path == "/login/two-factor"
    expect_field_error(tab, "Two-factor code", "That code does not match. Please try again.")

    # No phone to hand: a recovery code instead (as typed off paper, in capitals).
    page.get_by_label("Two-factor code", exact=True).fill(codes[0].upper())
    tab.click(page.get_by_role("button", name="Sign in", exact=True))
    assert tab.path == "/family/"
    expect(_heading(tab)).to_have_text("Supporting Maya Alvarez")
    expect(page.get_by_role("status")).to_contain_text(
        "You used a recovery code. 9 recovery codes are left."
    )


# -- 2 and 4. Confirming it's you, downloading your data, deleting your account ----------------


def _keys(document: Any) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(document, dict):
        return set(document).union(*(_keys(value) for value in document.values()))
    if isinstance(document, list):
        return set().union(*(_keys(value) for value in document))
    return set()


def test_guardian_confirms_downloads_their_data_and_deletes_the_account(
    new_tab, harbor, mailbox, viewport
):
    address, password = f"aunt.leaving.{viewport}@example.org", "lantern by the pier"
    name = f"Inés Leaving {viewport.title()}"
    therapist, tab = join_care_team(new_tab, harbor, mailbox, address, name, password)
    page = tab.page

    # Eleven minutes later, "Your data" asks for the password again, then goes on there.
    let_sign_in_age(harbor, address)
    _open_settings(tab, "Download your data or delete your account")
    assert tab.path == "/account/confirm?next=/account/data", tab.path
    expect(_heading(tab)).to_have_text("Confirm it’s you")
    page.get_by_label("Your password", exact=True).fill("lantern by the sea")
    tab.click(page.get_by_role("button", name="Confirm"))
    expect_field_error(tab, "Your password", "That is not your password.")
    page.get_by_label("Your password", exact=True).fill(password)
    tab.click(page.get_by_role("button", name="Confirm"))
    assert tab.path == "/account/data"
    expect(_heading(tab)).to_have_text("Your data")

    download = tab.download(page.get_by_role("button", name="Download your account data"))
    assert re.fullmatch(r"harbor-account-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert document["profile"]["name"] == name
    assert document["profile"]["email"] == address
    assert [m["team"]["teen_name"] for m in document["memberships"]] == ["Maya Alvarez"]
    secrets = {k for k in _keys(document) if re.search(r"password|secret|token|hash", k, re.I)}
    assert not secrets, f"the account data holds {secrets}"

    # Deleting: the confirmation word, typed wrong first.
    tab.click(page.get_by_role("link", name="What deleting your account means, and how to do it"))
    assert tab.path == "/account/delete"
    expect(_heading(tab)).to_have_text("Delete your account")
    word = "Type DELETE to confirm"
    page.get_by_label(word, exact=True).fill("delete it")
    tab.click(page.get_by_role("button", name="Delete my account"))
    expect_field_error(tab, word, f"{word}, or go back to keep your account.", kept="delete it")
    page.get_by_label(word, exact=True).fill("DELETE")
    tab.click(page.get_by_role("button", name="Delete my account"))
    assert tab.path == "/login"
    expect(page.get_by_role("status")).to_contain_text(
        "Your account is deleted, and you are signed out."
    )
    tab.goto("/family/")
    assert tab.path.startswith("/login")  # the session is gone too

    # The old password opens nothing, with the same answer as for an unknown address.
    sign_in(tab, address, password)
    assert tab.path.startswith("/login")
    expect(page.locator("#password-error")).to_have_text(SIGNED_OUT)

    # The practice's log keeps what happened, under "a former member" now.
    therapist.goto("/therapist/audit?kind=security")
    deleted = therapist.page.get_by_role("row").filter(has_text="Deleted their account")
    expect(deleted.first).to_contain_text("A former member")
    expect(therapist.page.get_by_role("main")).not_to_contain_text(name)


# -- 3. The practice's activity log, without JavaScript ---------------------------------------

SIGN_IN_LABELS = {str(ACTION_LABELS[action]) for action in KINDS["signin"][1]}


def _log_rows(tab: Tab):
    return tab.page.get_by_role("main").locator("tbody tr")


def test_therapist_reads_and_filters_the_practice_activity_log(new_tab):
    tab = new_tab(javascript=False).goto("/login")
    page = tab.page
    sign_in(tab, "therapist@demo.example")
    tab.click(page.get_by_role("link", name="Practice activity log"))
    assert tab.path == "/therapist/audit"
    expect(_heading(tab)).to_have_text("Practice activity log")
    # The demo holds no sign-ins: they are this run's, the newest first, so mine just now leads.
    newest = _log_rows(tab).first
    expect(newest.locator("td").nth(1)).to_have_text("Dr. Sarah Chen")
    expect(newest.locator("td").nth(2)).to_have_text("Signed in")

    page.get_by_label("Show", exact=True).select_option(label="Signing in and out")
    tab.click(page.get_by_role("button", name="Filter"))
    assert tab.path == "/therapist/audit?kind=signin"
    expect(page.get_by_label("Show", exact=True)).to_have_value("signin")  # the choice stays
    whats = _log_rows(tab).locator("td:nth-child(3)").all_inner_texts()
    assert whats and set(whats) <= SIGN_IN_LABELS, set(whats) - SIGN_IN_LABELS

    # A long log comes in pages, the filter kept from one to the next. Whether there are
    # several depends on how much of the suite ran before: alone, this journey finds one.
    pages = page.get_by_role("navigation", name="Pages of the activity log")
    if len(whats) < PAGE_SIZE:
        expect(pages).to_have_count(0)
    elif pages.count():
        tab.click(pages.get_by_role("link", name="Older"))
        assert tab.path == "/therapist/audit?kind=signin&page=2", tab.path
        expect(pages.get_by_role("link", name="Newer")).to_be_visible()
        assert set(_log_rows(tab).locator("td:nth-child(3)").all_inner_texts()) <= SIGN_IN_LABELS
