"""Exact coverage of a rota against its requirements: gaps, shortfalls and findings.

:func:`check` is a pure function. For each requirement it sweeps the end points of the shifts
that count as cover (never stepping through minutes), so the answer is exact to the
microsecond over any window: a gap of 40 seconds is reported as 40 seconds, never merged
away, and a role with no shifts at all is one gap covering the whole window.

What counts as cover for a requirement: a shift of its role, minus the part in the person's
leave, by someone in the people list (when there is one) who holds the requirement's
qualification (when it names one). Everything else is reported as a finding and left in
the rota as it stands: Standby never "fixes" a rota.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from standby import limits
from standby.errors import StandbyError
from standby.rota.clock import DEFAULT_REGION, iso_z, window_intervals
from standby.rota.fairness import FairnessRow, RoleSpread, fairness_rows, role_spread
from standby.rota.findings import (
    RuleSummary,
    no_primary_findings,
    role_findings,
    shift_findings,
    summarise_working_time,
)
from standby.rota.model import Finding, Requirement, RoleRules, Rota, Shift, TimeWindow
from standby.rota.oncall import Interval, leave_by_person, merge, subtract
from standby.rota.rules import working_time_findings


@dataclass(frozen=True, slots=True)
class Gap:
    """A period ``[start, end)`` (UTC) with ``on_call`` people where ``required`` are needed."""

    start: datetime
    end: datetime
    required: int
    on_call: int

    @property
    def shortfall(self) -> int:
        """How many more people were needed."""
        return self.required - self.on_call

    @property
    def minutes(self) -> float:
        """Elapsed length in minutes, exact to the second (and below)."""
        return (self.end - self.start).total_seconds() / 60.0

    def to_json_dict(self) -> dict[str, object]:
        """The gap as ARCHITECTURE.md's JSON (times UTC with ``Z``)."""
        return {
            "start": iso_z(self.start),
            "end": iso_z(self.end),
            "minutes": self.minutes,
            "shortfall": self.shortfall,
            "on_call": self.on_call,
        }


@dataclass(frozen=True, slots=True)
class RoleCoverage:
    """How well one requirement was met over the window.

    ``gaps`` are the periods with fewer than ``required`` people, split where the number on
    call changes; ``under_cover`` are those gaps where somebody (but not enough) was on
    call. ``checked_minutes`` is the part of the window in which the requirement applies.
    """

    role: str
    required: int
    qualification: str | None
    when: TimeWindow | None
    checked_minutes: float
    gaps: tuple[Gap, ...]
    #: A planned event's name and dated periods (UTC), None for a standing requirement.
    name: str | None = None
    dates: tuple[tuple[datetime, datetime], ...] | None = None
    #: The fewest people on call at any instant in which the requirement applied (None when
    #: it never applied in the window).
    least_on_call: int | None = None

    @property
    def gap_minutes(self) -> float:
        """Total minutes under the required number."""
        return sum(gap.minutes for gap in self.gaps)

    @property
    def coverage_pct(self) -> float:
        """``100 * (checked - gap) / checked``; 100 when the requirement never applies."""
        if self.checked_minutes <= 0:
            return 100.0
        return 100.0 * (self.checked_minutes - self.gap_minutes) / self.checked_minutes

    @property
    def under_cover(self) -> tuple[Gap, ...]:
        """Gaps with somebody on call, but fewer than required."""
        return tuple(gap for gap in self.gaps if gap.on_call > 0)

    @property
    def longest_gap(self) -> Gap | None:
        """The longest gap (the first of equals), or None."""
        return max(self.gaps, key=lambda gap: gap.end - gap.start, default=None)

    def next_gap(self, after: datetime) -> Gap | None:
        """The first gap that has not ended by ``after``."""
        return next((gap for gap in self.gaps if gap.end > after), None)

    @property
    def met(self) -> bool:
        """True when there is no gap at all."""
        return not self.gaps

    def to_json_dict(self) -> dict[str, object]:
        """This role's coverage as JSON-ready data."""
        return {
            "role": self.role,
            "name": self.name,
            "required": self.required,
            "qualification": self.qualification,
            "when": _when_json(self.when),
            "dates": (
                None
                if self.dates is None
                else [{"start": iso_z(a), "end": iso_z(b)} for a, b in self.dates]
            ),
            "least_on_call": self.least_on_call,
            "checked_minutes": self.checked_minutes,
            "coverage_pct": self.coverage_pct,
            "gap_minutes": self.gap_minutes,
            "gaps": [gap.to_json_dict() for gap in self.gaps],
            "under_cover": [gap.to_json_dict() for gap in self.under_cover],
        }


