"""The response plan: tasks that wait for their predecessors and for the people they need.

A task starts when every task it comes ``after`` is done, its agency has been alerted, and
the people filling its roles (``count`` of each) have arrived and are free. It holds them for
its sampled duration and then releases them to the next task. People are held in a
:class:`~standby.simulator.pool.Pool`, so a task never sits on one role's people while it
waits for another's. While it waits, the task's :attr:`~standby.simulator.state.TaskState.phase`
says for what; :func:`explain` reads it to say why a task was not done and which chain of
causes set (or stopped) its time: the reason and the critical path come from that one place.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, assert_never

from standby.simulator import people
from standby.simulator.distributions import draw
from standby.simulator.pool import Needs
from standby.simulator.results import Step, rounded
from standby.simulator.state import (
    FINISHED,
    WORKING,
    Cause,
    Finished,
    PersonState,
    Run,
    WaitingForAlert,
    WaitingForPeople,
    WaitingForTask,
    Working,
)


def start_tasks(run: Run) -> None:
    """One process per plan task, in topological order."""
    for task in run.compiled.tasks:
        run.env.process(task_process(run, task.index))


def _latest(causes: list[Cause | None]) -> Cause | None:
    """The cause that came last (the first of equals); None when there is none."""
    return max(causes, key=lambda c: c.minute if c is not None else -1.0)


def task_process(run: Run, index: int) -> Generator[Any, Any, None]:
    """Wait for predecessors, alert and people; work; release the people; mark done."""
    compiled = run.compiled
    task = compiled.tasks[index]
    state = run.tasks[index]
    env = run.env
    for before in task.after:
        state.phase = WaitingForTask(before)
        yield run.tasks[before].done
    agency = run.agencies[task.agency]
    state.phase = WaitingForAlert(task.agency)
    yield agency.heard
    ready = env.now
    cause = _latest([*(run.tasks[b].finished for b in task.after), agency.cause])
    needs: Needs = tuple((r, compiled.roles[r].count) for r in task.roles)
    taken: tuple[list[PersonState], ...] = ()
    if needs:
        state.phase = WaitingForPeople(task.roles)
        taken = yield run.pool.request(needs)
        if env.now > ready:
            cause = _latest([run.roles[r].cause for r in task.roles])
    start = env.now
    state.start = start
    state.phase = WORKING
    holders = "; ".join(
        f"{compiled.roles[r].id}: {', '.join(person.name for person in tokens)}"
        for (r, _n), tokens in zip(needs, taken, strict=True)
    )
    run.log("task_started", agency=task.agency, task=index, detail=holders)
    state.started = run.cause(f"{task.id} started", cause)
    duration = draw(task.duration, run.streams[compiled.task_stream(index)])
    people.task_started(run, index, duration)
    yield env.timeout(duration)
    state.end = env.now
    state.phase = FINISHED
    done = run.cause(f"{task.id} done ({env.now - start:.0f} min)", state.started)
    state.finished = done
    if needs:
        back = []
        for (r, _n), tokens in zip(needs, taken, strict=True):
            stood_down = run.roles[r].stood_down
            back.append([person for person in tokens if person not in stood_down])
            run.roles[r].cause = run.cause(f"{compiled.roles[r].id} free after {task.id}", done)
        run.pool.release(tuple((r, len(b)) for (r, _n), b in zip(needs, back, strict=True)), back)
    detail = ""
    if task.target is not None:
        met = env.now <= task.target
        detail = f"target {task.target:g} min {'met' if met else 'missed'}"
    run.log("task_done", agency=task.agency, task=index, detail=detail)
    people.task_done(run, index)
    state.done.succeed()


# --- why a task was not done, and what set its time ------------------------------------------


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a task was not done (``reason``, empty when done) and the chain of causes that set
    its end (done) or stopped it (not done), earliest first."""

    reason: str
    path: tuple[Step, ...]


def _steps(cause: Cause | None) -> tuple[Step, ...]:
    if cause is None:
        return ()
    return tuple(Step(rounded(c.minute), c.what) for c in cause.chain())


def explain(run: Run, index: int) -> Explanation:
    """What the task's phase at the end says: done, still running, or waiting for what."""
    compiled = run.compiled
    task = compiled.tasks[index]
    state = run.tasks[index]
    not_done = Step(rounded(run.env.now), f"{task.id} not done")
    match state.phase:
        case Finished():
            return Explanation("", _steps(state.finished))
        case Working():
            return Explanation(
                "still running when the scenario ended", (*_steps(state.started), not_done)
            )
        case WaitingForTask(task=before):
            head = explain(run, before).path
            return Explanation(
                f"waits for {compiled.tasks[before].id}, which was not done",
                (*head, Step(head[-1].minute, f"{task.id} not started")),
            )
        case WaitingForAlert(agency=agency):
            reason = f"{compiled.agencies[agency]} was never alerted"
        case WaitingForPeople(roles=roles):
            reason = _people_reason(run, roles)
        case _:
            assert_never(state.phase)
    return Explanation(reason, (*_steps(_stopped_by(run, index)), not_done))


def _people_reason(run: Run, roles: tuple[int, ...]) -> str:
    missing = []
    for role in roles:
        state = run.roles[role]
        if state.unfilled is not None:
            missing.append(f"{run.compiled.roles[role].id} unfilled: {state.unfilled.reason}")
        elif not state.started:
            missing.append(f"{run.compiled.roles[role].id} never called out")
    if missing:
        return "; ".join(missing)
    return "people not in place (or busy) before the scenario ended"


def _stopped_by(run: Run, index: int) -> Cause | None:
    """For a task its predecessors did not hold up: the first of its roles left unfilled,
    else how its agency heard (None if it never did)."""
    compiled = run.compiled
    task = compiled.tasks[index]
    for role in task.roles:
        unfilled = run.roles[role].unfilled
        if unfilled is not None:
            spec = compiled.roles[role]
            what = f"{spec.id} unfilled: {unfilled.reason}"
            return Cause(unfilled.minute, what, run.agencies[spec.agency].cause)
    return run.agencies[task.agency].cause
