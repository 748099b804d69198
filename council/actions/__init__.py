"""The only code that writes: each action checks permission, changes and audits, in one
transaction."""


class ActionError(Exception):
    """A request the user can fix; the message is shown to them, already translated."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Forbidden(Exception):
    """The user may not do this. Views answer 403 (or 404 where existence itself is private)."""