def _when_json(when: TimeWindow | None) -> dict[str, object] | None:
    if when is None:
        return None
    return {
        "days": list(when.days),
        "from": when.start.strftime("%H:%M"),
        "to": when.end.strftime("%H:%M"),
    }


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """The result of :func:`check`: coverage per requirement, findings and fairness."""

    start: datetime
    end: datetime
    timezone: str
    region: str
    roles: tuple[RoleCoverage, ...]
    findings: tuple[Finding, ...]
    fairness: tuple[FairnessRow, ...] = ()
    spread: tuple[RoleSpread, ...] = ()
    #: People's names by id, from the rota's people list, for reports.
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def all_met(self) -> bool:
        """True when no requirement has a gap."""
        return all(role.met for role in self.roles)

    def name(self, person: str) -> str:
        """A person's name as the planner wrote it (the id when there is no people list)."""
        return self.names.get(person, person)

    @property
    def gaps(self) -> list[tuple[RoleCoverage, Gap]]:
        """Every gap of every requirement, in time order."""
        found = [(role, gap) for role in self.roles for gap in role.gaps]
        found.sort(key=lambda item: (item[1].start, item[1].end, item[0].role))
        return found

    @property
    def working_time_summary(self) -> list[RuleSummary]:
        """The working-time findings by person and rule: count and worst case."""
        return summarise_working_time(self.findings)

    def to_json_dict(self) -> dict[str, object]:
        """The report as ARCHITECTURE.md's JSON (and a little more)."""
        return {
            "window": {"start": iso_z(self.start), "end": iso_z(self.end)},
            "timezone": self.timezone,
            "region": self.region,
            "all_met": self.all_met,
            "roles": [role.to_json_dict() for role in self.roles],
            "findings": [finding.to_json_dict() for finding in self.findings],
            "working_time_summary": [row.to_json_dict() for row in self.working_time_summary],
            "fairness": [row.to_json_dict() for row in self.fairness],
            "spread": [row.to_json_dict() for row in self.spread],
        }


# ------------------------------------------------------------------------------ the check


def rota_span(rota: Rota) -> tuple[datetime, datetime]:
    """First shift start to last shift end, or an error for a rota without shifts."""
    if not rota.shifts:
        raise StandbyError(
            "the rota has no shifts, so it has no span to check; give the window's start and "
            "end, and every required role will be one gap covering it",
            parameters=("window_start", "window_end"),
        )
    return min(s.start for s in rota.shifts), max(s.end for s in rota.shifts)


def check_window_length(rota: Rota, start: datetime, end: datetime) -> None:
    """Raise when ``[start, end)`` is longer than :data:`limits.MAX_WINDOW_DAYS`.

    When a shift sets an end of the window (the window is the rota's span), the message
    names it: a shift ending in 3026 is the usual cause.
    """
    days = (end - start) / timedelta(days=1)
    if days <= limits.MAX_WINDOW_DAYS:
        return
    first = next((shift for shift in rota.shifts if shift.start == start), None)
    last = next((shift for shift in rota.shifts if shift.end == end), None)
    if first is not None and first is last:
        hint = (
            f"; the shift at {first.source or first.person} runs from {iso_z(start)[:10]} to "
            f"{iso_z(end)[:10]}: check its dates"
        )
    elif last is not None:
        hint = (
            f"; the last shift, at {last.source or last.person}, ends on {iso_z(end)[:10]}: "
            "check its dates"
        )
    else:
        hint = ""
    raise StandbyError(
        f"the check window runs from {iso_z(start)[:10]} to {iso_z(end)[:10]}, {days:,.0f} "
        f"days, longer than the {limits.MAX_WINDOW_DAYS:,} days (ten years) Standby checks "
        f"at once (standby.limits.MAX_WINDOW_DAYS){hint}; or check a shorter window",
        parameters=("window_start", "window_end"),
    )


def default_requirements(rota: Rota) -> list[Requirement]:
    """The rota's own requirements, or every role in it at minimum 1."""
    if rota.requirements:
        return list(rota.requirements)
    return [Requirement(role=role, minimum=1, source="default") for role in rota.roles]


def check(
    rota: Rota,
    requirements: Sequence[Requirement] | None = None,
    window: tuple[datetime, datetime] | None = None,
    *,
    region: str = DEFAULT_REGION,
    role_rules: Mapping[str, RoleRules] | None = None,
) -> CoverageReport:
    """Check ``rota`` against ``requirements`` over ``window`` (UTC, half-open).

    ``requirements`` None means the rota's own, or every role at minimum 1; ``window`` None
    means the span of the rota. ``role_rules`` maps role names to
    :class:`rota.model.RoleRules` for the working-time findings.
    """
    start, end = window if window is not None else rota_span(rota)
    if start.tzinfo is None or end.tzinfo is None:
        raise StandbyError("the check window needs aware times (UTC inside Standby)")
    if end <= start:
        raise StandbyError(
            f"the check window ends ({iso_z(end)}) before it starts ({iso_z(start)}); "
            "the window's end must be later than its start",
            parameters=("window_end", "window_start"),
        )
    check_window_length(rota, start, end)
    wanted = default_requirements(rota) if requirements is None else list(requirements)
    # Requirements someone wrote (not "every role at minimum 1"): a role outside them is news.
    explicit = requirements is not None or bool(rota.requirements)
    leave = leave_by_person(rota.leave)
    by_role: dict[str, list[Shift]] = defaultdict(list)
    for shift in rota.shifts:
        if shift.end > start and shift.start < end and shift.end > shift.start:
            by_role[shift.role].append(shift)
    roles = tuple(
        _role_coverage(rota, need, by_role.get(need.role, []), leave, (start, end), region)
        for need in wanted
    )
    findings = [
        *role_findings(rota, wanted, by_role, explicit, (start, end)),
        *no_primary_findings(rota, by_role, leave, (start, end)),
        *shift_findings(rota, wanted, by_role, leave, (start, end)),
        *working_time_findings(rota, (start, end), role_rules, region=region),
    ]
    findings.sort(key=lambda f: (f.start, f.kind, f.person, f.end))
    return CoverageReport(
        start=start,
        end=end,
        timezone=rota.timezone,
        region=region,
        roles=roles,
        findings=tuple(findings),
        fairness=tuple(fairness_rows(rota, (start, end), region=region)),
        spread=tuple(role_spread(rota, (start, end))),
        names={person.id: person.name for person in rota.people.values()},
    )


