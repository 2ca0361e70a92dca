"""Pinned task times: a pinned task ends at its minute, starts no later, frees its successors
then, holds its people until then; everything else draws the same random numbers."""

from __future__ import annotations

import pytest
from simkit import START, fixed, make_scenario

from standby.scenarios import load_scenario
from standby.simulator.compiled import Assumptions, compile_scenario
from standby.simulator.distributions import fixed as fixed_spec
from standby.simulator.experiment import replicate
from standby.simulator.model import prepare, run_once, run_seeds, simulate
from standby.simulator.plan import PinError

EXACT = Assumptions(answer_delay=fixed_spec(0.0))
BOSS = {
    "id": "boss",
    "agency": "site",
    "name": "Boss",
    "reports_to": "remote",
    "answer_probability": 1.0,
    "travel_minutes": fixed(20),
}


def _task(task_id: str, minutes: float, after: list[str], **extra: object) -> dict[str, object]:
    return {
        "id": task_id,
        "name": task_id.upper(),
        "agency": "site",
        "after": after,
        "duration": fixed(minutes),
        **extra,
    }


def _spans(tasks: list[dict[str, object]], pinned: dict[str, float]) -> dict[str, tuple]:
    scenario = make_scenario(roles=[BOSS], plan={"tasks": tasks})
    result = run_once(compile_scenario(scenario), None, START, 1, EXACT, pinned=pinned)
    return {m.task: (m.start_minute, m.end_minute, m.status) for m in result.milestones}


def test_a_task_pinned_later_ends_at_its_minute_and_its_successor_starts_then() -> None:
    # a(5) -> b(10): b waits for a; pinned at 30, a works from 0 to 30
    spans = _spans([_task("a", 5, []), _task("b", 10, ["a"])], {"a": 30})
    assert spans == {"a": (0.0, 30.0, "done"), "b": (30.0, 40.0, "done")}


def test_a_task_pinned_earlier_than_its_duration_ends_early() -> None:
    spans = _spans([_task("a", 50, []), _task("b", 10, ["a"])], {"a": 12})
    assert spans == {"a": (0.0, 12.0, "done"), "b": (12.0, 22.0, "done")}


def test_a_task_not_started_by_its_minute_starts_then_without_its_people() -> None:
    # x needs the boss, who arrives at minute 20; the players did x by minute 8
    tasks = [_task("x", 10, [], roles=["boss"]), _task("y", 10, ["x"], roles=["boss"])]
    spans = _spans(tasks, {"x": 8})
    assert spans["x"] == (8.0, 8.0, "done")
    # y gets the boss on arrival (x never took them), so 20 to 30
    assert spans["y"] == (20.0, 30.0, "done")


def test_a_pinned_task_waiting_for_a_slow_predecessor_ends_at_its_minute() -> None:
    spans = _spans([_task("a", 60, []), _task("b", 10, ["a"])], {"b": 25})
    assert spans["a"] == (0.0, 60.0, "done")
    assert spans["b"] == (25.0, 25.0, "done")


def test_a_slow_pinned_task_keeps_its_people_until_its_minute() -> None:
    # x and y both need the boss (arrives at 20); x pinned at 70: y gets the boss only at 70
    tasks = [_task("x", 10, [], roles=["boss"]), _task("y", 10, [], roles=["boss"])]
    spans = _spans(tasks, {"x": 70})
    assert spans == {"x": (20.0, 70.0, "done"), "y": (70.0, 80.0, "done")}


def test_a_pin_beyond_the_scenario_leaves_the_task_running() -> None:
    spans = _spans([_task("a", 5, [])], {"a": 900})
    assert spans["a"] == (0.0, None, "running")


def test_the_pinned_task_says_so_in_the_notes_and_the_event_log() -> None:
    scenario = make_scenario(plan={"tasks": [_task("a", 5, [])]})
    result = run_once(compile_scenario(scenario), None, START, 1, EXACT, pinned={"a": 9})
    assert "a pinned to end at minute 9" in result.notes
    done = [e for e in result.events if e.kind == "task_done"]
    assert [(e.minute, e.detail) for e in done] == [(9.0, "pinned at minute 9")]


