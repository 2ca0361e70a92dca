"""Who is on call for a role at an instant, in escalation order.

:class:`OnCall` is built once from a :class:`~rota.model.Rota` and then answers
:meth:`OnCall.who` in O(log n): for each role the instants at which the on-call list can
change (shift starts and ends, leave starts and ends) are sorted once, the list in force from
each of them is precomputed, and a query is one bisection. The simulator asks this question
thousands of times per replication, so the work is done up front.

People on leave are left out for the part of a shift that falls in their leave; the shift is
not "fixed" (``rota.coverage`` reports the clash as a finding).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from standby.rota.epoch import MicroInterval, Micros
from standby.rota.model import Leave, Rota, Shift


@dataclass(frozen=True, slots=True)
class OnCallEntry:
    """One person on call for a role at the instant asked about."""

    person: str
    name: str
    role: str
    level: int
    phone: str | None
    answer_probability: float | None
    shift_end: datetime


Interval = tuple[datetime, datetime]
#: An end of an interval: an aware datetime, or microseconds since the epoch (``rota.epoch``).
Point = TypeVar("Point", datetime, int)
OrderKey = tuple[int, datetime, str, datetime]
Piece = tuple[datetime, datetime, OrderKey, OnCallEntry]


def subtract(
    start: Point, end: Point, holes: list[tuple[Point, Point]]
) -> list[tuple[Point, Point]]:
    """``[start, end)`` minus the union of ``holes`` (sorted by start), as sorted pieces."""
    pieces: list[tuple[Point, Point]] = []
    cursor = start
    for hole_start, hole_end in holes:
        if hole_end <= cursor:
            continue
        if hole_start >= end:
            break
        if hole_start > cursor:
            pieces.append((cursor, hole_start))
        if hole_end > cursor:
            cursor = hole_end
        if cursor >= end:
            break
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def merge(intervals: list[tuple[Point, Point]]) -> list[tuple[Point, Point]]:
    """The union of ``intervals`` as sorted, disjoint, non-touching pieces."""
    merged: list[tuple[Point, Point]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def micros_in_slots(intervals: list[tuple[int, int]], slots: list[tuple[int, int]]) -> list[int]:
    """Microseconds of ``intervals`` (sorted) inside each of ``slots`` (sorted, disjoint),
    both in microseconds since the epoch (``rota.epoch``): the work or on-call time on each
    local day or night. This runs over every day of every person's year.
    """
    found = [0] * len(slots)
    count = len(slots)
    index = 0
    for low_edge, high_edge in intervals:
        # Both lists are sorted, so the first slot that can overlap only moves forward.
        while index < count and slots[index][1] <= low_edge:
            index += 1
        scan = index
        while scan < count:
            slot_start, slot_end = slots[scan]
            if slot_start >= high_edge:
                break
            low = low_edge if low_edge > slot_start else slot_start
            high = high_edge if high_edge < slot_end else slot_end
            if high > low:
                found[scan] += high - low
            scan += 1
    return found


def leave_by_person(leave: list[Leave]) -> dict[str, list[Interval]]:
    """Each person's leave periods, sorted by start."""
    by_person: dict[str, list[Interval]] = defaultdict(list)
    for item in leave:
        if item.end > item.start:
            by_person[item.person].append((item.start, item.end))
    for periods in by_person.values():
        periods.sort()
    return dict(by_person)


def leave_micros(leave: list[Leave], to_micros: Micros) -> dict[str, list[MicroInterval]]:
    """:func:`leave_by_person` in microseconds since the epoch (``rota.epoch``)."""
    return {
        person: [(to_micros(start), to_micros(end)) for start, end in periods]
        for person, periods in leave_by_person(leave).items()
    }


#: Someone's on-call time for a role from one shift, leave taken off, in microseconds since
#: the epoch: ``(person, level, start, end)``.
CoverPiece = tuple[str, int, int, int]


