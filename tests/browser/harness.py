"""The browser harness: a real Harbor server, a loopback mailbox, and tabs that check every
page they show (axe-core, requests to other hosts, page weight, Content-Security-Policy)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from functools import lru_cache
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Download, Locator, Page, Response

from app.config import ROOT
from tests.conftest import ReceivedMail, _Collector

CHROMIUM = Path(os.environ.get("HARBOR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}
PAGE_BUDGET = 100 * 1024  # HTML + CSS + JS of one page, in bytes
COUNTED_TYPES = {"document", "stylesheet", "script"}
SCREENSHOTS = ROOT / "docs" / "screenshots"
IN_CI = os.environ.get("CI", "").strip().lower() == "true"

# For the session's summary line: pages checked and axe runs per viewport, and the paths.
PAGES_CHECKED: Counter[str] = Counter()
AXE_RUNS: Counter[str] = Counter()
WEIGHTS: dict[str, int] = {}  # each path checked -> its largest HTML+CSS+JS, in bytes
_PASSED: set[tuple[str, bytes]] = set()
_HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')  # CSRF tokens differ each time

_AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                       resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                              summary: n.failureSummary}))})))"""


class Mailbox(_Collector):
    """The loopback SMTP server's inbox (see the `smtp` fixture in tests/conftest.py)."""

    port = 0

    def last_to(self, address: str, context: str = "") -> ReceivedMail:
        with self.lock:
            mine = [m for m in self.messages if address in m.recipients]
        assert mine, f"no email reached {address}. {context}"
        return mine[-1]


class HarborServer:
    """`flask run` in a subprocess on its own SQLite file; the CLI runs against the same file."""

    def __init__(self, folder: Path, port: int, mail_port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.port = port
        self.log_path = folder / "server.log"
        self.env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("MAIL_", "FLASK_", "SESSION_COOKIE"))
        }
        self.env.update(
            # "testing" switches the rate limits off: the whole suite signs in from one address
            # more often than a person may in a minute. It also drops the demo notice.
            HARBOR_ENV="testing",
            SECRET_KEY=os.urandom(32).hex(),
            DATABASE_URL=f"sqlite:///{folder / 'harbor.sqlite3'}",
            BASE_URL=self.url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(mail_port),
            MAIL_TIMEOUT="5",
            PYTHONUNBUFFERED="1",
        )
        self._process: subprocess.Popen | None = None
        self._log = None

    def flask(self, *args: str) -> str:
        """Runs a Flask CLI command against the server's database; returns its output."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
        return done.stdout

    def deliver_mail(self) -> str:
        """One pass of the outbox worker, as `make outbox` runs it; returns what it said."""
        return self.flask("outbox")

    def start(self) -> None:
        self._log = self.log_path.open("w")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run"]
            + ["--host", "127.0.0.1", "--port", str(self.port), "--no-reload", "--no-debugger"],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"Harbor stopped at start:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise RuntimeError(f"Harbor did not answer within 30 s:\n{self.log()}")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not None:
            self._log.close()

    def log(self) -> str:
        """What the server said besides its access log: start-up problems, errors."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(line for line in lines if " HTTP/1.1" not in line)[-4000:]


