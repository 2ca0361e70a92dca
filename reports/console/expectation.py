"""The model's expectation beside each objective, from a modest number of simulated runs.

The facilitator sees, for each objective's plan tasks, when the model expects them done and
how often the target is met, so a slow TCG in the room can be judged against the plan. This
is the one place the console asks the model; the figures and their wording are the exercise
pack's (``reports.exercise.task_expectations``), so the console and the printed pack agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from standby.reports.exercise import TaskExpectation, task_expectations

if TYPE_CHECKING:
    from standby.rota.model import Rota
    from standby.scenarios.model import Scenario


@dataclass(frozen=True, slots=True)
class ObjectiveExpectation:
    """An objective, how it is measured, and the model's view of its tasks."""

    objective: str
    text: str
    measured_by: str
    tasks: tuple[TaskExpectation, ...]


@dataclass(frozen=True, slots=True)
class Expectations:
    """The model's expectation for every objective and every plan task."""

    runs: int
    seed: int
    objectives: tuple[ObjectiveExpectation, ...]
    tasks: dict[str, TaskExpectation]


def model_expectations(
    scenario: Scenario, rota: Rota | None = None, *, runs: int = 200, seed: int = 1
) -> Expectations:
    """Simulate ``runs`` replications from the scenario's start and summarise each task."""
    from standby.simulator.experiment import replicate

    summary = replicate(scenario, rota, seed=seed, runs=runs).summary
    tasks = task_expectations(summary)
    objectives = tuple(
        ObjectiveExpectation(
            objective=o.id,
            text=o.text,
            measured_by=o.measured_by,
            tasks=tuple(tasks[task] for task in o.tasks if task in tasks),
        )
        for o in scenario.objectives
    )
    return Expectations(runs=summary.runs, seed=seed, objectives=objectives, tasks=tasks)
