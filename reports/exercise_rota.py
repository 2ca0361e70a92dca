"""The rota at the exercise instant: who would be on call, and where cover is thinnest.

:func:`rota_snapshot` lists, for each of the scenario's rota roles, who is on call at the
exercise's start in escalation order (``rota.oncall.OnCall``). :func:`thinnest_cover` is the
pack's stress test: it checks the rota over a window (``rota.coverage.check``) and picks the
instant where the scenario's rota roles have the least cover, then says why in words, naming
the roles short, the people on call and the rota notes and findings in force then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from standby.clock import to_local
from standby.errors import StandbyError

if TYPE_CHECKING:
    from standby.rota.coverage import CoverageReport
    from standby.rota.model import Requirement, Rota
    from standby.scenarios.model import Scenario


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """One person on call for one of the scenario's rota roles (or nobody: ``name`` empty)."""

    rota_role: str
    played_as: str
    level: int | None
    name: str
    phone: str
    until: datetime | None


@dataclass(frozen=True, slots=True)
class RotaSnapshot:
    """Who would be on call at ``at`` for each of the scenario's rota roles."""

    at: datetime
    rows: tuple[SnapshotRow, ...]

    @property
    def uncovered(self) -> tuple[str, ...]:
        """Rota roles with nobody on call."""
        return tuple(row.rota_role for row in self.rows if not row.name)


@dataclass(frozen=True, slots=True)
class StressWindow:
    """Where to look for the thinnest cover, and the requirements to judge it by."""

    start: datetime
    end: datetime
    requirements: tuple[Requirement, ...] | None = None


@dataclass(frozen=True, slots=True)
class RoleCover:
    """One rota role at the chosen instant: people on call against the number required."""

    rota_role: str
    on_call: tuple[str, ...]
    required: int


@dataclass(frozen=True, slots=True)
class StressChoice:
    """The instant of thinnest cover, the window searched, and why, in words."""

    at: datetime
    window: tuple[datetime, datetime]
    roles: tuple[RoleCover, ...]
    reasons: tuple[str, ...]
    candidates: int
    timezone: str

    @property
    def short(self) -> tuple[RoleCover, ...]:
        """Roles with fewer people on call than required."""
        return tuple(role for role in self.roles if len(role.on_call) < role.required)

    def sentence(self) -> str:
        """``Friday 25 December 2026 18:00 GMT: one Duty Emergency Planning Officer of the 2
        required and no Duty Senior Manager``."""
        when = to_local(self.at, self.timezone).strftime("%A %d %B %Y %H:%M %Z")
        short = self.short or self.roles
        parts = [_cover_words(role) for role in short]
        return f"{when}: {_join(parts)}"


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six")


def _cover_words(role: RoleCover) -> str:
    count = len(role.on_call)
    amount = _NUMBERS[count] if count < len(_NUMBERS) else str(count)
    of = f" of the {role.required} required" if 0 < count < role.required else ""
    return f"{amount} {role.rota_role}{of}"


