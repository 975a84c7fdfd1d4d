"""Message text as HTML: escaped first, then web addresses made into links, line breaks kept."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Only http and https: no javascript:, data: or any other scheme can become a link.
URL = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?"


def _split_trailing(url: str) -> tuple[str, str]:
    """Punctuation that ends a sentence is not part of the address, nor an unmatched ')'."""
    end = len(url)
    while end > 0:
        char = url[end - 1]
        if char in TRAILING or (char == ")" and url[:end].count("(") < url[:end].count(")")):
            end -= 1
        else:
            break
    return url[:end], url[end:]


def linkify(text: str | None) -> Markup:
    text = (text or "").replace("\r\n", "\n")
    # Most messages hold no address (every match contains "://"), and most are one line.
    html = escape(text) if "://" not in text else _links(text)
    return Markup("<br>\n").join(html.split("\n")) if "\n" in html else html


def _links(text: str) -> Markup:
    parts: list[Markup] = []
    position = 0
    for match in URL.finditer(text):
        url, rest = _split_trailing(match.group(0))
        if "://" not in url or url.endswith("://"):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<a href="{0}" rel="nofollow noopener noreferrer">{0}</a>').format(url))
        parts.append(escape(rest))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
