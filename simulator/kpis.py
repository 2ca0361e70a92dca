"""The people-side figures (KPIs) of a finished run, read from its state and event times.

Split from :mod:`standby.simulator.people`, which runs the warnings, protective action and
rest centres; this module only reads what they left behind (and asks
:func:`standby.simulator.plan.explain` why a task they waited for was not done).
"""

from __future__ import annotations

from standby.simulator.people_setup import CompiledRestCentre
from standby.simulator.plan import explain
from standby.simulator.results import Kpis, PremisesWarning, RestCentreFigures, ZonePeople
from standby.simulator.state import Run


def kpis(run: Run) -> Kpis:
    """The people KPIs of a finished run."""
    compiled = run.compiled
    setup = compiled.people
    state = run.public
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
            state.receptors[t].warned,
            _task_id(run, state.receptors[t].warned_by),
            _before(state.receptors[t].warned, setup.receptors[t].arrival_minute),
        )
        for t in setup.warn_targets
    )
    all_warned, warned_reason = _all_warned(run)
    centres = tuple(_centre_figures(run, c) for c in setup.rest_centres)
    opened = [c.opened for c in state.centres if c.opened is not None]
    first_reason = ""
    if not opened:
        reasons = list(dict.fromkeys(c.reason for c in centres))
        first_reason = "; ".join(reasons) if reasons else "the scenario has no rest centres"
    waits = [w for c in state.centres if c.desk is not None for w in c.desk.log.waits]
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


def _task_id(run: Run, index: int | None) -> str | None:
    return None if index is None else run.compiled.tasks[index].id


def _before(warned: float | None, arrival: float | None) -> bool | None:
    if warned is None:
        return None
    return arrival is None or warned <= arrival


def _reasons(run: Run, tasks: tuple[int, ...]) -> str:
    """``task: why it was not done`` for each task, joined."""
    return "; ".join(f"{run.compiled.tasks[t].id}: {explain(run, t).reason}" for t in tasks)


def _all_warned(run: Run) -> tuple[float | None, str]:
    compiled = run.compiled
    targets = compiled.people.warn_targets
    if not targets:
        return None, "no vulnerable premises inside AEGL-2"
    times = [run.public.receptors[t].warned for t in targets]
    if all(t is not None for t in times):
        return max(t for t in times if t is not None), ""
    tasks = compiled.door_knock_tasks
    if not tasks:
        return None, "the plan has no kind: warning task"
    if any(run.tasks[t].start is not None for t in tasks):
        return None, "still warning when the scenario ended"
    return None, f"no warning task started ({_reasons(run, tasks)})"


def _centre_figures(run: Run, centre: CompiledRestCentre) -> RestCentreFigures:
    state = run.public.centres[centre.index]
    desk = state.desk
    waits = desk.log.waits if desk is not None else []
    reason = ""
    if state.opened is None:
        if not centre.opened_by:
            reason = f"no kind: rest_centre task holds its staffing role {centre.staffing_role}"
        else:
            reason = _reasons(run, centre.opened_by)
    return RestCentreFigures(
        centre=centre.id,
        capacity=centre.capacity,
        registration_staff=centre.registration_staff,
        opened_minute=state.opened,
        reason=reason,
        arrivals=desk.log.arrivals if desk is not None else 0,
        peak_occupancy=state.occupancy,
        registered=desk.log.registered if desk is not None else 0,
        mean_wait_minutes=sum(waits) / len(waits) if waits else None,
        max_wait_minutes=max(waits) if waits else None,
    )
