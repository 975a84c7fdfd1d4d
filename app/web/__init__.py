"""Request-wide behaviour: error pages, security headers, what every template needs, and the
bare health check."""

from __future__ import annotations

from flask import Flask, abort, has_request_context, render_template, request, url_for
from flask_babel import get_locale, get_translations
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.exceptions import HTTPException

from app.domain.consent.commands import scope_label
from app.domain.labels import audience_label, person_name, role_label, section_title, tel_digits
from app.extensions import db
from app.platform.i18n import TEMPLATE_TRANSLATIONS_KEY, template_translations
from app.policy.audiences import opens_safety_plan_for_help
from app.policy.context import current_membership
from app.policy.guard import is_therapist
from app.policy.scoping import has_several_teams

ERROR_STATUSES = (400, 401, 403, 404, 405, 413, 429, 500)
# Endpoints that answer without looking up who is signed in (which would read the session).
SESSIONLESS_ENDPOINTS = frozenset({"static", "health"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; base-uri 'none'; object-src 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Harbor uses none of these browser features; refusing them all means a script that got in
# somehow still cannot reach a camera, a microphone, the teen's location or a payment.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)
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
    @app.get("/health")
    def health():
        # For load balancers and the benchmark's ceiling: it must stay free of the database,
        # the session and templates, or a slow database would take every app server out.
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

    @app.before_request
    def refuse_uploads():
        # Harbor has no upload fields, and Flask-WTF would hand an uploaded file to a text
        # field's validators, which expect a string (a 500 found by tests/security/test_fuzz).
        if request.files:
            abort(400)

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        db.session.rollback()
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        if status not in ERROR_STATUSES:
            return error
        return render_template("errors/error.html", status=status), status

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        # Roll the whole request back. In production the log names the exception type only:
        # its message could quote a record's contents.
        db.session.rollback()
        rule = request.url_rule.rule if request.url_rule else "?"
        if app.testing or app.debug:
            app.logger.exception("unhandled error on %s %s", request.method, rule)
        else:
            app.logger.error("unhandled %s on %s %s", type(error).__name__, request.method, rule)
        if app.config.get("PROPAGATE_EXCEPTIONS"):
            raise error
        return render_template("errors/error.html", status=500), 500

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint not in SESSIONLESS_ENDPOINTS and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        return response

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
