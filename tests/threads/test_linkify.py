"""Web addresses in messages become links; nothing else in a message ever becomes HTML."""

import pytest

from app.blueprints.messages.text import linkify
from tests.conftest import log_in
from tests.threads.helpers import say, url

REL = 'rel="nofollow noopener noreferrer"'


def test_addresses_become_links_and_the_rest_is_escaped():
    html = str(linkify("See https://example.org/a?b=1&c=2 <b>now</b>"))
    assert html == (
        f'See <a href="https://example.org/a?b=1&amp;c=2" {REL}>https://example.org/a?b=1&amp;c=2'
        "</a> &lt;b&gt;now&lt;/b&gt;"
    )


@pytest.mark.parametrize(
    ("text", "linked", "after"),
    [
        ("Read http://example.org.", "http://example.org", "."),
        ("(see https://example.org/x)", "https://example.org/x", ")"),
        ("https://en.wikipedia.org/wiki/Harbor_(disambiguation)!", None, "!"),
        ("Is it https://example.org/?", "https://example.org/", "?"),
    ],
)
def test_sentence_punctuation_stays_outside_the_link(text, linked, after):
    html = str(linkify(text))
    if linked is None:
        linked = "https://en.wikipedia.org/wiki/Harbor_(disambiguation)"
    assert f'<a href="{linked}" {REL}>{linked}</a>{after}' in html


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
        "<a href='javascript:alert(1)'>click</a>",
        "<script>alert(1)</script>",
        "https://",
        "//example.org/no-scheme",
    ],
)
def test_other_schemes_and_markup_stay_inert(text):
    html = str(linkify(text))
    assert "<a " not in html
    assert "<script" not in html


def test_quotes_cannot_break_out_of_the_link():
    html = str(linkify('https://example.org/"onmouseover="alert(1)'))
    assert html.startswith(f'<a href="https://example.org/" {REL}>')
    assert "&#34;onmouseover=&#34;alert(1)" in html


def test_line_breaks_are_kept():
    assert str(linkify("one\r\ntwo\n<three>")) == "one<br>\ntwo<br>\n&lt;three&gt;"


def test_the_thread_page_shows_links_safely(client, team):
    say(team, "therapist", "family", "Worksheet: https://example.org/sheet\njavascript:alert(1)")
    log_in(client, team.guardian.email)
    page = client.get(url(team, "family")).text
    assert f'<a href="https://example.org/sheet" {REL}>https://example.org/sheet</a><br>' in page
    assert 'href="javascript' not in page
