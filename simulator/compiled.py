"""A scenario converted once into plain values and indices, so each replication only reads.

:func:`compile_scenario` resolves every id to an index, turns distributions into
:data:`~standby.simulator.distributions.Spec` tuples, orders the plan topologically (plan
order breaks ties), builds the agency graph, compiles each inject's effect into a typed record
and fixes the numbering of the random streams. The pydantic
:class:`~standby.scenarios.model.Scenario` is not touched again during a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from standby.scenarios import model as scenario_model
from standby.scenarios.model import Scenario
from standby.simulator.distributions import Spec, compile_distribution, fixed, mean_minutes
from standby.simulator.people_setup import PeopleSetup, compile_people
from standby.simulator.travel import LatLon


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
class LinkDownEffect:
    """The link (or links) from agency ``source`` to ``target`` go down for good."""

    source: int
    target: int


@dataclass(frozen=True, slots=True)
class PersonUnavailableEffect:
    """The person with this rota id cannot respond from now on."""

    person: str


@dataclass(frozen=True, slots=True)
class RoleUnavailableEffect:
    """Nobody can fill the role from now on."""

    role: int


@dataclass(frozen=True, slots=True)
class WindChangeEffect:
    """The wind changes; ``zones`` is the text of the zones it brings (computed once)."""

    wind_speed_ms: float
    wind_from_deg: float
    stability: str | None
    zones: str


@dataclass(frozen=True, slots=True)
class ExtraDemandEffect:
    """``people`` more people (from ``receptor``, if named) need a rest centre."""

    people: int
    receptor: str | None


Effect = (
    LinkDownEffect
    | PersonUnavailableEffect
    | RoleUnavailableEffect
    | WindChangeEffect
    | ExtraDemandEffect
)


@dataclass(frozen=True, slots=True)
class CompiledInject:
    """An inject at its minute; ``effect`` is None for one that only informs the players."""

    id: str
    minute: float
    text: str
    effect: Effect | None


@dataclass(frozen=True, slots=True)
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


def _topological(scenario: Scenario) -> list[int]:
    """Plan task positions in dependency order; plan order breaks ties."""
    tasks = scenario.plan.tasks
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
    return placed


def _effect(
    effect: scenario_model.Effect | None,
    agencies: dict[str, int],
    roles: dict[str, int],
    zones: str,
) -> Effect | None:
    """The typed, index-resolved form of an inject's effect."""
    match effect:
        case scenario_model.LinkDown():
            return LinkDownEffect(agencies[effect.from_], agencies[effect.to])
        case scenario_model.PersonUnavailable():
            return PersonUnavailableEffect(effect.person)
        case scenario_model.RoleUnavailable():
            return RoleUnavailableEffect(roles[effect.role])
        case scenario_model.WindChange():
            return WindChangeEffect(
                effect.wind_speed_ms, effect.wind_from_deg, effect.stability, zones
            )
        case scenario_model.ExtraDemand():
            return ExtraDemandEffect(effect.people, effect.receptor)
    return None


def _agency_graph(
    agencies: Sequence[str], names: Sequence[str], links: Sequence[CompiledLink]
) -> Any:
    """A networkx DiGraph of agency ids; each edge keeps its links (channel, delay, ...).

    Where two channels join the same pair, the edge keeps both in ``links`` and its
    ``expected_minutes`` is the quicker one's mean delay divided by its chance of working.
    """
    import networkx as nx

    graph = nx.DiGraph()
    for agency, name in zip(agencies, names, strict=True):
        graph.add_node(agency, name=name)
    for link in links:
        u, v = agencies[link.source], agencies[link.target]
        item = {
            "index": link.index,
            "channel": link.channel,
            "delay": link.delay,
            "failure_probability": link.failure_probability,
            "capacity": link.capacity,
        }
        expected = mean_minutes(link.delay) / max(1e-9, 1.0 - link.failure_probability)
        if graph.has_edge(u, v):
            graph[u][v]["links"].append(item)
            graph[u][v]["expected_minutes"] = min(graph[u][v]["expected_minutes"], expected)
        else:
            graph.add_edge(u, v, links=[item], expected_minutes=expected)
    return graph


