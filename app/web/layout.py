"""What every template needs: the layout's links, the locale and its translations, the
labels and filters, and for a signed-in person the team and navigation they see."""

from __future__ import annotations

from flask import Flask, has_request_context, request, url_for
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

from app.domain.consent.commands import scope_label
from app.domain.labels import audience_label, person_name, role_label, section_title, tel_digits
from app.platform.i18n import TEMPLATE_TRANSLATIONS_KEY, template_translations
from app.policy.audiences import opens_safety_plan_for_help
from app.policy.context import current_membership
from app.policy.guard import is_therapist
from app.policy.scoping import has_several_teams

# The links every page's layout carries: (endpoint, values) by name in `layout_urls`.
LAYOUT_LINKS = {
    "stylesheet": ("static", {"filename": "harbor.css"}),
    "favicon": ("static", {"filename": "favicon.svg"}),
    "home": ("auth.index", {}),
    "help_now": ("teen.help_now", {}),
    "crisis": ("help.crisis", {}),
    "care_teams": ("therapist.dashboard", {}),
    "switch_team": ("account.teams", {}),
    "settings": ("account.settings", {}),
    "logout": ("auth.logout", {}),
    "language": ("account.language", {}),
}
LAYOUT_URLS_KEY = "harbor.layout_urls"


def _build_layout_urls() -> dict[str, str]:
    return {name: url_for(endpoint, **values) for name, (endpoint, values) in LAYOUT_LINKS.items()}


def layout_urls(app: Flask) -> dict[str, str]:
    """The layout's links, built once per process for each script root they are served under
    (they depend on nothing else about the request)."""
    if not has_request_context():
        return _build_layout_urls()
    cache = app.extensions.setdefault(LAYOUT_URLS_KEY, {})
    root = request.script_root
    urls = cache.get(root)
    if urls is None:
        urls = cache[root] = _build_layout_urls()
    return urls


@pass_context
def _audience_label(context: Context, item) -> str:
    return audience_label(item, template_translations(context))


def register(app: Flask) -> None:
    app.add_template_filter(tel_digits, "tel")
    app.add_template_filter(person_name, "person_name")

    @app.context_processor
    def layout_context():
        context = {
            "locale": str(get_locale()),
            TEMPLATE_TRANSLATIONS_KEY: get_translations(),
            "layout_urls": layout_urls(app),
            "demo_mode": app.config["DEMO"],
            "role_label": role_label,
            "audience_label": _audience_label,
            "section_title": section_title,
            "scope_label": scope_label,
            "help_opens_safety_plan": False,
        }
        if current_user.is_authenticated:
            membership = current_membership()
            context.update(
                current_membership=membership,
                help_opens_safety_plan=opens_safety_plan_for_help(membership),
                several_teams=has_several_teams(current_user),
                therapist_nav=is_therapist(current_user),
            )
        return context
