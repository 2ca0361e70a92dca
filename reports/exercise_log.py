"""The exercise log: one record per thing that happened in an exercise, and its file forms.

The live console writes it into a database (:mod:`reports.exercise_db`); ``standby exercise
log export`` writes it as JSON, CSV or XLSX (:mod:`reports.exercise_log_sheets` does the
spreadsheets); ``standby exercise log import`` reads one typed up from paper; the debrief
reads any of them with :func:`reports.exercise_log_io.read_log`. :class:`LogRecord` is the
one definition of a record, and ``docs/exercise-log.schema.json`` is its JSON Schema.

Times: ``scenario_minute`` is the exercise clock (minutes since the incident began, as in the
scenario file); ``wall_time`` is when it was logged, in UTC. Spreadsheets also carry a
``scenario_time`` column, the scenario's local clock time, for people to read and type.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    model_validator,
)

from standby.clock import iso_z, to_local
from standby.errors import StandbyError, with_input
from standby.hints import did_you_mean

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario

FORMAT = "standby-exercise-log"
FORMAT_VERSION = 1
MAX_MINUTE = 7 * 24 * 60  # the longest scenario the format allows
MAX_TEXT = 4000
MAX_SHORT = 200

Kind = Literal[
    "inject_released",
    "inject_held",
    "inject_skipped",
    "decision",
    "action",
    "observation",
    "rating",
    "milestone",
    "clock",
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

JDM_STAGES = {
    "working_together": "Working together",
    "gather_information": "Gather information and intelligence",
    "assess_risks": "Assess risks and develop a working strategy",
    "consider_powers": "Consider powers, policies and procedures",
    "identify_options": "Identify options and contingencies",
    "take_action": "Take action and review what happened",
}
"""The JESIP Joint Decision Model: its centre and its five stages, in order."""

RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
"""HSEEP's evaluator ratings."""

FINDINGS = {"strength": "Strength", "improvement": "Area for improvement"}

JdmStage = Literal[
    "working_together",
    "gather_information",
    "assess_risks",
    "consider_powers",
    "identify_options",
    "take_action",
]
Rating = Literal["P", "S", "M", "U"]
Finding = Literal["strength", "improvement"]

FIELDS = (
    "id",
    "kind",
    "scenario_minute",
    "wall_time",
    "who",
    "text",
    "rationale",
    "jdm_stage",
    "objective",
    "inject",
    "task",
    "rating",
    "finding",
)
SHEET_COLUMNS = (*FIELDS[:3], "scenario_time", *FIELDS[3:])

_INJECT_KINDS = ("inject_released", "inject_held", "inject_skipped")
_ONLY_FOR = {
    "jdm_stage": ("decision",),
    "rating": ("rating",),
    "finding": ("observation",),
}
_REQUIRED_FOR = {
    "inject": _INJECT_KINDS,
    "objective": ("observation", "rating"),
    "rating": ("rating",),
    "task": ("milestone",),
}


class LogError(StandbyError):
    """A log file or row that cannot be read: every problem, each with file, row and column."""

    def __init__(self, problems: Sequence[str], source: str | None = None) -> None:
        self.problems = list(problems)
        shown = self.problems[:50]
        more = len(self.problems) - len(shown)
        lines = [f"{source}: {len(self.problems)} problem(s):"] if source and len(shown) > 1 else []
        lines += shown
        if more:
            lines.append(f"... and {more} more problems")
        super().__init__("\n".join(lines))


