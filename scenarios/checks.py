"""Checks that need the whole scenario: references between ids, duplicates, plan cycles, times.

They read the sections (``scenarios.sections``); ``scenarios.model.Scenario`` runs them as it
is validated, so this module never imports the model that calls it.

Each problem is a ``(location, message)`` pair; the location is a pydantic-style tuple such
as ``("plan", "tasks", 3, "after")`` so the loader can point at the line in the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter

from standby.clock import TimeError, parse_instant
from standby.hints import did_you_mean
from standby.scenarios.sections import (
    ExtraDemand,
    LinkDown,
    RoleUnavailable,
    ScenarioFields,
    WindChange,
)
from standby.scenarios.substances import SUBSTANCES

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]


def _duplicates(section: Loc, ids: Iterable[str], entry: str = "entry") -> list[Problem]:
    """A problem at ``(*section, index, "id")`` for each id already seen in ``ids``."""
    seen: set[str] = set()
    problems: list[Problem] = []
    for index, item_id in enumerate(ids):
        if item_id in seen:
            problems.append(
                (
                    (*section, index, "id"),
                    f"duplicate id '{item_id}'; give each {entry} its own id",
                )
            )
        seen.add(item_id)
    return problems


def _ref(loc: Loc, kind: str, value: str, valid: Iterable[str]) -> list[Problem]:
    options = list(valid)
    if value in options:
        return []
    return [(loc, f"unknown {kind} '{value}'; {did_you_mean(value, options)}")]


def reference_problems(scenario: ScenarioFields) -> list[Problem]:
    """Every broken reference, duplicate id, plan cycle or out-of-range time in ``scenario``."""
    s = scenario
    problems: list[Problem] = []
    sections = ("agencies", "places", "roles", "receptors", "rest_centres", "injects", "objectives")
    for section in sections:
        problems += _duplicates((section,), (item.id for item in getattr(s, section)))
    problems += _duplicates(("plan", "tasks"), (t.id for t in s.plan.tasks), "task")

    agencies = [a.id for a in s.agencies]
    roles = [r.id for r in s.roles]
    tasks = [t.id for t in s.plan.tasks]
    objectives = [o.id for o in s.objectives]
    receptors = [r.id for r in s.receptors]
    report_points = ["remote"] + [p.id for p in s.places] + [c.id for c in s.rest_centres]

    if s.hazard is not None:
        problems += _ref(("hazard", "substance"), "substance", s.hazard.substance, SUBSTANCES)
        isolated_by = s.hazard.release.isolated_by
        if isolated_by is not None:
            problems += _ref(("hazard", "release", "isolated_by"), "task", isolated_by, tasks)
    for i, role in enumerate(s.roles):
        problems += _ref(("roles", i, "agency"), "agency", role.agency, agencies)
        problems += _ref(("roles", i, "reports_to"), "place", role.reports_to, report_points)
    link_pairs: set[tuple[str, str]] = set()
    channels: set[tuple[str, str, str]] = set()
    for i, link in enumerate(s.links):
        problems += _ref(("links", i, "from"), "agency", link.from_, agencies)
        problems += _ref(("links", i, "to"), "agency", link.to, agencies)
        if link.from_ == link.to:
            problems.append((("links", i, "to"), f"a link from '{link.to}' to itself"))
        if (link.from_, link.to, link.channel) in channels:
            problems.append(
                (("links", i), f"duplicate link {link.from_} -> {link.to} by {link.channel}")
            )
        channels.add((link.from_, link.to, link.channel))
        link_pairs.add((link.from_, link.to))
    problems += _alert_problems(s, agencies, tasks)
    role_agency = {r.id: r.agency for r in s.roles}
    for i, task in enumerate(s.plan.tasks):
        problems += _ref(("plan", "tasks", i, "agency"), "agency", task.agency, agencies)
        for j, role_id in enumerate(task.roles):
            problems += _ref(("plan", "tasks", i, "roles", j), "role", role_id, roles)
        problems += _task_role_problems(s, i, role_agency)
        if task.covers is not None:
            for j, receptor in enumerate(task.covers.receptors):
                loc: Loc = ("plan", "tasks", i, "covers", "receptors", j)
                problems += _ref(loc, "receptor", receptor, receptors)
        for j, before in enumerate(task.after):
            problems += _ref(("plan", "tasks", i, "after", j), "task", before, tasks)
            if before == task.id:
                problems.append(
                    (("plan", "tasks", i, "after", j), f"task '{task.id}' waits for itself")
                )
    problems += _plan_cycle(s)
    registration: dict[str, str] = {}
    for i, centre in enumerate(s.rest_centres):
        problems += _ref(("rest_centres", i, "staffing_role"), "role", centre.staffing_role, roles)
        if centre.registration_role is not None:
            loc = ("rest_centres", i, "registration_role")
            problems += _ref(loc, "role", centre.registration_role, roles)
            other = registration.setdefault(centre.registration_role, centre.id)
            if other != centre.id:
                problems.append(
                    (
                        loc,
                        f"role '{centre.registration_role}' already staffs the desks of "
                        f"'{other}'; give each centre its own registration role",
                    )
                )
    for i, inject in enumerate(s.injects):
        if inject.minute > s.duration_minutes:
            problems.append(
                (
                    ("injects", i, "minute"),
                    f"minute {inject.minute:g} is after the scenario ends "
                    f"(duration_minutes: {s.duration_minutes:g}); move the inject earlier "
                    "or lengthen the scenario",
                )
            )
        if inject.objective is not None:
            problems += _ref(("injects", i, "objective"), "objective", inject.objective, objectives)
        if inject.after is not None:
            problems += _inject_order(s, i, inject.after)
        problems += _effect_problems(s, i, agencies, roles, receptors, link_pairs)
    for i, objective in enumerate(s.objectives):
        for j, task_id in enumerate(objective.tasks):
            problems += _ref(("objectives", i, "tasks", j), "task", task_id, tasks)
    try:
        parse_instant(s.start, s.timezone)
    except TimeError as error:
        problems.append((("start",), error.message))
    return problems


def _alert_problems(s: ScenarioFields, agencies: list[str], tasks: list[str]) -> list[Problem]:
    alert = s.alert
    problems = _ref(("alert", "raised_by"), "agency", alert.raised_by, agencies)
    problems += _ref(("alert", "declared_by"), "agency", alert.declared_by, agencies)
    for i, detection in enumerate(alert.detected_by):
        problems += _ref(
            ("alert", "detected_by", i, "agency"), "agency", detection.agency, agencies
        )
    if alert.declaration_task is not None:
        loc: Loc = ("alert", "declaration_task")
        found = _ref(loc, "task", alert.declaration_task, tasks)
        problems += found
        task = next((t for t in s.plan.tasks if t.id == alert.declaration_task), None)
        if not found and task is not None and task.agency != alert.declared_by:
            problems.append(
                (
                    loc,
                    f"task '{task.id}' is led by '{task.agency}', but '{alert.declared_by}' "
                    "declares (alert.declared_by); name a task the declaring agency leads",
                )
            )
    return problems


def _task_role_problems(s: ScenarioFields, i: int, role_agency: dict[str, str]) -> list[Problem]:
    """A task's ``present`` roles and delegations: known roles, not held twice, one agency."""
    task = s.plan.tasks[i]
    roles = list(role_agency)
    problems: list[Problem] = []
    for j, role_id in enumerate(task.present):
        loc: Loc = ("plan", "tasks", i, "present", j)
        problems += _ref(loc, "role", role_id, roles)
        if role_id in task.roles:
            problems.append(
                (loc, f"role '{role_id}' is both held (roles) and present; list it once")
            )
    for j, delegation in enumerate(task.delegate):
        loc = ("plan", "tasks", i, "delegate", j)
        if delegation.from_ not in task.roles:
            hint = did_you_mean(delegation.from_, task.roles)
            problems.append(
                ((*loc, "from"), f"'{delegation.from_}' is not one of the task's roles; {hint}")
            )
        found = _ref((*loc, "to"), "role", delegation.to, roles)
        problems += found
        if found or delegation.from_ not in role_agency:
            continue
        if role_agency[delegation.to] != role_agency[delegation.from_]:
            problems.append(
                (
                    (*loc, "to"),
                    f"'{delegation.to}' belongs to '{role_agency[delegation.to]}', not "
                    f"'{role_agency[delegation.from_]}': a task is delegated within its "
                    "role's agency",
                )
            )
        elif delegation.to in task.roles:
            problems.append(((*loc, "to"), f"'{delegation.to}' already holds the task"))
    return problems


