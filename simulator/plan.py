"""The response plan: tasks that wait for their predecessors and for the people they need.

A task starts when every task it comes ``after`` is done, its agency has been alerted, and
the people filling its roles (``count`` of each) have arrived and are free. It holds them for
its sampled duration and then releases them to the next task. People are held in a
:class:`Pool`, a SimPy building block that grants several kinds of resource at once, so a
task never sits on one role's people while it waits for another's (no deadlock, no hoarding).
Waiting requests are served first-fit in the order they were made.
"""

from __future__ import annotations

from collections.abc import Generator, Hashable, Sequence
from typing import TYPE_CHECKING, Any

import simpy

from standby.simulator import people
from standby.simulator.distributions import draw

if TYPE_CHECKING:
    from standby.simulator.model import Run

Needs = tuple[tuple[int, int], ...]
"""``((kind, count), ...)``: how many tokens of each kind a request takes."""


class Pool:
    """Tokens of several kinds (people of each role) granted all together or not at all.

    ``request(needs)`` returns a SimPy event whose value is a tuple with the list of tokens
    taken for each need; ``release(needs, taken)`` gives them back. With one kind and ``c``
    tokens it is a ``simpy.Resource`` of capacity ``c``.
    """

    __slots__ = ("_waiting", "env", "tokens")

    def __init__(self, env: simpy.Environment, kinds: int) -> None:
        self.env = env
        self.tokens: list[list[Hashable]] = [[] for _ in range(kinds)]
        self._waiting: list[tuple[Needs, simpy.Event]] = []

    def _fits(self, needs: Needs) -> bool:
        tokens = self.tokens
        return all(len(tokens[kind]) >= count for kind, count in needs)

    def _take(self, needs: Needs) -> tuple[list[Hashable], ...]:
        taken = []
        for kind, count in needs:
            free = self.tokens[kind]
            taken.append(free[:count])
            del free[:count]
        return tuple(taken)

    def request(self, needs: Needs) -> simpy.Event:
        """An event that fires, with the tokens taken, once all of ``needs`` are free."""
        event = simpy.Event(self.env)
        if self._fits(needs):
            event.succeed(self._take(needs))
        else:
            self._waiting.append((needs, event))
        return event

    def release(self, needs: Needs, taken: Sequence[Sequence[Hashable]]) -> None:
        """Give back the tokens of a granted request."""
        for (kind, _count), tokens in zip(needs, taken, strict=True):
            self.tokens[kind].extend(tokens)
        if self._waiting:
            self._wake()

    def add(self, kind: int, token: Hashable) -> None:
        """A new token (a person who arrived) becomes free."""
        self.tokens[kind].append(token)
        if self._waiting:
            self._wake()

    def remove_token(self, kind: int, token: Hashable) -> bool:
        """Take a free token out of the pool for good; False when it is busy or unknown."""
        free = self.tokens[kind]
        if token in free:
            free.remove(token)
            return True
        return False

    @property
    def waiting(self) -> int:
        """Requests not yet granted."""
        return len(self._waiting)

    def _wake(self) -> None:
        still = []
        for needs, event in self._waiting:
            if self._fits(needs):
                event.succeed(self._take(needs))
            else:
                still.append((needs, event))
        self._waiting = still


def start_tasks(run: Run) -> None:
    """One process per plan task, in topological order."""
    for task in run.compiled.tasks:
        run.env.process(task_process(run, task.index))


def task_process(run: Run, index: int) -> Generator[Any, Any, None]:
    """Wait for predecessors, alert and people; work; release the people; mark done."""
    compiled = run.compiled
    task = compiled.tasks[index]
    env = run.env
    for before in task.after:
        yield run.task_done[before]
    yield run.alert_events[task.agency]
    ready = env.now
    candidates = [run.task_cause[b] for b in task.after]
    candidates.append(run.agency_cause[task.agency])
    cause = max(candidates, key=lambda c: c[0] if c is not None else -1.0)
    needs: Needs = tuple((r, compiled.roles[r].count) for r in task.roles)
    taken: tuple[list[Hashable], ...] = ()
    if needs:
        run.task_waiting[index] = ready
        taken = yield run.pool.request(needs)
        if env.now > ready:
            role_causes = [run.role_cause[r] for r in task.roles]
            cause = max(role_causes, key=lambda c: c[0] if c is not None else -1.0)
    start = env.now
    run.task_start[index] = start
    holders = "; ".join(
        f"{compiled.roles[r].id}: {', '.join(map(str, tokens))}"
        for (r, _n), tokens in zip(needs, taken, strict=True)
    )
    run.log("task_started", agency=task.agency, task=index, detail=holders)
    started = run.cause(f"{task.id} started", cause)
    duration = draw(task.duration, run.streams[compiled.task_stream(index)])
    people.task_started(run, index, duration)
    yield env.timeout(duration)
    run.task_end[index] = env.now
    done = run.cause(f"{task.id} done ({env.now - start:.0f} min)", started)
    run.task_cause[index] = done
    if needs:
        back = []
        for (r, _n), tokens in zip(needs, taken, strict=True):
            gone = run.roles[r].gone
            back.append([t for t in tokens if t not in gone])
            run.role_cause[r] = run.cause(f"{compiled.roles[r].id} free after {task.id}", done)
        run.pool.release(tuple((r, len(b)) for (r, _n), b in zip(needs, back, strict=True)), back)
    detail = ""
    if task.target is not None:
        met = env.now <= task.target
        detail = f"target {task.target:g} min {'met' if met else 'missed'}"
    run.log("task_done", agency=task.agency, task=index, detail=detail)
    people.task_done(run, index)
    run.task_done[index].succeed()
