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
    env = "testing" if test_config is not None else os.environ.get("HARBOR_ENV", "development")
    app.config.from_mapping(config.load(env, app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    from app.demo.load import DEMO_EMAILS

    # While the app runs as a demo, the policy exempts these published accounts from two-factor.
    app.config.setdefault("DEMO_EMAILS", DEMO_EMAILS)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config["TRUSTED_PROXIES"]:
        # Behind a load balancer every request comes from its address: rate limits, lockout
        # and the audit log need the client's, from the headers the proxies add.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.url_map.converters["int"] = BoundedIntConverter
    register_extensions(app)
    register_content()
    register_blueprints(app)
    register_cli(app)
    from app import web
    from app.domain.teams import revisions as team_revisions  # noqa: F401 (it watches every flush)
    from app.web import form_keys as idempotency
    from app.web import read_transactions

    web.register(app)
    idempotency.register(app)
    read_transactions.register(app)
    return app


class BoundedIntConverter(IntegerConverter):
    """Ids beyond a 32-bit key cannot exist: answer 404 rather than overflow the database."""

    def __init__(self, url_map, *args, **kwargs):
        from app.platform.pagination import MAX_ID

        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (models: one complete metadata for Alembic)
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


def register_blueprints(app: Flask) -> None:
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
