"""The many-runs summary counts what the runs say, and its page is safe and complete."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from browser import distinct_colours, screenshot

from standby.reports.runs import render_report, summarise
from standby.scenarios import load_scenario
from standby.simulator.model import prepare, simulate
from standby.simulator.results import RunResult


@pytest.fixture(scope="module")
def runs() -> list[RunResult]:
    scenario = load_scenario("chlorine-riverside")
    return simulate(prepare(scenario), scenario.start_utc, seed=7, runs=40)


def test_met_and_done_counts_match_the_runs(runs: list[RunResult]) -> None:
    summary = summarise(runs, seed=7)
    assert summary.runs == 40
    for index, task in enumerate(summary.tasks):
        rows = [r.milestones[index] for r in runs]
        assert task.task == rows[0].task
        assert task.met == sum(1 for m in rows if m.met is True)
        assert task.done == sum(1 for m in rows if m.status == "done")
    assert summary.all_targets_met == sum(1 for r in runs if not r.targets_missed)


def test_median_and_90th_percentile_agree_with_numpy(runs: list[RunResult]) -> None:
    summary = summarise(runs, seed=7)
    for task in summary.tasks:
        if task.ends:
            assert task.median_end == pytest.approx(np.quantile(task.ends, 0.5), abs=0.01)
            assert task.p90_end == pytest.approx(np.quantile(task.ends, 0.9), abs=0.01)


def test_unfilled_roles_are_counted_once_per_run(runs: list[RunResult]) -> None:
    summary = summarise(runs, seed=7)
    for role in summary.roles:
        expected = sum(1 for r in runs if any(u.role == role.role for u in r.unfilled_roles))
        assert role.unfilled == expected
        assert 0 < role.unfilled_pct <= 100


def test_summary_json_has_percentages_and_no_per_run_lists(runs: list[RunResult]) -> None:
    data = summarise(runs, seed=7).to_json_dict()
    assert {"met_pct", "done_pct", "median_end"} <= set(data["tasks"][0])
    assert "ends" not in data["tasks"][0]


def test_an_empty_list_of_runs_is_refused() -> None:
    with pytest.raises(ValueError, match="no runs"):
        summarise([], seed=1)


def test_report_page_escapes_text_and_renders_in_a_browser(
    runs: list[RunResult], tmp_path: Path
) -> None:
    scenario = load_scenario("chlorine-riverside")
    page = render_report(
        scenario,
        summarise(runs, seed=7),
        start_local="Thursday 12 November 2026 02:10 GMT",
        notes=["<b>bold</b> & more"],
    )
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in page
    assert page.count("data:image/png;base64,") == 2
    assert "http://" not in page and "https://" not in page
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    png, console = screenshot(path, tmp_path)
    assert console == []
    assert distinct_colours(png) > 50


def test_people_figures_are_counted_over_the_runs(runs: list[RunResult]) -> None:
    summary = summarise(runs, seed=7)
    by_name = {k.kpi: k for k in summary.kpis}
    centre = by_name["first_rest_centre_open_minute"]
    minutes = [
        r.kpis.first_rest_centre_open_minute
        for r in runs
        if r.kpis is not None and r.kpis.first_rest_centre_open_minute is not None
    ]
    assert centre.happened == len(minutes)
    if minutes:
        assert centre.median == pytest.approx(np.quantile(minutes, 0.5), abs=0.01)
