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

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
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


class Slots:
    """Sorted, disjoint stretches of time (local days, nights, weekends), in microseconds
    since the epoch (``rota.epoch``), and how much of someone's time falls in each.

    This runs over every day and night of every person's year, so an interval finds its
    first slot by bisection and looks only at the slots it overlaps.
    """

    __slots__ = ("ends", "starts")

    def __init__(self, slots: Iterable[MicroInterval]) -> None:
        pairs = list(slots)
        self.starts = [start for start, _end in pairs]
        self.ends = [end for _start, end in pairs]

    def __len__(self) -> int:
        return len(self.starts)

    def amounts(self, intervals: list[MicroInterval]) -> list[int]:
        """Microseconds of ``intervals`` (sorted, disjoint) inside each slot."""
        starts, ends = self.starts, self.ends
        count = len(starts)
        found = [0] * count
        index = 0
        for low, high in intervals:
            index = bisect_right(ends, low, index)  # the first slot ending after ``low``
            scan = index
            while scan < count:
                slot_start = starts[scan]
                if slot_start >= high:
                    break
                slot_end = ends[scan]
                found[scan] += (high if high < slot_end else slot_end) - (
                    low if low > slot_start else slot_start
                )
                scan += 1
        return found

    def total(self, intervals: list[MicroInterval]) -> int:
        """Microseconds of ``intervals`` (sorted, disjoint) inside the slots, all told."""
        starts, ends = self.starts, self.ends
        count = len(starts)
        total = 0
        index = 0
        for low, high in intervals:
            index = bisect_right(ends, low, index)
            scan = index
            while scan < count:
                slot_start = starts[scan]
                if slot_start >= high:
                    break
                slot_end = ends[scan]
                total += (high if high < slot_end else slot_end) - (
                    low if low > slot_start else slot_start
                )
                scan += 1
        return total


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

    ``shifts`` holds each role's shifts that overlap the window, in rota order, and
    ``spans`` their whole ``(start, end)`` in microseconds; ``on_leave`` the places in
    ``shifts`` of those whose part in the window overlaps their person's leave;
    ``pieces`` their on-call pieces in the same order; ``unions`` each person's time in the role,
    merged (sorted, disjoint), for everyone with a shift of the role in the window in
    first-seen order, including those on leave for all of it (they still count in the
    fairness figures, with no hours). ``clipped`` is False when the window holds every
    shift whole, so the pieces are the shifts' own.
    """

    shifts: dict[str, list[Shift]]
    spans: dict[str, list[MicroInterval]]
    on_leave: dict[str, set[int]]
    pieces: dict[str, list[CoverPiece]]
    unions: dict[str, dict[str, list[MicroInterval]]]
    clipped: bool


def cover(
    shifts: list[Shift],
    window: MicroInterval,
    leave: dict[str, list[MicroInterval]],
    to_micros: Micros,
) -> Cover:
    """The :class:`Cover` of ``shifts`` inside ``window`` (microseconds, ``rota.epoch``)."""
    opens, closes = window
    inside: dict[str, list[Shift]] = defaultdict(list)
    spans: dict[str, list[MicroInterval]] = defaultdict(list)
    on_leave: dict[str, set[int]] = defaultdict(set)
    pieces: dict[str, list[CoverPiece]] = defaultdict(list)
    grouped: dict[str, dict[str, list[MicroInterval]]] = defaultdict(dict)
    # Each person's leave as one sorted union and its ends: most shifts miss it, which one
    # bisection shows.
    holes_of = {person: merge(holes) for person, holes in leave.items()}
    ends_of = {person: [end for _start, end in holes] for person, holes in holes_of.items()}
    clipped = False
    for shift, span in zip(shifts, to_micros.spans(shifts), strict=True):
        low, high = span
        if low < opens:
            low, clipped = opens, True
        if high > closes:
            high, clipped = closes, True
        if low >= high:
            continue
        person, role, level = shift.person, shift.role, shift.level
        shifts_in_role = inside[role]
        shifts_in_role.append(shift)
        spans[role].append(span)
        own = grouped[role].get(person)
        if own is None:
            own = grouped[role][person] = []
        ends = ends_of.get(person)
        if ends is not None:
            first = bisect_right(ends, low)  # the first leave ending after the shift starts
            holes = holes_of[person]
            if first < len(ends) and holes[first][0] < high:
                on_leave[role].add(len(shifts_in_role) - 1)
                cut = subtract(low, high, holes[first:])
                pieces[role] += [(person, level, a, b) for a, b in cut]
                own += cut
                continue
        pieces[role].append((person, level, low, high))
        own.append((low, high))
    unions = {
        role: {person: merge(own) for person, own in by_person.items()}
        for role, by_person in grouped.items()
    }
    return Cover(dict(inside), dict(spans), dict(on_leave), dict(pieces), unions, clipped)


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

    def span(
        self, role: str, at: datetime, holds: Callable[[list[OnCallEntry]], bool]
    ) -> tuple[datetime | None, datetime | None] | None:
        """The stretch of time around ``at`` in which ``holds(who(role, t))`` is true at every
        instant ``t``: ``(start, end)``, None at an end that reaches past every shift of the
        role. None when ``holds`` is false at ``at`` itself.

        ``span(role, t, lambda people: not people)`` is the gap in cover around ``t``.
        """
        points = self._points.get(role, [])
        lists = self._lists.get(role, [])

        def in_force(segment: int) -> list[OnCallEntry]:
            return list(lists[segment]) if segment >= 0 else []

        here = bisect_right(points, at) - 1
        if not holds(in_force(here)):
            return None
        first = here
        while first >= 0 and holds(in_force(first - 1)):
            first -= 1
        last = here
        while last + 1 < len(points) and holds(in_force(last + 1)):
            last += 1
        start = points[first] if first >= 0 else None
        end = points[last + 1] if last + 1 < len(points) else None
        return start, end

    def people_between(self, role: str, start: datetime, end: datetime) -> set[str]:
        """Rota ids of everyone on call for ``role`` at some instant in ``[start, end)``."""
        points = self._points.get(role)
        if not points or end <= start:
            return set()
        first = max(0, bisect_right(points, start) - 1)
        last = bisect_left(points, end)
        lists = self._lists[role]
        return {entry.person for segment in lists[first:last] for entry in segment}


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
