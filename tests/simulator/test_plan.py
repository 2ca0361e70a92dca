"""The plan as a DAG: exact critical-path times, people held by tasks, the Pool."""

from __future__ import annotations

import simpy
from simkit import START, fixed, make_scenario

from standby.simulator.compiled import Assumptions, compile_scenario
from standby.simulator.distributions import fixed as fixed_spec
from standby.simulator.model import run_once
from standby.simulator.pool import Pool

EXACT = Assumptions(answer_delay=fixed_spec(0.0))


def _task(task_id: str, minutes: float, after: list[str], **extra: object) -> dict[str, object]:
    return {
        "id": task_id,
        "name": task_id.upper(),
        "agency": "site",
        "after": after,
        "duration": fixed(minutes),
        **extra,
    }


def test_fixed_durations_give_the_exact_critical_path_time() -> None:
    # a(5) -> b(10) -> d(7); a -> c(3) -> d: critical path a-b-d = 22 minutes.
    target = {"within_minutes": 21, "text": "d within 21"}
    tasks = [
        _task("a", 5, []),
        _task("b", 10, ["a"]),
        _task("c", 3, ["a"]),
        _task("d", 7, ["b", "c"], target=target),
    ]
    result = run_once(compile_scenario(make_scenario(plan={"tasks": tasks})), None, START, 1)
    ends = {m.task: m.end_minute for m in result.milestones}
    assert ends == {"a": 5.0, "b": 15.0, "c": 8.0, "d": 22.0}
    (path,) = result.critical_paths
    assert path.task == "d"
    assert [s.what for s in path.steps][-6:] == [
        "a started",
        "a done (5 min)",
        "b started",
        "b done (10 min)",
        "d started",
        "d done (7 min)",
    ]


def test_a_person_does_one_task_at_a_time() -> None:
    role = {
        "id": "boss",
        "agency": "site",
        "name": "Boss",
        "reports_to": "remote",
        "answer_probability": 1.0,
        "travel_minutes": fixed(2),
    }
    tasks = [_task("x", 10, [], roles=["boss"]), _task("y", 10, [], roles=["boss"])]
    scenario = make_scenario(roles=[role], plan={"tasks": tasks})
    result = run_once(compile_scenario(scenario), None, START, 1, EXACT)
    spans = sorted((m.start_minute, m.end_minute) for m in result.milestones)
    assert spans == [(2.0, 12.0), (12.0, 22.0)]


def test_role_unavailable_inject_stops_tasks_not_yet_started() -> None:
    role = {
        "id": "boss",
        "agency": "site",
        "name": "Boss",
        "reports_to": "remote",
        "answer_probability": 1.0,
        "travel_minutes": fixed(0),
    }
    inject = {
        "id": "i7",
        "minute": 5,
        "from": "x",
        "to": "y",
        "text": "car will not start",
        "expected_action": "escalate",
        "effect": {"kind": "role_unavailable", "role": "boss"},
    }
    tasks = [_task("x", 10, [], roles=["boss"]), _task("y", 1, ["x"], roles=["boss"])]
    scenario = make_scenario(roles=[role], plan={"tasks": tasks}, injects=[inject])
    result = run_once(compile_scenario(scenario), None, START, 1, EXACT)
    x, y = result.milestones
    assert x.status == "done"
    assert y.status == "not_started"
    assert "role unavailable from minute 5 (inject i7)" in y.reason


def test_pool_grants_all_kinds_at_once_or_waits() -> None:
    env = simpy.Environment()
    pool = Pool(env, 2)
    pool.add(0, "ann")
    granted: list[tuple[float, object]] = []

    def task() -> simpy.events.ProcessGenerator:
        taken = yield pool.request(((0, 1), (1, 1)))
        granted.append((env.now, taken))

    def arrive() -> simpy.events.ProcessGenerator:
        yield env.timeout(4)
        pool.add(1, "bob")

    env.process(task())
    env.process(arrive())
    env.run()
    assert granted == [(4, (["ann"], ["bob"]))]
    assert pool.tokens == [[], []]


def test_pool_does_not_let_a_waiting_request_hoard_tokens() -> None:
    env = simpy.Environment()
    pool = Pool(env, 2)
    pool.add(0, "ann")
    big = pool.request(((0, 1), (1, 1)))
    small = pool.request(((0, 1),))
    assert not big.triggered
    assert small.triggered  # first-fit: ann is free for the task that can start now
    assert pool.waiting == 1


def test_pool_with_one_kind_behaves_as_a_resource() -> None:
    env = simpy.Environment()
    pool = Pool(env, 1)
    for token in range(2):
        pool.add(0, token)
    log: list[tuple[int, float]] = []

    def customer(number: int) -> simpy.events.ProcessGenerator:
        taken = yield pool.request(((0, 1),))
        log.append((number, env.now))
        yield env.timeout(10)
        pool.release(((0, 1),), taken)

    for number in range(3):
        env.process(customer(number))
    env.run()
    assert log == [(0, 0), (1, 0), (2, 10)]


def test_a_task_started_at_minute_0_and_still_running_at_the_end_is_running() -> None:
    # The site raises the alarm at minute 0 and its own task needs nobody, so it starts at
    # 0.0; 600 minutes of work outlast the 480-minute scenario.
    target = {"within_minutes": 60, "text": "within the hour"}
    scenario = make_scenario(plan={"tasks": [_task("contain", 600, [], target=target)]})
    result = run_once(compile_scenario(scenario), None, START, 1)
    (contain,) = result.milestones
    assert (contain.start_minute, contain.end_minute) == (0.0, None)
    assert (contain.status, contain.met) == ("running", False)
    assert contain.reason == "still running when the scenario ended"
    (path,) = result.critical_paths
    assert [(s.minute, s.what) for s in path.steps] == [
        (0.0, "site raised the alarm"),
        (0.0, "contain started"),
        (480.0, "contain not done"),
    ]


def test_a_task_still_running_names_the_chain_that_started_it() -> None:
    # a (5) then b (600): b starts at 5 and is still running at 480.
    tasks = [_task("a", 5, []), _task("b", 600, ["a"], target={"within_minutes": 30, "text": ""})]
    result = run_once(compile_scenario(make_scenario(plan={"tasks": tasks})), None, START, 1)
    (path,) = result.critical_paths
    assert [(s.minute, s.what) for s in path.steps] == [
        (0.0, "site raised the alarm"),
        (0.0, "a started"),
        (5.0, "a done (5 min)"),
        (5.0, "b started"),
        (480.0, "b not done"),
    ]
