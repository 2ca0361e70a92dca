"""The simulator at sizes no real plan reaches: a billion runs asked for, a 10,000-task chain.

Each runs in a fresh process with a time and memory limit (the ``bounded`` fixture), so a
regression fails with the limit named instead of taking the machine.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from standby.simulator.model import run_seeds


def test_lazy_seeds_are_the_children_spawn_makes() -> None:
    expected = np.random.SeedSequence(2026).spawn(5)
    made = list(run_seeds(2026, 5))
    assert [child.generate_state(4).tolist() for child in made] == [
        child.generate_state(4).tolist() for child in expected
    ]


def test_a_billion_runs_start_at_once_and_hold_one_chunk_at_a_time(bounded: Any) -> None:
    done = bounded(
        "from standby.scenarios import load_scenario\n"
        "from standby.simulator.experiment import replicate\n"
        "class Enough(Exception):\n    pass\n"
        "def progress(runs):\n"
        "    if runs >= 3:\n        raise Enough\n"
        "try:\n"
        "    replicate(load_scenario('smoke-distribution'), runs=1_000_000_000, "
        "progress=progress, keep_runs=False)\n"
        "except Enough:\n    print('three runs made')\n",
        seconds=120,
        memory_mb=1500,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "three runs made"


CHAIN = """
import yaml
from standby.scenarios import scenario_source, parse_scenario
from standby.simulator.experiment import replicate

data = yaml.safe_load(scenario_source("smoke-distribution"))
first = data["plan"]["tasks"][0]
# a first step that outlasts the scenario, then 10,000 steps each after the one before
chain = [{**first, "id": "step_0", "name": "step 0", "after": [],
          "duration": {"dist": "fixed", "value": 100000},
          "target": {"within_minutes": 60, "text": "on time"}}]
chain += [{"id": f"step_{n}", "name": f"step {n}", "agency": first["agency"],
           "after": [f"step_{n - 1}"], "duration": {"dist": "fixed", "value": 1},
           "target": {"within_minutes": 60, "text": "on time"}} for n in range(1, 10_000)]
data["plan"]["tasks"] += chain
scenario = parse_scenario(yaml.safe_dump(data), "chain.yaml")
run = replicate(scenario, seed=3).first
last = next(path for path in run.critical_paths if path.task == "step_9999")
print(len(run.critical_paths), len(last.steps))
print(last.steps[-1].what)
print(next(m for m in run.milestones if m.task == "step_9999").reason)
print(sum("steps more" in step.what for step in last.steps))
"""


@pytest.mark.slow  # about 20 s: 10,000 tasks in one run
def test_a_chain_of_ten_thousand_tasks_is_explained_without_recursion(bounded: Any) -> None:
    done = bounded(CHAIN, seconds=300, memory_mb=2500)
    assert done.returncode == 0, done.stderr[-3000:]
    sizes, last, reason, gaps = done.stdout.strip().splitlines()
    count, steps = sizes.split()
    assert int(count) >= 10_000  # every step of the chain misses its target
    assert int(steps) <= 2 * 20 + 1  # the path keeps its first and last 20 steps
    assert last == "step_9999 not started"
    assert reason == "waits for step_9998, which was not done"
    assert gaps == "1"
