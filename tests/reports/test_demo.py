"""The demo writes its files, summarises them, and never replaces them without --force."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from standby.cli import cli
from standby.errors import OutputExistsError
from standby.reports.demo import OUTPUTS, DemoSettings, run_demo


def test_demo_writes_every_output(tmp_path: Path) -> None:
    steps = run_demo(DemoSettings(tmp_path, runs=5))
    written = sorted(str(p.relative_to(tmp_path)) for step in steps for p in step.files)
    assert written == sorted(OUTPUTS)
    summary = json.loads((tmp_path / "simulation" / "summary.json").read_text("utf-8"))
    assert summary["runs"] == 5
    assert summary["rota"] == "council-2026.yaml"
    rota = json.loads((tmp_path / "rota-check.json").read_text("utf-8"))
    assert rota["window"]["start"] == "2026-01-01T00:00:00Z"


def test_demo_report_shows_the_spread_of_people_above_aegl2_and_the_sector(
    tmp_path: Path,
) -> None:
    run_demo(DemoSettings(tmp_path, runs=20))
    summary = json.loads((tmp_path / "simulation" / "summary.json").read_text("utf-8"))
    outdoors, sheltered, _evacuated = summary["hazard"]["people_above_aegl2"]
    assert outdoors["runs"] == sheltered["runs"] == 20
    assert sheltered["median"] <= outdoors["median"]  # walls never make it worse
    assert outdoors["p10"] <= outdoors["median"] <= outdoors["p90"]
    assert summary["hazard"]["weather_varies"] is True  # the chlorine wind has a spread
    page = (tmp_path / "simulation" / "report.html").read_text("utf-8")
    assert "The hazard across the runs" in page
    assert "<th>median</th><th>10th percentile</th><th>90th percentile</th>" in page
    assert 'alt="Confidence sector: share of runs reaching AEGL-2"' in page
    assert (tmp_path / "simulation" / "sector-map.png").read_bytes().startswith(b"\x89PNG")


def test_demo_keeps_existing_outputs_without_force(tmp_path: Path) -> None:
    (tmp_path / "simulation").mkdir()
    (tmp_path / "simulation" / "report.html").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        run_demo(DemoSettings(tmp_path, runs=2))
    assert (tmp_path / "simulation" / "report.html").read_text("utf-8") == "mine"
    assert not (tmp_path / "scenarios.json").exists()


def test_demo_command_prints_a_summary_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["demo", "--out", str(tmp_path), "--runs", "3"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "3 runs from Thursday 12 November 2026 02:10 GMT" in result.output
    assert "Rota check" in result.output
