"""Who the simulator rings for a rota role at an instant: the rota's on-call lists, in order.

Built once per rota (:meth:`Roster.from_rota`) from the rota's own types: the
:class:`~standby.rota.oncall.OnCall` index answers "who covers role R at instant t" and each
:class:`~standby.rota.model.Person` gives a home location. Every candidate is keyed by their
rota id, so two people who share a display name stay two people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from standby.rota.model import Person, Rota
from standby.rota.oncall import OnCall
from standby.simulator.travel import LatLon


@dataclass(frozen=True, slots=True)
class Candidate:
    """One person to ring for a role, in escalation order; ``person`` is their rota id."""

    person: str
    name: str
    level: int
    answer_probability: float | None
    home: LatLon | None


class Roster:
    """Who to ring for a rota role at an instant, with people's home locations."""

    __slots__ = ("homes", "oncall")

    def __init__(self, oncall: OnCall, people: Mapping[str, Person]) -> None:
        self.oncall = oncall
        self.homes: dict[str, LatLon] = {
            person_id: person.home_location
            for person_id, person in people.items()
            if person.home_location is not None
        }

    @classmethod
    def from_rota(cls, rota: Rota) -> Roster:
        """Build the OnCall index of ``rota`` once."""
        return cls(OnCall(rota), rota.people)

    def candidates(self, rota_role: str, at: datetime) -> tuple[Candidate, ...]:
        """The people on call for ``rota_role`` at ``at``, primary first."""
        homes = self.homes
        return tuple(
            Candidate(
                entry.person,
                entry.name,
                entry.level,
                entry.answer_probability,
                homes.get(entry.person),
            )
            for entry in self.oncall.who(rota_role, at)
        )
