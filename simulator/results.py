"""What one run produced, as plain frozen dataclasses that serialise to stable JSON.

Minutes are rounded to :data:`DECIMALS` places and keys keep a fixed order, so the same
(scenario, rota, start, seed) gives the same JSON bytes on every machine and executor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

DECIMALS = 3


def rounded(minutes: float | None) -> float | None:
    """Minutes rounded for output (``-0.0`` becomes ``0.0``)."""
    if minutes is None:
        return None
    return round(minutes, DECIMALS) + 0.0


class _Json:
    """Mixin: ``to_json_dict`` in field order, recursing into lists and dataclasses."""

    def to_json_dict(self) -> dict[str, Any]:
        """A dict of plain JSON values, keys in field order."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


def _plain(value: Any) -> Any:
    if isinstance(value, _Json):
        return value.to_json_dict()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return rounded(value)
    return value


@dataclass(frozen=True, slots=True)
class Event(_Json):
    """One line of the event log."""

    minute: float
    time: str
    kind: str
    agency: str | None
    role: str | None
    person: str | None
    task: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class Milestone(_Json):
    """A plan task: when it started and ended, and whether its target was met.

    ``status`` is ``done``, ``running`` (started, not finished by the end) or ``not_started``;
    ``met`` is None for a task without a target.
    """

    task: str
    name: str
    agency: str
    start_minute: float | None
    end_minute: float | None
    target_minute: float | None
    met: bool | None
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class UnfilledRole(_Json):
    """A role that could not be (fully) filled."""

    role: str
    rota_role: str | None
    agency: str
    minute: float
    shortfall: int
    reason: str


@dataclass(frozen=True, slots=True)
class AgencyAlert(_Json):
    """When an agency first heard of the incident, and how."""

    agency: str
    minute: float | None
    via: str


@dataclass(frozen=True, slots=True)
class Step(_Json):
    """One link in a chain of causes."""

    minute: float
    what: str


@dataclass(frozen=True, slots=True)
class CriticalPath(_Json):
    """The chain of alerts, call-outs, travel and tasks that set a missed target's time."""

    task: str
    target_minute: float
    end_minute: float | None
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class RunResult(_Json):
    """Everything one replication produced."""

    scenario: str
    start: str
    seed: int | None
    replication: int | None
    timezone: str
    duration_minutes: float
    rota: str | None
    notes: tuple[str, ...]
    alerts: tuple[AgencyAlert, ...]
    milestones: tuple[Milestone, ...]
    unfilled_roles: tuple[UnfilledRole, ...]
    critical_paths: tuple[CriticalPath, ...]
    events: tuple[Event, ...]

    @property
    def targets_missed(self) -> list[Milestone]:
        """Milestones whose target was missed."""
        return [m for m in self.milestones if m.met is False]

    def to_json(self) -> str:
        """Stable JSON text (two-space indent, trailing newline)."""
        return dumps(self.to_json_dict())


def dumps(data: Any) -> str:
    """JSON text as every Standby output writes it."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def local_clock(result: RunResult, minute: float) -> str:
    """``HH:MM`` local wall-clock time of a scenario minute (for printing only)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime.fromisoformat(result.start.replace("Z", "+00:00"))
    return (
        (start + timedelta(minutes=minute)).astimezone(ZoneInfo(result.timezone)).strftime("%H:%M")
    )


def timeline_rows(result: RunResult) -> list[tuple[str, str, str, str, str]]:
    """Rows of a readable timeline: local time, minute, who, what, detail."""
    rows = []
    for event in result.events:
        who = " / ".join(x for x in (event.agency, event.role, event.person) if x)
        what = event.kind.replace("_", " ") + (f": {event.task}" if event.task else "")
        rows.append(
            (local_clock(result, event.minute), f"{event.minute:7.1f}", who, what, event.detail)
        )
    return rows


def timeline_text(result: RunResult) -> str:
    """The timeline as plain text, one event a line."""
    lines = [
        f"{t}  +{m.strip():>6} min  {who:<45} {what:<30} {detail}".rstrip()
        for t, m, who, what, detail in timeline_rows(result)
    ]
    return "\n".join(lines) + "\n"
