"""Error pages: every HTTP error Harbor answers, a refused CSRF token, and anything else that
went wrong, each after rolling the request back."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

ERROR_STATUSES = (400, 401, 403, 404, 405, 413, 429, 500)


def register(app: Flask) -> None:
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
