"""One call per command: what `standby rota check`, `rota who` and `rota export` do, for Python too.

These functions read the files, resolve the window and the role settings, and return plain
results; rendering them is ``standby.reports``' job, printing and exit codes ``cli.py``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from standby.clock import (
    DEFAULT_REGION,
    DEFAULT_TIMEZONE,
    TimeError,
    parse_given_instant,
    parse_instant,
)
from standby.errors import StandbyError
from standby.hints import closest
from standby.rota.coverage import CoverageReport, check, rota_span
from standby.rota.io import (
    read_requirements_file,
    read_rota,
    rota_to_csv,
    rota_to_ics,
    rota_to_json,
)
from standby.rota.model import Rota
from standby.rota.oncall import OnCall, OnCallEntry
from standby.rota.rules import merge_role_rules


@dataclass(frozen=True)
class RotaCheck:
    """What `standby rota check` found: the rota as read, the coverage report, the warnings.

    ``warnings`` are those of reading the rota and then the requirements file (ambiguous
    local times, unknown columns, settings for roles nobody has).
    """

    rota: Rota
    report: CoverageReport
    warnings: tuple[str, ...] = ()

    @property
    def all_met(self) -> bool:
        """True when every requirement is met over the whole window (the command's exit 0)."""
        return self.report.all_met


def check_files(
    rota_file: Path,
    requirements_file: Path | None = None,
    start_text: str | None = None,
    end_text: str | None = None,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    region: str = DEFAULT_REGION,
    not_work: Iterable[str] = (),
    handover: str | None = None,
    shift_length: str | None = None,
) -> RotaCheck:
    """Read ``rota_file`` (and requirements) and check it over the window given as text.

    The window defaults to the span of the rota; ``handover`` and ``shift_length`` describe a
    spreadsheet grid (see ``read_rota``). Working-time settings per role are merged
    role by role: the rota's own ``working_time:``, then the requirements file's (which wins),
    then ``not_work``, roles whose on-call time is not work whatever the files say (``"all"``
    for every role; their ``max_consecutive_days`` is kept).
    """
    rota = read_rota(rota_file, timezone=timezone, handover=handover, shift_length=shift_length)
    loaded = (
        read_requirements_file(requirements_file, timezone=timezone) if requirements_file else None
    )
    requirements = loaded.requirements if loaded else None
    if requirements is None and not rota.shifts and not rota.requirements:
        raise StandbyError(
            f"{rota_file}: no shifts and no requirements, so there is nothing to check; "
            "give a requirements file naming the required roles, and the window's start "
            "and end",
            parameters=("requirements", "window_start", "window_end"),
        )
    start = _window_end(start_text, rota.timezone, "window_start")
    end = _window_end(end_text, rota.timezone, "window_end")
    if start is None or end is None:
        span = rota_span(rota)  # an empty rota needs both ends of the window
        start = span[0] if start is None else start
        end = span[1] if end is None else end
    file_rules = loaded.role_rules if loaded else {}
    names = set(not_work)
    if "all" in names:
        required = [requirement.role for requirement in requirements or ()]
        names = {*rota.roles, *required, *rota.role_rules, *file_rules}
    role_rules = merge_role_rules(rota.role_rules, file_rules, not_work=sorted(names))
    report = check(rota, requirements, (start, end), region=region, role_rules=role_rules)
    warnings = (*rota.warnings, *(loaded.warnings if loaded else ()))
    return RotaCheck(rota, report, warnings)


def _window_end(text: str | None, timezone: str, parameter: str) -> datetime | None:
    """One end of the window as UTC, or None when not given; an error names which end."""
    return parse_given_instant(text, timezone, parameter)


@dataclass(frozen=True)
class OnCallAt:
    """What `standby rota who` found: who covers ``role`` at ``at``, in escalation order.

    ``entries`` is empty when nobody is on call (the command's exit 1).
    """

    rota: Rota
    role: str
    at: datetime
    entries: tuple[OnCallEntry, ...]


def who_is_on_call(
    rota_file: Path,
    role: str,
    at_text: str,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    handover: str | None = None,
    shift_length: str | None = None,
) -> OnCallAt:
    """Who covers ``role`` at the instant ``at_text``, in escalation order.

    ``handover`` and ``shift_length`` describe a spreadsheet grid (see ``read_rota``).
    """
    rota = read_rota(rota_file, timezone=timezone, handover=handover, shift_length=shift_length)
    index = OnCall(rota)
    roles = list(dict.fromkeys([*index.roles(), *rota.roles]))
    if role not in roles:
        match = closest(role, roles)
        hint = f"did you mean '{match}'? " if match else ""
        listed = ", ".join(roles) if roles else "none"
        raise StandbyError(f"{rota_file}: no role '{role}'; {hint}Roles in the rota: {listed}")
    try:
        at = parse_instant(at_text, rota.timezone)
    except TimeError as error:
        raise TimeError(error.message, parameters=("at",)) from None
    return OnCallAt(rota, role, at, tuple(index.who(role, at)))


#: `rota export` formats.
EXPORT_FORMATS = ("ics", "csv", "json")


@dataclass(frozen=True)
class RotaExport:
    """A rota written out again: the rota as read and the bytes of the chosen format."""

    rota: Rota
    data: bytes


def export_file(
    rota_file: Path,
    output_format: str,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    handover: str | None = None,
    shift_length: str | None = None,
) -> RotaExport:
    """Read ``rota_file`` and write it as ICS, CSV or JSON (one of :data:`EXPORT_FORMATS`)."""
    rota = read_rota(rota_file, timezone=timezone, handover=handover, shift_length=shift_length)
    if output_format == "ics":
        return RotaExport(rota, rota_to_ics(rota))
    if output_format == "csv":
        return RotaExport(rota, rota_to_csv(rota).encode("utf-8"))
    if output_format == "json":
        return RotaExport(rota, rota_to_json(rota).encode("utf-8"))
    raise ValueError(f"no rota export as {output_format!r}; use one of {EXPORT_FORMATS}")
