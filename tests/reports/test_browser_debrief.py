"""The debrief report renders in Chromium: not blank, no console errors, printable."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import distinct_colours, screenshot

from standby.reports.debrief import debrief_files, example_files
from standby.reports.debrief_output import write_debrief


@pytest.mark.browser
@pytest.mark.slow
def test_the_debrief_page_renders_with_content_and_no_console_errors(tmp_path: Path) -> None:
    log, observations = example_files()
    scenario, debrief = debrief_files("chlorine-riverside", log, observations, runs=10)
    files = write_debrief(debrief, tmp_path / "report", scenario)
    png, console = screenshot(files.html, tmp_path, size="1200,2400")
    assert console == []
    assert distinct_colours(png) > 50  # text, tables, the timeline chart
