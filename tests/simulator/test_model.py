"""The whole replication: determinism, seeds, notes and JSON shape."""

from __future__ import annotations

import json

import numpy as np
import pytest

from standby.scenarios import load_scenario
from standby.simulator.model import NO_ROTA_NOTE, prepare, run_once, run_seeds, simulate


@pytest.fixture(scope="module")
def chlorine() -> object:
    return prepare(load_scenario("chlorine-riverside"))


def test_same_seed_gives_identical_json_bytes(chlorine: object) -> None:
    first = run_once(chlorine.compiled, None, None, 7).to_json()
    second = run_once(chlorine.compiled, None, None, 7).to_json()
    assert first == second


def test_different_seeds_give_different_timelines(chlorine: object) -> None:
    assert run_once(chlorine.compiled, None, None, 1).to_json() != (
        run_once(chlorine.compiled, None, None, 2).to_json()
    )


def test_json_has_the_promised_keys(chlorine: object) -> None:
    data = json.loads(run_once(chlorine.compiled, None, None, 1).to_json())
    for key in ("scenario", "start", "seed", "events", "milestones", "unfilled_roles"):
        assert key in data
    milestone = data["milestones"][0]
    for key in ("task", "start_minute", "end_minute", "target_minute", "met"):
        assert key in milestone
    assert data["start"] == "2026-11-12T02:10:00Z"
    assert data["events"][0]["time"].endswith("Z")


def test_without_rota_the_result_says_roles_are_assumed_filled(chlorine: object) -> None:
    result = run_once(chlorine.compiled, None, None, 1)
    assert NO_ROTA_NOTE in result.notes


def test_several_runs_use_spawned_children_of_the_seed(chlorine: object) -> None:
    results = simulate(chlorine, seed=5, runs=3)
    child = np.random.SeedSequence(5).spawn(3)[2]
    alone = run_once(chlorine.compiled, None, None, child, replication=2)
    assert results[2].to_json() == alone.to_json()
    assert [r.replication for r in results] == [0, 1, 2]
    assert list(run_seeds(5, 1)) == [5]


def test_events_are_in_time_order(chlorine: object) -> None:
    minutes = [e.minute for e in run_once(chlorine.compiled, None, None, 3).events]
    assert minutes == sorted(minutes)


def test_wind_change_and_extra_demand_injects_are_recorded(chlorine: object) -> None:
    kinds = {e.kind for e in run_once(chlorine.compiled, None, None, 1).events}
    assert {"wind_change", "extra_demand", "link_down", "inject"} <= kinds


def test_car_wont_start_inject_drops_the_primary_duty_epo_and_calls_the_backup() -> None:
    from pathlib import Path

    from standby.rota.io import read_rota

    scenario = load_scenario("chlorine-riverside")
    rota_file = Path(__file__).resolve().parents[2] / "rota" / "data" / "council-2026.yaml"
    prepared = prepare(scenario, read_rota(rota_file, timezone=scenario.timezone))
    events = run_once(prepared.compiled, prepared.roster, None, 1).events
    dropped = [e for e in events if e.kind == "person_unavailable"]
    assert [(e.person, e.minute) for e in dropped] == [("Dan Fairclough", 55.0)]
    called_after = [e.person for e in events if e.kind == "called" and e.minute >= 55.0]
    assert "Gwen Penhale" in called_after


