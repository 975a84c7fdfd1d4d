"""Keyboard only: Tab reaches every control in page order, the skip link first, and the
focused control is always visibly marked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import Tab
from tests.browser.steps import DEMO_PASSWORD

pytestmark = pytest.mark.browser

_DESCRIBE = """el => {
  const label = (el.labels && el.labels[0] && el.labels[0].textContent)
    || el.getAttribute('aria-label') || el.textContent || el.name || '';
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "'
    + label.replace(/\\s+/g, ' ').trim() + '"';
}"""

# Every control a keyboard should reach, in document order.
_CONTROLS = f"""() => {{
  const describe = {_DESCRIBE};
  return [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(el => el.tabIndex >= 0 && !el.disabled && el.type !== 'hidden'
                  && el.getClientRects().length > 0)
    .map(describe);
}}"""

# The focused control, whether its focus can be seen, and whether it is on screen.
_FOCUSED = f"""() => {{
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {{
    control: ({_DESCRIBE})(el),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
          || style.boxShadow !== 'none',
    rect: [rect.top, rect.bottom, innerHeight],
    on_screen: rect.width > 0 && rect.height > 0 && rect.top >= 0 && rect.left >= 0
               && rect.bottom <= innerHeight + 1 && rect.right <= innerWidth + 1,
  }};
}}"""


def tab_through(tab: Tab) -> list[str]:
    """Presses Tab from the top of the page until focus leaves it; checks each stop."""
    page = tab.page
    controls = page.evaluate(_CONTROLS)
    reached = []
    for _ in range(len(controls) + 3):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            break
        where = f"{focused['control']} on {tab.path} ({tab.viewport})"
        assert focused["ring"], f"no visible focus on {where}"
        assert focused["on_screen"], f"focused but off screen: {where} {focused['rect']}"
        reached.append(focused["control"])
    assert reached == controls, "Tab order differs from the page's controls"
    assert reached[0].startswith('a "Skip to main content"'), reached[0]
    return reached


def test_keyboard_alone_signs_in_and_reaches_every_control(new_tab):
    tab = new_tab().goto("/login")
    page = tab.page
    tab_through(tab)

    # A person who cannot use a mouse: skip link, then type, Tab, type, Enter.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    page.keyboard.type("teen@demo.example")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    tab.press("Enter")
    assert tab.path == "/teen/"
    # The skip link's #main came along through the redirect, so Tab goes on from there.
    assert page.url.endswith("/teen/#main")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")

    tab.goto("/teen/")  # and from the top of the page
    controls = tab_through(tab)
    assert any('"Get help now"' in c for c in controls[:4]), "help comes early in the order"
    assert any('"Sign out"' in c for c in controls)
