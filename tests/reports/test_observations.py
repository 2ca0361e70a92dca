"""Observations files (YAML, CSV, XLSX): every bad row named by file, row and column, with
the fix; nothing read unless every row is right."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from standby.reports.debrief import example_files
from standby.reports.observations import ObservationsError, Rules, read_observations

RULES = Rules(
    objectives=("obj_alert", "obj_command", "obj_public"),
    scenario="chlorine-riverside",
    exercise_date=date(2026, 3, 18),
)
HEADER = (
    "objective,finding,observation,evidence,root_cause,recommendation,owner,priority,"
    "start,due,capability,theme,lesson,rating"
)
GOOD_AFI = (
    "obj_command,AFI,TCG late,sign-in sheet,one EPO at night,add a backup EPO,"
    "Rota Manager,High,01/04/2026,30/09/2026,organisation,On-call,one person is a single "
    "point of failure,"
)


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "observations.csv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ObservationsError) as caught:
        read_observations(path, RULES)
    return caught.value.problems


def test_a_good_csv_row_reads_with_its_loose_words(tmp_path: Path) -> None:
    (item,) = read_observations(_csv(tmp_path, GOOD_AFI), RULES).items
    assert item.finding == "improvement"
    assert item.priority == "high"
    assert (item.start, item.due) == (date(2026, 4, 1), date(2026, 9, 30))
    assert item.capability == "organisation"
    assert item.where == "row 2"
    assert item.heading == "TCG late"


def test_each_missing_field_of_an_area_for_improvement_is_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "obj_command,improvement,TCG late,,,,,,,,,,,")
    problems = _problems(path)
    named = [p.split("column '")[1].split("'")[0] for p in problems]
    assert named == [
        "root_cause",
        "recommendation",
        "owner",
        "priority",
        "due",
        "capability",
        "lesson",
    ]
    assert all(p.startswith(f"{path}: row 2, column '") for p in problems)


def test_bad_cells_are_named_with_their_row_and_column_and_a_fix(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        GOOD_AFI,
        "obj_comand,strength,Good chairing,,,,,,,,,,,",
        "obj_alert,strenght,Quick declaration,,,,,,,,,,,",
        GOOD_AFI.replace("30/09/2026", "31/02/2026"),
        GOOD_AFI.replace("High", "urgent"),
        "obj_public,rating,Late but right,,,,,,,,,,,B",
    )
    problems = _problems(path)
    assert problems == [
        f"{path}: row 3, column 'objective': 'obj_comand' is not an objective of scenario "
        "chlorine-riverside; did you mean 'obj_command'?",
        f"{path}: row 4, column 'finding': 'strenght' is not valid; did you mean 'strength'?",
        f"{path}: row 5, column 'due': '31/02/2026' is not a date; write it as 2027-03-31 "
        "or 31/03/2027",
        f"{path}: row 6, column 'priority': 'urgent' is not valid; use one of: high, medium, low",
        f"{path}: row 7, column 'rating': 'B' is not valid; use one of: P, S, M, U",
    ]


def test_dates_are_checked_against_each_other_and_the_exercise(tmp_path: Path) -> None:
    before_start = GOOD_AFI.replace("30/09/2026", "2026-03-31")
    before_exercise = GOOD_AFI.replace("01/04/2026", "").replace("30/09/2026", "2026-03-01")
    path = _csv(tmp_path, before_start, before_exercise)
    assert _problems(path) == [
        f"{path}: row 2, column 'due': 2026-03-31 is before the start 2026-04-01; correct one "
        "of them",
        f"{path}: row 3, column 'due': 2026-03-01 is before the exercise (2026-03-18); give a "
        "later date",
    ]


def test_a_rating_row_needs_a_rating_and_only_rating_rows_take_one(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "obj_public,rating,Late but right,,,,,,,,,,,",
        "obj_public,strength,Clear messages,,,,,,,,,,,P",
    )
    assert _problems(path) == [
        f"{path}: row 2, column 'rating': a rating row needs a rating: P, S, M or U",
        f"{path}: row 3, column 'rating': only rows whose finding is 'rating' take a rating",
    ]


def test_an_unknown_column_is_named_with_the_columns_there_are(tmp_path: Path) -> None:
    path = tmp_path / "observations.csv"
    path.write_text("objective,finding,observation,root cuase\n", encoding="utf-8")
    problems = _problems(path)
    assert problems[0] == (
        f"{path}: row 1: column 'root cuase' is not an observations column; did you mean "
        "'root_cause'?"
    )
    assert problems[-1].startswith(f"{path}: row 1: the columns are objective, finding, ")


def test_a_neutralised_formula_cell_reads_back_as_typed(tmp_path: Path) -> None:
    path = _csv(tmp_path, "obj_alert,strength,'=HYPERLINK(1),,,,,,,,,,,")
    (item,) = read_observations(path, RULES).items
    assert item.observation == "=HYPERLINK(1)"


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    path = _csv(tmp_path, ",,,,,,,,,,,,,", GOOD_AFI, "")
    assert len(read_observations(path, RULES).items) == 1


def test_an_xlsx_sheet_is_read_with_dates_as_dates(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "observations"
    sheet.append(["Objective", "Finding", "Observation", "Due date", "Rating"])
    sheet.append(["obj_alert", "Strength", "Quick M/ETHANE", None, None])
    sheet.append(["obj_alert", "Rating", "Quick and complete", None, "p"])
    sheet.append(["obj_alrt", "Strength", "Typo", None, None])
    path = tmp_path / "observations.xlsx"
    workbook.save(path)
    with pytest.raises(ObservationsError) as caught:
        read_observations(path, RULES)
    assert caught.value.problems == [
        f"{path}: row 4, column 'objective': 'obj_alrt' is not an objective of scenario "
        "chlorine-riverside; did you mean 'obj_alert'?"
    ]
    sheet.delete_rows(4)
    workbook.save(path)
    strength, rating = read_observations(path, RULES).items
    assert (strength.finding, rating.finding, rating.rating) == ("strength", "rating", "P")


def test_yaml_problems_name_the_line_and_the_observation(tmp_path: Path) -> None:
    path = tmp_path / "observations.yaml"
    path.write_text(
        "exercise:\n"
        "  name: Exercise Test\n"
        "  date: 2026-03-18\n"
        "  venue: Town hall\n"
        "observations:\n"
        "  - objective: obj_alert\n"
        "    finding: strength\n"
        "    observation: Quick\n"
        "  - objective: obj_alert\n"
        "    finding: improvement\n"
        "    observation: Slow hotline\n",
        encoding="utf-8",
    )
    problems = _problems(path)
    assert problems[0] == (
        f"{path}:9: observation 2, field 'root_cause': an area for improvement needs this "
        "(the improvement plan and lessons use it)"
    )
    assert problems[-1] == (
        f"{path}: exercise: 'venue' is not a field; valid: aim, date, lead, name, "
        "participants, type"
    )
    assert len(problems) == 8  # the seven fields an improvement needs, and the venue


def test_yaml_without_an_observations_list_says_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "observations.yaml"
    path.write_text("- objective: obj_alert\n", encoding="utf-8")
    assert _problems(path) == [
        f"{path}: the file needs an 'observations:' list (and may have 'exercise:')"
    ]


def test_other_file_kinds_and_missing_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "observations.txt"
    text.write_text("hello", encoding="utf-8")
    assert _problems(text) == [
        f"{text}: observations are read from .yaml, .csv or .xlsx, not '.txt'"
    ]
    missing = tmp_path / "nothing.csv"
    assert _problems(missing) == [
        f"{missing}: no such file; give observations as .yaml, .csv or .xlsx"
    ]


def test_the_bundled_example_reads_with_its_exercise_details() -> None:
    _log, observations_file = example_files()
    rules = Rules(
        ("obj_alert", "obj_command", "obj_public", "obj_vulnerable", "obj_rest_centre"),
        "chlorine-riverside",
    )
    observations = read_observations(observations_file, rules)
    findings = [o.finding for o in observations.items]
    assert findings.count("strength") == 3
    assert findings.count("improvement") == 4
    assert findings.count("rating") == 1
    assert observations.exercise.name == "Exercise Northwick Shield"
    assert observations.exercise.date == date(2026, 3, 18)
    assert len(observations.exercise.participants) == 12
