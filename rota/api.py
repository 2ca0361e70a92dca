"""One call per command: what `standby rota check` and `standby rota who` do, for Python users too.

These functions read the files, resolve the window and the role settings, and return plain
results; printing and exit codes stay in ``cli.py``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from standby.clock import parse_instant
from standby.errors import StandbyError
from standby.rota.coverage import CoverageReport, check, rota_span
from standby.rota.io import read_requirements_file, read_rota
from standby.rota.model import Rota
from standby.rota.oncall import OnCall, OnCallEntry
from standby.rota.rules import merge_role_rules


def check_files(
    rota_file: Path,
    requirements_file: Path | None = None,
    start_text: str | None = None,
    end_text: str | None = None,
    *,
    timezone: str = "Europe/London",
    region: str = "england-and-wales",
    not_work: Iterable[str] = (),
    handover: str | None = None,
    shift_length: str | None = None,
) -> tuple[Rota, CoverageReport]:
    """Read ``rota_file`` (and requirements) and check it over the window given as text.

    Warnings from reading both files (ambiguous local times, unknown columns) are in the
    returned rota's ``warnings``.

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
            "give the required roles with --requirements and the window with --from and --to"
        )
    start = parse_instant(start_text, rota.timezone) if start_text else None
    end = parse_instant(end_text, rota.timezone) if end_text else None
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
    if loaded is not None:
        rota.warnings.extend(loaded.warnings)
    return rota, report


def report_text(report: CoverageReport, output_format: str) -> str:
    """The report as JSON, CSV of gaps or an HTML page (``text`` is rendered by the CLI)."""
    from standby.rota.report_html import gaps_csv, render_html

    if output_format == "json":
        return json.dumps(report.to_json_dict(), indent=2) + "\n"
    if output_format == "csv":
        return gaps_csv(report)
    if output_format == "html":
        return render_html(report)
    raise ValueError(f"no text rendering for format {output_format!r}")


def who_is_on_call(
    rota_file: Path,
    role: str,
    at_text: str,
    *,
    timezone: str = "Europe/London",
    handover: str | None = None,
    shift_length: str | None = None,
) -> tuple[Rota, datetime, list[OnCallEntry]]:
    """Who covers ``role`` at the instant ``at_text``, in escalation order.

    ``handover`` and ``shift_length`` describe a spreadsheet grid (see ``read_rota``).
    """
    rota = read_rota(rota_file, timezone=timezone, handover=handover, shift_length=shift_length)
    index = OnCall(rota)
    roles = list(dict.fromkeys([*index.roles(), *rota.roles]))
    if role not in roles:
        close = difflib.get_close_matches(role, roles, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        listed = ", ".join(roles) if roles else "none"
        raise StandbyError(f"{rota_file}: no role '{role}'; {hint}Roles in the rota: {listed}")
    at = parse_instant(at_text, rota.timezone)
    return rota, at, index.who(role, at)