def test_cli_simulate_writes_json_and_refuses_to_overwrite(
    tmp_path: object, runner: object
) -> None:
    from standby.cli import cli

    target = tmp_path / "run.json"
    first = runner.invoke(
        cli, ["simulate", "chlorine-riverside", "--seed", "1", "--json", str(target)]
    )
    assert first.exit_code == 0, first.output
    assert "no rota given" in first.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["seed"] == 1 and data["scenario"] == "chlorine-riverside"
    again = runner.invoke(cli, ["simulate", "chlorine-riverside", "--json", str(target)])
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_cli_fail_on_miss_exits_1_and_many_runs_write_each_run_without_its_events(
    tmp_path: object, runner: object
) -> None:
    import csv

    from standby.cli import cli

    args = [
        "simulate",
        "chlorine-riverside",
        "--runs",
        "3",
        "--out",
        str(tmp_path / "out"),
        "--json",
        str(tmp_path / "runs.json"),
        "--timeline",
        "2",
        "--fail-on-miss",
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    data = json.loads((tmp_path / "runs.json").read_text(encoding="utf-8"))
    assert [run["replication"] for run in data["runs"]] == [0, 1, 2]
    assert all("events" not in run and run["milestones"] for run in data["runs"])
    with (tmp_path / "out" / "runs.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["replication"] for row in rows] == ["0", "1", "2"]
    assert "Timeline (run 2)" in result.output
    timeline = (tmp_path / "out" / "timeline.txt").read_text(encoding="utf-8")
    assert timeline.startswith("02:10")
    # each run's own hazard: in summary.json, and the same figures in the terminal
    hazard = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))["hazard"]
    outdoors = hazard["people_above_aegl2"][0]
    assert outdoors["runs"] == 3
    row = next(line for line in result.output.splitlines() if "AEGL-2 outdoors" in line)
    assert [cell.strip() for cell in row.split("│")[2:4]] == ["3", f"{outdoors['median']:.0f}"]
    assert (tmp_path / "out" / "sector-map.png").read_bytes().startswith(b"\x89PNG")


def test_cli_bad_start_is_a_user_error(runner: object) -> None:
    from standby.cli import cli

    result = runner.invoke(cli, ["simulate", "chlorine-riverside", "--start", "tomorrow"])
    assert result.exit_code == 2
    assert "is not a date or time" in result.output


def test_every_cli_example_in_docs_model_md_runs(
    runner: object, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex
    from pathlib import Path

    from standby.cli import cli

    repo = Path(__file__).resolve().parents[2]
    doc = repo / "docs" / "model.md"
    examples = [
        line for line in doc.read_text(encoding="utf-8").splitlines() if line.startswith("standby ")
    ]
    assert len(examples) >= 2
    monkeypatch.chdir(tmp_path)  # outputs land there; the bundled rota is read from the repo
    for example in examples:
        arguments = shlex.split(example.replace("rota/data/", f"{repo}/rota/data/"))[1:]
        result = runner.invoke(cli, arguments)
        assert result.exit_code == 0, (example, result.output)


def test_cli_simulate_with_the_bundled_rota_calls_people_by_name(
    tmp_path: object, runner: object
) -> None:
    from pathlib import Path

    from standby.cli import cli

    rota = Path(__file__).resolve().parents[2] / "rota" / "data" / "council-2026.yaml"
    target = tmp_path / "run.json"
    args = ["simulate", "chlorine-riverside", "--rota", str(rota), "--json", str(target)]
    result = runner.invoke(cli, [*args, "--events"])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["rota"] == "council-2026.yaml"
    assert NO_ROTA_NOTE not in data["notes"]
    called = [e for e in data["events"] if e["kind"] == "called"]
    assert called and all(e["person"] for e in called)


def test_a_naive_start_is_refused(chlorine: object) -> None:
    from datetime import datetime

    with pytest.raises(ValueError, match="aware"):
        run_once(chlorine.compiled, None, datetime(2026, 11, 12, 2, 10), 1)


def test_cli_out_writes_the_maps_and_the_timeline_ends_with_key_figures(
    tmp_path: object, runner: object
) -> None:
    from standby.cli import cli

    out = tmp_path / "out"
    result = runner.invoke(cli, ["simulate", "chlorine-riverside", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = ("summary.json", "runs.csv", "report.html", "timeline.txt", "plume-map.png")
    for name in (*names, "chemet-map.png", "targets.png", "end-times.png"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "plume-map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    timeline = (out / "timeline.txt").read_text(encoding="utf-8")
    assert "Key figures" in timeline and "First rest centre open:" in timeline
    assert "Key figures" in result.output
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert data["runs"] == 1 and data["scenario"] == "chlorine-riverside"
    assert not (out / "simulation.json").exists()  # each run's JSON only with --json
    again = runner.invoke(cli, ["simulate", "chlorine-riverside", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