def _join(parts: Sequence[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def scenario_rota_roles(scenario: Scenario) -> list[str]:
    """The rota roles the scenario's roles are staffed from, in the scenario's order."""
    return list(dict.fromkeys(r.rota_role for r in scenario.roles if r.rota_role))


def rota_snapshot(scenario: Scenario, rota: Rota, at: datetime) -> RotaSnapshot:
    """Who is on call at ``at`` for each of the scenario's rota roles, level 1 first."""
    from standby.rota.oncall import OnCall

    index = OnCall(rota)
    rows = []
    for rota_role in scenario_rota_roles(scenario):
        played = ", ".join(r.name for r in scenario.roles if r.rota_role == rota_role)
        entries = index.who(rota_role, at)
        if not entries:
            rows.append(SnapshotRow(rota_role, played, None, "", "", None))
        for entry in entries:
            rows.append(
                SnapshotRow(
                    rota_role, played, entry.level, entry.name, entry.phone or "", entry.shift_end
                )
            )
    return RotaSnapshot(at, tuple(rows))


def _requirements(scenario: Scenario, rota: Rota, window: StressWindow) -> list[Requirement]:
    """The window's requirements, else the rota's own, else each role's count in the scenario."""
    from standby.rota.model import Requirement

    roles = scenario_rota_roles(scenario)
    given = window.requirements if window.requirements is not None else rota.requirements
    if given:
        return [requirement for requirement in given if requirement.role in roles]
    counts = dict.fromkeys(roles, 0)
    for role in scenario.roles:
        if role.rota_role:
            counts[role.rota_role] += role.count
    return [Requirement(role=role, minimum=count) for role, count in counts.items()]


def rostered_span(rota: Rota, roles: Sequence[str]) -> tuple[datetime, datetime]:
    """Where every one of ``roles`` that has shifts is rostered: the latest first shift start
    to the earliest last shift end (so the rota's own ends are not mistaken for thin cover)."""
    from standby.rota.coverage import rota_span

    spans = []
    for role in roles:
        shifts = [shift for shift in rota.shifts if shift.role == role]
        if shifts:
            spans.append((min(s.start for s in shifts), max(s.end for s in shifts)))
    if not spans:
        return rota_span(rota)
    return max(span[0] for span in spans), min(span[1] for span in spans)


def thinnest_cover(scenario: Scenario, rota: Rota, window: StressWindow) -> StressChoice:
    """The instant in ``window`` (cut to the rota's span) of least cover for the scenario's
    rota roles: most required roles with nobody on call, then the largest shortfall against
    the requirements, then the fewest people on call; the earliest of equals."""
    from standby.rota.coverage import check
    from standby.rota.oncall import OnCall

    roles = scenario_rota_roles(scenario)
    if not roles:
        raise StandbyError(
            f"scenario {scenario.name} has no role staffed from a rota ('rota_role:'), so the "
            "rota cannot be stressed; give roles a rota_role or leave out the stress test"
        )
    first, last = rostered_span(rota, roles)
    start, end = max(window.start, first), min(window.end, last)
    if start >= end:
        raise StandbyError(
            f"the window to stress ({_local(window.start, rota)} to {_local(window.end, rota)}) "
            f"is outside the rota, which runs from {_local(first, rota)} to {_local(last, rota)}; "
            "give a window inside it",
            parameters=("window_start", "window_end"),
        )
    requirements = _requirements(scenario, rota, window)
    report = check(rota, requirements, (start, end))
    index = OnCall(rota)
    candidates = sorted(
        {start}
        | {gap.start for role in report.roles for gap in role.gaps if start <= gap.start < end}
        | {
            instant
            for shift in rota.shifts
            if shift.role in roles
            for instant in (shift.start, shift.end)
            if start <= instant < end
        }
    )

    def cover(at: datetime) -> tuple[RoleCover, ...]:
        required = _required_at(report, at)
        return tuple(
            RoleCover(
                role,
                tuple(entry.name for entry in index.who(role, at)),
                required.get(role, 0),
            )
            for role in roles
        )

    def thinness(at: datetime) -> tuple[int, int, int]:
        found = cover(at)
        empty = sum(1 for role in found if role.required and not role.on_call)
        shortfall = sum(max(0, role.required - len(role.on_call)) for role in found)
        return empty, shortfall, -sum(len(role.on_call) for role in found)

    best = max(candidates, key=lambda at: (thinness(at), -at.timestamp()))
    return StressChoice(
        at=best,
        window=(start, end),
        roles=cover(best),
        reasons=tuple(_reasons(rota, report, roles, best)),
        candidates=len(candidates),
        timezone=rota.timezone,
    )


def _required_at(report: CoverageReport, at: datetime) -> dict[str, int]:
    """People required per role at ``at`` where cover falls short (inside one of its gaps);
    a role whose requirement is met there, or does not apply then, is not short."""
    required: dict[str, int] = {}
    for role in report.roles:
        for gap in role.gaps:
            if gap.start <= at < gap.end:
                required[role.role] = max(required.get(role.role, 0), gap.required)
    return required


def _reasons(rota: Rota, report: CoverageReport, roles: Sequence[str], at: datetime) -> list[str]:
    """Rota notes and findings in force at ``at`` for the scenario's roles."""
    reasons = []
    for override in rota.overrides:
        if override.role in roles and override.start <= at < override.end and override.notes:
            who = "nobody" if override.person is None else override.person
            reasons.append(
                f"{override.role}: {override.notes} ({who}, {_local(override.start, rota)} to "
                f"{_local(override.end, rota)})"
            )
    for finding in report.findings:
        if finding.kind == "working_time":
            continue  # rest and hours, not cover
        if finding.start <= at < finding.end and (finding.role is None or finding.role in roles):
            name = rota.people[finding.person].name if finding.person in rota.people else None
            reasons.append(
                f"{finding.kind.replace('_', ' ')}: {name or finding.person}, {finding.detail}"
            )
    return reasons


def _local(instant: datetime, rota: Rota) -> str:
    return to_local(instant, rota.timezone).strftime("%a %d %b %Y %H:%M %Z")
