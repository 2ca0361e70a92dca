"""The response plan: tasks that wait for their predecessors and for the people they need.

A task starts when every task it comes ``after`` is done, its agency has been alerted, the
people of its ``present`` roles are in place (their attention is shared: they may be busy with
another task) and the people of its held ``roles`` (``count`` of each) are in place and free.
It holds those for its sampled duration and then releases them to the next task. People are
held in a :class:`~standby.simulator.pool.Pool`, so a task never sits on one role's people
while it waits for another's. A held role may ``delegate`` the task to another role of its
agency when it has not taken it within a delay (or at once once it is unfilled); that role is
then called out if it was not already. While it waits, the task's
:attr:`~standby.simulator.state.TaskState.phase` says for what; :class:`Explainer` (and
:func:`explain`) reads it to say why a task was not done, or for a late one which step drove
the miss, and which chain of causes set (or stopped) its time: the reason and the critical
path come from that one place, and a chain of thousands of tasks is walked without recursion.

**Pinned tasks** (the debrief's counterfactual: the players' logged times) end at their
pinned minute whatever their sampled duration. A pinned task waits as any other does, but
no later than its minute: if it has not started by then, it starts then, without the people
it was waiting for (the players did it; the model's people may still be on their way). It
holds the people it has from its start until its minute, the cautious reading of a slow
task, which keeps them from other work, and it releases its successors at that minute. Its
duration is still drawn, so every random stream gives the same numbers as in the unpinned
run (:func:`pin_minutes` reads a mapping of task id to minute).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TypeVar, assert_never, cast

import simpy

from standby.errors import StandbyError
from standby.hints import did_you_mean
from standby.simulator import network, people, responders
from standby.simulator.compiled import CompiledScenario, CompiledTask, Delegation
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


class PinError(StandbyError):
    """A pinned task time that the scenario cannot take: an unknown task or a bad minute."""


def pin_minutes(
    compiled: CompiledScenario, pinned: Mapping[str, float] | None
) -> tuple[float | None, ...]:
    """The pinned minute of each plan task (by index; None: not pinned) from task ids."""
    pins: list[float | None] = [None] * len(compiled.tasks)
    if not pinned:
        return tuple(pins)
    index = {task.id: task.index for task in compiled.tasks}
    for task_id, minute in pinned.items():
        if task_id not in index:
            raise PinError(
                f"cannot pin '{task_id}': it is not a plan task of scenario {compiled.name}; "
                + did_you_mean(task_id, sorted(index))
            )
        if not math.isfinite(minute) or minute < 0.0:
            raise PinError(
                f"cannot pin '{task_id}' at minute {minute}: give the minutes since the "
                "incident began, 0 or more"
            )
        pins[index[task_id]] = float(minute)
    return tuple(pins)


def start_tasks(run: Run, pins: tuple[float | None, ...] = ()) -> None:
    """One process per plan task, in topological order; ``pins`` from :func:`pin_minutes`."""
    for task in run.compiled.tasks:
        pin = pins[task.index] if pins else None
        process = run.env.process(task_process(run, task.index, pin))
        if pin is not None:
            deadline = run.env.timeout(pin)
            deadline.callbacks.append(functools.partial(_start_pinned, run, task.index, process))


def _start_pinned(run: Run, index: int, process: simpy.Process, _event: simpy.Event) -> None:
    """At its pinned minute, a task still waiting is told to start (see the module's note)."""
    if run.tasks[index].start is None and process.is_alive:
        process.interrupt("pinned")


def _latest(causes: list[Cause | None]) -> Cause | None:
    """The cause that came last (the first of equals); None when there is none."""
    return max(causes, key=lambda c: c.minute if c is not None else -1.0)


def _present_short(run: Run, roles: tuple[int, ...]) -> list[int]:
    """The ``present`` roles with fewer than ``count`` people in place."""
    compiled = run.compiled
    return [r for r in roles if len(run.roles[r].in_place) < compiled.roles[r].count]


def _wait_present(run: Run, task: CompiledTask) -> Generator[Any, Any, None]:
    """Until the people of each ``present`` role are in place (busy or not)."""
    while short := _present_short(run, task.present):
        arrival = run.env.event()
        for role in short:
            run.roles[role].watchers.append(arrival)
        yield arrival


def task_process(run: Run, index: int, pin: float | None = None) -> Generator[Any, Any, None]:
    """Wait for predecessors, alert and people; work; release the people; mark done.

    A task pinned at minute ``pin`` ends then (see the module's note on pinned tasks).
    """
    compiled = run.compiled
    task = compiled.tasks[index]
    state = run.tasks[index]
    env = run.env
    agency = run.agencies[task.agency]
    roles = task.roles
    taken: tuple[list[PersonState], ...] = ()
    try:
        for before in task.after:
            state.phase = WaitingForTask(before)
            yield run.tasks[before].done
        state.phase = WaitingForAlert(task.agency)
        yield agency.heard
        ready = env.now
        cause = _latest([*(run.tasks[b].finished for b in task.after), agency.cause])
        if task.present or roles:
            state.phase = WaitingForPeople((*task.present, *roles))
            yield from _wait_present(run, task)
            handed: list[Cause] = []
            if roles:
                roles, taken, handed = yield from _take_people(run, task, ready, cause)
            if env.now > ready:
                cause = _latest([*(run.roles[r].cause for r in (*task.present, *roles)), *handed])
    except simpy.Interrupt:
        # pinned, and not started by its minute: it starts now, without the people it awaited
        roles, taken = (), ()
        cause = run.cause(f"{task.id} pinned at minute {env.now:g}", agency.cause)
    needs: Needs = tuple((r, compiled.roles[r].count) for r in roles)
    start = env.now
    state.start = start
    state.phase = WORKING
    holders = "; ".join(
        f"{compiled.roles[r].id}: {', '.join(person.name for person in tokens)}"
        for (r, _n), tokens in zip(needs, taken, strict=True)
    )
    if task.present:
        overseen = ", ".join(compiled.roles[r].id for r in task.present)
        holders += ("; " if holders else "") + f"present: {overseen}"
    run.log("task_started", agency=task.agency, task=index, detail=holders)
    state.started = run.cause(f"{task.id} started", cause, key=f"{task.id} started")
    duration = draw(task.duration, run.streams[compiled.task_stream(index)])
    if pin is not None:  # drawn all the same, so the stream's numbers match the unpinned run
        duration = max(pin - start, 0.0)
    people.task_started(run, index, duration)
    yield env.timeout(duration)
    state.end = env.now
    state.phase = FINISHED
    done = run.cause(
        f"{task.id} done ({env.now - start:.0f} min)", state.started, key=f"{task.id} itself"
    )
    state.finished = done
    if needs:
        back = []
        for (r, _n), tokens in zip(needs, taken, strict=True):
            stood_down = run.roles[r].stood_down
            back.append([person for person in tokens if person not in stood_down])
            run.roles[r].cause = run.cause(
                f"{compiled.roles[r].id} free after {task.id}",
                done,
                key=f"{compiled.roles[r].id} busy with {task.id}",
            )
        run.pool.release(tuple((r, len(b)) for (r, _n), b in zip(needs, back, strict=True)), back)
    detail = ""
    if task.target is not None:
        met = env.now <= task.target
        detail = f"target {task.target:g} min {'met' if met else 'missed'}"
    if pin is not None:
        detail = f"pinned at minute {pin:g}" + (f"; {detail}" if detail else "")
    run.log("task_done", agency=task.agency, task=index, detail=detail)
    if compiled.declaration_task == index:
        network.declare_now(run, done)
    held = {r: len(tokens) for (r, _n), tokens in zip(needs, taken, strict=True)}
    people.task_done(run, index, held)
    state.done.succeed()


Taken = tuple[tuple[int, ...], tuple[list[PersonState], ...], list[Cause]]
"""The held roles (after any delegation), their people, and the delegations' causes."""


def _take_people(
    run: Run, task: CompiledTask, ready: float, ready_cause: Cause | None
) -> Generator[Any, Any, Taken]:
    """Request the held roles' people; hand the task on as its delegations say when a role
    has not come within its delay (or has been given up as unfilled)."""
    compiled = run.compiled
    env = run.env
    roles = task.roles
    pending = sorted(task.delegations, key=lambda d: d.after)
    handed_causes: list[Cause] = []
    while True:
        request = run.pool.request(tuple((r, compiled.roles[r].count) for r in roles))
        live = [d for d in pending if d.source in roles]
        try:
            if not live:
                taken = yield request
                return roles, taken, handed_causes
            due = min(d.after for d in live)
            waits: list[simpy.Event] = [request, env.timeout(max(0.0, ready + due - env.now))]
            waits += [run.roles[d.source].gave_up for d in live]
            yield env.any_of(waits)
        except simpy.Interrupt:  # a pinned task's minute has come (see the module's note)
            if not request.triggered:
                run.pool.cancel(request)
                raise
        if request.triggered:
            return roles, cast("tuple[list[PersonState], ...]", request.value), handed_causes
        run.pool.cancel(request)
        handed = [
            d
            for d in live
            if d.after <= env.now - ready or run.roles[d.source].unfilled is not None
        ]
        for delegation in handed:
            roles = tuple(delegation.to if r == delegation.source else r for r in roles)
            handed_causes.append(_delegated(run, task, delegation, ready_cause))
        run.tasks[task.index].phase = WaitingForPeople((*task.present, *roles))
        pending = [d for d in pending if d not in handed]


def _delegated(
    run: Run, task: CompiledTask, delegation: Delegation, ready_cause: Cause | None
) -> Cause:
    """Log the hand-over, call the new role out if it was not, and return its cause."""
    compiled = run.compiled
    source, to = compiled.roles[delegation.source], compiled.roles[delegation.to]
    unfilled = run.roles[delegation.source].unfilled is not None
    why = "unfilled" if unfilled else f"not free within {delegation.after:g} min"
    run.log(
        "delegated",
        agency=task.agency,
        task=task.index,
        detail=f"{source.id} {why}: the task passes to {to.id}",
    )
    cause = run.cause(
        f"{task.id} delegated from {source.id} to {to.id} ({why})",
        ready_cause,
        key=f"{source.id} {'unfilled' if unfilled else 'busy'}: {task.id} delegated",
    )
    to_state = run.roles[delegation.to]
    if not to_state.started:
        to_state.trigger = cause
        responders.start_call_out(run, delegation.to)
    return cause


# --- why a task was not done, and what set its time ------------------------------------------


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a task was not done, or which step made it late (``reason``, empty when done in
    time); ``driver`` names that step the same way in every run; ``path`` is the chain of
    causes that set its end (done) or stopped it (not done), earliest first."""

    reason: str
    path: tuple[Step, ...]
    driver: str = ""


def _longest_step(cause: Cause) -> tuple[Cause, float]:
    """The step of the chain that took longest after the one before it, and when that one
    was (the first step counts from minute 0)."""
    chain = cause.chain()
    best, since = chain[0], 0.0
    for before, after in pairwise(chain):
        if after.minute - before.minute > best.minute - since:
            best, since = after, before.minute
    return best, since


Value = TypeVar("Value")

#: Steps a critical path keeps at each end; a longer one (a chain of thousands of tasks)
#: says how many steps lie between.
PATH_STEPS_KEPT = 20


@dataclass(frozen=True, slots=True)
class _Path:
    """A path as its first and last steps and its length, so that one step more costs the
    same however long the chain behind it is."""

    head: tuple[Step, ...] = ()
    tail: tuple[Step, ...] = ()
    length: int = 0

    def then(self, step: Step) -> _Path:
        if self.length < PATH_STEPS_KEPT:
            return _Path((*self.head, step), (), self.length + 1)
        return _Path(self.head, (*self.tail, step)[-PATH_STEPS_KEPT:], self.length + 1)

    @property
    def last(self) -> Step | None:
        return self.tail[-1] if self.tail else self.head[-1] if self.head else None

    def steps(self) -> tuple[Step, ...]:
        between = self.length - len(self.head) - len(self.tail)
        if between <= 0:
            return (*self.head, *self.tail)
        gap = Step(self.head[-1].minute, f"... {between:,} steps more ...")
        return (*self.head, gap, *self.tail)


class Explainer:
    """Why the tasks of one finished run were not done (or were late), what drove it, and
    their critical paths.

    Chains of causes and of tasks waiting for one another can be thousands long (a plan
    of 10,000 tasks in a row): each is walked once, in a loop, and shared by every task on
    it, and a path keeps its first and last :data:`PATH_STEPS_KEPT` steps.
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self._causes: dict[int, _Path] = {}
        self._paths: dict[int, _Path] = {}
        self._drivers: dict[int, str] = {}

    def explain(self, index: int) -> Explanation:
        """The task's reason, critical path and driver."""
        return Explanation(self.reason(index), self.path(index).steps(), self.driver(index))

    def reason(self, index: int) -> str:
        """Why the task was not done, or was late, in words; empty when done in time."""
        run = self.run
        match run.tasks[index].phase:
            case Finished():
                return _lateness(run, index)[0]
            case Working():
                return "still running when the scenario ended"
            case WaitingForTask(task=before):
                return f"waits for {run.compiled.tasks[before].id}, which was not done"
            case WaitingForAlert(agency=agency):
                return f"{run.compiled.agencies[agency]} was never alerted"
            case WaitingForPeople(roles=roles):
                return _people_reason(run, roles)[0]
            case other:
                assert_never(other)

    def driver(self, index: int) -> str:
        """The step that held the task up, named the same way in every run."""

        def then(driver: str, task: int) -> str:
            before = self._waits_for(task)
            return driver or f"{self.run.compiled.tasks[before].id} not done"

        return self._along_chain(index, self._drivers, self._own_driver, then)

    def path(self, index: int) -> _Path:
        """What set the task's end, or stopped it: waits followed back without recursion."""

        def then(path: _Path, task: int) -> _Path:
            minute = path.last.minute if path.last is not None else 0.0
            return path.then(Step(minute, f"{self.run.compiled.tasks[task].id} not started"))

        return self._along_chain(index, self._paths, self._own_path, then)

    def _waits_for(self, task: int) -> int:
        phase = self.run.tasks[task].phase
        assert isinstance(phase, WaitingForTask)
        return phase.task

    def _along_chain(
        self,
        index: int,
        known: dict[int, Value],
        own: Callable[[int], Value],
        then: Callable[[Value, int], Value],
    ) -> Value:
        """``index``'s value, from the task its chain of waits ends at (``own``), then one
        ``then`` for each task waiting in turn; every value on the way is kept."""
        chain = [index]
        while chain[-1] not in known and isinstance(
            self.run.tasks[chain[-1]].phase, WaitingForTask
        ):
            chain.append(self._waits_for(chain[-1]))
        last = chain.pop()
        if last not in known:
            known[last] = own(last)
        value = known[last]
        for task in reversed(chain):
            value = known[task] = then(value, task)
        return known[index]

    def _own_driver(self, index: int) -> str:
        """The driver of a task that waits for no other task."""
        run = self.run
        match run.tasks[index].phase:
            case Finished():
                return _lateness(run, index)[1]
            case Working():
                return f"{run.compiled.tasks[index].id} still running"
            case WaitingForAlert(agency=agency):
                return f"{run.compiled.agencies[agency]} never alerted"
            case WaitingForPeople(roles=roles):
                return _people_reason(run, roles)[1]
        return ""

    def _own_path(self, index: int) -> _Path:
        """The path of a task that waits for no other task."""
        run = self.run
        state = run.tasks[index]
        not_done = Step(rounded(run.env.now), f"{run.compiled.tasks[index].id} not done")
        match state.phase:
            case Finished():
                return self._cause_path(state.finished)
            case Working():
                return self._cause_path(state.started).then(not_done)
        stopped = _stopped_by(run, index)
        if stopped is None:
            return _Path().then(not_done)
        # the cause may be made just now (an unfilled role), so only its parent is kept
        return self._cause_path(stopped.parent).then(_step(stopped)).then(not_done)

    def _cause_path(self, cause: Cause | None) -> _Path:
        """A cause's chain back to the alarm as a path, each cause's path kept once."""
        unknown: list[Cause] = []
        while cause is not None and id(cause) not in self._causes:
            unknown.append(cause)
            cause = cause.parent
        path = _Path() if cause is None else self._causes[id(cause)]
        for item in reversed(unknown):
            path = path.then(_step(item))
            self._causes[id(item)] = path
        return path


def _step(cause: Cause) -> Step:
    return Step(rounded(cause.minute), cause.what)


def _lateness(run: Run, index: int) -> tuple[str, str]:
    """For a finished task: why it was late and its driver (both empty when in time)."""
    task = run.compiled.tasks[index]
    state = run.tasks[index]
    end = state.end
    if task.target is None or end is None or end <= task.target or state.finished is None:
        return "", ""
    step, since = _longest_step(state.finished)
    reason = (
        f"done +{end:.0f}, {end - task.target:.0f} min after the target; the longest "
        f"step, +{since:.0f} to +{step.minute:.0f}: {step.what}"
    )
    return reason, step.key or step.what


def explain(run: Run, index: int) -> Explanation:
    """What the task's phase at the end says: done (in time or late), still running, or
    waiting for what."""
    return Explainer(run).explain(index)


def _people_reason(run: Run, roles: tuple[int, ...]) -> tuple[str, str]:
    missing = []
    drivers = []
    for role in roles:
        state = run.roles[role]
        role_id = run.compiled.roles[role].id
        if state.unfilled is not None:
            missing.append(f"{role_id} unfilled: {state.unfilled.reason}")
            drivers.append(f"{role_id} unfilled ({state.unfilled.kind.replace('_', ' ')})")
        elif not state.started:
            missing.append(f"{role_id} never called out")
            drivers.append(f"{role_id} never called out")
    if missing:
        return "; ".join(missing), drivers[0]
    return "people not in place (or busy) before the scenario ended", "people busy or on the way"


def _stopped_by(run: Run, index: int) -> Cause | None:
    """For a task its predecessors did not hold up: the first of its roles left unfilled,
    else how its agency heard (None if it never did)."""
    compiled = run.compiled
    task = compiled.tasks[index]
    for role in (*task.present, *task.roles):
        unfilled = run.roles[role].unfilled
        if unfilled is not None:
            spec = compiled.roles[role]
            what = f"{spec.id} unfilled: {unfilled.reason}"
            return Cause(unfilled.minute, what, run.agencies[spec.agency].cause)
    return run.agencies[task.agency].cause
