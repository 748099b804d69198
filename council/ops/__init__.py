"""Running council: serving, migrations, backups and the checks before any of them."""

from __future__ import annotations


class OpsError(Exception):
    """An operation that cannot go ahead. The message is one line for the operator: what is
    wrong and what to do; `council` prints it, without a traceback, and exits non-zero."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
