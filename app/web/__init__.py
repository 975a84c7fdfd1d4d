"""Request-wide behaviour, one concern a module, each attached by its own `register(app)`
(called by create_app): the health check, the upload refusal, error pages, security headers,
the layout's template context, the unit of work (one commit a request), form keys against
double submissions, read-only transactions ending in COMMIT, and the session loader."""
