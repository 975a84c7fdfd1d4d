"""The bare health check, for load balancers and the benchmark's ceiling."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    @app.get("/health")
    def health():
        # It must stay free of the database, the session and templates, or a slow database
        # would take every app server out (app.web.headers lists it as sessionless).
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
