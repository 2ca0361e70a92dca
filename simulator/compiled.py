"""A scenario converted once into plain tuples, so each replication only reads numbers.

:func:`compile_scenario` resolves every id to an index, turns distributions into
:data:`~simulator.distributions.Spec` tuples, orders the plan topologically (plan order
breaks ties) and fixes the numbering of the random streams. The pydantic
:class:`~scenarios.model.Scenario` is not touched again during a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from standby.scenarios.model import (
    ExtraDemand,
    LinkDown,
    PersonUnavailable,
    RoleUnavailable,
    Scenario,
    WindChange,
)
from standby.simulator.distributions import Spec, compile_distribution, fixed
from standby.simulator.people import PeopleSetup, compile_people, split_warning_tasks

LatLon = tuple[float, float]


@dataclass(frozen=True, slots=True)
class CompiledLink:
    """A directed communication link between two agencies (indices)."""

    index: int
    source: int
    target: int
    channel: str
    delay: Spec
    failure_probability: float
    capacity: int | None


@dataclass(frozen=True, slots=True)
class CompiledRole:
    """A role of the response; ``destination`` is where its people report (None: remote)."""

    index: int
    id: str
    name: str
    agency: int
    rota_role: str | None
    count: int
    destination: LatLon | None
    destination_name: str
    remote: bool
    answer_probability: float | None
    travel: Spec | None
    needed: bool


@dataclass(frozen=True, slots=True)
class CompiledTask:
    """A plan task; ``after`` and ``roles`` are indices, ``target`` minutes or None."""

    index: int
    id: str
    name: str
    agency: int
    roles: tuple[int, ...]
    after: tuple[int, ...]
    duration: Spec
    target: float | None
    target_text: str
    kind: str
    warns: str | None = None


@dataclass(frozen=True, slots=True)
class CompiledInject:
    """An inject: ``effect`` is none, link_down, person_unavailable, role_unavailable,
    wind_change or extra_demand, with its arguments in ``args``."""

    id: str
    minute: float
    text: str
    effect: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class CompiledScenario:
    """Everything a run needs, as tuples of plain values and indices."""

    name: str
    title: str
    timezone: str
    default_start: datetime
    duration_minutes: float
    agencies: tuple[str, ...]
    agency_names: tuple[str, ...]
    agency_bases: tuple[LatLon | None, ...]
    links: tuple[CompiledLink, ...]
    out_links: tuple[tuple[int, ...], ...]
    raised_by: int
    declared_by: int
    declare_after: Spec
    roles: tuple[CompiledRole, ...]
    roles_of_agency: tuple[tuple[int, ...], ...]
    tasks: tuple[CompiledTask, ...]
    injects: tuple[CompiledInject, ...]
    graph: Any = field(compare=False, repr=False)
    people: PeopleSetup = field(compare=False, repr=False)
    door_knock_tasks: tuple[int, ...] = ()
    broadcast_tasks: tuple[int, ...] = ()
    unreachable: tuple[str, ...] = ()

    # Random stream numbering: 0 declaration, then one per link, role call-out, task; then
    # the people model's: one per door-knock task, evacuee arrivals, extra-demand arrivals and
    # one per rest centre's registration desk (after the others, so theirs keep numbers).
    @property
    def declare_stream(self) -> int:
        """Stream of the declaration delay."""
        return 0

    def link_stream(self, link: int) -> int:
        """Stream of one link's delays and failures."""
        return 1 + link

    def role_stream(self, role: int) -> int:
        """Stream of one role's call-out: answers, answer delays and travel."""
        return 1 + len(self.links) + role

    def task_stream(self, task: int) -> int:
        """Stream of one task's duration."""
        return 1 + len(self.links) + len(self.roles) + task

    @property
    def _people_base(self) -> int:
        return 1 + len(self.links) + len(self.roles) + len(self.tasks)

    def door_knock_stream(self, task: int) -> int:
        """Stream of one door-knock task's warning times."""
        return self._people_base + self.door_knock_tasks.index(task)

    @property
    def evacuation_stream(self) -> int:
        """Stream of evacuees' arrival times at rest centres."""
        return self._people_base + len(self.door_knock_tasks)

    @property
    def extra_demand_stream(self) -> int:
        """Stream of extra-demand injects' arrival times."""
        return self._people_base + len(self.door_knock_tasks) + 1

    def registration_stream(self, centre: int) -> int:
        """Stream of one rest centre's registration times."""
        return self._people_base + len(self.door_knock_tasks) + 2 + centre

    def agency_index(self, agency_id: str) -> int:
        """Index of an agency id."""
        return self.agencies.index(agency_id)

    def role_index(self, role_id: str) -> int:
        """Index of a role id."""
        return next(r.index for r in self.roles if r.id == role_id)

    def task_index(self, task_id: str) -> int:
        """Index of a task id."""
        return next(t.index for t in self.tasks if t.id == task_id)


