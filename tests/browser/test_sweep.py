"""Every page a person reaches by following links from their dashboard passes the same
checks as the journeys: a gate for the pages no journey visits yet. Each page is loaded
once at the phone size and audited at both sizes."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.browser.steps import sign_in

pytestmark = pytest.mark.browser

MAX_DEPTH = 2  # clicks away from the dashboard
MAX_PAGES = 20  # per person, nearest first: keeps the suite fast as the app grows
PER_KIND = 1  # of the pages that differ only by a record number: /alerts/1, /alerts/2, ...

# Two people in English and two in Spanish, so pages in both languages are audited.
PEOPLE = [
    "therapist@demo.example",
    "parent2@demo.example",
    "teen@demo.example",
    "counselor2@demo.example",
]


@pytest.fixture
def viewport() -> str:
    return "phone"  # the size pages load at; audit_at() adds the desktop one


@pytest.mark.parametrize("email", PEOPLE, ids=lambda email: email.split("@")[0])
def test_every_page_linked_from_the_dashboard_passes_the_checks(new_tab, email):
    tab = new_tab().goto("/login")
    sign_in(tab, email)
    origin = tab.server.url
    # "/" only sends a signed-in person to their dashboard, where the walk starts.
    queue, seen, kinds = [(tab.page.url, 0)], {origin + "/"}, Counter()
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.pop(0)
        url = urldefrag(url).url
        kind = re.sub(r"/\d+(?=/|$)", "/<id>", urlsplit(url).path)
        if url in seen or kinds[kind] >= PER_KIND:
            continue
        seen.add(url)
        kinds[kind] += 1
        if url != tab.page.url:
            tab.goto(url)  # checked at the phone size
        tab.audit_at("desktop")
        if depth < MAX_DEPTH:
            links = tab.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
            queue += [
                (link, depth + 1)
                for link in links
                if link.startswith(origin + "/") and not urlsplit(link).path.startswith("/static/")
            ]
    assert len(seen) > 3, f"only {sorted(seen)} reached from the dashboard"
