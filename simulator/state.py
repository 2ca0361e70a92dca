"""The typed state of one replication: agencies, links, roles, people, tasks and the public.

One :class:`Run` holds everything a replication changes, each piece a small slotted record:
an :class:`AgencyState` per agency, a :class:`LinkState` per link, a :class:`RoleState` per
role, a :class:`PersonState` per responder (rota people keyed by their rota id), a
:class:`TaskState` per plan task and the :class:`PublicState` of the people at risk. The
process modules (:mod:`~standby.simulator.network`, :mod:`~standby.simulator.responders`,
:mod:`~standby.simulator.plan`, :mod:`~standby.simulator.people`) read and change it;
:mod:`~standby.simulator.model` builds one per replication and turns it into a
:class:`~standby.simulator.results.RunResult`.

What happened is kept twice over: the event log (:class:`Event` records) for the timeline,
and chains of :class:`Cause` records (each pointing at the one before it, back to the alarm)
for the critical paths. A task's :attr:`TaskState.phase` says what it is waiting for at
every moment, so what stopped it is read, not reconstructed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import simpy

from standby.simulator.compiled import Assumptions, CompiledScenario
from standby.simulator.distributions import Streams
from standby.simulator.exposure import ReceptorForecast, forecast
from standby.simulator.pool import Pool
from standby.simulator.rest_centre import RestCentreDesk
from standby.simulator.roster import Candidate, Roster
from standby.simulator.travel import LatLon
from standby.simulator.weather import DrawnWeather


@dataclass(slots=True)
class Event:
    """One line of the event log, with indices into the compiled scenario (None: not about
    one); :mod:`~standby.simulator.model` turns it into a
    :class:`~standby.simulator.results.Event` with ids and the UTC time."""

    minute: float
    kind: str
    agency: int | None
    role: int | None
    person: str | None
    task: int | None
    detail: str


@dataclass(slots=True)
class Cause:
    """Something that happened at ``minute``, and the cause it followed (None: the first).

    ``key`` names the kind of step the same way in every run (``ambulance_tactical in
    place``, ``alert to council by duty phone``), so that many runs can count what drove
    their misses; ``what`` says it with this run's details.

    Never changed once made (not frozen only because frozen records are slower to build,
    and a run makes about a hundred)."""

    minute: float
    what: str
    parent: Cause | None = None
    key: str = ""

    def chain(self) -> list[Cause]:
        """This cause and every one before it, earliest first."""
        causes = []
        cause: Cause | None = self
        while cause is not None:
            causes.append(cause)
            cause = cause.parent
        causes.reverse()
        return causes


@dataclass(frozen=True, slots=True)
class Unfilled:
    """A role that could not be (fully) filled: when, by how many people, and why.

    ``kind`` sorts the why: one of :data:`~standby.simulator.roster.ROTA_KINDS` (the rota
    gave nobody), ``no_answer`` (nobody, or too few, answered) or ``unavailable`` (an inject).
    """

    minute: float
    shortfall: int
    reason: str
    kind: str


@dataclass(slots=True)
class AgencyState:
    """When and how an agency heard of the incident; whether it has had M/ETHANE."""

    heard: simpy.Event
    alerted: float | None = None
    via: str = ""
    cause: Cause | None = None
    m_ethane: bool = False
    m_ethane_cause: Cause | None = None


@dataclass(slots=True)
class LinkState:
    """A link during the run: taken down by an inject, and its lines when it has a capacity."""

    lines: simpy.Resource | None
    down: bool = False


@dataclass(slots=True, eq=False)
class PersonState:
    """Someone who answered: a rota person (``id`` their rota id) or the agency's own on-call
    (``id`` None). ``role`` is the role they answered for, None once they dropped out."""

    id: str | None
    name: str
    home: LatLon | None
    role: int | None = None


@dataclass(slots=True)
class RoleState:
    """The call-out of one role: who was rung, who answered, who stood down, and why not.

    ``in_place`` are its people who have arrived (free or busy); ``watchers`` are events of
    tasks waiting for more of them to arrive; ``gave_up`` fires when the role is recorded
    unfilled (a task may then delegate at once)."""

    gave_up: simpy.Event
    started: bool = False
    ringing: bool = False
    unavailable: str | None = None
    candidates: tuple[Candidate, ...] | None = None
    position: int = 0
    answered: int = 0
    people: list[PersonState] = field(default_factory=list)
    stood_down: set[PersonState] = field(default_factory=set)
    in_place: list[PersonState] = field(default_factory=list)
    watchers: list[simpy.Event] = field(default_factory=list)
    unfilled: Unfilled | None = None
    cause: Cause | None = None  # the latest arrival, or release from a task, of its people
    trigger: Cause | None = None  # why it was called out, when not its agency's alert


# --- what a task is waiting for ----------------------------------------------------------
# Phases are never changed once made (a task moves to a new phase instead); they are not
# frozen only because frozen records are slower to build, and a run makes dozens.


@dataclass(slots=True)
class WaitingForTask:
    """Waiting for the earlier task ``task`` (an index) to be done."""

    task: int


@dataclass(slots=True)
class WaitingForAlert:
    """Waiting for its agency to hear of the incident."""

    agency: int


@dataclass(slots=True)
class WaitingForPeople:
    """Waiting for people of its ``roles`` to be in place and free, all at once."""

    roles: tuple[int, ...]


@dataclass(slots=True)
class Working:
    """Started, holding its people."""


@dataclass(slots=True)
class Finished:
    """Done."""


Phase = WaitingForTask | WaitingForAlert | WaitingForPeople | Working | Finished

WORKING = Working()
FINISHED = Finished()


@dataclass(slots=True)
class TaskState:
    """A plan task during the run: its phase, when it started and ended, and why."""

    done: simpy.Event
    phase: Phase
    start: float | None = None
    end: float | None = None
    started: Cause | None = None
    finished: Cause | None = None


# --- the people at risk ------------------------------------------------------------------


@dataclass(slots=True)
class ReceptorState:
    """How and when a receptor was warned (in person, by broadcast; by which task, an index)
    and whether a protective action reached it."""

    in_person: float | None = None
    in_person_by: int | None = None
    broadcast: float | None = None
    broadcast_by: int | None = None
    action: str | None = None


@dataclass(slots=True)
class CentreState:
    """A rest centre: when it opened (or why not yet), its registration desk, who is inside."""

    opened: float | None = None
    desk: RestCentreDesk | None = None
    occupancy: int = 0
    registering: int = 0  # households admitted and not yet registered
    not_opened: str = ""
    blockers: list[Any] = field(default_factory=list)  # requests holding unstaffed desks


@dataclass(slots=True)
class PublicState:
    """The people at risk: warnings, the protective action, arrivals at rest centres."""

    receptors: list[ReceptorState]
    centres: list[CentreState]
    public_warned: float | None = None
    action: str | None = None
    action_minute: float | None = None
    action_people: int = 0
    evacuated: int = 0
    waiting: list[tuple[float, int]] = field(default_factory=list)  # outside: minute, people
    arrived: int = 0
    turned_away: int = 0
    waited_for_opening: int = 0


# --- one replication ---------------------------------------------------------------------


class Run:
    """The whole mutable state of one replication, with the helpers its processes share."""

    __slots__ = (
        "_zone",
        "agencies",
        "assumptions",
        "compiled",
        "env",
        "events",
        "forecast",
        "links",
        "notes",
        "occupants",
        "people",
        "pool",
        "public",
        "reachable",
        "roles",
        "roster",
        "start",
        "streams",
        "tasks",
        "unavailable",
        "weather",
    )

    def __init__(
        self,
        compiled: CompiledScenario,
        roster: Roster | None,
        start: datetime,
        seed: int | np.random.SeedSequence,
        assumptions: Assumptions,
    ) -> None:
        self.compiled = compiled
        self.roster = roster
        self.start = start
        self.assumptions = assumptions
        self.streams = Streams(seed)
        self.env = env = simpy.Environment()
        self.events: list[Event] = []
        self.notes: list[str] = []
        self.agencies = [AgencyState(simpy.Event(env)) for _ in compiled.agencies]
        self.links = [
            LinkState(None if link.capacity is None else simpy.Resource(env, link.capacity))
            for link in compiled.links
        ]
        self.roles = [RoleState(simpy.Event(env)) for _ in compiled.roles]
        self.people: dict[str, PersonState] = {}  # rota people who answered, by rota id
        self.unavailable: set[str] = set()  # rota ids an inject made unavailable
        self.reachable: dict[str, bool] = {}  # drawn once per rota person per incident
        self.pool: Pool[PersonState] = Pool(env, len(compiled.roles))
        self.tasks = [
            TaskState(
                simpy.Event(env),
                WaitingForTask(task.after[0]) if task.after else WaitingForAlert(task.agency),
            )
            for task in compiled.tasks
        ]
        setup = compiled.people
        self.public = PublicState(
            [ReceptorState() for _ in setup.receptors],
            [CentreState() for _ in setup.rest_centres],
        )
        self._zone = ZoneInfo(compiled.timezone)
        # the hazard of this run: its weather (drawn from its own stream when the scenario
        # lets it vary), the zones and arrivals forecast from it, the people there at the start
        hazard = compiled.hazard
        self.occupants: tuple[int, ...] = compiled.occupancy.people_at(start)
        self.weather: DrawnWeather | None = None
        if hazard is None:  # no toxic release: the area at risk, the same in every run
            self.forecast: tuple[ReceptorForecast, ...] = tuple(
                ReceptorForecast(r.zone, r.arrival_minute) for r in compiled.people.receptors
            )
            return
        weather = hazard.weather
        self.weather = (
            weather.draw(self.streams[compiled.weather_stream])
            if weather.varies
            else weather.nominal
        )
        self.forecast = forecast(hazard, self.weather)

    def log(
        self,
        kind: str,
        *,
        agency: int | None = None,
        role: int | None = None,
        person: str | None = None,
        task: int | None = None,
        detail: str = "",
    ) -> None:
        """Append one event at the current minute."""
        self.events.append(Event(self.env.now, kind, agency, role, person, task, detail))

    def cause(
        self, what: str, parent: Cause | None = None, *, role: int | None = None, key: str = ""
    ) -> Cause:
        """A cause at the current minute; ``role`` links it to that role's agency alert (and
        names the step as that role's call-out unless ``key`` says otherwise)."""
        if role is not None:
            parent = (
                self.roles[role].trigger or self.agencies[self.compiled.roles[role].agency].cause
            )
            key = key or f"call-out of {self.compiled.roles[role].id}"
        return Cause(self.env.now, what, parent, key)

    def person(self, candidate: Candidate) -> PersonState:
        """The state of a rota person, by rota id (made when they first answer)."""
        person = self.people.get(candidate.person)
        if person is None:
            person = PersonState(candidate.person, candidate.name, candidate.home)
            self.people[candidate.person] = person
        return person

    def instant(self) -> datetime:
        """The current simulation minute as a UTC instant."""
        return self.start + timedelta(minutes=self.env.now)

    def local_time(self) -> datetime:
        """The current instant in the scenario's time zone."""
        return self.instant().astimezone(self._zone)

    def local_hour(self) -> int:
        """Local hour of the day now (0-23)."""
        return self.local_time().hour