def kind_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, problem) for each rule of the record's kind that ``values`` breaks.

    A rating names its objective and a rating; an observation its objective; a milestone
    its plan task; an inject record its inject. JDM stages are for decisions, ratings for
    rating records, strength or improvement for observations.
    """
    kind = values.get("kind")
    problems = []
    for name, kinds in _REQUIRED_FOR.items():
        if kind in kinds and not values.get(name):
            problems.append((name, f"{_a(str(kind))} record needs {_a(name)}"))
    for name, kinds in _ONLY_FOR.items():
        if values.get(name) and kind not in kinds:
            problems.append((name, f"only {' and '.join(kinds)} records take a {name}"))
    return problems


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


class LogRecord(BaseModel):
    """One thing that happened in the exercise."""

    model_config = ConfigDict(
        allow_inf_nan=False, extra="forbid", frozen=True, str_strip_whitespace=True
    )

    id: int = Field(ge=1, description="order of recording, from 1")
    kind: Kind
    scenario_minute: float = Field(
        ge=0.0, le=MAX_MINUTE, description="exercise clock: minutes since the incident began"
    )
    wall_time: datetime | None = Field(
        default=None,
        description="when it was logged, UTC with Z; null in a log typed up from paper "
        "that gives no wall time",
    )
    who: str | None = Field(
        default=None,
        max_length=MAX_SHORT,
        description="who decided, acted, observed or rated; for an inject, who it went to",
    )
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="what happened")
    rationale: str | None = Field(
        default=None,
        max_length=MAX_TEXT,
        description="a decision's rationale, or an observation's evidence",
    )
    jdm_stage: JdmStage | None = Field(default=None, description="JESIP JDM stage of a decision")
    objective: str | None = Field(default=None, max_length=MAX_SHORT, description="objective id")
    inject: str | None = Field(default=None, max_length=MAX_SHORT, description="inject id")
    task: str | None = Field(
        default=None, max_length=MAX_SHORT, description="plan task id (milestones)"
    )
    rating: Rating | None = Field(default=None, description="HSEEP rating P, S, M or U")
    finding: Finding | None = Field(
        default=None, description="an observation: strength or area for improvement"
    )

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data

    @model_validator(mode="after")
    def _kind_rules(self) -> Self:
        problems = kind_problems(self.__dict__)
        if problems:
            raise ValueError("; ".join(f"{name}: {problem}" for name, problem in problems))
        if self.wall_time is not None and self.wall_time.tzinfo is None:
            raise ValueError("wall_time: give the time zone, as in 2026-11-12T02:55:00Z")
        return self

    @field_serializer("wall_time", when_used="json")
    def _wall_time_z(self, value: datetime | None) -> str | None:
        return None if value is None else iso_z(value)

    def to_json_dict(self) -> dict[str, Any]:
        """The record as plain JSON data, every field present, times in UTC with Z.

        Written out by hand: browsers poll for records twice a second, and this is the same
        as ``model_dump(mode="json")`` (a test holds it) at a fraction of the cost.
        """
        data = {name: getattr(self, name) for name in FIELDS}
        if self.wall_time is not None:
            data["wall_time"] = iso_z(self.wall_time)
        return data


class ExerciseLog(BaseModel):
    """A whole log: the scenario it belongs to and its records in order of recording."""

    model_config = ConfigDict(allow_inf_nan=False, extra="forbid", frozen=True)

    format: Literal["standby-exercise-log"] = "standby-exercise-log"
    version: Literal[1] = 1
    scenario: str | None = Field(default=None, description="the scenario's name")
    start: datetime | None = Field(
        default=None, description="the instant scenario minute 0 stands for (UTC, Z)"
    )
    timezone: str | None = Field(default=None, description="the scenario's time zone")
    records: tuple[LogRecord, ...] = ()

    @model_validator(mode="after")
    def _ids_ascend(self) -> Self:
        ids = [record.id for record in self.records]
        if any(b <= a for a, b in itertools.pairwise(ids)):
            raise ValueError("records: ids must be unique and in ascending order")
        return self

    @field_serializer("start", when_used="json")
    def _start_z(self, value: datetime | None) -> str | None:
        return None if value is None else iso_z(value)

    def __iter__(self) -> Iterator[LogRecord]:  # type: ignore[override]
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def of_kind(self, *kinds: str) -> list[LogRecord]:
        """The records of the given kinds, in order."""
        return [record for record in self.records if record.kind in kinds]

    def clock_text(self, minute: float) -> str:
        """The scenario's local clock time at ``minute`` (``2026-11-12 02:55``), or ``''``."""
        if self.start is None:
            return ""
        return scenario_clock_text(self.start, self.timezone or "Europe/London", minute)


