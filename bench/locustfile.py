"""Harbor's pages under load, as the people of the seeded care teams (`flask seed --teams N`).

bench/run.py drives this file as a library, one page at a time (see `Schedule`). It also runs
on its own, every virtual user going round all the pages, to explore with locust's web UI:

    BENCH_TEAMS=200 locust -f bench/locustfile.py --host http://127.0.0.1:8000

Each virtual user takes one team of the seed (users are spread evenly over the teams), signs in
once as each of its four members, each in a browser of its own, and then requests pages as
them. Only pages are timed: the sign-in form, and what a user reads once to learn its team's
id and its CSRF token, are named SETUP and left out of the results.
"""

from __future__ import annotations

import itertools
import os
import weakref
from collections.abc import Callable
from http.cookiejar import DefaultCookiePolicy

import gevent
from locust import FastHttpUser, constant, task
from locust.contrib.fasthttp import FastHttpSession
from pages import (
    CHECKIN,
    CHECKIN_DAY,
    CSRF_TOKEN,
    GETS,
    LOGIN,
    MODULE_LINK,
    PAGE_NAMES,
    ROLES,
    TEAM_LINK,
    TEEN,
    Page,
    account,
    found,
)

PASSWORD = os.environ.get("BENCH_PASSWORD", "harbor-bench")
SETUP = "setup"
PAUSE = "pause"


def answer(response) -> str:
    """What went wrong: the status, or the connection's error when there was no answer."""
    error = getattr(response, "error", None)
    return f"{response.status_code} {error or ''}".strip()


class LoopbackCookiePolicy(DefaultCookiePolicy):
    """Sends the app's Secure session cookie over plain HTTP, as browsers do to loopback,
    which they count as a secure context: the server runs with production's cookies."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class Schedule:
    """The page every virtual user requests now; None lets each go round all the pages, and
    PAUSE holds them between two pages until the requests in flight (`busy`) are answered."""

    page: str | None = None
    ready = 0  # virtual users signed in as their four accounts
    busy = 0


# A counter of virtual users per locust Environment, so each level starts from the first team.
_slots: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class CareTeamVisitor(FastHttpUser):
    wait_time = constant(0)
    # How many teams the database holds; bench/run.py sets it for each size in its list.
    teams = int(os.environ.get("BENCH_TEAMS", "200").split(",")[0])

    def on_start(self) -> None:
        counter = _slots.setdefault(self.environment, itertools.count())
        users = max(self.environment.runner.target_user_count or 1, 1)
        slot = next(counter) % users
        self.team_number = 1 + slot * self.teams // users
        self.browsers: dict[str, FastHttpSession] = {}
        for role in ROLES:
            self.log_in(role)
        self.learn_team()
        self.rotation = itertools.cycle(PAGE_NAMES)
        self.actions: dict[str, Callable[[], None]] = {
            **{page.name: self.action(page) for page in GETS},
            LOGIN: self.log_in_again,
            CHECKIN: self.check_in,
        }
        self.next_login = itertools.cycle(ROLES)
        Schedule.ready += 1

    @task
    def visit(self) -> None:
        page = Schedule.page or next(self.rotation)
        if page == PAUSE:
            gevent.sleep(0.01)
            return
        Schedule.busy += 1
        try:
            self.actions[page]()
        finally:
            Schedule.busy -= 1

    def browser(self) -> FastHttpSession:
        """A fresh browser: no cookies, its own connections."""
        browser = FastHttpSession(
            self.host,
            self.environment.events.request,
            user=self,
            network_timeout=self.network_timeout,
            connection_timeout=self.connection_timeout,
        )
        browser.cookiejar.set_policy(LoopbackCookiePolicy())
        return browser

    def log_in(self, role: str) -> None:
        browser = self.browser()
        credentials = {
            "csrf_token": found(CSRF_TOKEN, browser.get("/login", name=SETUP).text, ""),
            "email": account(role, self.team_number),
            "password": PASSWORD,
        }
        with browser.post(
            "/login", data=credentials, name=LOGIN, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{role} sign-in: {answer(response)}")
                # A failed sign-in keeps the session it would have replaced; with none, the
                # role's pages fail too, and show it.
                self.browsers.setdefault(role, browser)
                return
        self.browsers[role] = browser

    def log_in_again(self) -> None:
        role = next(self.next_login)
        self.log_in(role)
        if role == TEEN:
            self.read_checkin_form()

    def learn_team(self) -> None:
        teen = self.browsers[TEEN]
        self.team_id = found(TEAM_LINK, teen.get("/teen/", name=SETUP).text, "0")
        self.module = found(MODULE_LINK, teen.get("/modules/", name=SETUP).text, "none")
        self.read_checkin_form()

    def read_checkin_form(self) -> None:
        form = self.browsers[TEEN].get("/teen/check-in", name=SETUP).text
        self.checkin = {
            "csrf_token": found(CSRF_TOKEN, form, ""),
            "day": found(CHECKIN_DAY, form, ""),
            # Below every alert threshold, so no alert email is queued.
            "urge": "1",
            "thoughts": "0",
            "acted": "no",
            "note": "",
        }

    def action(self, page: Page) -> Callable[[], None]:
        def request() -> None:
            browser = self.client if page.role is None else self.browsers[page.role]
            path = page.url(self.team_id, self.module)
            with browser.get(
                path, name=page.name, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{path}: {answer(response)}")

        return request

    def check_in(self) -> None:
        # The first one of the day saves the check-in; the others edit it, as a teen may.
        with self.browsers[TEEN].post(
            "/teen/check-in",
            data=self.checkin,
            name=CHECKIN,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"check-in: {answer(response)}")