class Tab:
    """One browser tab on Harbor. After every navigation, `check()` fails the test when the
    page breaks a budget or an accessibility rule; journeys navigate only through
    `goto`, `click` and `press`, so every page they visit is checked."""

    def __init__(
        self, page: Page, server: HarborServer, viewport: str, *, auditor: Page | None = None
    ):
        self.page = page
        self.server = server
        self.viewport = viewport
        self._auditor = auditor  # a tab with JavaScript, when this one has none
        self._requests: list[str] = []
        self._responses: list[Response] = []
        self._csp_errors: list[str] = []
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)
        self.page.on("console", self._on_console)

    def detach(self) -> None:
        """Stops listening, so the page can serve another Tab."""
        self.page.remove_listener("request", self._on_request)
        self.page.remove_listener("response", self._on_response)
        self.page.remove_listener("console", self._on_console)

    def _on_request(self, request) -> None:
        self._requests.append(request.url)

    def _on_response(self, response: Response) -> None:
        self._responses.append(response)

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self._csp_errors.append(message.text)

    @property
    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def goto(self, path_or_url: str) -> Tab:
        url = path_or_url if "://" in path_or_url else self.server.url + path_or_url
        self.page.goto(url)
        self.check()
        return self

    def click(self, target: Locator) -> Tab:
        """Clicks a link or button that leads to another page, then checks that page."""
        with self.page.expect_navigation():
            target.click()
        self.check()
        return self

    def press(self, key: str) -> Tab:
        """Presses a key that submits a form or follows a link, then checks the new page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.check()
        return self

    def download(self, target: Locator) -> Download:
        """Clicks a button that answers with a file: the page stays as it was, and what the
        click fetched is a download, not a page, so it is neither checked nor weighed."""
        with self.page.expect_download() as started:
            target.click()
        download = started.value
        download.path()  # waits for the whole file
        self._requests = [url for url in self._requests if url != download.url]
        self._responses = [r for r in self._responses if r.url != download.url]
        return download

    def screenshot(self, name: str) -> None:
        """Saves docs/screenshots/<name>-<viewport>.png when HARBOR_SCREENSHOTS=1: the first
        screen a person sees, so the files stay small however long the page grows."""
        if os.environ.get("HARBOR_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=SCREENSHOTS / f"{name}-{self.viewport}.png")

    # -- the checks ---------------------------------------------------------------------

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        where = f"{self.page.url} ({self.viewport})"
        requests, self._requests = self._requests, []
        responses, self._responses = self._responses, []
        csp_errors, self._csp_errors = self._csp_errors, []

        outside = [url for url in requests if not self._is_ours(url)]
        assert not outside, f"{where} loaded from outside the app: {outside}"
        assert not csp_errors, f"{where} broke the Content-Security-Policy: {csp_errors}"
        failed = [f"{r.status} {r.url}" for r in responses if r.status >= 500]
        assert not failed, f"{where}: server errors {failed}\n{self.server.log()}"

        weight = sum(
            len(r.body())
            for r in responses
            if self._is_ours(r.url)
            and r.request.resource_type in COUNTED_TYPES
            and not 300 <= r.status < 400
        )
        assert weight <= PAGE_BUDGET, f"{where} weighs {weight} bytes of HTML+CSS+JS"

        self._audit(self.viewport)
        PAGES_CHECKED[self.viewport] += 1
        path = re.sub(r"/[A-Za-z0-9_-]{20,}$", "/<token>", urlsplit(self.page.url).path)
        WEIGHTS[path] = max(weight, WEIGHTS.get(path, 0))

    def audit_at(self, viewport: str) -> None:
        """Runs axe on the page as it is, resized to another viewport, then sizes it back."""
        assert self._auditor is None, "only tabs with JavaScript resize"
        self.page.set_viewport_size(VIEWPORTS[viewport])
        try:
            self._audit(viewport)
            PAGES_CHECKED[viewport] += 1
        finally:
            self.page.set_viewport_size(VIEWPORTS[self.viewport])

    def _audit(self, viewport: str) -> None:
        # axe's verdict depends only on the markup, the CSS and the viewport: a page identical
        # to one that already passed (hidden inputs aside) needs no second run.
        html = self.page.content()
        fingerprint = (viewport, hashlib.sha256(_HIDDEN_INPUT.sub("", html).encode()).digest())
        if fingerprint in _PASSED:
            return
        violations = self._axe(html)
        assert not violations, (
            f"axe found {len(violations)} violation(s) on {self.page.url} ({viewport}):\n"
            + "\n".join(_describe(v) for v in violations)
        )
        _PASSED.add(fingerprint)
        AXE_RUNS[viewport] += 1

    def _is_ours(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in {"data", "blob", "about"} or (
            f"{parts.scheme}://{parts.netloc}" == self.server.url
        )

    def _axe(self, html: str) -> list[dict]:
        if self._auditor is None:
            return _run_axe(self.page)
        # Without JavaScript axe cannot run here: audit the very same HTML, served at the same
        # address (so its CSS loads as usual), in a tab that has JavaScript.
        url = urldefrag(self.page.url).url
        self._auditor.set_viewport_size(self.page.viewport_size)
        self._auditor.route(
            lambda candidate: urldefrag(candidate).url == url,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=html
            ),
            times=1,
        )
        self._auditor.goto(url)
        return _run_axe(self._auditor)


def _run_axe(page: Page) -> list[dict]:
    # Evaluated through the DevTools protocol, which the page's CSP does not govern: the
    # journeys keep running under the app's real Content-Security-Policy.
    if not page.evaluate("() => typeof axe === 'object'"):  # once per page, not per size
        page.evaluate(_axe_source())
    return page.evaluate(_AXE_RUN, AXE_TAGS)


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE.read_text()


def _describe(violation: dict) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        lines.append(f"    at {node['target']}: {node['html'][:200]}")
        lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def link_in(body: str, server: HarborServer) -> str:
    """The Harbor link in an email body."""
    match = re.search(re.escape(server.url) + r"/\S+", body)
    assert match, body
    return match.group(0)
