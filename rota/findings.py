"""Findings about the rota's shifts and roles: what the coverage check reports beside the gaps.

Each is a :class:`rota.model.Finding`, reported and never corrected:

* **unmatched_role**: a role in the rota that no requirement names (so its cover is not
  checked), or a required role that no shift in the rota is for, each with "did you mean"
  pointing at the other side (a misspelt ``Rest Centre Manger`` in the sheet is matched to
  the ``Rest Centre Manager`` the requirements need, and the other way round);
* **no_primary**: a period in which someone is on call at a backup level but nobody at level
  1, so a call-out starts with nobody even though the role counts as covered;
* **double_booking**, **leave_clash**, **unknown_person**, **unqualified**: see
  :func:`shift_findings`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from standby.clock import iso_z
from standby.hints import closest
from standby.rota.epoch import Instants, MicroInterval, Micros
from standby.rota.model import Finding, Requirement, Rota, Shift
from standby.rota.oncall import Cover, Interval, merge, subtract

#: The person of a finding about a role or a slot rather than someone.
NOBODY = ""


@dataclass(frozen=True, slots=True)
class RuleSummary:
    """One person's findings under one working-time rule: how many, and the worst."""

    person: str
    rule: str
    count: int
    worst: Finding

    def to_json_dict(self, iso: Callable[[datetime], str] = iso_z) -> dict[str, object]:
        """As JSON-ready data (the worst finding in full; ``iso`` writes the times)."""
        return {
            "person": self.person,
            "rule": self.rule,
            "count": self.count,
            "worst": self.worst.to_json_dict(iso),
        }


def summarise_working_time(findings: Iterable[Finding]) -> list[RuleSummary]:
    """Working-time findings grouped by person and rule, most instances first.

    The worst of a group is the one with the largest ``excess`` (the earliest of equals).
    """
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.kind == "working_time":
            groups[(finding.person, finding.rule or finding.detail.split(":")[0])].append(finding)
    rows = [
        RuleSummary(
            person,
            rule,
            len(found),
            max(found, key=lambda f: (f.excess or 0.0, -f.start.timestamp())),
        )
        for (person, rule), found in groups.items()
    ]
    rows.sort(key=lambda row: (-row.count, _rule_order(row.rule), row.person))
    return rows


def _rule_order(rule: str) -> tuple[int, str]:
    number = "".join(ch for ch in rule.split("(")[0] if ch.isdigit())
    return (int(number) if number else 99, rule)


def role_findings(
    rota: Rota,
    wanted: list[Requirement],
    by_role: dict[str, list[Shift]],
    explicit: bool,
    window: Interval,
) -> list[Finding]:
    """Roles in the rota with no requirement (when requirements were given) and the reverse."""
    required = list(dict.fromkeys(need.role for need in wanted))
    in_rota = list(dict.fromkeys(shift.role for shift in rota.shifts))
    missing = [role for role in required if role not in in_rota]
    spare = [role for role in in_rota if role not in required]
    found = []
    for role in spare if explicit else []:
        shifts = by_role.get(role, [])
        if not shifts:
            continue
        match = closest(role, missing) or closest(role, required)
        hint = f"; did you mean '{match}' (required)?" if match else ""
        found.append(
            Finding(
                "unmatched_role",
                NOBODY,
                max(min(s.start for s in shifts), window[0]),
                min(max(s.end for s in shifts), window[1]),
                f"the rota has {len(shifts)} shift(s) for '{role}' (first at "
                f"{shifts[0].source or 'an unnamed row'}) but no requirement names that role, "
                f"so its cover is not checked{hint}",
                role,
            )
        )
    for role in missing:
        match = closest(role, spare)
        hint = ""
        if match:
            count = sum(1 for shift in rota.shifts if shift.role == match)
            hint = f"; did you mean '{match}' (in the rota, {count} shift(s))?"
        source = next(need.source for need in wanted if need.role == role)
        found.append(
            Finding(
                "unmatched_role",
                NOBODY,
                window[0],
                window[1],
                f"'{role}' is required ({source or 'requirements'}) but no shift in the rota is "
                f"for that role, so it is uncovered throughout{hint}",
                role,
            )
        )
    return found


def no_primary_findings(
    rota: Rota, roles: list[str], on_call: Cover, to_instant: Instants
) -> list[Finding]:
    """Periods with a backup on call and nobody at level 1 (leave taken off both), role by
    role in the order of ``roles``, from each role's :class:`Cover` pieces."""
    found = []
    for role in roles:
        primary: list[MicroInterval] = []
        backup: list[tuple[int, int, str]] = []
        for person, level, low, high in on_call.pieces.get(role, []):
            if level == 1:
                primary.append((low, high))
            else:
                backup.append((low, high, person))
        if not backup:
            continue
        backup.sort()
        starts = [start for start, _end, _person in backup]
        longest = max(end - start for start, end, _person in backup)
        covered = merge(primary)
        for backup_start, backup_end in merge([(a, b) for a, b, _person in backup]):
            for low, high in subtract(backup_start, backup_end, covered):
                first = bisect_left(starts, low - longest)
                names = sorted(
                    {
                        _name(rota, person)
                        for start, end, person in backup[first : bisect_left(starts, high)]
                        if start < high and low < end
                    }
                )
                found.append(
                    Finding(
                        "no_primary",
                        NOBODY,
                        to_instant(low),
                        to_instant(high),
                        f"nobody on level 1 (primary) for {role} while {', '.join(names)} "
                        "covers as backup; a call-out would start with an empty slot",
                        role,
                    )
                )
    return found


