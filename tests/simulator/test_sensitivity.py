"""Which assumption matters: on a plan whose one target hangs on one task's length, only the
task durations move it, by the amount worked out by hand."""

from __future__ import annotations

from simkit import fixed, make_scenario

from standby.simulator.executors import Executor
from standby.simulator.sensitivity import ASSUMPTIONS, study


def test_only_the_task_durations_move_a_target_that_hangs_on_a_tasks_length() -> None:
    # the site's own task takes 10 min against an 11 min target: x1.25 is 12.5 (missed in
    # every run), x0.8 is 8 (met, as in the base); nothing else is on its path
    tasks = [
        {
            "id": "isolate",
            "name": "Isolate",
            "agency": "site",
            "duration": fixed(10),
            "target": {"within_minutes": 11, "text": "isolated in 11"},
        }
    ]
    result = study(make_scenario(plan={"tasks": tasks}), runs=10, executor=Executor("serial"))
    assert (result.base.all_met_pct, result.base.targets_met_pct) == (100.0, 100.0)
    top, *others = result.ranked()
    assert top.key == "task_durations"
    assert top.change("all_met", "up") == -100.0 and top.change("targets_met", "up") == -100.0
    assert top.change("all_met", "down") == 0.0
    # common random numbers: the same runs, so no noise, and a half-width of nothing
    assert top.changes[("all_met", "up")].half_width == 0.0
    assert all(
        o.change(m, d) == 0.0
        for o in others
        for m in ("all_met", "targets_met")
        for d in ("down", "up")
    )
    assert len(result.assumptions) == len(ASSUMPTIONS)
