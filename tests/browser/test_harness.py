"""The checks themselves: each one fails on a page built to break it. Pages are served by
intercepting requests in the browser, so neither the app nor the network is involved."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PROBES = {
    "axe": "<img src='/static/favicon.svg'>",
    "outside": "<img src='http://outside.invalid/pixel.png' alt='x'>",
    "csp": "<p style='color: red'>inline style</p>",
    "heavy": "<p>" + "x" * 110_000 + "</p>",
}


@pytest.fixture
def viewport() -> str:
    return "phone"


def _serve(route) -> None:
    name = route.request.url.rsplit("/", 1)[-1]
    body = f"<!doctype html><html lang='en'><title>{name}</title><main>{PROBES[name]}</main>"
    route.fulfill(
        status=200,
        content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": "default-src 'self'"},
        body=body,
    )


@pytest.mark.parametrize(
    ("probe", "complaint"),
    [
        ("axe", "image-alt"),
        ("outside", "loaded from outside the app"),
        ("csp", "broke the Content-Security-Policy"),
        ("heavy", "bytes of HTML\\+CSS\\+JS"),
    ],
)
def test_each_check_fails_a_page_that_breaks_it(new_tab, harbor, probe, complaint):
    tab = new_tab()
    tab.page.route(f"{harbor.url}/__probe/*", _serve)
    tab.page.route("http://outside.invalid/**", lambda route: route.abort())  # never sent
    with pytest.raises(AssertionError, match=complaint):
        tab.goto(f"/__probe/{probe}")


def test_axe_audits_pages_shown_without_javascript(new_tab, harbor):
    tab = new_tab(javascript=False)
    tab.page.route(f"{harbor.url}/__probe/*", _serve)
    with pytest.raises(AssertionError, match="image-alt"):
        tab.goto("/__probe/axe")
