"""Injects the model writes into the MSEL: key simulated events, and what went wrong worst.

Information injects are timed at the model's median over the runs: the plume reaching each
place at risk, the first responders on scene, each rest centre opening. Contingency injects
come from the runs that went worst (most targets missed, then most minutes late): a role
nobody could fill, a link whose messages failed. Each says how it was made (``basis``) and is
marked generated in every output, so nobody mistakes it for part of the scenario file.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from standby.scenarios.model import RoleUnavailable

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario
    from standby.simulator.results import RunResult

#: Share of the runs counted as the worst ones.
WORST_SHARE = 0.1
#: A failure seen in at least this share of the worst runs becomes a contingency inject.
CONTINGENCY_SHARE = 0.25
#: At most this many contingency injects of each kind.
CONTINGENCY_LIMIT = 2
EXERCISE_CONTROL = "Exercise control"
SCENE_PLACES = ("forward_control", "rvp")


@dataclass(frozen=True, slots=True)
class GeneratedInject:
    """An inject the model suggests, with how it was made."""

    id: str
    minute: float
    type: str
    method: str
    sender: str
    recipient: str
    message: str
    expected_response: str
    objective: str | None
    contingency: bool
    notes: str
    basis: str
    effect: str | None = None


def generated_injects(scenario: Scenario, runs: Sequence[RunResult]) -> list[GeneratedInject]:
    """Every generated inject for ``scenario`` from ``runs``, in no particular order."""
    if not runs:
        return []
    return [
        *plume_arrivals(scenario, runs),
        *first_on_scene(scenario, runs),
        *rest_centres_open(scenario, runs),
        *unfilled_roles(scenario, runs),
        *failed_links(scenario, runs),
    ]


def _ident(*parts: str) -> str:
    return "-".join(parts)[:64]


def _median_minute(values: Sequence[float]) -> float:
    return float(round(statistics.median(values)))


def _objective_of(
    scenario: Scenario, *, kinds: Sequence[str] = (), roles: Sequence[str] = ()
) -> str | None:
    """The first objective with a task of one of ``kinds`` or using one of ``roles``."""
    tasks = {t.id: t for t in scenario.plan.tasks}
    for objective in scenario.objectives:
        for task_id in objective.tasks:
            task = tasks[task_id]
            if task.kind in kinds or any(role in task.roles for role in roles):
                return objective.id
    return None


def _median_basis(count: int, runs: int) -> str:
    return f"model median, {count} of {runs} runs"


_SEVERITY = {"AEGL-1": 1, "AEGL-2": 2, "AEGL-3": 3}


def plume_arrivals(scenario: Scenario, runs: Sequence[RunResult]) -> list[GeneratedInject]:
    """The plume reaching each place at risk inside a threat zone, at its median minute.

    Each run's own plume (its drawn weather and release) when it has one; places with nobody
    there at the start are left out."""
    arrivals: dict[str, list[float]] = defaultdict(list)
    zones: dict[str, str] = {}
    people: dict[str, int] = {}
    for run in runs:
        if run.exposure is not None:
            reached_list = [
                (r.receptor, r.zone, r.arrival_minute, r.people) for r in run.exposure.receptors
            ]
        elif run.hazard is not None:
            reached_list = [
                (r.receptor, r.zone, r.arrival_minute, r.population) for r in run.hazard.receptors
            ]
        else:
            continue
        for receptor_id, zone, arrival, count in reached_list:
            if zone is not None and arrival is not None and count > 0:
                arrivals[receptor_id].append(arrival)
                if _SEVERITY.get(zone, 0) >= _SEVERITY.get(zones.get(receptor_id, ""), 0):
                    zones[receptor_id] = zone  # the worst zone of any run
                people[receptor_id] = count
    injects = []
    objective = _objective_of(scenario, kinds=("warning",))
    for receptor in scenario.receptors:
        minutes = arrivals.get(receptor.id)
        if not minutes:
            continue
        minute = min(_median_minute(minutes), scenario.duration_minutes)
        who = "vulnerable people" if receptor.vulnerable else "people"
        expected = (
            f"Check that {receptor.name} has been warned in person to go in, stay in and "
            "tune in; record when, and who did it."
            if receptor.vulnerable
            else f"Check that the public warning covers {receptor.name}; confirm the shelter "
            "advice with the TCG."
        )
        injects.append(
            GeneratedInject(
                id=_ident("gen-plume", receptor.id),
                minute=minute,
                type="information",
                method="briefing",
                sender=EXERCISE_CONTROL,
                recipient="All players",
                message=f"The plume reaches {receptor.name} ({zones[receptor.id]} zone): "
                f"{people[receptor.id]} {who} there.",
                expected_response=expected,
                objective=objective,
                contingency=False,
                notes="Plume arrival from the screening model; a real plume may differ.",
                basis=_median_basis(len(minutes), len(runs)),
            )
        )
    return injects


def first_on_scene(scenario: Scenario, runs: Sequence[RunResult]) -> list[GeneratedInject]:
    """The first emergency responders arriving at the scene (forward control point or RVP)."""
    places = {p.id: p for p in scenario.places if p.kind in SCENE_PLACES}
    operators = {a.id for a in scenario.agencies if a.category == "operator"}
    at_scene = {
        r.id: r for r in scenario.roles if r.reports_to in places and r.agency not in operators
    }
    if not at_scene:
        return []
    minutes: list[float] = []
    first_roles: Counter[str] = Counter()
    for run in runs:
        arrivals = [e for e in run.events or () if e.kind == "arrived" and e.role in at_scene]
        if arrivals:
            first = min(arrivals, key=lambda event: event.minute)
            minutes.append(first.minute)
            first_roles[str(first.role)] += 1
    if not minutes:
        return []
    role = at_scene[first_roles.most_common(1)[0][0]]
    place = places[role.reports_to]
    agency = next(a for a in scenario.agencies if a.id == role.agency)
    return [
        GeneratedInject(
            id=_ident("gen-on-scene", role.id),
            minute=min(_median_minute(minutes), scenario.duration_minutes),
            type="information",
            method="radio",
            sender=role.name,
            recipient=agency.control_room or agency.name,
            message=f"{role.name} on scene at {place.name}: first responders are in place.",
            expected_response="Send an updated M/ETHANE report; agree the rendezvous point, "
            "the cordons and the forward control point with the other services.",
            objective=_objective_of(scenario, kinds=("alert", "command"), roles=(role.id,)),
            contingency=False,
            notes="The first emergency responder to arrive, in most runs: " + role.name + ".",
            basis=_median_basis(len(minutes), len(runs)),
        )
    ]


def rest_centres_open(scenario: Scenario, runs: Sequence[RunResult]) -> list[GeneratedInject]:
    """Each rest centre that opens in most runs, at its median opening minute."""
    opened: dict[str, list[float]] = defaultdict(list)
    for run in runs:
        for figures in run.kpis.rest_centres if run.kpis is not None else ():
            if figures.opened_minute is not None:
                opened[figures.centre].append(figures.opened_minute)
    roles = {r.id: r for r in scenario.roles}
    injects = []
    for centre in scenario.rest_centres:
        minutes = opened.get(centre.id, [])
        if len(minutes) * 2 < len(runs):
            continue
        manager = roles[centre.staffing_role]
        injects.append(
            GeneratedInject(
                id=_ident("gen-rest-centre", centre.id),
                minute=min(_median_minute(minutes), scenario.duration_minutes),
                type="information",
                method="phone",
                sender=manager.name,
                recipient="TCG",
                message=f"{centre.name} is open as a rest centre ({centre.capacity} places); "
                "registration has started.",
                expected_response="Tell the public and the other responders where to go; "
                "plan staff, food and bedding for the night; report numbers to the TCG.",
                objective=_objective_of(scenario, kinds=("rest_centre",)),
                contingency=False,
                notes="",
                basis=_median_basis(len(minutes), len(runs)),
            )
        )
    return injects


def worst_runs(runs: Sequence[RunResult]) -> list[RunResult]:
    """The runs that went worst: most targets missed, then most minutes past the targets."""

    def badness(run: RunResult) -> tuple[int, float]:
        late = 0.0
        for milestone in run.targets_missed:
            end = milestone.end_minute if milestone.end_minute is not None else run.duration_minutes
            late += max(0.0, end - (milestone.target_minute or 0.0))
        return len(run.targets_missed), late

    count = max(1, math.ceil(WORST_SHARE * len(runs)))
    ranked = sorted(range(len(runs)), key=lambda i: (badness(runs[i]), -i), reverse=True)
    return [runs[i] for i in ranked[:count]]


def _worst_basis(count: int, worst: int, runs: int) -> str:
    return f"model, {count} of the {worst} worst of {runs} runs"


def unfilled_roles(scenario: Scenario, runs: Sequence[RunResult]) -> list[GeneratedInject]:
    """Roles nobody could fill in the worst runs, as 'nobody answers' contingency injects."""
    worst = worst_runs(runs)
    minutes: dict[str, list[float]] = defaultdict(list)
    for run in worst:
        for unfilled in {u.role: u for u in run.unfilled_roles}.values():
            minutes[unfilled.role].append(unfilled.minute)
    roles = {r.id: r for r in scenario.roles}
    tasks = scenario.plan.tasks
    planned = {  # the scenario already takes these roles away
        i.effect.role for i in scenario.injects if isinstance(i.effect, RoleUnavailable)
    }
    common = sorted(
        ((role, found) for role, found in minutes.items() if role not in planned),
        key=lambda item: (-len(item[1]), item[0]),
    )
    injects = []
    for role_id, found in common[:CONTINGENCY_LIMIT]:
        if len(found) < CONTINGENCY_SHARE * len(worst) or role_id not in roles:
            continue
        role = roles[role_id]
        agency = next(a for a in scenario.agencies if a.id == role.agency)
        work = ", ".join(t.name for t in tasks if role_id in t.roles) or "its work"
        rota = f" ({role.rota_role} rota)" if role.rota_role else ""
        injects.append(
            GeneratedInject(
                id=_ident("gen-unfilled", role_id),
                minute=min(_median_minute(found), scenario.duration_minutes),
                type="contingency",
                method="phone",
                sender=EXERCISE_CONTROL,
                recipient=agency.control_room or agency.name,
                message=f"Nobody can be found for {role.name}{rota}: every call has gone "
                "unanswered.",
                expected_response=f"Escalate: the next people on the list, then a "
                f"neighbouring authority under mutual aid; meanwhile give {work} to "
                "someone else and tell the TCG.",
                objective=_objective_of(scenario, roles=(role_id,)),
                contingency=True,
                notes=f"Use if the players have filled every role with ease. In the worst "
                f"runs the role was short from about +{_median_minute(found):g} min.",
                basis=_worst_basis(len(found), len(worst), len(runs)),
                effect=f"{{kind: role_unavailable, role: {role_id}}}",
            )
        )
    return injects


def failed_links(scenario: Scenario, runs: Sequence[RunResult]) -> list[GeneratedInject]:
    """Links whose messages failed in the worst runs, as 'the line is down' injects."""
    downed = {
        (inject.effect.from_, inject.effect.to)
        for inject in scenario.injects
        if inject.effect is not None and inject.effect.kind == "link_down"
    }
    worst = worst_runs(runs)
    minutes: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for run in worst:
        first: dict[tuple[str, str, str], float] = {}
        for event in run.events or ():
            if event.kind != "message_failed":
                continue
            for link in scenario.links:
                if event.agency == link.from_ and f" to {link.to} by {link.channel}:" in (
                    event.detail
                ):
                    first.setdefault((link.from_, link.to, link.channel), event.minute)
        for key, minute in first.items():
            minutes[key].append(minute)
    names = {a.id: a for a in scenario.agencies}
    common = sorted(minutes.items(), key=lambda item: (-len(item[1]), item[0]))
    injects: list[GeneratedInject] = []
    for (source, target, channel), found in common:
        if len(injects) == CONTINGENCY_LIMIT:
            break
        if (source, target) in downed or len(found) < CONTINGENCY_SHARE * len(worst):
            continue
        others = sorted(
            {names[link.from_].name for link in scenario.links if link.to == target}
            - {names[source].name}
        )
        route = f"through {' or '.join(others)}" if others else "by another channel"
        injects.append(
            GeneratedInject(
                id=_ident("gen-link-down", source, target),
                minute=min(_median_minute(found), scenario.duration_minutes),
                type="contingency",
                method="phone",
                sender=EXERCISE_CONTROL,
                recipient=names[source].control_room or names[source].name,
                message=f"The {channel} from {names[source].name} to {names[target].name} "
                "is not getting through.",
                expected_response=f"Reach {names[target].name} {route}; log the failure; "
                "check which agencies still lack the M/ETHANE message.",
                objective=_objective_of(scenario, kinds=("alert",)),
                contingency=True,
                notes="Use if the alert cascade is going too smoothly.",
                basis=_worst_basis(len(found), len(worst), len(runs)),
                effect=f"{{kind: link_down, from: {source}, to: {target}}}",
            )
        )
    return injects
