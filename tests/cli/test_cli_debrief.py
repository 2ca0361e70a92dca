"""`standby debrief` as a planner runs it: the report written, bad rows named (exit 2), an
existing report kept unless --force."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from standby.cli import cli
from standby.reports.debrief import example_files

LOG, OBSERVATIONS = (str(p) for p in example_files())


def _debrief(*args: str) -> object:
    return CliRunner().invoke(cli, ["debrief", "chlorine-riverside", *args])


def test_the_debrief_writes_every_format_and_prints_the_summary(tmp_path: Path) -> None:
    out = tmp_path / "report"
    args = ["--log", LOG, "--observations", OBSERVATIONS, "--runs", "5", "--out", str(out)]
    result = _debrief(*args)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert "Debrief of Exercise Northwick Shield" in output
    assert (
        "Ratings: obj_alert P, obj_command M, obj_public M, obj_vulnerable P, obj_rest_centre S"
        in output
    )
    assert f"Wrote {out}/: debrief.html, debrief.docx, debrief.md, debrief.json, lessons.csv" in (
        output
    )
    data = json.loads((out / "debrief.json").read_text(encoding="utf-8"))
    assert (data["runs"], data["seed"]) == (5, 1)
    again = _debrief(*args)
    assert again.exit_code == 2  # type: ignore[attr-defined]
    assert "already holds a debrief report" in again.output  # type: ignore[attr-defined]
    assert "(--out, --force)" in again.output  # type: ignore[attr-defined]
    assert _debrief(*args, "--force").exit_code == 0  # type: ignore[attr-defined]


def test_a_bad_log_row_exits_2_naming_the_row(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "time,kind,who,text,objective,task\n"
        "02:24,milestone,Fire IC,Major incident declared,,declare_major_incident\n"
        "01:50,decision,TCG chair,Shelter in place,obj_command,\n"
        "03:40,observation,Evaluator,TCG late,obj_comand,\n",
        encoding="utf-8",
    )
    result = _debrief("--log", str(log), "--runs", "2", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    lines = [line for line in result.output.splitlines() if line]  # type: ignore[attr-defined]
    assert lines[0] == f"Error: {log}: 2 problem(s):"
    assert (
        f"{log}: row 3, column 'scenario_time': 01:50 is before the scenario's start " in (lines[1])
    )
    assert lines[2] == (
        f"{log}: row 4, column 'objective': 'obj_comand' is not an objective of scenario "
        "chlorine-riverside; did you mean 'obj_command'?"
    )
    assert not (tmp_path / "out").exists()


def test_a_bad_record_of_a_json_log_is_named(tmp_path: Path) -> None:
    data = json.loads(Path(LOG).read_text(encoding="utf-8"))
    data["records"][4]["objective"] = "obj_nothing"
    data["records"][6]["scenario_minute"] = -5
    log = tmp_path / "log.json"
    log.write_text(json.dumps(data), encoding="utf-8")
    result = _debrief("--log", str(log), "--runs", "2", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert (
        f"{log}: record 7, field 'scenario_minute': Input should be greater than or equal to 0"
        in (
            result.output  # type: ignore[attr-defined]
        )
    )


def test_an_unknown_objective_in_a_json_log_is_named_by_record(tmp_path: Path) -> None:
    data = json.loads(Path(LOG).read_text(encoding="utf-8"))
    data["records"][4]["objective"] = "obj_nothing"
    log = tmp_path / "log.json"
    log.write_text(json.dumps(data), encoding="utf-8")
    result = _debrief("--log", str(log), "--runs", "2", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    record = data["records"][4]["id"]
    assert f"{log}: record {record}, field 'objective': 'obj_nothing' is not an objective" in (
        result.output  # type: ignore[attr-defined]
    )


def test_a_bad_observations_row_exits_2_naming_it(tmp_path: Path) -> None:
    observations = tmp_path / "observations.csv"
    observations.write_text(
        "objective,finding,observation\nobj_alert,praise,Quick declaration\n", encoding="utf-8"
    )
    result = _debrief(
        "--log", LOG, "--observations", str(observations), "--out", str(tmp_path / "out")
    )
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert f"{observations}: row 2, column 'finding': 'praise' is not valid" in (
        result.output  # type: ignore[attr-defined]
    )


def test_a_date_that_is_not_one_names_the_option(tmp_path: Path) -> None:
    result = _debrief("--log", LOG, "--date", "18th March", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "'18th March' is not a date" in result.output  # type: ignore[attr-defined]
    assert "(--date)" in result.output  # type: ignore[attr-defined]


def test_a_paper_log_without_times_of_day_needs_the_date(tmp_path: Path) -> None:
    paper = Path(__file__).resolve().parents[2] / "docs" / "examples" / "paper-log.csv"
    result = _debrief("--log", str(paper), "--runs", "2", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "the exercise's date is not known" in result.output  # type: ignore[attr-defined]
    assert "(--date)" in result.output  # type: ignore[attr-defined]
    dated = _debrief(
        "--log", str(paper), "--runs", "2", "--date", "18/03/2026", "--out", str(tmp_path / "o")
    )
    assert dated.exit_code == 0, dated.output  # type: ignore[attr-defined]