def _topological(scenario: Scenario) -> list[int]:
    """Plan task positions in dependency order; plan order breaks ties."""
    tasks = scenario.plan.tasks
    position = {t.id: i for i, t in enumerate(tasks)}
    placed: list[int] = []
    done: set[str] = set()
    while len(placed) < len(tasks):
        for i, task in enumerate(tasks):
            if task.id not in done and all(b in done for b in task.after):
                placed.append(i)
                done.add(task.id)
                break
        else:  # pragma: no cover - the scenario validator rejects cycles
            raise ValueError("plan has a cycle")
    assert len(position) == len(placed)
    return placed


def _inject(inject: Any, agencies: dict[str, int], roles: dict[str, int]) -> CompiledInject:
    effect = inject.effect
    name = "none"
    args: tuple[Any, ...] = ()
    if isinstance(effect, LinkDown):
        name, args = "link_down", (agencies[effect.from_], agencies[effect.to])
    elif isinstance(effect, PersonUnavailable):
        name, args = "person_unavailable", (effect.person,)
    elif isinstance(effect, RoleUnavailable):
        name, args = "role_unavailable", (roles[effect.role],)
    elif isinstance(effect, WindChange):
        name = "wind_change"
        args = (effect.wind_speed_ms, effect.wind_from_deg, effect.stability, "")
    elif isinstance(effect, ExtraDemand):
        name, args = "extra_demand", (effect.people, effect.receptor)
    return CompiledInject(inject.id, float(inject.minute), inject.text, name, args)


def _wind_note(inject: CompiledInject, people: PeopleSetup) -> CompiledInject:
    """A wind change carries the text of the zones it brings (computed once)."""
    if inject.effect != "wind_change":
        return inject
    note = people.wind_notes.get(inject.minute, "")
    return CompiledInject(
        inject.id, inject.minute, inject.text, inject.effect, (*inject.args[:3], note)
    )


