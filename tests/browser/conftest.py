"""Browser fixtures: one real Harbor server, one SMTP server and one Chromium per session.

Journeys keep out of each other's way by using their own people (distinct email addresses),
so they share the server and run in any order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.browser.harness import (
    AXE,
    AXE_RUNS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IN_CI,
    PAGES_CHECKED,
    VIEWPORTS,
    WEIGHTS,
    HarborServer,
    Mailbox,
    Tab,
)
from tests.conftest import free_port

_missing: list[str] = []


def _require(present: bool, what: str) -> None:
    if present:
        return
    _missing.append(what)
    message = (
        f"BROWSER TESTS NOT RUN: {what} is missing. `make browser-deps` installs it"
        " (Debian's chromium and axe-core from npm)."
    )
    if IN_CI:
        pytest.fail(message + " CI=true, so this is a failure.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    _require(CHROMIUM.exists(), str(CHROMIUM))
    _require(AXE.exists(), str(AXE))
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    inbox = Mailbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def harbor(browser, mailbox, tmp_path_factory) -> Iterator[HarborServer]:
    server = HarborServer(tmp_path_factory.mktemp("harbor"), free_port(), mailbox.port)
    server.flask("db", "upgrade")
    server.flask("demo")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@dataclass
class _Profile:
    """A browser profile (context) and its tab, kept for the next test once cleared:
    opening a tab costs far more than a navigation, and the suite opens about fifty."""

    context: BrowserContext
    page: Page


@pytest.fixture(scope="session")
def _idle_profiles(browser) -> dict[tuple[str, bool], list[_Profile]]:
    return defaultdict(list)  # (viewport, javascript) -> profiles; closed with the browser


@pytest.fixture
def new_tab(browser, harbor, viewport, _idle_profiles) -> Iterator[Callable[..., Tab]]:
    """new_tab() opens a tab in a browser profile of its own, with no cookies, at the test's
    viewport; new_tab(javascript=False) opens one with JavaScript switched off."""
    taken: list[tuple[tuple[str, bool], _Profile]] = []
    tabs: list[Tab] = []

    def _take(javascript: bool) -> Page:
        key = (viewport, javascript)
        if _idle_profiles[key]:
            profile = _idle_profiles[key].pop()
        else:
            context = browser.new_context(
                viewport=VIEWPORTS[viewport],
                java_script_enabled=javascript,
                locale="en-US",
                timezone_id="America/Chicago",
            )
            context.set_default_timeout(10_000)
            profile = _Profile(context, context.new_page())
        taken.append((key, profile))
        return profile.page

    def _new(javascript: bool = True) -> Tab:
        auditor = None if javascript else _take(True)
        tab = Tab(_take(javascript), harbor, viewport, auditor=auditor)
        tabs.append(tab)
        return tab

    yield _new
    for tab in tabs:
        tab.detach()
    for key, profile in taken:
        try:
            profile.page.unroute_all(behavior="ignoreErrors")
            profile.page.goto("about:blank")
            profile.page.set_viewport_size(VIEWPORTS[key[0]])
            profile.context.clear_cookies()
        except PlaywrightError:
            profile.context.close()  # a tab the test left broken is not reused
        else:
            _idle_profiles[key].append(profile)


def pytest_terminal_summary(terminalreporter) -> None:
    if _missing:
        terminalreporter.write_sep(
            "!",
            f"BROWSER TESTS NOT RUN: {_missing[0]} is missing; run `make browser-deps`",
            red=True,
        )
    if PAGES_CHECKED:
        counts = ", ".join(
            f"{name}: {PAGES_CHECKED[name]} pages, {AXE_RUNS[name]} axe runs" for name in VIEWPORTS
        )
        path, weight = max(WEIGHTS.items(), key=lambda item: item[1])
        terminalreporter.write_line(
            f"browser: pages that passed every check ({counts});"
            f" {len(WEIGHTS)} distinct paths: {' '.join(sorted(WEIGHTS))};"
            f" heaviest: {path} at {weight / 1024:.1f} KB of HTML+CSS+JS"
        )
