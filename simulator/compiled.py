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
from standby.simulator.exposure import (
    HazardModel,
    Occupancy,
    compile_hazard,
    compile_occupancy,
    wind_shifts,
)
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
    """A role of the response; ``destination`` is where its people report (None: remote).

    ``on_duty`` roles are dispatched after ``dispatch`` (None: the assumed default); the others
    are rung, one by one or by a ``group_page``. ``needed`` roles are called out when their
    agency is alerted; a role only delegated to is called out when a task is delegated to it.
    """

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
    on_duty: bool = False
    dispatch: Spec | None = None
    reachable_probability: float | None = None
    group_page: bool = False
    response_window: float | None = None


@dataclass(frozen=True, slots=True)
class Delegation:
    """Role ``source`` hands the task to role ``to`` (same agency) after ``after`` minutes."""

    source: int
    to: int
    after: float


@dataclass(frozen=True, slots=True)
class Area:
    """The receptors (indices) and AEGL zones a warning or protective action covers."""

    receptors: tuple[int, ...]
    zones: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledTask:
    """A plan task; ``after``, ``roles`` (held) and ``present`` (attention shared) are indices,
    ``target`` minutes or None; ``area`` None means the default area of its kind."""

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
    present: tuple[int, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    area: Area | None = None


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
    """The wind changes; ``zones`` is the text of the zones it brings while the release lasts
    (computed once)."""

    wind_speed_ms: float
    wind_from_deg: float
    stability: str | None
    zones: str


@dataclass(frozen=True, slots=True)
class ExtraDemandEffect:
    """``people`` more people (from ``receptor``, if named) need a rest centre."""

    people: int
    receptor: str | None
    coach_load: int | None = None
    coach_every: float | None = None


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
class Detection:
    """Agency ``agency`` finds out by itself after ``after`` minutes (``how`` says how)."""

    agency: int
    after: Spec
    how: str


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
    hazard: HazardModel | None = field(compare=False, repr=False)
    occupancy: Occupancy = field(compare=False, repr=False)
    door_knock_tasks: tuple[int, ...] = ()
    broadcast_tasks: tuple[int, ...] = ()
    unreachable: tuple[str, ...] = ()
    emergency_services: tuple[bool, ...] = ()
    declaration_task: int | None = None
    detections: tuple[Detection, ...] = ()
    household_size: float = 1.0
    rest_centre_share: float | None = None
    arrival_window: float | None = None

    # Random stream numbering: 0 declaration, then one per link, role call-out, task; then
    # the people model's: one per door-knock task, evacuee arrivals, extra-demand arrivals and
    # one per rest centre's registration desk (after the others, so theirs keep numbers);
    # last the weather's (so adding it renumbered none of the others).
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

    def detection_stream(self, detection: int) -> int:
        """Stream of one self-detection's delay (after every other stream)."""
        return self.registration_stream(len(self.people.rest_centres)) + detection

    @property
    def weather_stream(self) -> int:
        """Stream of the run's weather draw (wind direction, speed, stability, observed hour),
        after every other stream."""
        return self.detection_stream(len(self.detections))


def plan_order(scenario: Scenario) -> list[int]:
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


COACH_EVERY_MINUTES = 15.0
"""Minutes between coaches when an extra-demand inject gives a coach load and no interval
(assumed)."""


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
            every = effect.coach_every_minutes
            if effect.coach_load is not None and every is None:
                every = COACH_EVERY_MINUTES
            return ExtraDemandEffect(effect.people, effect.receptor, effect.coach_load, every)
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
    raisers: Sequence[str],
    declared_by: str,
    needed: set[str],
    emergency_services: set[str],
) -> tuple[str, ...]:
    """Agencies in ``needed`` that no chain of links reaches from the alarm or declaration.

    The alarm goes along each raiser's links and on between emergency services; M/ETHANE goes
    everywhere from the declaring agency.
    """
    import networkx as nx

    reach = {*raisers, declared_by}
    for raiser in raisers:
        reach |= set(graph.successors(raiser))
    services = graph.subgraph(emergency_services)
    for service in reach & emergency_services:
        reach |= nx.descendants(services, service)
    reach |= nx.descendants(graph, declared_by)
    return tuple(sorted(needed - reach))


