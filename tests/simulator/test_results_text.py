"""The text forms of a run: clock times agree with minute offsets; M/ETHANE never reads as a gas."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from standby.rota.io import read_rota
from standby.scenarios import load_scenario
from standby.simulator.model import prepare, run_once
from standby.simulator.results import RunResult, kpi_lines, local_clock, timeline_text

ROTA = Path(__file__).resolve().parents[2] / "rota" / "data" / "council-2026.yaml"


@pytest.fixture(scope="module")
def chlorine_run() -> RunResult:
    scenario = load_scenario("chlorine-riverside")
    prepared = prepare(scenario, read_rota(ROTA, timezone=scenario.timezone))
    return run_once(prepared.compiled, prepared.roster, None, 1)


def test_a_clock_time_is_the_rounded_offset_after_the_start(chlorine_run: RunResult) -> None:
    # start 02:10 GMT; minute 70.6 prints as +71, and 02:10 + 71 min is 03:21 (not 03:20,
    # which cutting the seconds of 03:20:36 would give)
    assert chlorine_run.start == "2026-11-12T02:10:00Z"
    assert local_clock(chlorine_run, 70.6) == "03:21"
    assert local_clock(chlorine_run, 70.4) == "03:20"
    assert local_clock(chlorine_run, 0.0) == "02:10"


def test_every_key_figure_prints_an_offset_and_the_clock_time_it_names(
    chlorine_run: RunResult,
) -> None:
    kpis = replace(chlorine_run.kpis, public_warned_minute=70.6)
    lines = kpi_lines(replace(chlorine_run, kpis=kpis))
    broadcast = next(line for line in lines if line.startswith("Public warned"))
    assert "+71 min (03:21)" in broadcast
    for offset, clock in re.findall(r"\+(\d+) min \((\d\d:\d\d)\)", "\n".join(lines)):
        hours, minutes = divmod(2 * 60 + 10 + int(offset), 60)
        assert clock == f"{hours % 24:02d}:{minutes:02d}"


def test_the_m_ethane_message_is_never_written_as_methane(chlorine_run: RunResult) -> None:
    text = timeline_text(chlorine_run)
    assert "M/ETHANE received" in text
    assert "methane" not in text.lower()
    kinds = {event["kind"] for event in json.loads(chlorine_run.to_json())["events"]}
    assert "m_ethane_received" in kinds
    assert not any("methane" in kind for kind in kinds)
