"""Uploads are refused: Harbor has no upload fields."""

from __future__ import annotations

from flask import Flask, abort, request


def register(app: Flask) -> None:
    @app.before_request
    def refuse_uploads():
        # Flask-WTF would hand an uploaded file to a text field's validators, which expect a
        # string (a 500 found by tests/security/test_fuzz).
        if request.files:
            abort(400)
