"""Use cases. Each takes the actor explicitly, changes objects and flushes; the view commits."""


class ServiceError(Exception):
    """A refusal the person can act on, shown next to `field` (or at the top when None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
