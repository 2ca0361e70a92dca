"""The model's expectation beside each objective, from a modest number of simulated runs.

The facilitator sees, for each objective's plan tasks, when the model expects them done and
how often the target is met, so a slow TCG in the room can be judged against the plan. This
is the one place the console asks the model; the exercise pack can replace this function
with its own expectations without touching the rest of the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from standby.rota.model import Rota
    from standby.scenarios.model import Scenario


@dataclass(frozen=True, slots=True)
class TaskExpectation:
    """One plan task over the simulated runs."""

    task: str
    name: str
    target_minute: float | None
    median_minute: float | None
    p90_minute: float | None
    met_pct: float | None
    done_pct: float
    runs: int

    def summary(self) -> str:
        """``median +52 min, 90 % by +74 min; target +60 min, met in 71 % of 200 runs``."""
        if self.median_minute is None:
            timing = f"not finished in any of {self.runs} runs"
        else:
            timing = f"median +{self.median_minute:.0f} min, 90 % by +{self.p90_minute:.0f} min"
        if self.target_minute is None:
            return timing
        met = "" if self.met_pct is None else f", met in {self.met_pct:.0f} % of {self.runs} runs"
        return f"{timing}; target +{self.target_minute:g} min{met}"

    def to_json_dict(self) -> dict[str, Any]:
        """Plain data for the browsers."""
        return {"task": self.task, "name": self.name, "summary": self.summary()}


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
    tasks = {
        t.task: TaskExpectation(
            task=t.task,
            name=t.name,
            target_minute=t.target_minute,
            median_minute=t.median_end,
            p90_minute=t.p90_end,
            met_pct=t.met_pct,
            done_pct=t.done_pct,
            runs=t.runs,
        )
        for t in summary.tasks
    }
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
