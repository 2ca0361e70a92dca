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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

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
OrderKey = tuple[int, datetime, str, datetime]
Piece = tuple[datetime, datetime, OrderKey, OnCallEntry]


def subtract(start: datetime, end: datetime, holes: list[Interval]) -> list[Interval]:
    """``[start, end)`` minus the union of ``holes`` (sorted by start), as sorted pieces."""
    pieces: list[Interval] = []
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


def merge(intervals: list[Interval]) -> list[Interval]:
    """The union of ``intervals`` as sorted, disjoint, non-touching pieces."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def seconds_in_slots(intervals: list[Interval], slots: list[tuple[float, float]]) -> list[float]:
    """Seconds of ``intervals`` (sorted) inside each of ``slots`` (sorted, disjoint, epoch
    seconds): the work or on-call time on each local day or night.

    Epoch floats rather than datetimes: this runs over every day of every person's year.
    """
    seconds = [0.0] * len(slots)
    count = len(slots)
    index = 0
    for start, end in intervals:
        low_edge, high_edge = start.timestamp(), end.timestamp()
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
                seconds[scan] += high - low
            scan += 1
    return seconds


def leave_by_person(leave: list[Leave]) -> dict[str, list[Interval]]:
    """Each person's leave periods, sorted by start."""
    by_person: dict[str, list[Interval]] = defaultdict(list)
    for item in leave:
        if item.end > item.start:
            by_person[item.person].append((item.start, item.end))
    for periods in by_person.values():
        periods.sort()
    return dict(by_person)


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