@dataclass(frozen=True, slots=True)
class Cover:
    """Each role's on-call time inside a window, shift by shift, leave taken off.

    ``pieces`` holds a role's pieces in the order of its shifts; ``people`` everyone with a
    shift of the role in the window, in first-seen order, including those on leave for all
    of it (they still count in the fairness figures, with no hours).
    """

    pieces: dict[str, list[CoverPiece]]
    people: dict[str, dict[str, None]]


def cover(
    shifts: list[Shift],
    window: MicroInterval,
    leave: dict[str, list[MicroInterval]],
    to_micros: Micros,
) -> Cover:
    """The :class:`Cover` of ``shifts`` inside ``window`` (microseconds, ``rota.epoch``)."""
    opens, closes = window
    pieces: dict[str, list[CoverPiece]] = defaultdict(list)
    people: dict[str, dict[str, None]] = defaultdict(dict)
    for shift, (low, high) in zip(shifts, to_micros.spans(shifts), strict=True):
        if low < opens:
            low = opens
        if high > closes:
            high = closes
        if low >= high:
            continue
        person, role = shift.person, shift.role
        people[role][person] = None
        holes = leave.get(person)
        if holes is None:
            pieces[role].append((person, shift.level, low, high))
        else:
            pieces[role] += [(person, shift.level, a, b) for a, b in subtract(low, high, holes)]
    return Cover(dict(pieces), dict(people))


class OnCall:
    """An index over a rota answering "who covers role R at instant t"."""

    def __init__(self, rota: Rota) -> None:
        self._rota = rota
        leave = leave_by_person(rota.leave)
        pieces: dict[str, list[Piece]] = defaultdict(list)
        for shift in rota.shifts:
            if shift.end <= shift.start:
                continue
            entry = self._entry(shift)
            order: OrderKey = (shift.level, shift.start, shift.person, shift.end)
            for start, end in subtract(shift.start, shift.end, leave.get(shift.person, [])):
                pieces[shift.role].append((start, end, order, entry))
        self._roles = list(dict.fromkeys(shift.role for shift in rota.shifts))
        self._points: dict[str, list[datetime]] = {}
        self._lists: dict[str, list[list[OnCallEntry]]] = {}
        for role, role_pieces in pieces.items():
            self._points[role], self._lists[role] = _sweep(role_pieces)

    def _entry(self, shift: Shift) -> OnCallEntry:
        person = self._rota.people.get(shift.person)
        return OnCallEntry(
            person=shift.person,
            name=person.name if person else shift.person,
            role=shift.role,
            level=shift.level,
            phone=shift.phone or (person.phone if person else None),
            answer_probability=person.answer_probability if person else None,
            shift_end=shift.end,
        )

    def roles(self) -> list[str]:
        """Every role with at least one shift, in first-seen order."""
        return list(self._roles)

    def who(self, role: str, at: datetime) -> list[OnCallEntry]:
        """The people on call for ``role`` at ``at`` (aware), level 1 first.

        Ties within a level go by shift start, then person. A role with no shifts, or an
        instant outside every shift, gives an empty list.
        """
        if at.tzinfo is None:
            raise ValueError("OnCall.who needs an aware datetime (UTC inside Standby)")
        points = self._points.get(role)
        if not points:
            return []
        index = bisect_right(points, at) - 1
        if index < 0:
            return []
        return list(self._lists[role][index])


def _sweep(
    pieces: list[Piece],
) -> tuple[list[datetime], list[list[OnCallEntry]]]:
    """Change points of one role and the ordered on-call list in force from each."""
    events: dict[datetime, list[tuple[int, int]]] = defaultdict(list)
    for number, (start, end, _order, _entry) in enumerate(pieces):
        events[start].append((1, number))
        events[end].append((-1, number))
    active: dict[int, None] = {}
    points: list[datetime] = []
    lists: list[list[OnCallEntry]] = []
    for instant in sorted(events):
        for change, number in events[instant]:
            if change > 0:
                active[number] = None
            else:
                active.pop(number, None)
        ordered = sorted(active, key=lambda n: pieces[n][2])
        points.append(instant)
        lists.append([pieces[n][3] for n in ordered])
    return points, lists
