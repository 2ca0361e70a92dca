"""Many runs, streamed: the JSON written run by run is the document's own bytes.

The expected bytes are the golden file (one run) and the standard library's ``json.dumps``
of the whole document (several runs), never the streaming writer itself.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from standby.clock import parse_instant
from standby.rota.io import read_rota
from standby.scenarios import load_scenario
from standby.simulator.experiment import RunsJson, replicate

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "chlorine-seed1.json"
ROTA = ROOT / "rota" / "data" / "council-2026.yaml"


def test_one_streamed_run_is_the_golden_file_byte_for_byte() -> None:
    scenario = load_scenario("chlorine-riverside")
    rota = read_rota(ROTA, timezone=scenario.timezone)
    sink = io.BytesIO()
    replicate(
        scenario,
        rota,
        rota_name=ROTA.name,
        start=parse_instant("2026-11-12 02:10", scenario.timezone),
        seed=1,
        runs=1,
        json_sinks=[sink],
    )
    assert sink.getvalue() == GOLDEN.read_bytes()


def test_several_streamed_runs_are_the_envelope_json_dumps_writes() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    experiment = replicate(
        load_scenario("smoke-distribution"), seed=5, runs=3, json_sinks=[first, second]
    )
    document = {
        "scenario": experiment.first.scenario,
        "start": experiment.first.start,
        "seed": 5,
        "runs": [run.to_json_dict() for run in experiment.runs],
    }
    expected = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert first.getvalue().decode("utf-8") == expected
    assert second.getvalue() == first.getvalue()
    assert [run["replication"] for run in json.loads(expected)["runs"]] == [0, 1, 2]


def test_streamed_runs_are_not_kept_unless_asked() -> None:
    experiment = replicate(load_scenario("smoke-distribution"), seed=5, runs=4, keep_runs=False)
    assert (experiment.count, experiment.runs, experiment.summary().runs) == (4, (), 4)
    assert experiment.first.replication == 0
    with pytest.raises(ValueError, match="streamed, not kept"):
        experiment.to_json_dict()


def test_the_writer_refuses_more_or_fewer_runs_than_announced() -> None:
    experiment = replicate(load_scenario("smoke-distribution"), seed=5, runs=2)
    writer = RunsJson([io.BytesIO()], runs=2, seed=5)
    writer.add(experiment.runs[0])
    with pytest.raises(ValueError, match="1 of the 2 runs"):
        writer.close()
    writer.add(experiment.runs[1])
    with pytest.raises(ValueError, match="more than the 2 runs"):
        writer.add(experiment.runs[1])


def test_pinned_tasks_end_at_their_minute_in_every_streamed_run() -> None:
    experiment = replicate(
        load_scenario("chlorine-riverside"),
        seed=4,
        runs=3,
        pinned={"declare_major_incident": 7.5},
    )
    ends = [
        next(m.end_minute for m in run.milestones if m.task == "declare_major_incident")
        for run in experiment.runs
    ]
    assert ends == [7.5, 7.5, 7.5]
