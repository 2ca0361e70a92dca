"""One call per command: what `standby rota check`, `who`, `export` and `fill` do, for Python too.

These functions read the files, resolve the window and the role settings, and return plain
results; rendering them is ``standby.reports``' job, printing and exit codes ``cli.py``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from standby.clock import DEFAULT_REGION, DEFAULT_TIMEZONE, TimeError, parse_user_instant
from standby.errors import StandbyError
from standby.rota.coverage import CoverageReport, check, default_requirements, rota_span
from standby.rota.io import (
    read_callouts,
    read_events,
    read_requirements_file,
    read_rota,
    rota_to_csv,
    rota_to_ics,
    rota_to_json,
)
from standby.rota.model import FillWeights, Requirement, RoleRules, Rota
from standby.rota.oncall import OnCall, OnCallEntry
from standby.rota.roles import match_role
from standby.rota.rules import merge_role_rules

if TYPE_CHECKING:
    from standby.rota.fill import FillProposal


@dataclass(frozen=True)
class RotaCheck:
    """What `standby rota check` found: the rota as read, the coverage report, the warnings.

    ``warnings`` are those of reading the rota and then the requirements file (ambiguous
    local times, unknown columns, settings for roles nobody has).
    """

    rota: Rota
    report: CoverageReport
    warnings: tuple[str, ...] = ()
    #: The working-time settings per role the check used (files and --not-work merged).
    role_rules: Mapping[str, RoleRules] = field(default_factory=dict)

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
    max_shifts: int | None = None,
    callouts_file: Path | None = None,
    events_file: Path | None = None,
) -> RotaCheck:
    """Read ``rota_file`` (and requirements) and check it over the window given as text.

    ``callouts_file`` is a call-out log (CSV: person, start, end, role, notes): time actually
    worked on call-outs, which always counts as working time. ``events_file`` is a CSV of
    planned events (name, start, end, role, min), checked beside the requirements.

    The window defaults to the span of the rota; ``handover`` and ``shift_length`` describe a
    spreadsheet grid (see ``read_rota``). Working-time settings per role are merged
    role by role: the rota's own ``working_time:``, then the requirements file's (which wins),
    then ``not_work``, roles whose on-call time is not work whatever the files say (``"all"``
    for every role; their ``max_consecutive_days`` is kept). ``max_shifts`` bounds the rota
    (see ``read_rota``).
    """
    read = _read_inputs(
        rota_file,
        requirements_file,
        start_text,
        end_text,
        timezone=timezone,
        not_work=not_work,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
        callouts_file=callouts_file,
        events_file=events_file,
    )
    report = check(
        read.rota, read.requirements, read.window, region=region, role_rules=read.role_rules
    )
    return RotaCheck(read.rota, report, read.warnings, read.role_rules)


@dataclass(frozen=True)
class _Inputs:
    """A rota and what to check it against, read from the files a command was given."""

    rota: Rota
    requirements: list[Requirement] | None
    window: tuple[datetime, datetime]
    role_rules: dict[str, RoleRules]
    warnings: tuple[str, ...]
    fill_weights: FillWeights | None


def _read_inputs(
    rota_file: Path,
    requirements_file: Path | None,
    start_text: str | None,
    end_text: str | None,
    *,
    timezone: str,
    not_work: Iterable[str],
    handover: str | None,
    shift_length: str | None,
    max_shifts: int | None,
    callouts_file: Path | None,
    events_file: Path | None,
) -> _Inputs:
    """Read the rota, the requirements, call-outs and events; resolve window and settings."""
    rota = read_rota(
        rota_file,
        timezone=timezone,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
    )
    if callouts_file is not None:
        rota.callouts.extend(read_callouts(callouts_file, rota))
    loaded = (
        read_requirements_file(requirements_file, timezone=timezone) if requirements_file else None
    )
    requirements = loaded.requirements if loaded else None
    if events_file is not None:
        base = requirements if requirements is not None else default_requirements(rota)
        requirements = [*base, *read_events(events_file, rota.timezone)]
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
    required = [requirement.role for requirement in requirements or ()]
    known = [*rota.roles, *required, *rota.role_rules, *file_rules]
    names = {
        match_role(name, known, where=f"{rota_file}: ", parameters=("not_work",))
        for name in not_work
        if name != "all"
    }
    if "all" in not_work:
        names = set(known)
    role_rules = merge_role_rules(rota.role_rules, file_rules, not_work=sorted(names))
    warnings = (*rota.warnings, *(loaded.warnings if loaded else ()))
    weights = loaded.fill_weights if loaded else None
    return _Inputs(
        rota, requirements, (start, end), role_rules, warnings, weights or rota.fill_weights
    )


def _window_end(text: str | None, timezone: str, parameter: str) -> datetime | None:
    """One end of the window as UTC, or None when not given; an error names which end."""
    if not text:
        return None
    try:
        return parse_user_instant(text, timezone)
    except TimeError as error:
        raise TimeError(error.message, parameters=(parameter,)) from None


@dataclass(frozen=True)
class OnCallAt:
    """What `standby rota who` found: who covers ``role`` at ``at``, in escalation order.

    ``entries`` is empty when nobody is on call (the command's exit 1).
    """

    rota: Rota
    role: str
    at: datetime
    entries: tuple[OnCallEntry, ...]


@dataclass(frozen=True)
class ContactSheet:
    """What `standby rota who --all` found: every role of the rota at one instant.

    ``roles`` holds one :class:`OnCallAt` per role (shifts' roles and the rota's own
    requirements), in the rota's order; ``uncovered`` those with nobody on call.
    """

    rota: Rota
    at: datetime
    roles: tuple[OnCallAt, ...]

    @property
    def uncovered(self) -> tuple[OnCallAt, ...]:
        """The roles nobody covers at the instant (the command's exit 1 when any)."""
        return tuple(role for role in self.roles if not role.entries)


def who_is_on_call(
    rota_file: Path,
    role: str,
    at_text: str,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    handover: str | None = None,
    shift_length: str | None = None,
    max_shifts: int | None = None,
    now: datetime | None = None,
) -> OnCallAt:
    """Who covers ``role`` at the instant ``at_text``, in escalation order.

    ``role`` may be the role's name in any case, a unique start of it, or its initials
    (``DEPO``; see :func:`rota.roles.match_role`). ``at_text`` is a time as
    :func:`standby.clock.parse_user_instant` reads it (``now`` among them; ``now`` is the
    present unless given). ``handover`` and ``shift_length`` describe a spreadsheet grid.
    """
    rota = read_rota(
        rota_file,
        timezone=timezone,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
    )
    index = OnCall(rota)
    roles = list(dict.fromkeys([*index.roles(), *rota.roles]))
    named = match_role(role, roles, where=f"{rota_file}: ", parameters=("role",))
    at = _instant(at_text, rota.timezone, now)
    return OnCallAt(rota, named, at, tuple(index.who(named, at)))


def contact_sheet(
    rota_file: Path,
    at_text: str,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    handover: str | None = None,
    shift_length: str | None = None,
    max_shifts: int | None = None,
    now: datetime | None = None,
) -> ContactSheet:
    """Who is on call for every role at ``at_text`` (see :func:`who_is_on_call`)."""
    rota = read_rota(
        rota_file,
        timezone=timezone,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
    )
    index = OnCall(rota)
    at = _instant(at_text, rota.timezone, now)
    roles = list(dict.fromkeys([*index.roles(), *rota.roles]))
    return ContactSheet(
        rota, at, tuple(OnCallAt(rota, role, at, tuple(index.who(role, at))) for role in roles)
    )


def _instant(text: str, timezone: str, now: datetime | None) -> datetime:
    try:
        return parse_user_instant(text, timezone, now=now)
    except TimeError as error:
        raise TimeError(error.message, parameters=("at",)) from None


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
    max_shifts: int | None = None,
) -> RotaExport:
    """Read ``rota_file`` and write it as ICS, CSV or JSON (one of :data:`EXPORT_FORMATS`)."""
    rota = read_rota(
        rota_file,
        timezone=timezone,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
    )
    if output_format == "ics":
        return RotaExport(rota, rota_to_ics(rota))
    if output_format == "csv":
        return RotaExport(rota, rota_to_csv(rota).encode("utf-8"))
    if output_format == "json":
        return RotaExport(rota, rota_to_json(rota).encode("utf-8"))
    raise ValueError(f"no rota export as {output_format!r}; use one of {EXPORT_FORMATS}")


@dataclass(frozen=True)
class RotaFill:
    """What `standby rota fill` proposes, and how to write it.

    ``proposal`` is :class:`rota.fill.FillProposal` (the checks before and after, the
    proposed shifts, what is left and why); ``warnings`` are those of reading the files.
    """

    rota_file: Path
    proposal: FillProposal
    warnings: tuple[str, ...] = ()
    role_rules: Mapping[str, RoleRules] = field(default_factory=dict)

    @property
    def all_filled(self) -> bool:
        """True when the proposed rota meets every requirement (the command's exit 0)."""
        return self.proposal.all_filled

    def proposal_file(self, output: Path) -> bytes:
        """The proposed rota in the format ``output``'s suffix names (a YAML rota is written
        back with the proposal added to its overrides)."""
        from standby.rota.fill_output import proposal_bytes

        return proposal_bytes(
            self.proposal.rota, self.proposal.overrides, output, source=self.rota_file
        )

    def overrides_file(self) -> str:
        """The proposal as an ``overrides:`` section to paste into a YAML rota."""
        from standby.rota.fill_output import overrides_yaml

        return overrides_yaml(self.proposal.overrides, self.proposal.rota.timezone)


def fill_files(
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
    max_shifts: int | None = None,
    callouts_file: Path | None = None,
    time_limit: float | None = None,
    explain: bool = False,
) -> RotaFill:
    """Read the files as :func:`check_files` does and propose cover for the gaps.

    The fill weights come from the requirements file's ``fill:`` section (else the YAML
    rota's, else the defaults); ``time_limit`` is the solver's seconds (default
    ``rota.fill.DEFAULT_TIME_LIMIT``). With ``explain`` every holder of a role is checked
    against every piece of its gaps, so the proposal says of each why they could not take
    it (slower).
    """
    from standby.rota.fill import DEFAULT_TIME_LIMIT, fill

    limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    if not limit > 0:
        raise StandbyError(
            f"a time limit of {limit:g} s leaves the solver no time; give a number of "
            "seconds above 0, such as 30",
            parameters=("time_limit",),
        )
    read = _read_inputs(
        rota_file,
        requirements_file,
        start_text,
        end_text,
        timezone=timezone,
        not_work=not_work,
        handover=handover,
        shift_length=shift_length,
        max_shifts=max_shifts,
        callouts_file=callouts_file,
        events_file=None,
    )
    proposal = fill(
        read.rota,
        read.requirements,
        read.window,
        region=region,
        role_rules=read.role_rules,
        weights=read.fill_weights,
        time_limit=limit,
        explain=explain,
    )
    return RotaFill(Path(rota_file), proposal, read.warnings, read.role_rules)
