"""The readiness sweep's page and files: text from the files escaped, cells neutralised, both
heatmaps inline, and the page renders in a browser."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from browser import distinct_colours, screenshot

from standby.reports.sweep import render_page, sweep_csv, write_folder
from standby.rota.model import Person, Rota, Shift
from standby.simulator.executors import Executor
from standby.simulator.sweep import Sweep, sweep

START = datetime(2026, 11, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def day() -> Sweep:
    """A day of the chlorine scenario against a rota whose role and person have awkward names."""
    from standby.scenarios import load_scenario

    scenario = load_scenario("chlorine-riverside")
    role = '=HYPERLINK("x") <b>EPO</b>'
    epo = next(r for r in scenario.roles if r.id == "duty_epo")
    roles = [
        r if r is not epo else epo.model_copy(update={"rota_role": role}) for r in scenario.roles
    ]
    scenario = scenario.model_copy(update={"roles": roles})
    people = {"p1": Person("p1", "<i>Ann</i>")}
    shifts = [Shift("p1", role, START, START + timedelta(hours=12))]
    return sweep(
        scenario,
        Rota(people=people, shifts=shifts),
        rota_name="<script>rota</script>.csv",
        start=START,
        end=START + timedelta(days=1),
        executor=Executor("serial"),
        spof_samples=3,
    )


def test_the_page_escapes_names_from_the_files(day: Sweep) -> None:
    page = render_page(day, b"png", b"png")
    assert "<script>rota" not in page and "&lt;script&gt;rota" in page
    assert "<b>EPO</b>" not in page and "&lt;b&gt;EPO&lt;/b&gt;" in page
    assert page.count("data:image/png;base64,") == 2
    assert "http://" not in page and "https://" not in page


def test_sweep_csv_has_a_row_per_slot_in_utc_and_local_time(day: Sweep) -> None:
    text = sweep_csv(day)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 24
    assert (rows[0]["start_utc"], rows[0]["start_local"]) == (
        "2026-11-09T00:00:00Z",
        "2026-11-09 00:00 GMT",
    )
    # the rota gap for the awkwardly named role drove the misses after its one shift
    assert rows[-1]["drove_most_misses"].startswith("duty_epo unfilled")


@pytest.mark.browser
@pytest.mark.slow
def test_the_sweep_page_renders_in_a_browser(day: Sweep, tmp_path: Path) -> None:
    write_folder(day, tmp_path)
    png, console = screenshot(tmp_path / "sweep.html", tmp_path)
    assert console == []
    assert distinct_colours(png) > 50
