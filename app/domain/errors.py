"""The domain's own errors. Use cases take the actor explicitly, change objects and flush;
one unit of work commits the request. They never reach for the request or Flask's abort():
they raise these, and the web layer answers them."""

from werkzeug.exceptions import NotFound as _HttpNotFound


class ServiceError(Exception):
    """A refusal the person can act on, shown next to `field` (or at the top when None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(_HttpNotFound):
    """The record does not exist for this actor: missing, another team's, or not theirs to
    act on. Answered as a 404, the same for each, so nothing tells them apart. (A subclass of
    werkzeug's NotFound, so every app answers it with its own 404 page.)"""
