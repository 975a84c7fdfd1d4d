"""Forms sent empty or with too much text: the error shows next to its field, is announced
to screen readers, and what the person typed is still there (passwords excepted).

The new-password form is checked on the way through the password-reset journey
(check_new_password_form_refuses_bad_input), which has the emailed link it needs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.steps import (
    LONG_EMAIL,
    LONG_TEXT,
    expect_field_error,
    expect_no_field_error,
    open_team,
    sign_in,
    type_too_much,
)

pytestmark = pytest.mark.browser


def test_sign_in_form(new_tab):
    tab = new_tab().goto("/login")
    page = tab.page
    submit = page.get_by_role("button", name="Sign in", exact=True)
    tab.click(submit)
    expect_field_error(tab, "Email", "Please enter your email address.", kept="")
    expect_field_error(tab, "Password", "Please enter your password.")

    type_too_much(tab, "Email", LONG_EMAIL)
    type_too_much(tab, "Password", LONG_TEXT)
    tab.click(submit)
    expect_field_error(tab, "Email", "at most 254 characters", kept=LONG_EMAIL)
    expect_field_error(tab, "Password", "Use at most 200 characters.")


def test_password_reset_request_form(new_tab):
    tab = new_tab().goto("/reset")
    submit = tab.page.get_by_role("button", name="Email me a link")
    tab.click(submit)
    expect_field_error(tab, "Email", "Please enter your email address.", kept="")

    type_too_much(tab, "Email", LONG_EMAIL)
    tab.click(submit)
    expect_field_error(tab, "Email", "at most 254 characters", kept=LONG_EMAIL)

    tab.page.get_by_label("Email", exact=True).fill("not an address")
    tab.click(submit)
    expect_field_error(tab, "Email", "Please enter a valid email address.", kept="not an address")


def test_invitation_form(new_tab):
    tab = new_tab().goto("/login")
    sign_in(tab, "therapist@demo.example")
    open_team(tab, "Maya Alvarez")
    page = tab.page
    submit = page.get_by_role("button", name="Send invitation")

    tab.click(submit)
    expect_field_error(tab, "Their email", "Please enter your email address.", kept="")
    expect_no_field_error(tab, "Relationship to the teen (optional)")

    type_too_much(tab, "Their email", LONG_EMAIL)
    type_too_much(tab, "Relationship to the teen (optional)", LONG_TEXT)
    tab.click(submit)
    expect_field_error(tab, "Their email", "at most 254 characters", kept=LONG_EMAIL)
    expect_field_error(
        tab, "Relationship to the teen (optional)", "Use at most 80 characters.", kept=LONG_TEXT
    )
    # The relationship's hint stays in its description next to the error.
    expect(page.get_by_label("Relationship to the teen (optional)", exact=True)).to_have_attribute(
        "aria-describedby", "relation_label-hint relation_label-error"
    )


def test_new_team_form(new_tab):
    tab = new_tab().goto("/login")
    sign_in(tab, "therapist@demo.example")
    tab.click(tab.page.get_by_role("link", name="Open a new care team"))
    assert tab.path == "/therapist/teams/new"
    submit = tab.page.get_by_role("button", name="Open the care team")

    tab.click(submit)
    expect_field_error(tab, "Teen's name", "Please enter a name.", kept="")
    expect_field_error(tab, "Teen's date of birth", "Please enter the date of birth.", kept="")
    expect_no_field_error(tab, "School (optional)")

    type_too_much(tab, "Teen's name", LONG_TEXT)
    type_too_much(tab, "School (optional)", LONG_TEXT)
    tab.page.get_by_label("Teen's date of birth", exact=True).fill("2099-01-31")
    tab.click(submit)
    expect_field_error(tab, "Teen's name", "Use at most 200 characters.", kept=LONG_TEXT)
    expect_field_error(tab, "School (optional)", "Use at most 200 characters.", kept=LONG_TEXT)
    expect_field_error(tab, "Teen's date of birth", "cannot be in the future", kept="2099-01-31")
