"""Many runs summarised: counts and quantiles checked against figures worked out by hand.

The runs are one real run of the chlorine scenario with its first task's outcome, its unfilled
roles and one KPI replaced, so every expected figure below is known in advance.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from standby.scenarios import load_scenario
from standby.simulator.model import prepare, simulate
from standby.simulator.results import RunResult, UnfilledRole
from standby.simulator.summary import summarise

TARGET = 30.0


@pytest.fixture(scope="module")
def one_run() -> RunResult:
    scenario = load_scenario("chlorine-riverside")
    (run,) = simulate(prepare(scenario), scenario.start_utc, seed=7)
    return run


def _first_task(run: RunResult, end: float | None, status: str = "done") -> RunResult:
    """``run`` with its first task (target 30 min) ending at ``end``, every other target met.

    ``end`` None is a task that did not finish (``status`` running or not_started) because a
    call-out went unanswered.
    """
    first = replace(
        run.milestones[0],
        target_minute=TARGET,
        end_minute=end,
        met=end is not None and end <= TARGET,
        status="done" if end is not None else status,
        reason="" if end is not None else "a call-out went unanswered",
    )
    others = tuple(
        replace(m, met=None if m.target_minute is None else True) for m in run.milestones[1:]
    )
    return replace(run, milestones=(first, *others))


def test_median_and_90th_percentile_interpolate_between_the_sorted_ends(one_run: RunResult) -> None:
    # sorted ends 1, 2, 3, 5: the median sits halfway between 2 and 3; the 90th percentile at
    # position 0.9 * 3 = 2.7, i.e. 3 + 0.7 * (5 - 3) = 4.4
    runs = [_first_task(one_run, end) for end in (5.0, 1.0, 3.0, 2.0)]
    task = summarise(runs, seed=1).tasks[0]
    assert (task.median_end, task.p90_end) == (2.5, 4.4)


def test_quantiles_of_five_ends_and_of_one(one_run: RunResult) -> None:
    # 10..50: position 0.9 * 4 = 3.6, so 40 + 0.6 * 10 = 46
    five = summarise([_first_task(one_run, 10.0 * n) for n in range(1, 6)], seed=1).tasks[0]
    assert (five.median_end, five.p90_end) == (30.0, 46.0)
    one = summarise([_first_task(one_run, 7.25)], seed=1).tasks[0]
    assert (one.median_end, one.p90_end) == (7.25, 7.25)


def test_quantiles_are_rounded_to_two_decimals(one_run: RunResult) -> None:
    # ends 1/3 and 2/3: median 0.5, 90th percentile 1/3 + 0.9 / 3 = 0.6333...
    runs = [_first_task(one_run, 1 / 3), _first_task(one_run, 2 / 3)]
    task = summarise(runs, seed=1).tasks[0]
    assert (task.median_end, task.p90_end) == (0.5, 0.63)


def test_unfinished_runs_leave_the_quantiles_out_and_count_as_missed(one_run: RunResult) -> None:
    runs = [
        _first_task(one_run, 12.0),  # met
        _first_task(one_run, 45.0),  # done, missed
        _first_task(one_run, None, status="running"),
        _first_task(one_run, None, status="not_started"),
        _first_task(one_run, 20.0),  # met
    ]
    summary = summarise(runs, seed=3)
    task = summary.tasks[0]
    assert (task.runs, task.done, task.met) == (5, 3, 2)
    assert (task.met_pct, task.done_pct) == (40.0, 60.0)
    # sorted ends 12, 20, 45 (the unfinished runs left out): positions 0.1 * 2 = 0.2 and so on
    assert (task.p10_end, task.p25_end) == (13.6, 16.0)  # 12 + 0.2 * 8, 12 + 0.5 * 8
    assert (task.median_end, task.p75_end) == (20.0, 32.5)  # 20 + 0.5 * 25
    assert task.p90_end == 40.0  # 20 + 0.8 * (45 - 20)
    # two unfinished runs give the reason; the late run has none of its own here
    assert task.top_reason == "a call-out went unanswered"
    assert summary.all_targets_met == 2


def test_a_task_nobody_finished_has_no_quantiles(one_run: RunResult) -> None:
    runs = [_first_task(one_run, None, status="not_started")] * 3
    task = summarise(runs, seed=1).tasks[0]
    assert (task.done, task.median_end, task.p90_end) == (0, None, None)


def test_an_unfilled_role_counts_once_per_run_with_its_commonest_reason(
    one_run: RunResult,
) -> None:
    def short(reason: str, minute: float) -> UnfilledRole:
        return UnfilledRole("epo", "Duty Emergency Planning Officer", "council", minute, 1, reason)

    runs = [
        replace(one_run, unfilled_roles=(short("nobody answered", 5.0), short("on leave", 9.0))),
        replace(one_run, unfilled_roles=(short("nobody answered", 7.0),)),
        replace(one_run, unfilled_roles=()),
        replace(one_run, unfilled_roles=(short("nobody answered", 3.0),)),
    ]
    (role,) = summarise(runs, seed=1).roles
    assert (role.role, role.unfilled, role.runs, role.unfilled_pct) == ("epo", 3, 4, 75.0)
    # the first run counts once, by its last entry for the role
    assert role.top_reason == "nobody answered"


def test_a_kpi_counts_the_runs_where_it_happened_and_its_quantiles(one_run: RunResult) -> None:
    assert one_run.kpis is not None
    minutes = (None, 100.0, 130.0, 120.0)
    runs = [
        replace(one_run, kpis=replace(one_run.kpis, first_rest_centre_open_minute=minute))
        for minute in minutes
    ]
    by_name = {k.kpi: k for k in summarise(runs, seed=1).kpis}
    centre = by_name["first_rest_centre_open_minute"]
    # sorted 100, 120, 130: position 0.9 * 2 = 1.8, so 120 + 0.8 * 10 = 128
    assert (centre.happened, centre.runs, centre.median, centre.p90) == (3, 4, 120.0, 128.0)


def test_summary_json_has_percentages_and_no_per_run_lists(one_run: RunResult) -> None:
    runs = [_first_task(one_run, 12.0), _first_task(one_run, 45.0)]
    data = summarise(runs, seed=1).to_json_dict()
    first = data["tasks"][0]
    assert (first["met_pct"], first["done_pct"], first["median_end"]) == (50.0, 100.0, 28.5)
    assert "ends" not in first


def test_an_empty_list_of_runs_is_refused() -> None:
    with pytest.raises(ValueError, match="no runs"):
        summarise([], seed=1)
