"""Long lists come a page at a time: the first page shows only its share, and the links of
its <nav> (rel=next, rel=prev) lead through the rest without JavaScript."""

from __future__ import annotations

import html
import re

import pytest

from app.domain.accounts import sessions
from app.domain.checkins import caseload as checkin_caseload
from app.domain.checkins import queries as checkin_views
from app.domain.consent import commands as consents
from app.domain.consent import safety
from app.domain.modules import queries as module_views
from app.domain.plans import commands as plans
from app.domain.teams import queries as team_views
from app.domain.threads import queries as thread_views
from tests.conftest import log_in
from tests.query_world import add_batch, build_world


def nav(page: str, label: str) -> str:
    match = re.search(
        rf'<nav class="pager" aria-label="{re.escape(label)}">(.*?)</nav>', page, re.S
    )
    return match.group(1) if match else ""


def link(page: str, label: str | None, rel: str) -> str | None:
    """The href of the `rel` link in the pager named `label` (in any pager, for None)."""
    where = nav(page, label) if label else page
    match = re.search(rf'<a href="([^"]+)" rel="{rel}"', where)
    return html.unescape(match.group(1)) if match else None


def walk(client, url: str, label: str, pattern: str, rel: str = "next") -> list[list[str]]:
    """The items (matches of `pattern`) of each page, following the `rel` links from `url`.
    Every page after the first must link back the other way (from the same pager or
    another: a thread's earlier and later links sit at either end of it)."""
    back = {"next": "prev", "prev": "next"}[rel]
    found = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.text
        found.append(re.findall(pattern, page))
        if len(found) > 1:
            assert link(page, None, back), f"{url} has no rel={back} link"
        url = link(page, label, rel)
        assert len(found) < 20, "the pages never end"
    return found


@pytest.fixture
def world(app):
    return build_world()


def sign_in(app, world, role: str):
    client = app.test_client()
    assert log_in(client, world.team.users[role].email).status_code == 302
    return client


def sizes(found: list[list[str]]) -> list[int]:
    return [len(items) for items in found]