def test_an_unknown_task_is_refused_with_a_suggestion() -> None:
    scenario = load_scenario("chlorine-riverside")
    with pytest.raises(PinError) as caught:
        prepare(scenario, pinned={"convene_tgc": 60})
    assert "'convene_tgc'" in caught.value.message
    assert "convene_tcg" in caught.value.message


@pytest.mark.parametrize("minute", [-1.0, float("nan"), float("inf")])
def test_a_minute_that_is_not_a_time_is_refused(minute: float) -> None:
    scenario = load_scenario("chlorine-riverside")
    with pytest.raises(PinError, match="0 or more"):
        prepare(scenario, pinned={"convene_tcg": minute})


def test_no_pins_give_the_same_bytes_as_an_unpinned_run() -> None:
    prepared = prepare(load_scenario("chlorine-riverside"))
    plain = run_once(prepared.compiled, None, None, 7)
    empty = run_once(prepared.compiled, None, None, 7, pinned={})
    assert plain.to_json() == empty.to_json()


# --- the chlorine scenario: the same seeds with and without pins -----------------------------


CHLORINE_RUNS = 40


@pytest.fixture(scope="module")
def chlorine_baseline() -> list:
    return simulate(prepare(load_scenario("chlorine-riverside")), seed=3, runs=CHLORINE_RUNS)


def _ends(result: object) -> dict[str, float | None]:
    return {m.task: m.end_minute for m in result.milestones}  # type: ignore[attr-defined]


def test_tasks_the_pin_cannot_reach_keep_their_times(chlorine_baseline: list) -> None:
    # environment_sampling follows isolate_release (site and EA people only): pinning the
    # public warning changes neither, so the same seed gives the same minutes
    compiled = prepare(load_scenario("chlorine-riverside")).compiled
    seeds = list(run_seeds(3, CHLORINE_RUNS))
    for seed, base in zip(seeds[:10], chlorine_baseline[:10], strict=True):
        pinned = run_once(compiled, None, None, seed, pinned={"public_warning": 170})
        for task in ("site_emergency_plan", "isolate_release", "environment_sampling"):
            assert _ends(pinned)[task] == _ends(base)[task]
        assert _ends(pinned)["public_warning"] == 170.0


def test_pinning_a_task_later_never_brings_any_task_earlier(chlorine_baseline: list) -> None:
    # each run's own warning and TCG, 30 minutes later than that run did them
    compiled = prepare(load_scenario("chlorine-riverside")).compiled
    seeds = list(run_seeds(3, CHLORINE_RUNS))
    later = 0
    for seed, base in zip(seeds, chlorine_baseline, strict=True):
        ends = _ends(base)
        pins = {
            task: ends[task] + 30  # type: ignore[operator]
            for task in ("public_warning", "convene_tcg")
            if ends[task] is not None
        }
        pinned = _ends(run_once(compiled, None, None, seed, pinned=pins))
        for task, end in ends.items():
            if end is not None:
                assert pinned[task] is not None and pinned[task] >= end - 1e-9, task
        later += pinned["shelter_decision"] > ends["shelter_decision"]  # type: ignore[operator]
    assert later == CHLORINE_RUNS  # the shelter decision waits for the TCG in every run


def test_replicate_takes_pins_for_every_run() -> None:
    runs = replicate(
        load_scenario("chlorine-riverside"),
        seed=2,
        runs=3,
        pinned={"convene_tcg": 95},
        keep_runs=True,
    ).runs
    assert [_ends(run)["convene_tcg"] for run in runs] == [95.0, 95.0, 95.0]


def test_the_python_example_in_docs_model_md_runs_and_pins() -> None:
    import re
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "model.md"
    (code,) = re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), re.DOTALL)
    namespace: dict[str, object] = {}
    exec(code.replace("runs=200", "runs=4"), namespace)
    runs = namespace["runs"].runs  # type: ignore[attr-defined]
    assert {_ends(run)["convene_tcg"] for run in runs} == {67.0}
    assert {_ends(run)["public_warning"] for run in runs} == {80.0}