def _unreachable(
    graph: Any,
    raised_by: str,
    declared_by: str,
    needed: set[str],
) -> tuple[str, ...]:
    """Agencies in ``needed`` that no chain of links reaches from the alarm or declaration."""
    import networkx as nx

    reach = {raised_by, declared_by}
    reach |= set(graph.successors(raised_by))
    reach |= nx.descendants(graph, declared_by)
    return tuple(sorted(needed - reach))


def _split_warning_tasks(
    tasks: Sequence[CompiledTask],
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Indices of the ``kind: warning`` tasks that warn in person and those that broadcast.

    A task's ``warns`` field says which (broadcast when left out). A plan with only one sort
    lets its warning tasks do both.
    """
    warning = [t for t in tasks if t.kind == "warning"]
    personal = tuple(t.index for t in warning if t.warns == "in_person")
    broadcast = tuple(t.index for t in warning if t.index not in personal)
    every = tuple(t.index for t in warning)
    return (personal or every), (broadcast or every)


def compile_scenario(scenario: Scenario) -> CompiledScenario:
    """Convert ``scenario`` once into a :class:`CompiledScenario`."""
    agencies = {a.id: i for i, a in enumerate(scenario.agencies)}
    role_ids = {r.id: i for i, r in enumerate(scenario.roles)}
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
    roles = _roles(scenario, agencies)
    tasks = _tasks(scenario, agencies, role_ids)
    people = compile_people(
        scenario,
        {
            t.index: tuple(scenario.roles[r].id for r in t.roles)
            for t in tasks
            if t.kind == "rest_centre"
        },
    )
    door_knock, broadcast = _split_warning_tasks(tasks)
    injects = sorted(
        (
            CompiledInject(
                j.id,
                float(j.minute),
                j.text,
                _effect(j.effect, agencies, role_ids, people.wind_notes.get(float(j.minute), "")),
            )
            for j in scenario.injects
        ),
        key=lambda j: j.minute,
    )
    agency_ids = tuple(agencies)
    graph = _agency_graph(agency_ids, tuple(a.name for a in scenario.agencies), links)
    needed = {t.agency for t in tasks} | {roles[r].agency for t in tasks for r in t.roles}
    declare_after = scenario.alert.declare_after
    return CompiledScenario(
        name=scenario.name,
        title=scenario.title,
        timezone=scenario.timezone,
        default_start=scenario.start_utc,
        duration_minutes=scenario.duration_minutes,
        agencies=agency_ids,
        agency_names=tuple(a.name for a in scenario.agencies),
        agency_bases=tuple(
            None if a.base is None else (a.base.lat, a.base.lon) for a in scenario.agencies
        ),
        links=links,
        out_links=tuple(
            tuple(link.index for link in links if link.source == a) for a in range(len(agencies))
        ),
        raised_by=agencies[scenario.alert.raised_by],
        declared_by=agencies[scenario.alert.declared_by],
        declare_after=fixed(0.0) if declare_after is None else compile_distribution(declare_after),
        roles=roles,
        roles_of_agency=tuple(
            tuple(r.index for r in roles if r.agency == a and r.needed)
            for a in range(len(agencies))
        ),
        tasks=tasks,
        injects=tuple(injects),
        graph=graph,
        people=people,
        door_knock_tasks=door_knock,
        broadcast_tasks=broadcast,
        unreachable=_unreachable(
            graph,
            scenario.alert.raised_by,
            scenario.alert.declared_by,
            {agency_ids[a] for a in needed},
        ),
    )


def _roles(scenario: Scenario, agencies: dict[str, int]) -> tuple[CompiledRole, ...]:
    places: dict[str, tuple[LatLon, str]] = {
        p.id: ((p.location.lat, p.location.lon), p.name) for p in scenario.places
    }
    for centre in scenario.rest_centres:
        places[centre.id] = ((centre.location.lat, centre.location.lon), centre.name)
    needed = {r for t in scenario.plan.tasks for r in t.roles}
    needed |= {c.staffing_role for c in scenario.rest_centres}
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
                None if role.travel_minutes is None else compile_distribution(role.travel_minutes),
                role.id in needed,
            )
        )
    return tuple(roles)


def _tasks(
    scenario: Scenario, agencies: dict[str, int], role_ids: dict[str, int]
) -> tuple[CompiledTask, ...]:
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
                None if task.target is None else task.target.within_minutes,
                "" if task.target is None else task.target.text,
                task.kind,
                task.warns,
            )
        )
    return tuple(tasks)


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