# role, URL, page size to set, list label, item pattern, items per page
CASES = {
    "plan versions": (
        "therapist",
        "/therapist/teams/{team}/plan/history",
        (plans, "HISTORY_PAGE", 1),
        "Pages of the plan versions",
        r">Version (\d+)<",
        [1, 1],
    ),
    "consents": (
        "guardian",
        "/teams/{team}/consents",
        (consents, "HISTORY_PAGE", 4),
        "Pages of the consents",
        r'/consents/(\d+)"',
        [4, 3],
    ),
    "invitations": (
        "therapist",
        "/therapist/teams/{team}",
        (team_views, "INVITATIONS_PAGE", 2),
        "Pages of the invitations",
        r"Resend to ([^<]+)<",
        [2, 1],
    ),
    "sessions": (
        "therapist",
        "/account/sessions",
        (sessions, "PAGE_SIZE", 2),
        "Pages of your sessions",
        r"Signed in [^<]*last active",
        [2, 1],
    ),
    "shared for safety": (
        "teen",
        "/teen/",
        (safety, "DISCLOSURES_PAGE", 1),
        "Pages of what was shared for safety",
        r"Shared with the (?:family|school)",
        [1, 1],
    ),
    "therapist's check-ins": (
        "therapist",
        "/therapist/teams/{team}/checkins",
        (checkin_views, "ENTRIES", 4),
        "Pages of the check-ins",
        r'<article class="checkin-entry" aria-labelledby="(entry-\d+)"',
        [4, 4, 2],
    ),
    "teen's check-ins": (
        "teen",
        "/teen/trends",
        (checkin_views, "ENTRIES", 6),
        "Pages of my check-ins",
        r'<article class="checkin-entry" aria-labelledby="(entry-\d+)"',
        [6, 4],
    ),
    "assigned lessons": (
        "therapist",
        "/therapist/teams/{team}/modules",
        (module_views, "ASSIGNMENTS_PAGE", 4),
        "Pages of the assigned lessons",
        r"Remove “([^”]+)”",
        [4, 2],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_long_list_shows_one_page_and_links_to_the_next(app, world, monkeypatch, case):
    role, url, (module, name, size), label, pattern, expected = CASES[case]
    monkeypatch.setattr(module, name, size)
    client = sign_in(app, world, role)
    found = walk(client, url.format(team=world.team.id), label, pattern)
    assert sizes(found) == expected
    if re.compile(pattern).groups:  # the items have ids
        flat = [item for items in found for item in items]
        assert len(set(flat)) == len(flat), "an item shows on two pages"


def test_record_views_come_a_page_at_a_time(app, world, monkeypatch):
    monkeypatch.setattr("app.domain.records.viewers.PAGE_SIZE", 10)
    client = sign_in(app, world, "teen")
    found = walk(
        client, f"/teams/{world.team.id}/record-views", "Pages of the record views", r"<tr><td>"
    )
    assert len(found) > 1 and all(len(items) == 10 for items in found[:-1])
    assert 0 < len(found[-1]) <= 10


def test_a_thread_pages_back_and_forward_by_message(app, world, monkeypatch):
    monkeypatch.setattr(thread_views, "PAGE_SIZE", 5)
    client = sign_in(app, world, "guardian")
    url = f"/teams/{world.team.id}/messages/care-team"
    pattern = r'<li[^>]* id="m(\d+)"'
    back = walk(client, url, "Earlier in the conversation", pattern, rel="prev")
    assert sizes(back) == [5, 5, 2]  # 12 messages: the latest page first
    oldest = client.get(url).text
    for _ in range(2):
        oldest = client.get(link(oldest, "Earlier in the conversation", "prev")).text
    assert "Latest messages" in oldest
    forward_from = link(oldest, "Later in the conversation", "next")
    forward = walk(client, forward_from, "Later in the conversation", pattern)
    assert forward == back[1::-1]  # the same pages, met the other way
    assert "Latest messages" not in client.get(forward_from.split("?")[0]).text


def test_the_alerts_page_pages_its_two_lists_apart(app, world, monkeypatch):
    add_batch(world)  # two open alerts, two acknowledged
    monkeypatch.setattr(checkin_caseload, "ALERT_PAGE", 1)
    client = sign_in(app, world, "therapist")
    first = client.get("/therapist/alerts").text
    open_next = link(first, "Pages of the open alerts", "next")
    done_next = link(first, "Pages of the acknowledged alerts", "next")
    assert open_next.endswith("page=2#open-alerts")
    assert done_next.endswith("done=2#done-alerts")
    both = client.get(open_next.split("#")[0] + "&done=2").text
    assert link(both, "Pages of the open alerts", "prev").endswith("done=2#open-alerts")
    assert not link(both, "Pages of the open alerts", "next")
    assert not link(both, "Pages of the acknowledged alerts", "next")


def test_the_dashboard_pages_teams_and_caseload_apart(app, world, monkeypatch):
    add_batch(world)  # a second team for the therapist
    monkeypatch.setattr(team_views, "TEAMS_PAGE", 1)
    monkeypatch.setattr(checkin_caseload, "CASELOAD_PAGE", 1)
    client = sign_in(app, world, "therapist")
    teams = walk(client, "/therapist/", "Pages of your care teams", r'/therapist/teams/(\d+)"')
    assert sizes(teams) == [1, 1]
    caseload = walk(
        client, "/therapist/", "Pages of the check-ins overview", r'/teams/(\d+)/checkins"'
    )
    assert sizes(caseload) == [1, 1] and caseload[0] != caseload[1]
    # The open-alert count stays the caseload's, whatever page is shown.
    second = client.get("/therapist/?checkins=2").text
    assert re.search(r'"badge badge-alert">2</span> check-in alerts are open', second)


def test_a_page_past_the_end_offers_the_way_back(app, world):
    client = sign_in(app, world, "therapist")
    page = client.get(f"/therapist/teams/{world.team.id}/plan/history?page=50").text
    assert link(page, "Pages of the plan versions", "prev").endswith("page=49")
    assert client.get(f"/therapist/teams/{world.team.id}/plan/history?page=-3").status_code == 200