def scenario_clock_text(start: datetime, timezone: str, minute: float) -> str:
    """Local ``YYYY-MM-DD HH:MM`` of scenario ``minute`` when minute 0 is ``start``."""
    return to_local(start + timedelta(minutes=minute), timezone).strftime("%Y-%m-%d %H:%M")


def log_schema() -> dict[str, Any]:
    """The JSON Schema of an exported log (``docs/exercise-log.schema.json``)."""
    schema = ExerciseLog.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Standby exercise log"
    return schema


# --- the scenario a log belongs to -------------------------------------------------------


@dataclass(frozen=True)
class LogContext:
    """What a log's rows are checked against: the scenario's start, length and ids."""

    scenario: str | None = None
    start: datetime | None = None
    timezone: str = "Europe/London"
    duration_minutes: float = MAX_MINUTE
    objectives: frozenset[str] = frozenset()
    injects: frozenset[str] = frozenset()
    tasks: frozenset[str] = frozenset()
    checks_ids: bool = False

    @classmethod
    def of(cls, scenario: Scenario) -> LogContext:
        """The context of a loaded scenario: its ids are checked."""
        return cls(
            scenario=scenario.name,
            start=scenario.start_utc,
            timezone=scenario.timezone,
            duration_minutes=scenario.duration_minutes,
            objectives=frozenset(o.id for o in scenario.objectives),
            injects=frozenset(i.id for i in scenario.injects),
            tasks=frozenset(t.id for t in scenario.plan.tasks),
            checks_ids=True,
        )


def reference_problems(
    values: Mapping[str, Any], context: LogContext, adhoc_injects: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(field, problem) for ids the scenario does not have (an ad-hoc inject is allowed)."""
    if not context.checks_ids:
        return []
    problems = []
    known = {
        "objective": context.objectives,
        "task": context.tasks,
        "inject": context.injects | set(adhoc_injects),
    }
    for name, ids in known.items():
        value = values.get(name)
        if value and value not in ids:
            what = _a({"task": "plan task"}.get(name, name))
            hint = did_you_mean(str(value), sorted(ids))
            problems.append(
                (name, f"'{value}' is not {what} of scenario {context.scenario}; {hint}")
            )
    return problems


def is_adhoc_inject(values: Mapping[str, Any], context: LogContext) -> bool:
    """An inject released that the scenario does not list: one the facilitator added."""
    return values.get("kind") == "inject_released" and values.get("inject") not in context.injects


# --- files -------------------------------------------------------------------------------


def log_to_json(log: ExerciseLog) -> str:
    """The log as the JSON document ``docs/exercise-log.schema.json`` describes."""
    return json.dumps(log.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def check_references(log: ExerciseLog, context: LogContext, source: str) -> None:
    """Raise :class:`LogError` naming each record whose ids the scenario does not have."""
    problems = []
    adhoc: set[str] = set()
    for record in log.records:
        values = record.to_json_dict()
        problems += [
            f"{source}: record {record.id}, field '{name}': {problem}"
            for name, problem in reference_problems(values, context, adhoc)
        ]
        if is_adhoc_inject(values, context) and record.inject:
            adhoc.add(record.inject)
    if problems:
        raise LogError(problems, source)


def read_json(path: Path) -> ExerciseLog:
    """Read an exported JSON log; every problem names the record and field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LogError([f"{path}: not a JSON file ({error}); export the log again"]) from None
    try:
        return ExerciseLog.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = list(item["loc"])
            where = (
                f"record {int(loc[1]) + 1}, field '{loc[2]}'"
                if len(loc) >= 3 and loc[0] == "records"
                else ".".join(str(p) for p in loc) or "(top level)"
            )
            message = with_input(str(item["msg"]).removeprefix("Value error, "), item)
            problems.append(f"{path}: {where}: {message}")
        raise LogError(problems, str(path)) from None


def utc_now() -> datetime:
    """The wall clock, aware UTC (one place, so tests can see what it is)."""
    return datetime.now(UTC)