def compile_scenario(scenario: Scenario) -> CompiledScenario:
    """Convert ``scenario`` once into a :class:`CompiledScenario`."""
    from standby.simulator.network import build_agency_graph, unreachable_agencies

    agencies = {a.id: i for i, a in enumerate(scenario.agencies)}
    role_ids = {r.id: i for i, r in enumerate(scenario.roles)}
    places: dict[str, tuple[LatLon, str]] = {
        p.id: ((p.location.lat, p.location.lon), p.name) for p in scenario.places
    }
    for centre in scenario.rest_centres:
        places[centre.id] = ((centre.location.lat, centre.location.lon), centre.name)
    needed = {r for t in scenario.plan.tasks for r in t.roles}
    needed |= {c.staffing_role for c in scenario.rest_centres}

    links = tuple(
        CompiledLink(
            i,
            agencies[link.from_],
            agencies[link.to],
            link.channel,
            compile_distribution(link.delay),
            link.failure_probability,
            link.capacity,
        )
        for i, link in enumerate(scenario.links)
    )
    roles = []
    for i, role in enumerate(scenario.roles):
        destination, destination_name = places.get(role.reports_to, (None, "remote"))
        roles.append(
            CompiledRole(
                i,
                role.id,
                role.name,
                agencies[role.agency],
                role.rota_role,
                role.count,
                destination,
                destination_name,
                role.reports_to == "remote" or role.remote_allowed,
                role.answer_probability,
                compile_distribution(role.travel_minutes) if role.travel_minutes else None,
                role.id in needed,
            )
        )
    order = _topological(scenario)
    new_index = {scenario.plan.tasks[old].id: new for new, old in enumerate(order)}
    tasks = []
    for new, old in enumerate(order):
        task = scenario.plan.tasks[old]
        tasks.append(
            CompiledTask(
                new,
                task.id,
                task.name,
                agencies[task.agency],
                tuple(role_ids[r] for r in task.roles),
                tuple(new_index[b] for b in task.after),
                compile_distribution(task.duration),
                task.target.within_minutes if task.target else None,
                task.target.text if task.target else "",
                task.kind,
                task.warns,
            )
        )
    people = compile_people(
        scenario,
        {
            t.index: tuple(scenario.roles[r].id for r in t.roles)
            for t in tasks
            if t.kind == "rest_centre"
        },
    )
    door_knock, broadcast = split_warning_tasks(tasks)
    injects = sorted(
        (_wind_note(_inject(j, agencies, role_ids), people) for j in scenario.injects),
        key=lambda j: j.minute,
    )
    declare_after = scenario.alert.declare_after
    compiled = CompiledScenario(
        name=scenario.name,
        title=scenario.title,
        timezone=scenario.timezone,
        default_start=scenario.start_utc,
        duration_minutes=scenario.duration_minutes,
        agencies=tuple(agencies),
        agency_names=tuple(a.name for a in scenario.agencies),
        agency_bases=tuple((a.base.lat, a.base.lon) if a.base else None for a in scenario.agencies),
        links=links,
        out_links=tuple(
            tuple(link.index for link in links if link.source == a) for a in range(len(agencies))
        ),
        raised_by=agencies[scenario.alert.raised_by],
        declared_by=agencies[scenario.alert.declared_by],
        declare_after=compile_distribution(declare_after) if declare_after else fixed(0.0),
        roles=tuple(roles),
        roles_of_agency=tuple(
            tuple(r.index for r in roles if r.agency == a and r.needed)
            for a in range(len(agencies))
        ),
        tasks=tuple(tasks),
        injects=tuple(injects),
        graph=None,
        people=people,
        door_knock_tasks=door_knock,
        broadcast_tasks=broadcast,
    )
    object.__setattr__(compiled, "graph", build_agency_graph(compiled))
    object.__setattr__(compiled, "unreachable", tuple(unreachable_agencies(compiled)))
    return compiled


@dataclass(frozen=True)
class Assumptions:
    """Defaults used where the scenario or rota says nothing; see docs/model.md for sources."""

    ring_timeout_minutes: float = 5.0
    call_cycles: int = 3
    cycle_gap_minutes: float = 5.0
    answer_probability_day: float = 0.85
    answer_probability_night: float = 0.75
    day_from_hour: int = 8
    day_to_hour: int = 20
    answer_delay: Spec = (1, 0.5, 3.0, 0.0)  # uniform 0.5-3 min
    notional_attempts: int = 10
    road_factor: float = 1.3
    speed_kmh: float = 48.0
    turnout_minutes: float = 5.0
    remote_join: Spec = (1, 2.0, 8.0, 0.0)  # uniform 2-8 min
    default_travel: Spec = (4, 3.4011973816621555, 0.5408656188293051, 0.0)  # median 30, p90 60
    retry_minutes: float = 5.0
    max_attempts: int = 3
    protective_zones: tuple[str, ...] = ("AEGL-3", "AEGL-2")
    rest_centre_fraction: float = 0.10
    evacuation_arrival_minutes: float = 120.0
    extra_demand_arrival_minutes: float = 30.0
    registration_minutes: float = 5.0
    road_graph: Any = field(default=None, compare=False, repr=False)
