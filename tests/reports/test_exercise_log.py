"""The exercise log's record, its scenario times, and its JSON, CSV and XLSX forms."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from pydantic import ValidationError

from standby.clock import parse_instant
from standby.reports.exercise_log import (
    ExerciseLog,
    LogContext,
    LogError,
    LogRecord,
    log_schema,
    log_to_json,
)
from standby.reports.exercise_log_io import read_log
from standby.reports.exercise_log_sheets import (
    log_to_csv,
    log_to_xlsx,
    read_sheet,
    scenario_minute_of,
)
from standby.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "exercise-log.schema.json"
START = datetime(2026, 11, 12, 2, 10, tzinfo=UTC)  # chlorine-riverside: 02:10 GMT


def hand_made_log() -> ExerciseLog:
    """A small log written out by hand, with every kind and a formula-like text."""
    wall = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    rows = [
        {"kind": "clock", "scenario_minute": 0, "text": "Clock started at minute 0"},
        {
            "kind": "inject_released",
            "scenario_minute": 0.5,
            "text": "999 call: chlorine release",
            "inject": "i01",
            "who": "Fire control",
            "objective": "obj_alert",
        },
        {
            "kind": "decision",
            "scenario_minute": 45,
            "who": "TCG chair",
            "text": "Shelter in place for Westbank",
            "rationale": '=CHEMET shows the plume NE, "care home" cannot move, line 2\nline 3',
            "jdm_stage": "identify_options",
        },
        {"kind": "action", "scenario_minute": 47, "who": "Duty EPO", "text": "Call the care home"},
        {
            "kind": "observation",
            "scenario_minute": 50,
            "who": "Evaluator 1",
            "text": "Care home warned by phone",
            "rationale": "Call log 02:59",
            "objective": "obj_vulnerable",
            "finding": "strength",
        },
        {
            "kind": "rating",
            "scenario_minute": 200,
            "who": "Evaluator 1",
            "text": "+ warned in time",
            "objective": "obj_vulnerable",
            "rating": "S",
        },
        {"kind": "milestone", "scenario_minute": 52, "text": "TCG met", "task": "convene_tcg"},
    ]
    records = tuple(
        LogRecord(id=index, wall_time=wall, **row)  # type: ignore[arg-type]
        for index, row in enumerate(rows, start=1)
    )
    return ExerciseLog(
        scenario="chlorine-riverside", start=START, timezone="Europe/London", records=records
    )


# --- the record ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"kind": "rating", "objective": "obj_alert"}, "rating: a rating record needs a rating"),
        ({"kind": "rating", "rating": "P"}, "objective: a rating record needs an objective"),
        ({"kind": "milestone"}, "task: a milestone record needs a task"),
        ({"kind": "inject_released"}, "inject: an inject_released record needs an inject"),
        (
            {"kind": "action", "jdm_stage": "take_action"},
            "jdm_stage: only decision records take a jdm_stage",
        ),
        (
            {"kind": "decision", "finding": "strength"},
            "finding: only observation records take a finding",
        ),
    ],
)
def test_each_kind_has_its_rules(values: dict[str, str], problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        LogRecord(id=1, scenario_minute=1, text="t", **values)  # type: ignore[arg-type]
    assert problem in str(caught.value)


def test_a_record_before_the_start_or_without_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        LogRecord(id=1, kind="action", scenario_minute=-1, text="x")
    with pytest.raises(ValidationError, match="text\n  Field required"):
        LogRecord(id=1, kind="action", scenario_minute=1, text="   ")


def test_json_of_a_record_is_what_pydantic_would_write_with_times_in_z() -> None:
    record = hand_made_log().records[2]
    assert record.to_json_dict() == record.model_dump(mode="json")
    assert record.to_json_dict()["wall_time"] == "2026-03-05T10:00:00Z"


# --- scenario times ------------------------------------------------------------------------


def context(start: str, duration: float = 480.0) -> LogContext:
    return LogContext(
        start=parse_instant(start), timezone="Europe/London", duration_minutes=duration
    )


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("45", 45.0),
        ("+45", 45.0),
        ("+12.5 min", 12.5),
        ("02:55", 45.0),  # 02:10 + 45 min
        ("02:10", 0.0),
        ("2026-11-12 03:10", 60.0),
        ("10:09", 479.0),  # last minute of the 8-hour scenario
    ],
)
def test_scenario_times_read_as_minutes_since_the_start(text: str, minute: float) -> None:
    assert scenario_minute_of(text, context("2026-11-12 02:10")) == minute


def test_clock_times_past_midnight_count_on_from_the_evening_start() -> None:
    assert scenario_minute_of("00:30", context("2026-11-12 23:00")) == 90.0


def test_clock_times_across_the_autumn_change_are_elapsed_minutes() -> None:
    # 00:30 BST is 23:30 UTC; 03:30 GMT is 03:30 UTC: four real hours, not three.
    night = context("2026-10-25 00:30")
    assert scenario_minute_of("03:30", night) == 240.0
    assert scenario_minute_of("2026-10-25 03:30", night) == 240.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("01:00", "01:00 is before the scenario's start (02:10)"),
        ("2026-11-12 01:00", "2026-11-12 01:00 is before the scenario's start (2026-11-12 02:10)"),
        ("soon", "'soon' is not a scenario time"),
        ("25:00", "'25:00' is not a clock time"),
    ],
)
def test_bad_scenario_times_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        scenario_minute_of(text, context("2026-11-12 02:10"))
    assert message in str(caught.value)


def test_a_clock_time_needs_the_scenario() -> None:
    with pytest.raises(ValueError, match="name the scenario"):
        scenario_minute_of("02:55", LogContext())


# --- files ---------------------------------------------------------------------------------


def test_json_export_validates_against_the_published_schema(tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(log_to_json(hand_made_log())), schema)
    bad = json.loads(log_to_json(hand_made_log()))
    bad["records"][0]["kind"] = "gossip"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_the_published_schema_is_the_one_the_code_writes() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == log_schema()


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
def test_every_file_form_reads_back_the_same_records(tmp_path: Path, suffix: str) -> None:
    log = hand_made_log()
    path = tmp_path / f"log{suffix}"
    if suffix == ".json":
        path.write_text(log_to_json(log), encoding="utf-8")
    elif suffix == ".csv":
        path.write_text(log_to_csv(log), encoding="utf-8")
    else:
        path.write_bytes(log_to_xlsx(log))
    back = read_log(path, load_scenario("chlorine-riverside"))
    assert back.records == log.records


def test_csv_neutralises_formula_cells_and_shows_the_clock_time() -> None:
    lines = log_to_csv(hand_made_log()).splitlines()
    assert lines[0].startswith("id,kind,scenario_minute,scenario_time,wall_time,who,text")
    assert "2026-11-12 02:55" in lines[3]  # minute 45 of a 02:10 start
    assert "\"'=CHEMET shows" in lines[3]
    assert ",'+ warned in time," in log_to_csv(hand_made_log())


def test_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    path.write_bytes(log_to_xlsx(hand_made_log()))
    sheet = openpyxl.load_workbook(path)["log"]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=4, column=header.index("rationale") + 1)
    assert cell.data_type == "s"
    assert str(cell.value).startswith("=CHEMET")


def test_a_typed_up_sheet_with_mistakes_names_every_bad_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "paper.csv"
    path.write_text(
        "Time,Kind,Who,Text,JDM stage,Objective,Task,Rating\n"
        "02:15,decision,TCG chair,Declare major incident,take action,,,\n"
        "02:20,desicion,TCG chair,Typo in the kind,,,,\n"
        "01:00,action,EPO,Before the start,,,,\n"
        "02:40,rating,Evaluator,No such objective,,obj_nope,,P\n"
        "02:45,rating,Evaluator,Bad rating,,obj_alert,,Q\n"
        "02:50,milestone,Loggist,TCG met,,,,\n"
        ",,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(LogError) as caught:
        read_sheet(path, load_scenario("chlorine-riverside"))
    problems = [p.replace(str(path), "paper.csv") for p in caught.value.problems]
    assert (
        problems[0]
        == "paper.csv: row 3, column 'kind': 'desicion' is not valid; did you mean 'decision'?"
    )
    assert problems[1] == (
        "paper.csv: row 4, column 'scenario_time': 01:00 is before the scenario's start "
        "(02:10); times run from the start for 480 minutes"
    )
    assert problems[2] == (
        "paper.csv: row 5, column 'objective': 'obj_nope' is not an objective of scenario "
        "chlorine-riverside; valid: obj_alert, obj_command, obj_public, obj_rest_centre, "
        "obj_vulnerable"
    )
    assert problems[3].startswith(
        "paper.csv: row 6, column 'rating': 'Q' is not valid; use one of: P, S, M, U"
    )
    assert problems[4] == "paper.csv: row 7, column 'task': a milestone record needs a task"
    assert len(problems) == 5  # row 2 is good; the blank row 8 is skipped


def test_a_typed_up_sheet_reads_labels_and_clock_times(tmp_path: Path) -> None:
    path = tmp_path / "paper.csv"
    path.write_text(
        "time,kind,who,decision,stage,rationale\n"
        "02:15,Decision,TCG chair,Declare major incident,Take action and review what happened,"
        "M/ETHANE received\n",
        encoding="utf-8",
    )
    sheet = read_sheet(path, load_scenario("chlorine-riverside"))
    (record,) = sheet.log.records
    assert (record.kind, record.scenario_minute, record.jdm_stage) == (
        "decision",
        5.0,
        "take_action",
    )
    assert (record.text, record.rationale, record.wall_time) == (
        "Declare major incident",
        "M/ETHANE received",
        None,
    )


def test_unknown_columns_are_warnings_not_errors(tmp_path: Path) -> None:
    path = tmp_path / "paper.csv"
    path.write_text("minute,kind,text,mood\n5,action,Phoned the EA,calm\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert [r.text for r in sheet.log.records] == ["Phoned the EA"]
    assert sheet.warnings == [f"{path}: column 'mood' is not a log column and was ignored"]


def test_a_sheet_without_the_needed_columns_says_which(tmp_path: Path) -> None:
    path = tmp_path / "paper.csv"
    path.write_text("who,what\nEPO,Phoned\n", encoding="utf-8")
    with pytest.raises(LogError, match="no 'kind' or 'text' column"):
        read_sheet(path)


def test_scenario_minute_and_time_that_disagree_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "paper.csv"
    path.write_text(
        "scenario_minute,scenario_time,kind,text\n45,2026-11-12 03:10,action,x\n",
        encoding="utf-8",
    )
    with pytest.raises(LogError, match="is minute 60, but scenario_minute says 45"):
        read_sheet(path, load_scenario("chlorine-riverside"))


def test_read_log_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="no such file"):
        read_log(tmp_path / "nothing.json")
