"""The simulated-response report page is safe, complete and renders in a browser.

The figures on the page come from ``simulator.summary`` (tested in tests/simulator).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import distinct_colours, screenshot

from standby.reports.runs import render_report
from standby.scenarios import load_scenario
from standby.simulator.experiment import Replications, replicate

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def experiment() -> Replications:
    return replicate(load_scenario("chlorine-riverside"), seed=7, runs=40)


def test_report_page_escapes_text_and_renders_in_a_browser(
    experiment: Replications, tmp_path: Path
) -> None:
    page = render_report(
        experiment.scenario,
        experiment.summary,
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
