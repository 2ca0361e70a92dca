"""The people-side figures (KPIs) of a finished run, read from its state and event times.

Split from :mod:`simulator.people`, which runs the warnings, protective action and rest
centres; this module only reads what they left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from standby.simulator.results import Kpis, PremisesWarning, RestCentreFigures, ZonePeople

if TYPE_CHECKING:
    from standby.simulator.compiled import CompiledScenario
    from standby.simulator.model import Run
    from standby.simulator.people import CompiledRestCentre


def kpis(run: Run, reason_of: Callable[[int], str]) -> Kpis:
    """The people KPIs of a finished run; ``reason_of(task)`` explains a task not done."""
    compiled = run.compiled
    setup = compiled.people
    state = run.people
    zones = tuple(
        ZonePeople(
            level,
            sum(r.population for r in setup.receptors if r.zone == level),
            tuple(r.id for r in setup.receptors if r.zone == level),
        )
        for level in ("AEGL-3", "AEGL-2", "AEGL-1")
    )
    premises = tuple(
        PremisesWarning(
            setup.receptors[t].id,
            setup.receptors[t].zone or "",
            setup.receptors[t].arrival_minute,
            state.warned[t],
            _task_id(compiled, state.warned_by[t]),
            _before(state.warned[t], setup.receptors[t].arrival_minute),
        )
        for t in setup.warn_targets
    )
    all_warned, warned_reason = _all_warned(run, reason_of)
    centres = tuple(_centre_figures(run, c, reason_of) for c in setup.rest_centres)
    opened = [m for m in state.opened if m is not None]
    first_reason = ""
    if not opened:
        reasons = list(dict.fromkeys(c.reason for c in centres))
        first_reason = "; ".join(reasons) if reasons else "the scenario has no rest centres"
    waits = [w for d in state.desks if d is not None for w in d.log.waits]
    a = run.assumptions
    return Kpis(
        people_in_zones=zones,
        vulnerable_premises_in_aegl2=len(premises),
        all_vulnerable_warned_minute=all_warned,
        vulnerable_warned_reason=warned_reason,
        premises=premises,
        public_warned_minute=state.public_warned,
        protective_action=state.action,
        protective_action_minute=state.action_minute,
        people_needing_rest_centre=state.arrived,
        first_rest_centre_open_minute=min(opened) if opened else None,
        first_rest_centre_reason=first_reason,
        rest_centres=centres,
        turned_away=state.turned_away,
        waiting_at_end=len(state.waiting),
        waited_for_opening=state.waited_for_opening,
        registration_wait_mean_minutes=sum(waits) / len(waits) if waits else None,
        registration_wait_max_minutes=max(waits) if waits else None,
        assumptions=(
            f"evacuation covers {'/'.join(a.protective_zones)}; "
            f"{a.rest_centre_fraction:.0%} of evacuees need a rest centre (assumed), "
            f"arriving over {a.evacuation_arrival_minutes:g} min (assumed)",
            f"extra-demand people arrive over {a.extra_demand_arrival_minutes:g} min (assumed)",
            f"registration takes exponential mean {a.registration_minutes:g} min (assumed); "
            "nobody leaves a rest centre during the scenario (assumed)",
        ),
    )


def _task_id(compiled: CompiledScenario, index: int | None) -> str | None:
    return None if index is None else compiled.tasks[index].id


def _before(warned: float | None, arrival: float | None) -> bool | None:
    if warned is None:
        return None
    return arrival is None or warned <= arrival


def _all_warned(run: Run, reason_of: Callable[[int], str]) -> tuple[float | None, str]:
    compiled = run.compiled
    targets = compiled.people.warn_targets
    if not targets:
        return None, "no vulnerable premises inside AEGL-2"
    times = [run.people.warned[t] for t in targets]
    if all(t is not None for t in times):
        return max(t for t in times if t is not None), ""
    tasks = compiled.door_knock_tasks
    if not tasks:
        return None, "the plan has no kind: warning task"
    if any(run.task_start[t] is not None for t in tasks):
        return None, "still warning when the scenario ended"
    reasons = "; ".join(f"{compiled.tasks[t].id}: {reason_of(t)}" for t in tasks)
    return None, f"no warning task started ({reasons})"


def _centre_figures(
    run: Run, centre: CompiledRestCentre, reason_of: Callable[[int], str]
) -> RestCentreFigures:
    state = run.people
    desk = state.desks[centre.index]
    waits = desk.log.waits if desk is not None else []
    reason = ""
    if state.opened[centre.index] is None:
        if not centre.opened_by:
            reason = f"no kind: rest_centre task holds its staffing role {centre.staffing_role}"
        else:
            reason = "; ".join(
                f"{run.compiled.tasks[t].id}: {reason_of(t)}" for t in centre.opened_by
            )
    return RestCentreFigures(
        centre=centre.id,
        capacity=centre.capacity,
        registration_staff=centre.registration_staff,
        opened_minute=state.opened[centre.index],
        reason=reason,
        arrivals=desk.log.arrivals if desk is not None else 0,
        peak_occupancy=state.occupancy[centre.index],
        registered=desk.log.registered if desk is not None else 0,
        mean_wait_minutes=sum(waits) / len(waits) if waits else None,
        max_wait_minutes=max(waits) if waits else None,
    )
