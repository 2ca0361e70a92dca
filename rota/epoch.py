"""Instants as whole microseconds since 1970-01-01 UTC, for the sweeps over a year's rota.

Also :func:`collector_paused`, the cycle collector kept out of those sweeps.

A year's check compares, sorts and sums the ends of tens of thousands of shifts many times
over; on plain integers that is several times quicker than on aware datetimes, and exact
(a datetime holds whole microseconds, so nothing is rounded either way). The sweeps convert
on the way in and back (:func:`instant`) for what they report. Hours and minutes are worked
out from the integers as the datetimes gave them: ``timedelta.total_seconds()`` is the
microseconds divided by a million, and so is :func:`seconds`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE = timedelta(microseconds=1)
SECOND = 1_000_000
HOUR = 3600 * SECOND
DAY = 24 * HOUR

MicroInterval = tuple[int, int]


class _Span(Protocol):
    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...


def micros(moment: datetime) -> int:
    """``moment`` (aware) as microseconds since the epoch."""
    return (moment - EPOCH) // _ONE


def length(span: timedelta) -> int:
    """``span`` in microseconds (a limit such as ``timedelta(hours=11)``)."""
    return span // _ONE


def instant(count: int) -> datetime:
    """Microseconds since the epoch as an aware UTC datetime."""
    return EPOCH + timedelta(microseconds=count)


def seconds(count: int) -> float:
    """Microseconds as seconds, as ``timedelta.total_seconds()`` gives them."""
    return count / SECOND


class Micros:
    """:func:`micros` that converts each distinct datetime once.

    The shifts of a year share a few thousand handover times, and a reader hands the same
    datetime object to every shift that starts at the same time, so most calls are one
    dictionary look-up.
    """

    __slots__ = ("_known",)

    def __init__(self) -> None:
        self._known: dict[datetime, int] = {}

    def __call__(self, moment: datetime) -> int:
        known = self._known.get(moment)
        if known is None:
            known = self._known[moment] = (moment - EPOCH) // _ONE
        return known

    def spans(self, items: Iterable[_Span]) -> list[MicroInterval]:
        """``(start, end)`` of each of ``items`` (shifts, call-outs, leave), in one loop."""
        look_up = self._known.get
        found = []
        for item in items:
            start, end = look_up(item.start), look_up(item.end)
            if start is None:
                start = self(item.start)
            if end is None:
                end = self(item.end)
            found.append((start, end))
        return found


class Instants:
    """:func:`instant` that makes each distinct datetime once (findings share their ends)."""

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[int, datetime] = {}

    def __call__(self, count: int) -> datetime:
        made = self._made.get(count)
        if made is None:
            made = self._made[count] = EPOCH + timedelta(microseconds=count)
        return made


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the duration (and back on after, if it was on).

    Reading and checking a year's rota makes a million small objects and no reference
    cycles; left on, the collector walks all of them again and again and finds nothing, a
    fifth of the check's time. Objects are still freed as soon as they are unused.

    What was made meanwhile (a rota, a report) is long-lived: it goes to the oldest
    generation on the way out, or the first young collection after would walk all of it.
    Skipped when something has frozen objects on purpose (``gc.freeze``).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():
            gc.freeze()  # every tracked object to the permanent generation, at once,
            gc.unfreeze()  # and back to the oldest generation
        gc.enable()