def _name(rota: Rota, person: str) -> str:
    known = rota.people.get(person)
    return known.name if known else person


def shift_findings(
    rota: Rota,
    wanted: list[Requirement],
    on_call: Cover,
    leave: dict[str, list[Interval]],
    window: Interval,
) -> list[Finding]:
    """Double bookings, leave clashes, unknown people and missing qualifications, from the
    shifts in the window as ``on_call`` holds them (``leave`` by person, as datetimes)."""
    start, end = window
    found = _double_bookings(on_call.shifts, on_call.spans, start, end)
    needed: dict[str, set[str]] = defaultdict(set)
    for need in wanted:
        if need.qualification:
            needed[need.role].add(need.qualification)
    people = rota.people
    for role, shifts in on_call.shifts.items():
        needs = needed.get(role)
        on_leave = on_call.on_leave.get(role, set())
        if not people and not needs:  # only leave to look at, where it overlaps
            for index in sorted(on_leave):
                found += _leave_clashes(shifts[index], leave[shifts[index].person], start, end)
            continue
        missing: dict[str, list[str]] = {}  # by person, worked out once each
        for index, shift in enumerate(shifts):
            person = shift.person
            if index in on_leave:
                found += _leave_clashes(shift, leave[person], start, end)
            if people and person not in people:
                found.append(
                    Finding(
                        "unknown_person",
                        person,
                        shift.start if shift.start > start else start,
                        shift.end if shift.end < end else end,
                        f"'{person}' is not in the people list{_at(shift)}; "
                        "the shift does not count as cover",
                        role,
                    )
                )
                continue
            if not needs:
                continue
            lacking = missing.get(person)
            if lacking is None:
                lacking = missing[person] = _missing(rota, person, needs)
            if lacking:
                low = shift.start if shift.start > start else start
                high = shift.end if shift.end < end else end
                found += _unqualified(rota, shift, lacking, low, high)
    return found


def _at(shift: Shift) -> str:
    return f" ({shift.source})" if shift.source else ""


def _double_bookings(
    by_role: dict[str, list[Shift]],
    spans: dict[str, list[MicroInterval]],
    start: datetime,
    end: datetime,
) -> list[Finding]:
    to_micros, to_instant = Micros(), Instants()
    opens, closes = to_micros(start), to_micros(end)
    by_person: dict[str, list[tuple[int, int, Shift]]] = defaultdict(list)
    for role, shifts in by_role.items():
        for shift, (shift_start, shift_end) in zip(shifts, spans[role], strict=True):
            by_person[shift.person].append((shift_start, shift_end, shift))
    found: list[Finding] = []

    def order(item: tuple[int, int, Shift]) -> tuple[int, int, str]:
        return item[0], item[1], item[2].role  # the same pair reads the same in any order

    for person, own in by_person.items():
        own.sort(key=order)
        open_shifts: list[tuple[int, int, Shift]] = []
        latest = own[0][0]  # the latest end among the open shifts
        for item in own:
            shift_start, shift_end, shift = item
            if shift_start >= latest:
                open_shifts = [item]  # every earlier shift has ended: the usual case
                latest = shift_end
                continue
            open_shifts = [other for other in open_shifts if other[1] > shift_start]
            for other_start, other_end, other in open_shifts:
                low = max(shift_start, other_start, opens)
                high = min(shift_end, other_end, closes)
                if low < high:
                    found.append(
                        Finding(
                            "double_booking",
                            person,
                            to_instant(low),
                            to_instant(high),
                            f"on two shifts at once: {other.role}{_at(other)} and "
                            f"{shift.role}{_at(shift)}",
                            shift.role,
                        )
                    )
            open_shifts.append(item)
            if shift_end > latest:
                latest = shift_end
    return found


def _leave_clashes(
    shift: Shift, periods: list[Interval], start: datetime, end: datetime
) -> list[Finding]:
    found = []
    for leave_start, leave_end in periods:
        if leave_start >= shift.end:
            break  # periods are sorted by start: none later can overlap
        if leave_end <= shift.start:
            continue
        low = max(shift.start, leave_start, start)
        high = min(shift.end, leave_end, end)
        if low < high:
            found.append(
                Finding(
                    "leave_clash",
                    shift.person,
                    low,
                    high,
                    f"on leave during a {shift.role} shift{_at(shift)}; "
                    "that part does not count as cover",
                    shift.role,
                )
            )
    return found


def _missing(rota: Rota, person: str, needed: set[str]) -> list[str]:
    """The qualifications in ``needed`` that ``person`` does not hold, sorted."""
    known = rota.people.get(person)
    held = set(known.qualifications) if known else set()
    return sorted(needed - held)


def _unqualified(
    rota: Rota, shift: Shift, missing: list[str], low: datetime, high: datetime
) -> list[Finding]:
    found = []
    for qualification in missing:
        why = "" if rota.people else " (no people list, so no qualifications are known)"
        found.append(
            Finding(
                "unqualified",
                shift.person,
                low,
                high,
                f"does not hold '{qualification}' needed for {shift.role}{_at(shift)}{why}; "
                "the shift does not count as cover where it is required",
                shift.role,
            )
        )
    return found
