"""The one exception base for problems a user can fix.

A :class:`StandbyError` carries a message written for a planner, not a programmer: what is
wrong, where (file, row, field) and how to fix it. ``cli.py`` prints it and exits with code 2.
"""

from __future__ import annotations


class StandbyError(Exception):
    """A problem with the user's input or request, with a message the user can act on."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class OutputExistsError(StandbyError):
    """Refusing to overwrite an existing output without ``--force``."""
