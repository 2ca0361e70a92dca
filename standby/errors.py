"""The one exception base for problems a user can fix.

A :class:`StandbyError` carries a message written for a planner, not a programmer: what is
wrong, where (file, row, field) and how to fix it. ``cli.py`` prints it and exits with code 2.

Library messages never name command-line options: the same error reaches a Python user, who
has no ``--to``. An error about a value the caller passed names it in ``parameters`` instead,
in the library's words (:data:`PARAMETERS`), and ``cli.py`` adds the options that set them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The names ``StandbyError.parameters`` may hold, and what each one is.
PARAMETERS = {
    "window_start": "the start of the window checked",
    "window_end": "the end of the window checked",
    "requirements": "the requirements file",
    "rota": "the rota file",
    "at": "the instant asked about",
    "role": "the role asked about",
    "not_work": "the roles whose on-call time is not work",
    "start": "the instant a simulated incident starts",
    "output": "the file written",
    "json_output": "the JSON file written",
    "force": "permission to replace an existing output",
    "every": "the step between the slots of a readiness sweep",
    "resume": "carrying on an interrupted readiness sweep",
    "exercise_date": "the date the exercise was held",
    "time_limit": "the seconds the gap-filling solver may take",
    "overrides_output": "the file the proposed overrides are written to",
    "handover": "the handover time of a spreadsheet grid's shifts",
    "shift_length": "how long each shift of a spreadsheet grid lasts",
    "timezone": "the zone of local times",
    "seed": "the random seed",
    "max_shifts": "the most shifts one rota may hold (standby.limits.MAX_SHIFTS by default)",
}


def with_input(message: str, item: Mapping[str, Any]) -> str:
    """One of pydantic's error messages with the value it is about, `` (got nan)``, when
    that is a short plain value (not a list or mapping) the message does not quote yet."""
    value = item.get("input")
    if value is None or isinstance(value, dict | list) or f"'{value}'" in message:
        return message
    shown = repr(value)
    return f"{message} (got {shown})" if len(shown) < 60 else message


class StandbyError(Exception):
    """A problem with the user's input or request, with a message the user can act on.

    ``parameters`` names the values the caller gave that the fix is about (keys of
    :data:`PARAMETERS`), so that a front end can say where to change them.
    """

    exit_code = 2

    def __init__(self, message: str, *, parameters: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        unknown = [name for name in parameters if name not in PARAMETERS]
        if unknown:
            raise ValueError(f"unknown error parameters {unknown}; see standby.errors.PARAMETERS")
        self.message = message
        self.parameters = parameters

    def __str__(self) -> str:
        return self.message


class OutputExistsError(StandbyError):
    """Refusing to replace an existing output unless told to."""
