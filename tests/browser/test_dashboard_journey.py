"""The therapist's dashboard keeps its lists between visits, and still shows each change on the
very next one: a guardian who joins the team is waiting to read the plan, and is no longer
once they have read it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Tab
from tests.browser.steps import join_care_team

pytestmark = pytest.mark.browser

TEEN = "Maya Alvarez"


def _team_row(tab: Tab):
    """Maya's entry in "My care teams" (the first list; the check-ins list names her too)."""
    return tab.page.locator("ul.list").first.locator("li").filter(has_text=TEEN)


def test_the_dashboard_shows_who_joined_and_who_read_at_once(new_tab, harbor, mailbox, viewport):
    address, name = f"cousin.dashboard.{viewport}@example.org", f"Rosa Reads {viewport.title()}"
    # The therapist has had the dashboard open (signing in lands there) before the invitation.
    therapist, newcomer = join_care_team(
        new_tab, harbor, mailbox, address, name, "harbor lights at dusk"
    )
    therapist.goto("/therapist/")
    expect(_team_row(therapist)).to_contain_text("Not yet agreed or read: ")
    expect(_team_row(therapist)).to_contain_text(name)
    therapist.goto("/therapist/")  # the same lists again, from the cache this time
    expect(_team_row(therapist)).to_contain_text(name)

    newcomer.goto("/family/plan")
    newcomer.click(newcomer.page.get_by_role("button", name="I have read this version"))
    therapist.goto("/therapist/")
    expect(_team_row(therapist)).not_to_contain_text(name)


def test_a_restricted_guardian_is_no_longer_waiting_to_read(new_tab, harbor, mailbox, viewport):
    address, name = f"uncle.restricted.{viewport}@example.org", f"Tomas Kept {viewport.title()}"
    therapist, newcomer = join_care_team(
        new_tab, harbor, mailbox, address, name, "lanterns along the pier"
    )
    therapist.goto("/therapist/")
    expect(_team_row(therapist)).to_contain_text(name)

    # A court order, say: the therapist restricts the new guardian's access from the team page.
    therapist.goto("/therapist/teams/1")
    therapist.click(therapist.page.get_by_role("link", name=f"Restrict {name}'s access"))
    therapist.page.get_by_label("Reason for restricting access", exact=True).fill(
        "Court order of 1 December"
    )
    therapist.click(therapist.page.get_by_role("button", name="Restrict access"))
    expect(therapist.page.get_by_role("status")).to_contain_text("Access restricted.")

    # They read nothing now, so nobody waits for them to read the plan.
    therapist.goto("/therapist/")
    expect(_team_row(therapist)).not_to_contain_text(name)
    newcomer.goto("/family/")
    expect(newcomer.page.get_by_role("main")).to_contain_text(
        "Your access to this care team is restricted."
    )
