"""The evaluators' observations for the debrief: YAML, CSV or XLSX, every row checked.

One row (or YAML item) per observation against an objective: a **strength**, an **area for
improvement** (with its root cause, the recommended action, owner, priority, due date,
capability element and the lesson identified), or a **rating** that overrides the debrief's
suggested rating for the objective (its ``observation`` is the reason, shown in the report).
A YAML file may also describe the exercise (name, date, type, aim, participants).

Every problem names the file, the row (as the spreadsheet numbers it; in YAML the line and
the observation's number) and the column, and says what would be valid. Nothing is read
unless every row is right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from standby import yamlfile
from standby.clock import TimeError, check_year
from standby.errors import StandbyError, with_input
from standby.files import unneutralise
from standby.hints import did_you_mean
from standby.reports.sheets import (
    Rows,
    SheetError,
    column_key,
    csv_table,
    is_blank,
    numbered,
    xlsx_sheets,
)
from standby.textfile import NotUtf8Error, read_utf8

MAX_TEXT = 4000
MAX_SHORT = 200

Finding = Literal["strength", "improvement", "rating"]
Priority = Literal["high", "medium", "low"]
Capability = Literal["planning", "organisation", "equipment", "training", "exercises"]
Status = Literal["open", "in_progress", "done"]
Rating = Literal["P", "S", "M", "U"]

FINDINGS = {"strength": "Strength", "improvement": "Area for improvement", "rating": "Rating"}
PRIORITIES = {"high": "High", "medium": "Medium", "low": "Low"}
CAPABILITIES = {
    "planning": "Planning",
    "organisation": "Organisation",
    "equipment": "Equipment",
    "training": "Training",
    "exercises": "Exercises",
}
"""Capability elements (POETE: planning, organisation, equipment, training, exercises)."""
STATUSES = {"open": "Open", "in_progress": "In progress", "done": "Done"}
RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}

COLUMNS = (
    "objective",
    "finding",
    "observation",
    "evidence",
    "root_cause",
    "recommendation",
    "owner",
    "priority",
    "start",
    "due",
    "status",
    "capability",
    "theme",
    "lesson",
    "rating",
    "title",
)
IMPROVEMENT_NEEDS = (
    "root_cause",
    "recommendation",
    "owner",
    "priority",
    "due",
    "capability",
    "lesson",
)
"""What an area for improvement must give: the improvement plan and the lessons need it."""

_ALIASES = {
    "objective_id": "objective",
    "type": "finding",
    "kind": "finding",
    "text": "observation",
    "reason": "observation",
    "root_causes": "root_cause",
    "cause": "root_cause",
    "recommended_action": "recommendation",
    "action": "recommendation",
    "due_date": "due",
    "start_date": "start",
    "capability_element": "capability",
    "lessons_theme": "theme",
    "lesson_identified": "lesson",
}
_VOCABULARIES: dict[str, dict[str, str]] = {
    "finding": {
        "strength": "strength",
        "what_went_well": "strength",
        "notable_practice": "strength",
        "improvement": "improvement",
        "area_for_improvement": "improvement",
        "area_for_development": "improvement",
        "afi": "improvement",
        "rating": "rating",
    },
    "priority": {"high": "high", "h": "high", "medium": "medium", "m": "medium", "low": "low"},
    "capability": {
        **{k: k for k in CAPABILITIES},
        "organization": "organisation",
        "exercise": "exercises",
        "exercising": "exercises",
    },
    "status": {
        "open": "open",
        "not_started": "open",
        "in_progress": "in_progress",
        "started": "in_progress",
        "done": "done",
        "complete": "done",
        "completed": "done",
        "closed": "done",
    },
    "rating": {
        **{k.lower(): k for k in RATINGS},
        **{re.sub(r"\s+", "_", v.lower()): k for k, v in RATINGS.items()},
    },
}


class ObservationsError(StandbyError):
    """An observations file that cannot be used: every problem, each with its row and column."""

    def __init__(self, problems: Sequence[str], source: str) -> None:
        self.problems = list(problems)
        shown = self.problems[:50]
        lines = [f"{source}: {len(self.problems)} problem(s):"] if len(shown) > 1 else []
        lines += shown
        if len(self.problems) > len(shown):
            lines.append(f"... and {len(self.problems) - len(shown)} more problems")
        super().__init__("\n".join(lines))


class Observation(BaseModel):
    """One observation against an objective (see the module's note for what each needs)."""

    model_config = ConfigDict(
        allow_inf_nan=False, extra="forbid", frozen=True, str_strip_whitespace=True
    )

    objective: str = Field(max_length=MAX_SHORT)
    finding: Finding
    observation: str = Field(min_length=1, max_length=MAX_TEXT)
    evidence: str | None = Field(default=None, max_length=MAX_TEXT)
    root_cause: str | None = Field(default=None, max_length=MAX_TEXT)
    recommendation: str | None = Field(default=None, max_length=MAX_TEXT)
    owner: str | None = Field(default=None, max_length=MAX_SHORT)
    priority: Priority | None = None
    start: date | None = None
    due: date | None = None
    status: Status = "open"
    capability: Capability | None = None
    theme: str | None = Field(default=None, max_length=MAX_SHORT)
    lesson: str | None = Field(default=None, max_length=MAX_TEXT)
    rating: Rating | None = None
    title: str | None = Field(default=None, max_length=MAX_SHORT)
    where: str = Field(default="", exclude=True, description="row or line it came from")

    @property
    def heading(self) -> str:
        """Its title, else the observation's first sentence (cut at 80 characters)."""
        if self.title:
            return self.title
        first = re.split(r"(?<=[.!?])\s", self.observation, maxsplit=1)[0].rstrip(".")
        return first if len(first) <= 80 else first[:79].rstrip() + "…"


@dataclass(frozen=True)
class Participant:
    """Someone who took part: name, organisation and role in the exercise."""

    name: str
    organisation: str = ""
    role: str = ""


@dataclass(frozen=True)
class ExerciseDetails:
    """What a YAML observations file may say about the exercise itself."""

    name: str | None = None
    date: date | None = None
    type: str | None = None
    aim: str | None = None
    lead: str | None = None
    participants: tuple[Participant, ...] = ()


@dataclass(frozen=True)
class Observations:
    """Every observation of a file, in file order, and the exercise details it gives."""

    source: str | None = None
    items: tuple[Observation, ...] = ()
    exercise: ExerciseDetails = field(default_factory=ExerciseDetails)

    def of(self, objective: str, finding: str | None = None) -> list[Observation]:
        """The observations of one objective (of one finding, when given), in order."""
        return [
            o
            for o in self.items
            if o.objective == objective and (finding is None or o.finding == finding)
        ]

    def finding(self, finding: str) -> list[Observation]:
        """Every observation of one finding, in order."""
        return [o for o in self.items if o.finding == finding]


# --- one row ----------------------------------------------------------------------------


_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def day_text(day: date) -> str:
    """``1 April 2026``: a date as reports write it."""
    return f"{day.day} {day:%B %Y}"


def parse_day(value: object) -> date:
    """A date from a cell: a date, ``2027-03-31`` or the UK's ``31/03/2027``."""
    text = str(value).strip()
    try:
        if isinstance(value, date):
            found = value.date() if isinstance(value, datetime) else value
        elif match := _UK_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            found = date(year, month, day)
        else:
            found = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date; write it as 2027-03-31 or 31/03/2027") from None
    try:
        check_year(found, text)
    except TimeError as error:
        raise ValueError(error.message) from None
    return found


def _word(name: str, value: object) -> str:
    text = str(value).strip()
    key = text.lower() if name == "rating" else re.sub(r"[\s\-]+", "_", text.lower())
    vocabulary = _VOCABULARIES[name]
    found = vocabulary.get(key) or vocabulary.get(re.sub(r"\s+", "_", key))
    if found is None:
        valid = list(dict.fromkeys(vocabulary.values()))
        if name == "rating":
            raise ValueError(f"'{text}' is not valid; use one of: P, S, M, U")
        hint = did_you_mean(key, valid)
        if not hint.startswith("did"):
            hint = f"use one of: {', '.join(valid).replace('_', ' ')}"
        raise ValueError(f"'{text}' is not valid; {hint}")
    return found


def _cell_value(name: str, cell: object) -> object:
    if isinstance(cell, str):
        cell = unneutralise(cell)
    if name in _VOCABULARIES:
        return _word(name, cell)
    if name in ("start", "due"):
        return parse_day(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return cell if isinstance(cell, str) else str(cell)


@dataclass(frozen=True)
class Rules:
    """What rows are checked against: the scenario's objectives and the exercise's date."""

    objectives: tuple[str, ...] = ()
    scenario: str | None = None
    exercise_date: date | None = None


def _rule_problems(values: Mapping[str, Any], rules: Rules) -> list[tuple[str, str]]:
    problems = []
    finding = values.get("finding")
    objective = values.get("objective")
    if rules.objectives and objective and objective not in rules.objectives:
        hint = did_you_mean(str(objective), list(rules.objectives))
        problems.append(
            ("objective", f"'{objective}' is not an objective of scenario {rules.scenario}; {hint}")
        )
    if finding == "improvement":
        problems += [
            (name, "an area for improvement needs this (the improvement plan and lessons use it)")
            for name in IMPROVEMENT_NEEDS
            if not values.get(name)
        ]
    if finding == "rating" and not values.get("rating"):
        problems.append(("rating", "a rating row needs a rating: P, S, M or U"))
    if finding != "rating" and values.get("rating"):
        problems.append(("rating", "only rows whose finding is 'rating' take a rating"))
    start, due = values.get("start"), values.get("due")
    if isinstance(start, date) and isinstance(due, date) and due < start:
        problems.append(("due", f"{due} is before the start {start}; correct one of them"))
    when = rules.exercise_date
    if when is not None and isinstance(due, date) and due < when:
        problems.append(("due", f"{due} is before the exercise ({when}); give a later date"))
    return problems


def check_row(
    cells: Mapping[str, object], source: str, where: str, rules: Rules
) -> Observation | list[str]:
    """One row as an :class:`Observation` (``where`` it came from, in words), or its
    problems as ``source, column 'x': problem``."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, cell in cells.items():
        try:
            values[name] = _cell_value(name, cell)
        except ValueError as error:
            problems.append((name, str(error)))
    for name in ("objective", "finding", "observation"):
        if name not in values and name not in dict(problems):
            problems.append((name, "required, but empty"))
    if not problems:
        problems = _rule_problems(values, rules)
    if not problems:
        try:
            return Observation.model_validate({**values, "where": where})
        except ValidationError as error:
            problems = [_pydantic_problem(item) for item in error.errors()]
    return [f"{source}, column '{name}': {problem}" for name, problem in problems]


def _pydantic_problem(item: Any) -> tuple[str, str]:
    loc = tuple(item["loc"])
    name = str(loc[0]) if loc else "observation"
    message = with_input(str(item["msg"]).removeprefix("Value error, "), item)
    if item["type"] == "extra_forbidden":
        message = f"not a column of an observations file; the columns are {', '.join(COLUMNS)}"
    return name, message


# --- files ------------------------------------------------------------------------------


def read_observations(path: Path, rules: Rules | None = None) -> Observations:
    """Read observations from a ``.yaml``/``.yml``, ``.csv`` or ``.xlsx`` file.

    Raises :class:`ObservationsError` listing every bad row (file, row, column and fix).
    """
    rules = rules or Rules()
    if not path.is_file():
        raise ObservationsError(
            [f"{path}: no such file; give observations as .yaml, .csv or .xlsx"], str(path)
        )
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return _read_yaml(path, rules)
        if suffix == ".csv":
            header, rows = csv_table(path)
        elif suffix == ".xlsx":
            sheets = xlsx_sheets(path)
            name = "observations" if "observations" in sheets else next(iter(sheets))
            header, rows = numbered(sheets[name], path, name)
        else:
            raise ObservationsError(
                [f"{path}: observations are read from .yaml, .csv or .xlsx, not '{suffix}'"],
                str(path),
            )
    except SheetError as error:
        raise ObservationsError([error.message], str(path)) from None
    return Observations(str(path), _sheet_items(header, rows, path, rules))


def _sheet_items(
    header: Sequence[object], rows: Rows, path: Path, rules: Rules
) -> tuple[Observation, ...]:
    columns = [_ALIASES.get(column_key(cell), column_key(cell)) for cell in header]
    unknown = [str(header[i]) for i, name in enumerate(columns) if name and name not in COLUMNS]
    missing = [name for name in ("objective", "finding", "observation") if name not in columns]
    if unknown or missing:
        problems = [
            f"{path}: row 1: column '{name}' is not an observations column; "
            f"{did_you_mean(column_key(name), list(COLUMNS))}"
            for name in unknown
        ]
        problems += [f"{path}: row 1: no '{name}' column" for name in missing]
        problems.append(f"{path}: row 1: the columns are {', '.join(COLUMNS)}")
        raise ObservationsError(problems, str(path))
    items: list[Observation] = []
    problems = []
    for number, cells in rows:
        cell_map = {
            name: cells[i]
            for i, name in enumerate(columns)
            if name and i < len(cells) and not is_blank(cells[i])
        }
        if not cell_map:
            continue
        checked = check_row(cell_map, f"{path}: row {number}", f"row {number}", rules)
        if isinstance(checked, list):
            problems += checked
        else:
            items.append(checked)
    if problems:
        raise ObservationsError(problems, str(path))
    return tuple(items)


def _read_yaml(path: Path, rules: Rules) -> Observations:
    try:
        # one parse: duplicate keys, tags, nesting and syntax checked as for every YAML file
        document = yamlfile.load(read_utf8(path))
    except NotUtf8Error as error:
        raise ObservationsError([f"{path}: {error}; save it as UTF-8 text"], str(path)) from None
    except yamlfile.YamlError as error:
        raise ObservationsError([f"{path}: {error.message}"], str(path)) from None
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("observations"), list):
        raise ObservationsError(
            [f"{path}: the file needs an 'observations:' list (and may have 'exercise:')"],
            str(path),
        )
    unknown = sorted(set(data) - {"observations", "exercise"})
    problems = [
        f"{path}: '{key}' is not a section; use observations and exercise" for key in unknown
    ]
    exercise, exercise_problems = _exercise(data.get("exercise"), path)
    if rules.exercise_date is None and exercise.date is not None:
        rules = Rules(rules.objectives, rules.scenario, exercise.date)
    items: list[Observation] = []
    for number, item in enumerate(data["observations"], start=1):
        line = document.line_of(("observations", number - 1)) or 0
        where = f"{path}:{line}: observation {number}"
        shown = f"observation {number} (line {line})"
        if not isinstance(item, dict):
            problems.append(f"{where}: give objective, finding, observation... as keys")
            continue
        cells = {
            _ALIASES.get(column_key(key), column_key(key)): value
            for key, value in item.items()
            if not is_blank(value)
        }
        checked = check_row(cells, where, shown, rules)
        if isinstance(checked, list):
            problems += [p.replace(", column '", ", field '") for p in checked]
        else:
            items.append(checked)
    problems += exercise_problems
    if problems:
        raise ObservationsError(problems, str(path))
    return Observations(str(path), tuple(items), exercise)


def _exercise(data: object, path: Path) -> tuple[ExerciseDetails, list[str]]:
    if data is None:
        return ExerciseDetails(), []
    if not isinstance(data, dict):
        return ExerciseDetails(), [f"{path}: exercise: give name, date, type, aim, participants"]
    known = {"name", "date", "type", "aim", "lead", "participants"}
    problems = [
        f"{path}: exercise: '{key}' is not a field; {did_you_mean(str(key), sorted(known))}"
        for key in data
        if key not in known
    ]
    when = None
    if data.get("date") is not None:
        try:
            when = parse_day(data["date"])
        except ValueError as error:
            problems.append(f"{path}: exercise, field 'date': {error}")
    people = []
    for number, person in enumerate(data.get("participants") or [], start=1):
        if isinstance(person, dict) and person.get("name"):
            people.append(
                Participant(
                    str(person["name"]),
                    str(person.get("organisation") or ""),
                    str(person.get("role") or ""),
                )
            )
        else:
            problems.append(
                f"{path}: exercise, participant {number}: give name, organisation and role"
            )
    details = ExerciseDetails(
        name=_text(data.get("name")),
        date=when,
        type=_text(data.get("type")),
        aim=_text(data.get("aim")),
        lead=_text(data.get("lead")),
        participants=tuple(people),
    )
    return details, problems


def _text(value: object) -> str | None:
    return None if value is None else str(value).strip() or None
