"""The debrief of the bundled exercise (seeded): golden Markdown, the Word file's improvement
plan, the JSON, lessons.csv, reg 14 dates, where the exercise date comes from, escaping."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from standby.errors import OutputExistsError
from standby.reports.debrief import (
    DebriefError,
    build_debrief,
    example_files,
    source_name,
    three_years_after,
)
from standby.reports.debrief_model import Debrief
from standby.reports.debrief_output import lessons_csv, render_document, write_debrief
from standby.reports.document import to_html, to_markdown
from standby.reports.exercise_log import ExerciseLog, LogRecord
from standby.reports.exercise_log_io import read_log
from standby.reports.observations import Observations, Rules, read_observations
from standby.rota.io import read_rota
from standby.scenarios import load_scenario
from standby.scenarios.model import Scenario

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "debrief-chlorine.md"
ROTA = ROOT / "rota" / "data" / "council-2026.yaml"
RUNS = 40


@functools.cache
def _scenario() -> Scenario:
    return load_scenario("chlorine-riverside")


@functools.cache
def _observations() -> Observations:
    scenario = _scenario()
    rules = Rules(tuple(o.id for o in scenario.objectives), scenario.name)
    return read_observations(example_files()[1], rules)


@functools.cache
def _example() -> Debrief:
    scenario = _scenario()
    log = read_log(example_files()[0], scenario)
    rota = read_rota(ROTA, timezone=scenario.timezone)
    return build_debrief(
        scenario,
        log,
        _observations(),
        rota=rota,
        rota_name=ROTA.name,
        runs=RUNS,
        seed=1,
        log_source="chlorine-riverside-log.json",
    )


def _markdown(debrief: Debrief) -> str:
    text = to_markdown(render_document(debrief)).content
    assert isinstance(text, str)
    return text


def test_the_debrief_markdown_matches_the_golden_file() -> None:
    text = _markdown(_example())
    if os.environ.get("STANDBY_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == text, (
        "the debrief changed; if on purpose, run `make golden` and review the diff "
        "(tests/golden/README.md says which NumPy releases it holds for)"
    )


def test_the_suggested_ratings_follow_the_logged_times_and_the_override() -> None:
    ratings = {o.objective: (o.rating, o.suggested.rating) for o in _example().objectives}
    assert ratings == {
        "obj_alert": ("P", "P"),  # declared at +24 against +30
        "obj_command": ("M", "M"),  # TCG at +77: 17 minutes late on 60 is over a quarter
        "obj_public": ("M", "M"),  # warned at +83 against +45
        "obj_vulnerable": ("P", "P"),  # +58 against +60
        "obj_rest_centre": ("S", "P"),  # open at +186 of 210; the evaluators said S
    }
    rest = next(o for o in _example().objectives if o.objective == "obj_rest_centre")
    assert rest.rating_reason.startswith("The centre opened within its target, but only")
    assert rest.rating_source.startswith("the evaluators (observations file, observation 8")


def test_the_word_file_holds_the_improvement_plan_table(tmp_path: Path) -> None:
    import docx

    files = write_debrief(_example(), tmp_path)
    document = docx.Document(str(files.docx))
    header = ("ID", "Action", "Capability element", "Owner", "Priority", "Start", "Due", "Status")
    tables = [t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == header]
    assert len(tables) == 1
    rows = [tuple(c.text for c in row.cells) for row in tables[0].rows[1:]]
    assert [(r[0], r[2], r[4], r[5], r[6], r[7]) for r in rows] == [
        ("IP-01", "Training", "Low", "1 April 2026", "31 December 2026", "Open"),
        ("IP-02", "Organisation", "High", "1 April 2026", "30 September 2026", "Open"),
        ("IP-03", "Planning", "High", "1 April 2026", "30 June 2026", "Open"),
        ("IP-04", "Organisation", "Medium", "1 April 2026", "31 May 2026", "Open"),
    ]
    assert rows[1][3] == "Ben Harwood, Rota Manager, Halwick Borough Council"
    assert rows[2][1].startswith("Agree pre-scripted 'Go in, Stay in, Tune in'")


def test_every_format_is_written_and_the_json_holds_the_debrief(tmp_path: Path) -> None:
    files = write_debrief(_example(), tmp_path, _scenario())
    names = sorted(p.name for p in files.all())
    assert names == sorted(
        [
            "debrief.html",
            "debrief.docx",
            "debrief.md",
            "debrief.json",
            "lessons.csv",
            "debrief-timeline.png",
            "debrief-plume-map.png",
        ]
    )
    data = json.loads(files.json.read_text(encoding="utf-8"))
    assert data["compliance"] == {
        "rule": "COMAH 2015 regulation 14",
        "test_date": "2026-03-18",
        "test_type": "a multi-agency tabletop exercise",
        "previous_test": "2023-11-15",
        "previous_due": "2026-11-15",
        "in_time": True,
        "next_due": "2029-03-18",
    }
    assert [p["task"] for p in data["counterfactual"]["pins"]][:3] == [
        "site_emergency_plan",
        "isolate_release",
        "declare_major_incident",
    ]
    assert len(data["counterfactual"]["model"]) == RUNS
    html = files.html.read_text(encoding="utf-8")
    assert "@media print" in html and "<script" not in html and "http" not in html.split("<body")[0]


def test_a_folder_holding_a_report_needs_force(tmp_path: Path) -> None:
    write_debrief(_example(), tmp_path)
    with pytest.raises(OutputExistsError) as caught:
        write_debrief(_example(), tmp_path)
    assert "already holds a debrief report" in caught.value.message
    write_debrief(_example(), tmp_path, force=True)


def test_lessons_csv_has_the_columns_a_lessons_system_takes() -> None:
    rows = list(csv.reader(io.StringIO(lessons_csv(_example()))))
    assert rows[0] == ["title", "theme", "observation", "lesson", "recommendation", "owner", "date"]
    assert [(r[0], r[1], r[6]) for r in rows[1:]] == [
        ("Hotline failure noticed late", "Communications", "2026-03-18"),
        ("TCG convened 17 minutes late", "On-call resilience", "2026-03-18"),
        ("Emergency alert wording not pre-agreed", "Warning and informing", "2026-03-18"),
        ("Rest centre call-out list out of date", "Rest centres", "2026-03-18"),
    ]


def _observation_csv(tmp_path: Path, text: str) -> Observations:
    path = tmp_path / "observations.csv"
    header = (
        "objective,finding,title,observation,root_cause,recommendation,owner,priority,due,"
        "capability,theme,lesson"
    )
    row = (
        f'obj_public,improvement,"{text}","{text}","{text}","{text}","@owner",high,2026-06-30,'
        f'planning,"+theme","-lesson"'
    )
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    return read_observations(path, Rules(("obj_public",), "chlorine-riverside"))


def _small_debrief(observations: Observations) -> Debrief:
    log = read_log(example_files()[0], _scenario())
    return build_debrief(_scenario(), log, observations, runs=2, seed=1)


def test_lessons_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    debrief = _small_debrief(_observation_csv(tmp_path, "=HYPERLINK(1)"))
    (row,) = list(csv.reader(io.StringIO(lessons_csv(debrief))))[1:]
    formula = "'=HYPERLINK(1)"
    assert row[:6] == [formula, "'+theme", formula, "'-lesson", formula, "'@owner"]


def test_text_from_the_files_is_escaped_in_html_and_markdown(tmp_path: Path) -> None:
    debrief = _small_debrief(_observation_csv(tmp_path, "<script>alert(1)</script>"))
    document = render_document(debrief)
    html = to_html(document)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = _markdown(debrief)
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown


def test_three_years_on_from_29_february_is_28_february() -> None:
    assert three_years_after(date(2028, 2, 29)) == date(2031, 2, 28)
    assert three_years_after(date(2026, 3, 18)) == date(2029, 3, 18)


def _log(*records: LogRecord) -> ExerciseLog:
    return ExerciseLog(scenario="chlorine-riverside", records=records)


def _milestone(minute: float, wall: datetime | None = None) -> LogRecord:
    return LogRecord(
        id=1,
        kind="milestone",
        scenario_minute=minute,
        wall_time=wall,
        text="TCG met",
        task="convene_tcg",
    )


def test_the_exercise_date_comes_from_what_was_given_then_the_file_then_the_log() -> None:
    scenario = _scenario()
    wall = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 BST on 1 July
    with_wall = _log(_milestone(60, wall))
    found = build_debrief(scenario, with_wall, runs=1)
    assert (found.compliance.test_date, found.exercise_date_source) == (
        date(2026, 7, 1),
        "the log's first wall-clock time",
    )
    assert build_debrief(scenario, with_wall, _observations(), runs=1).compliance.test_date == (
        date(2026, 3, 18)  # the observations file's exercise date
    )
    given = build_debrief(scenario, with_wall, runs=1, exercise_date=date(2026, 5, 5))
    assert given.compliance.test_date == date(2026, 5, 5)
    with pytest.raises(DebriefError) as caught:
        build_debrief(scenario, _log(_milestone(60)), runs=1)
    assert caught.value.parameters == ("exercise_date",)


def test_a_test_after_the_three_years_ran_out_is_reported_late() -> None:
    debrief = build_debrief(
        _scenario(), _log(_milestone(60)), runs=1, exercise_date=date(2027, 1, 4)
    )
    assert debrief.compliance.in_time is False  # last test 15 November 2023, due 2026-11-15
    assert "this test came after that date" in _markdown(debrief)


def test_a_log_of_another_scenario_or_beyond_its_end_is_refused() -> None:
    other = ExerciseLog(scenario="smoke-distribution", records=(_milestone(60),))
    with pytest.raises(DebriefError, match="this log is of scenario 'smoke-distribution'"):
        build_debrief(_scenario(), other, runs=1, exercise_date=date(2026, 3, 18))
    late = _log(_milestone(500))
    with pytest.raises(DebriefError) as caught:
        build_debrief(
            _scenario(), late, runs=1, exercise_date=date(2026, 3, 18), log_source="x.json"
        )
    assert caught.value.message == (
        "x.json: record 1 (milestone at minute 500): after the scenario's end (minute 480); "
        "correct its time"
    )


def test_a_database_url_is_named_without_its_password() -> None:
    assert source_name("postgresql://planner:secret@db.lrf.example:5433/ex") == (
        "postgresql://planner@db.lrf.example:5433/ex"
    )
    assert source_name("/home/planner/exercise.db") == "exercise.db"


def test_a_scenario_with_no_toxic_release_is_debriefed_in_its_own_words() -> None:
    flood = load_scenario("river-flood")
    warning = LogRecord(
        id=1, kind="milestone", scenario_minute=90, text="Warned", task="public_warning"
    )
    log = ExerciseLog(scenario="river-flood", records=(warning,))
    debrief = build_debrief(flood, log, runs=3, exercise_date=date(2026, 2, 2))
    labels = [c.label for c in debrief.counterfactual.comparisons]
    assert (
        labels[0]
        == "People in the area at risk outdoors (not warned before the hazard reached them)"
    )
    assert not any("AEGL" in label for label in labels)
    assert debrief.counterfactual.comparison("public_warned_minute").players_median == 90.0
    text = _markdown(debrief)
    assert "The scenario has no toxic release, so no plume model was run." in text
    assert "above AEGL-2" not in text
    assert "regulation 14" not in text  # not a COMAH site: no claim under COMAH
    assert "The next test of the plan is due by 2 February 2029, three years on." in text
