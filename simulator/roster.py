"""Who the simulator rings for a rota role at an instant: the rota's on-call lists, in order.

Built once per rota (:meth:`Roster.from_rota`) from the rota's own types: the
:class:`~standby.rota.oncall.OnCall` index answers "who covers role R at instant t" and each
:class:`~standby.rota.model.Person` gives a home location. Every candidate is keyed by their
rota id, so two people who share a display name stay two people.

When nobody is on call, :meth:`Roster.why_nobody` tells apart the four situations a planner
fixes in different places: a ``rota_role`` the rota does not have at all (a typo, with "did
you mean"), a start outside the rota's dates, a role the rota's requirements do not ask for at
that time of day (an out-of-hours team in the daytime), and a real gap in the rota.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from standby.clock import DEFAULT_REGION, DEFAULT_TIMEZONE, to_local
from standby.hints import did_you_mean
from standby.rota.clock import window_intervals
from standby.rota.model import Person, Requirement, Rota, TimeWindow
from standby.rota.oncall import OnCall
from standby.simulator.travel import LatLon

NOT_IN_ROTA = "not_in_rota"
OUTSIDE_ROTA_DATES = "outside_rota_dates"
NOT_REQUIRED = "not_required"
ROTA_GAP = "rota_gap"
ROTA_KINDS = (NOT_IN_ROTA, OUTSIDE_ROTA_DATES, NOT_REQUIRED, ROTA_GAP)
"""Why a rota leaves a role with nobody to ring, most fundamental first."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One person to ring for a role, in escalation order; ``person`` is their rota id."""

    person: str
    name: str
    level: int
    answer_probability: float | None
    home: LatLon | None


@dataclass(frozen=True, slots=True)
class NobodyOnCall:
    """Why the rota gives nobody for a role at an instant: ``kind`` (one of
    :data:`ROTA_KINDS`) and the reason in words."""

    kind: str
    reason: str


class Roster:
    """Who to ring for a rota role at an instant, with people's home locations."""

    __slots__ = (
        "_starts",
        "excluded",
        "homes",
        "oncall",
        "people",
        "region",
        "requirements",
        "roles",
        "span",
        "timezone",
    )

    def __init__(
        self,
        oncall: OnCall,
        people: Mapping[str, Person],
        *,
        shift_starts: Mapping[str, Sequence[datetime]] | None = None,
        span: tuple[datetime, datetime] | None = None,
        requirements: Sequence[Requirement] = (),
        timezone: str = DEFAULT_TIMEZONE,
        region: str = DEFAULT_REGION,
    ) -> None:
        self.oncall = oncall
        self.people = frozenset(people)
        self.homes: dict[str, LatLon] = {
            person_id: person.home_location
            for person_id, person in people.items()
            if person.home_location is not None
        }
        starts = shift_starts or {}
        self._starts = {role: sorted(times) for role, times in starts.items()}
        self.roles = frozenset(self._starts) | {r.role for r in requirements}
        self.span = span
        self.requirements = tuple(requirements)
        self.timezone = timezone
        self.region = region
        self.excluded: frozenset[str] = frozenset()  # rota ids unavailable throughout

    @classmethod
    def from_rota(
        cls,
        rota: Rota,
        requirements: Sequence[Requirement] | None = None,
        region: str = DEFAULT_REGION,
    ) -> Roster:
        """Build the OnCall index of ``rota`` once; ``requirements`` None: the rota's own."""
        starts: dict[str, list[datetime]] = {}
        for shift in rota.shifts:
            starts.setdefault(shift.role, []).append(shift.start)
        span = None
        if rota.shifts:
            span = (min(s.start for s in rota.shifts), max(s.end for s in rota.shifts))
        people = dict(rota.people)
        for shift in rota.shifts:  # a rota without a people list names people by its shifts
            people.setdefault(shift.person, Person(shift.person, shift.person))
        return cls(
            OnCall(rota),
            people,
            shift_starts=starts,
            span=span,
            requirements=rota.requirements if requirements is None else requirements,
            timezone=rota.timezone,
            region=region,
        )

    def without(self, person: str) -> Roster:
        """The same rota with ``person`` (a rota id) unavailable throughout, as if on leave
        all the time (the readiness sweep's single points of failure)."""
        roster = copy.copy(self)
        roster.excluded = self.excluded | {person}
        return roster

    def candidates(self, rota_role: str, at: datetime) -> tuple[Candidate, ...]:
        """The people on call for ``rota_role`` at ``at``, primary first, leaving out anyone
        made unavailable with :meth:`without`."""
        homes = self.homes
        excluded = self.excluded
        return tuple(
            Candidate(
                entry.person,
                entry.name,
                entry.level,
                entry.answer_probability,
                homes.get(entry.person),
            )
            for entry in self.oncall.who(rota_role, at)
            if entry.person not in excluded
        )

    def why_nobody(self, rota_role: str, at: datetime) -> NobodyOnCall:
        """Which of the four situations leaves ``rota_role`` with nobody on call at ``at``."""
        when = _local(at, self.timezone)
        if rota_role not in self.roles:
            hint = did_you_mean(rota_role, sorted(self.roles))
            return NobodyOnCall(
                NOT_IN_ROTA,
                f"the rota has no role '{rota_role}' ({hint}); check the role's rota_role",
            )
        if self.span is not None and not self.span[0] <= at < self.span[1]:
            first, last = (_local(t, self.timezone) for t in self.span)
            return NobodyOnCall(
                OUTSIDE_ROTA_DATES,
                f"{when} is outside the rota's dates ({first} to {last}); give a rota that "
                "covers the start",
            )
        windows = [r.when for r in self.requirements if r.role == rota_role]
        if windows and not any(w is None or self._inside(w, at) for w in windows):
            shown = "; ".join(_window_text(w) for w in windows if w is not None)
            return NobodyOnCall(
                NOT_REQUIRED,
                f"the rota's requirements ask for '{rota_role}' only {shown}, not at {when}; "
                "name the role that covers this time (or make it on_duty)",
            )
        later = self._next_start(rota_role, at)
        after = "" if later is None else f"; next on call from {_local(later, self.timezone)}"
        return NobodyOnCall(
            ROTA_GAP, f"nobody on call for '{rota_role}' at {when} (rota gap{after})"
        )

    def _inside(self, window: TimeWindow, at: datetime) -> bool:
        return bool(
            window_intervals(window, at, at + timedelta(seconds=1), self.timezone, self.region)
        )

    def _next_start(self, rota_role: str, at: datetime) -> datetime | None:
        starts = self._starts.get(rota_role, [])
        index = bisect_right(starts, at)
        return starts[index] if index < len(starts) else None


def _local(instant: datetime, timezone: str) -> str:
    return f"{to_local(instant.astimezone(UTC), timezone):%a %d %b %Y %H:%M}"


def _window_text(window: TimeWindow) -> str:
    days = ", ".join(day.replace("_", " ") for day in window.days)
    return f"{days} {window.start:%H:%M}-{window.end:%H:%M}"