def _split_warning_tasks(
    tasks: Sequence[CompiledTask],
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Indices of the ``kind: warning`` tasks that warn in person and those that broadcast.

    A task's ``warns`` field says which (broadcast when left out). A plan without an
    in-person task lets the warning tasks that do not say (``warns`` left out) knock on doors
    too; one without a broadcast task lets its in-person tasks broadcast as well.
    """
    warning = [t for t in tasks if t.kind == "warning"]
    personal = tuple(t.index for t in warning if t.warns == "in_person")
    broadcast = tuple(t.index for t in warning if t.index not in personal)
    unsaid = tuple(t.index for t in warning if t.warns is None)
    return (personal or unsaid), (broadcast or personal)


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
    alert = scenario.alert
    declare_after = alert.declare_after
    task_index = {t.id: t.index for t in tasks}
    arrivals = scenario.arrivals
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
        hazard=compile_hazard(scenario, {t.id: t.index for t in tasks}, wind_shifts(scenario)),
        occupancy=compile_occupancy(scenario),
        door_knock_tasks=door_knock,
        broadcast_tasks=broadcast,
        unreachable=_unreachable(
            graph,
            [alert.raised_by, *(d.agency for d in alert.detected_by)],
            alert.declared_by,
            {agency_ids[a] for a in needed},
            {a.id for a in scenario.agencies if a.emergency_service},
        ),
        emergency_services=tuple(a.emergency_service for a in scenario.agencies),
        declaration_task=(
            None if alert.declaration_task is None else task_index[alert.declaration_task]
        ),
        detections=tuple(
            Detection(agencies[d.agency], compile_distribution(d.after), d.how)
            for d in alert.detected_by
        ),
        household_size=arrivals.household_size,
        rest_centre_share=arrivals.rest_centre_share,
        arrival_window=arrivals.over_minutes,
    )


def _roles(scenario: Scenario, agencies: dict[str, int]) -> tuple[CompiledRole, ...]:
    places: dict[str, tuple[LatLon, str]] = {
        p.id: ((p.location.lat, p.location.lon), p.name) for p in scenario.places
    }
    for centre in scenario.rest_centres:
        places[centre.id] = ((centre.location.lat, centre.location.lon), centre.name)
    needed = {r for t in scenario.plan.tasks for r in (*t.roles, *t.present)}
    needed |= {c.staffing_role for c in scenario.rest_centres}
    needed |= {c.registration_role for c in scenario.rest_centres if c.registration_role}
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
                on_duty=role.duty == "on_duty",
                dispatch=(
                    None
                    if role.dispatch_delay is None
                    else compile_distribution(role.dispatch_delay)
                ),
                reachable_probability=role.reachable_probability,
                group_page=role.call_out == "group_page",
                response_window=role.response_window_minutes,
            )
        )
    return tuple(roles)


def _tasks(
    scenario: Scenario, agencies: dict[str, int], role_ids: dict[str, int]
) -> tuple[CompiledTask, ...]:
    order = plan_order(scenario)
    new_index = {scenario.plan.tasks[old].id: new for new, old in enumerate(order)}
    receptors = {r.id: i for i, r in enumerate(scenario.receptors)}
    tasks = []
    for new, old in enumerate(order):
        task = scenario.plan.tasks[old]
        covers = task.covers
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
                present=tuple(role_ids[r] for r in task.present),
                delegations=tuple(
                    Delegation(role_ids[d.from_], role_ids[d.to], d.after_minutes)
                    for d in task.delegate
                ),
                area=(
                    None
                    if covers is None
                    else Area(tuple(receptors[r] for r in covers.receptors), tuple(covers.zones))
                ),
            )
        )
    return tuple(tasks)


@dataclass(frozen=True)
class Assumptions:
    """Defaults used where the scenario or rota says nothing; see docs/model.md for sources.

    ``answer_probability_*`` is the chance that one ring is answered by someone who can be
    reached; ``reachable_probability`` the chance, drawn once per person per incident, that
    they can be reached at all (phone on and in earshot, signal).
    """

    ring_timeout_minutes: float = 5.0
    call_cycles: int = 3
    cycle_gap_minutes: float = 5.0
    answer_probability_day: float = 0.85
    answer_probability_night: float = 0.75
    reachable_probability: float = 0.95
    day_from_hour: int = 8
    day_to_hour: int = 20
    answer_delay: Spec = (1, 0.5, 3.0, 0.0)  # uniform 0.5-3 min
    dispatch_delay: Spec = (1, 1.0, 3.0, 0.0)  # uniform 1-3 min
    notional_attempts: int = 10
    road_factor: float = 1.3
    speed_kmh: float = 48.0
    turnout_minutes_day: float = 10.0
    turnout_minutes_night: float = 15.0
    remote_join: Spec = (1, 2.0, 8.0, 0.0)  # uniform 2-8 min
    default_travel: Spec = (4, 3.4011973816621555, 0.5408656188293051, 0.0)  # median 30, p90 60
    retry_minutes: float = 5.0
    max_attempts: int = 3
    protective_zones: tuple[str, ...] = ("AEGL-3", "AEGL-2")
    rest_centre_fraction: float = 0.10
    evacuation_arrival_minutes: float = 120.0
    extra_demand_arrival_minutes: float = 30.0
    registration_minutes: float = 5.0
    # multipliers for a sensitivity study (1: as assumed above and in the scenario)
    answer_probability_scale: float = 1.0  # every answer probability, capped at 1
    travel_scale: float = 1.0  # every journey and remote joining time
    evacuation_route_minutes: float = 15.0
    road_graph: Any = field(default=None, compare=False, repr=False)