def _inject_order(s: ScenarioFields, i: int, after: str) -> list[Problem]:
    """An inject's dependency names another inject released no later than it."""
    loc: Loc = ("injects", i, "after")
    earlier = {inject.id: inject for inject in s.injects}
    if after == s.injects[i].id:
        return [(loc, f"inject '{after}' depends on itself; name another inject or remove it")]
    if after not in earlier:
        return _ref(loc, "inject", after, earlier)
    if earlier[after].minute > s.injects[i].minute:
        return [
            (
                loc,
                f"depends on '{after}' at minute {earlier[after].minute:g}, which comes after "
                f"this inject (minute {s.injects[i].minute:g}); move one of them",
            )
        ]
    return []


def _effect_problems(
    s: ScenarioFields,
    i: int,
    agencies: list[str],
    roles: list[str],
    receptors: list[str],
    link_pairs: set[tuple[str, str]],
) -> list[Problem]:
    effect = s.injects[i].effect
    loc: Loc = ("injects", i, "effect")
    problems: list[Problem] = []
    if isinstance(effect, LinkDown):
        problems += _ref((*loc, "from"), "agency", effect.from_, agencies)
        problems += _ref((*loc, "to"), "agency", effect.to, agencies)
        if not problems and (effect.from_, effect.to) not in link_pairs:
            problems.append((loc, f"no link {effect.from_} -> {effect.to} in 'links' to take down"))
    elif isinstance(effect, WindChange) and s.hazard is None:
        problems.append(
            (
                (*loc, "kind"),
                "a wind_change moves a toxic plume, and this scenario has no 'hazard:' "
                "section; remove the effect or add the hazard",
            )
        )
    elif isinstance(effect, RoleUnavailable):
        problems += _ref((*loc, "role"), "role", effect.role, roles)
    elif isinstance(effect, ExtraDemand) and effect.receptor is not None:
        problems += _ref((*loc, "receptor"), "receptor", effect.receptor, receptors)
    return problems


def _plan_cycle(s: ScenarioFields) -> list[Problem]:
    known = {t.id for t in s.plan.tasks}
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for task in s.plan.tasks:
        sorter.add(task.id, *(b for b in task.after if b in known and b != task.id))
    try:
        sorter.prepare()
    except CycleError as error:
        cycle = list(error.args[1])
        index = next(i for i, t in enumerate(s.plan.tasks) if t.id == cycle[0])
        return [
            (
                ("plan", "tasks", index, "after"),
                "the plan has a cycle: "
                + " -> ".join(cycle)
                + "; each of these tasks waits for the next, so none can start. "
                "Remove one of these 'after' entries",
            )
        ]
    return []
