"""Harbor: the application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app import config
from app.config import ROOT


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    register_config(app, test_config)
    register_proxies(app)
    register_extensions(app)
    register_db_listeners(app)
    register_content()
    register_blueprints(app)
    register_cli(app)
    register_request_hooks(app)
    return app


def register_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    env = "testing" if test_config is not None else os.environ.get("HARBOR_ENV", "development")
    app.config.from_mapping(config.load(env, app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    from app.demo.load import DEMO_EMAILS

    # While the app runs as a demo, the policy exempts these published accounts from two-factor.
    app.config.setdefault("DEMO_EMAILS", DEMO_EMAILS)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def register_proxies(app: Flask) -> None:
    if app.config["TRUSTED_PROXIES"]:
        # Behind a load balancer every request comes from its address: rate limits, lockout
        # and the audit log need the client's, from the headers the proxies add.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


class BoundedIntConverter(IntegerConverter):
    """Ids beyond a 32-bit key cannot exist: answer 404 rather than overflow the database."""

    def __init__(self, url_map, *args, **kwargs):
        from app.platform.pagination import MAX_ID

        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_extensions(app: Flask) -> None:
    from app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from app.platform import i18n

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.install_template_gettext(app)
    login_manager.init_app(app)
    from app.web import session_loader as auth_loader

    auth_loader.register(login_manager)


def register_db_listeners(app: Flask) -> None:
    """Attached to this app's engine and to db.session, never to SQLAlchemy's classes."""
    from app import db as engine_tuning
    from app.domain.teams import revisions as team_revisions

    engine_tuning.register(app)  # SQLite: the driver fix, pragmas, WAL, BEGIN IMMEDIATE
    team_revisions.register(app)  # bumps a team's revision in any flush that changes it


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
    from app.blueprints import (
        account,
        auth,
        consent,
        family,
        help,
        messages,
        modules,
        school,
        teen,
        therapist,
    )

    for module in (
        auth,
        account,
        help,
        therapist,
        family,
        teen,
        school,
        consent,
        modules,
        messages,
    ):
        app.register_blueprint(module.bp)


def register_content() -> None:
    """Parses the module files once per process: a broken file stops start-up, naming itself."""
    from app.content import modules

    modules.library()


def register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    """In this order: the before-request hooks run as listed (after CSRFProtect's check and the
    blueprints' app-wide ones), the after-request hooks in reverse."""
    from app.web import (
        errors,
        form_keys,
        headers,
        health,
        layout,
        read_transactions,
        unit_of_work,
        uploads,
    )

    health.register(app)
    uploads.register(app)
    errors.register(app)
    headers.register(app)
    layout.register(app)
    unit_of_work.register(app)
    form_keys.register(app)  # needs the unit of work: it settles a form's key before the commit
    read_transactions.register(app)
