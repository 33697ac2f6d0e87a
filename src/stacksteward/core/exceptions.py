"""Errors that services raise and every interface (UI, API, CLI, import) translates the same way."""


class ConflictError(Exception):
    """The write would overwrite someone else's newer change (HTTP 409)."""

    def __init__(self, message: str, *, current_version: int | None = None):
        super().__init__(message)
        self.message = message
        self.current_version = current_version


class StaleVersionError(ConflictError):
    pass
