"""What drove a missed target, counted over many runs (simulator.summary, on the driver each
run's explanation names: the step that took longest on the task's critical path), on plans
built so that the answer is known: one step always late, a slow journey, a role nobody
covers, a link that fails."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from simkit import START, fixed, make_roster, make_scenario

from standby.simulator.compiled import Assumptions, compile_scenario
from standby.simulator.distributions import fixed as fixed_spec
from standby.simulator.model import run_once
from standby.simulator.records import record_of
from standby.simulator.results import RunResult
from standby.simulator.summary import Tally

EXACT = Assumptions(answer_delay=fixed_spec(0.0))


def _task(task_id: str, name: str, minutes: Any, **extra: Any) -> dict[str, Any]:
    return {"id": task_id, "name": name, "agency": "site", "duration": minutes, **extra}


def _runs(scenario: Any, roster: Any = None, runs: int = 30) -> list[RunResult]:
    compiled = compile_scenario(scenario)
    return [run_once(compiled, roster, START, seed, EXACT) for seed in range(runs)]


def _drivers(results: list[RunResult], task: str) -> tuple[tuple[str, int], ...]:
    tally = Tally(results[0], seed=0)
    for result in results:
        tally.add(record_of(result))
    (summary,) = [t for t in tally.summary().tasks if t.task == task]
    return summary.drivers


def test_a_step_that_is_always_late_drives_every_miss_after_it() -> None:
    # isolate takes 35-45 min against a 30 min target; notify waits for it (5 min, target 40)
    # and so misses in every run, however long isolating took
    tasks = [
        _task(
            "isolate",
            "Isolate the leak",
            {"dist": "uniform", "low": 35, "high": 45},
            target={"within_minutes": 30, "text": "isolated in 30"},
        ),
        _task(
            "notify",
            "Notify the neighbours",
            fixed(5),
            after=["isolate"],
            target={"within_minutes": 40, "text": "notified in 40"},
        ),
    ]
    results = _runs(make_scenario(plan={"tasks": tasks}))
    assert _drivers(results, "notify") == (("isolate itself", 30),)
    assert _drivers(results, "isolate") == (("isolate itself", 30),)


def test_a_slow_journey_is_named_when_it_outweighs_the_task() -> None:
    role = {
        "id": "chief",
        "agency": "site",
        "name": "Chief",
        "reports_to": "remote",
        "answer_probability": 1.0,
        "travel_minutes": fixed(50),
    }
    tasks = [
        _task(
            "brief", "Brief", fixed(10), roles=["chief"], target={"within_minutes": 45, "text": "t"}
        )
    ]
    results = _runs(make_scenario(roles=[role], plan={"tasks": tasks}), runs=5)
    assert _drivers(results, "brief") == (("chief in place", 5),)


def test_a_role_nobody_covers_is_the_driver_of_a_task_that_never_starts() -> None:
    role = {
        "id": "epo",
        "agency": "council",
        "name": "Duty EPO",
        "rota_role": "Duty Emergency Planning Officer",
        "reports_to": "remote",
    }
    tasks = [
        {
            "id": "advise",
            "name": "Advise",
            "agency": "council",
            "roles": ["epo"],
            "duration": fixed(5),
            "target": {"within_minutes": 60, "text": "t"},
        },
        {
            "id": "follow_up",
            "name": "Follow up",
            "agency": "council",
            "after": ["advise"],
            "duration": fixed(5),
            "target": {"within_minutes": 90, "text": "t"},
        },
    ]
    # Duty EPO shifts end an hour before the incident and start a day after it: a rota gap
    epo = "Duty Emergency Planning Officer"
    before = (START.replace(hour=0), START.replace(hour=1))
    after = (START + timedelta(days=1), START + timedelta(days=2))
    roster = make_roster([("p1", epo, 1, *before, 1.0), ("p1", epo, 1, *after, 1.0)])
    results = _runs(make_scenario(roles=[role], plan={"tasks": tasks}), roster, runs=4)
    assert _drivers(results, "advise") == (("epo unfilled (rota gap)", 4),)
    assert _drivers(results, "follow_up") == (("epo unfilled (rota gap)", 4),)


def test_a_link_whose_calls_failed_is_named_in_the_runs_it_made_late() -> None:
    # the council hears only by phone, which fails 60 % of calls (retried after 5 minutes,
    # three tries); its task, 1 minute, must be done within 3
    links = [
        {
            "from": "site",
            "to": "council",
            "channel": "phone",
            "delay": fixed(1),
            "failure_probability": 0.6,
        }
    ]
    tasks = [
        {
            "id": "open_centre",
            "name": "Open a rest centre",
            "agency": "council",
            "duration": fixed(1),
            "target": {"within_minutes": 3, "text": "t"},
        }
    ]
    results = _runs(make_scenario(links=links, plan={"tasks": tasks}), runs=60)
    # the oracle, from each run's event log: a call that gets through at once arrives at
    # minute 1 (the alarm and M/ETHANE go at minute 0); later means the one that got through
    # had failed and been retried
    alerted = [
        next(
            (e.minute for e in r.events or () if e.kind == "alerted" and e.agency == "council"),
            None,
        )
        for r in results
    ]
    failed_then_through = sum(1 for minute in alerted if minute is not None and minute > 1.0)
    never = alerted.count(None)
    assert failed_then_through > 0 and never > 0
    counted = dict(_drivers(results, "open_centre"))
    assert counted == {
        "alert to council by phone (calls failed)": failed_then_through,
        "council never alerted": never,
    }


def test_a_target_that_is_met_has_no_driver() -> None:
    tasks = [_task("quick", "Quick", fixed(5), target={"within_minutes": 30, "text": "t"})]
    results = _runs(make_scenario(plan={"tasks": tasks}), runs=3)
    assert results[0].milestones[0].driver == ""
    assert _drivers(results, "quick") == ()