def counts_as_cover(rota: Rota, shift: Shift, qualification: str | None) -> bool:
    """True when ``shift``'s person may count towards a requirement."""
    if rota.people:
        person = rota.people.get(shift.person)
        if person is None:
            return False
        return qualification is None or qualification in person.qualifications
    return qualification is None


def _role_coverage(
    rota: Rota,
    need: Requirement,
    shifts: list[Shift],
    leave: dict[str, list[Interval]],
    window: tuple[datetime, datetime],
    region: str,
) -> RoleCoverage:
    start, end = window
    if need.when is None:
        applies = [(start, end)]
    else:
        applies = window_intervals(need.when, start, end, rota.timezone, region)
    if need.dates is not None:
        applies = _intersect(
            applies,
            merge([(max(a, start), min(b, end)) for a, b in need.dates if a < end and b > start]),
        )
    # A person on two overlapping shifts of the role is still one person on call.
    cover: dict[str, list[Interval]] = defaultdict(list)
    for shift in shifts:
        if counts_as_cover(rota, shift, need.qualification):
            low = shift.start if shift.start > start else start
            high = shift.end if shift.end < end else end
            holes = leave.get(shift.person)
            if holes is None:
                cover[shift.person].append((low, high))
            else:
                cover[shift.person] += subtract(low, high, holes)
    changes: dict[datetime, int] = defaultdict(int)
    for pieces in cover.values():
        for piece_start, piece_end in merge(pieces):
            changes[piece_start] += 1
            changes[piece_end] -= 1
    steps = _steps(changes, start, end)
    gaps = tuple(_gaps(steps, applies, need.minimum))
    checked = sum(((b - a) for a, b in applies), timedelta()).total_seconds() / 60.0
    return RoleCoverage(
        role=need.role,
        required=need.minimum,
        qualification=need.qualification,
        when=need.when,
        checked_minutes=checked,
        gaps=gaps,
        name=need.name,
        dates=need.dates,
        least_on_call=_least(steps, applies),
    )


def _intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    """The parts of two sorted, disjoint interval lists that overlap."""
    found: list[Interval] = []
    i = j = 0
    while i < len(first) and j < len(second):
        low, high = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if low < high:
            found.append((low, high))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return found


def _least(steps: list[tuple[datetime, datetime, int]], applies: list[Interval]) -> int | None:
    """The fewest on call in any step that overlaps where the requirement applies."""
    least = None
    index = 0
    for low, high in applies:
        while index < len(steps) and steps[index][1] <= low:
            index += 1
        scan = index
        while scan < len(steps) and steps[scan][0] < high:
            count = steps[scan][2]
            least = count if least is None else min(least, count)
            scan += 1
    return least


def _steps(
    changes: dict[datetime, int], start: datetime, end: datetime
) -> list[tuple[datetime, datetime, int]]:
    """The number on call as constant steps ``(from, to, count)`` covering the window."""
    steps: list[tuple[datetime, datetime, int]] = []
    count = 0
    previous = start
    for instant in sorted(changes):
        delta = changes[instant]
        if delta == 0:
            continue
        if instant > previous:
            steps.append((previous, instant, count))
            previous = instant
        count += delta
    if end > previous:
        steps.append((previous, end, count))
    return steps


def _gaps(
    steps: list[tuple[datetime, datetime, int]], applies: list[Interval], minimum: int
) -> Iterable[Gap]:
    """Walk the steps and the intervals where the requirement applies together."""
    current: Gap | None = None
    step_index = 0
    for apply_start, apply_end in applies:
        while step_index < len(steps) and steps[step_index][1] <= apply_start:
            step_index += 1
        index = step_index
        while index < len(steps) and steps[index][0] < apply_end:
            low = max(steps[index][0], apply_start)
            high = min(steps[index][1], apply_end)
            count = steps[index][2]
            if count < minimum:
                if current and current.end == low and current.on_call == count:
                    current = Gap(current.start, high, minimum, count)
                else:
                    if current:
                        yield current
                    current = Gap(low, high, minimum, count)
            index += 1
        step_index = max(step_index, index - 1)
    if current:
        yield current
