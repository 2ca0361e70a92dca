"""What the console does, without the web: record entries, run the clock, release injects.

Each method takes what a browser sent (plain data), checks it against the scenario, writes
one record in one transaction and returns it. The web app (:mod:`.app`) only turns requests
into these calls and the answers into JSON; a Python user, a test or the load bench can call
them directly. Problems are :class:`ConsoleError` with a message for the person at the
laptop and an HTTP status.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from standby.clock import iso_z
from standby.errors import StandbyError
from standby.reports.console.maps import PlumeMaps, current_period
from standby.reports.console.state import (
    ACTIONS,
    ALLOWED,
    STATUS_OF_KIND,
    InjectStatus,
    inject_statuses,
)
from standby.reports.console.tail import LogTail
from standby.reports.exercise_db import ClockError, LogDatabase, Reader
from standby.reports.exercise_log import (
    FINDINGS,
    JDM_STAGES,
    MAX_SHORT,
    MAX_TEXT,
    RATINGS,
    LogContext,
    LogRecord,
    kind_problems,
    reference_problems,
    utc_now,
)
from standby.reports.exercise_log_sheets import scenario_minute_of

if TYPE_CHECKING:
    from standby.reports.console.expectation import Expectations
    from standby.scenarios.model import Scenario

INJECT_KINDS = tuple(STATUS_OF_KIND)
PAST = {"release": "released", "hold": "held", "skip": "skipped"}
BATCH = 1000  # records per poll answer; a browser asks again for the rest
ClientKey = Field(default=None, pattern=r"^[A-Za-z0-9_\-]{8,64}$")
Short = Field(default=None, max_length=MAX_SHORT)
Long = Field(default=None, max_length=MAX_TEXT)
LABELS = {
    "text": "text",
    "who": "who",
    "rationale": "rationale or evidence",
    "time": "time",
    "objective": "objective",
    "task": "milestone",
    "rating": "rating",
    "jdm_stage": "JDM stage",
    "finding": "strength or area for improvement",
    "inject": "inject",
    "scenario_minute": "time",
}


class ConsoleError(StandbyError):
    """A request the console refuses, with the HTTP status it answers."""

    status = 400


class ConflictError(ConsoleError):
    """A request that does not fit the exercise's state (releasing an inject twice)."""

    status = 409


class TooLargeError(ConsoleError):
    """A request body over the console's limit."""

    status = 413


class NotFoundError(ConsoleError):
    """An inject or page that does not exist."""

    status = 404


class _Incoming(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False, extra="forbid", str_strip_whitespace=True)


Incoming = TypeVar("Incoming", bound=_Incoming)


class EntryIn(_Incoming):
    """A decision, action, observation, rating or milestone from the log view."""

    client_key: str | None = ClientKey
    kind: Literal["decision", "action", "observation", "rating", "milestone"]
    time: str | None = Field(default=None, max_length=40)
    who: str | None = Short
    text: str | None = Long
    rationale: str | None = Long
    jdm_stage: str | None = Short
    objective: str | None = Short
    task: str | None = Short
    rating: str | None = Short
    finding: str | None = Short


class ClockIn(_Incoming):
    """A clock action from the control view."""

    client_key: str | None = ClientKey
    action: Literal["start", "pause", "resume", "jump", "speed"]
    to: str | None = Field(default=None, max_length=40)
    speed: float | None = None
    who: str | None = Short


class InjectIn(_Incoming):
    """Release, hold or skip an inject; or, for an ad-hoc inject, what it says."""

    client_key: str | None = ClientKey
    who: str | None = Short
    to: str | None = Short
    text: str | None = Long
    objective: str | None = Short


def _parsed(model: type[Incoming], payload: Mapping[str, Any]) -> Incoming:
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise ConsoleError(_problems_text(error)) from None


def _problems_text(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else ""
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "not a field the console knows"
        lines.append(f"{LABELS.get(name, name) or 'entry'}: {message}")
    return "; ".join(lines)


def _refuse(problems: Sequence[tuple[str, str]]) -> None:
    if problems:
        raise ConsoleError("; ".join(f"{LABELS.get(n, n)}: {p}" for n, p in problems))


@dataclass
class ExerciseConsole:
    """One exercise: its scenario, its log, the model's expectations and the room's maps."""

    scenario: Scenario
    database: LogDatabase
    expectations: Expectations | None = None
    maps: PlumeMaps | None = None

    def __post_init__(self) -> None:
        self.context = LogContext.of(self.scenario)
        self.injects = {inject.id: inject for inject in self.scenario.injects}
        self.tasks = {task.id: task for task in self.scenario.plan.tasks}
        self.tail = LogTail(self.database)

    # --- reading -------------------------------------------------------------------------

    def updates(self, since: int = 0, now: datetime | None = None) -> dict[str, Any]:
        """What a browser needs after record ``since``: new records, the clock, each
        inject's status, ad-hoc injects and the map to show."""
        records, _, rest = self._update(since, now)
        return {"records": [record.to_json_dict() for record in records], **rest}

    def updates_json(self, since: int = 0, now: datetime | None = None) -> str:
        """:meth:`updates` as JSON text, with each record's JSON made once per server."""
        _, texts, rest = self._update(since, now)
        return '{"records":[' + ",".join(texts) + "]," + json.dumps(rest)[1:]

    def _update(
        self, since: int, now: datetime | None
    ) -> tuple[list[LogRecord], list[str], dict[str, Any]]:
        now = now or utc_now()
        self.tail.refresh()
        clock = self.tail.clock
        records, texts = self.tail.after(since, BATCH)
        released = [r.inject for r in self.tail.released if r.inject]
        period = current_period(self.maps.periods, released) if self.maps else None
        rest = {
            "more": len(records) == BATCH,
            "clock": clock.to_json_dict(now),
            "injects": {key: s.to_json_dict() for key, s in self.tail.statuses.items()},
            "adhoc": [
                {"id": r.inject, "minute": r.scenario_minute, "to": r.who, "text": r.text}
                for r in self.tail.released
                if r.inject not in self.injects
            ],
            "map": None if period is None else {"key": period.key, "caption": period.caption},
            "server_time": iso_z(now),
        }
        return records, texts, rest

    # --- writing -------------------------------------------------------------------------

    def record(self, payload: Mapping[str, Any], now: datetime | None = None) -> LogRecord:
        """Record a decision, action, observation, rating or milestone."""
        entry = _parsed(EntryIn, payload)
        values: dict[str, Any] = entry.model_dump(exclude={"client_key", "time"})
        _refuse(self._vocabulary_problems(values) + reference_problems(values, self.context))
        _refuse(kind_problems(values))
        if entry.kind == "milestone" and not values.get("text") and entry.task in self.tasks:
            values["text"] = f"{self.tasks[entry.task].name}: reached"
        if not values.get("text"):
            raise ConsoleError("text: say what was decided, done or seen")
        values["scenario_minute"] = self._minute(entry.time)
        return self._append(values, entry.client_key, now)

    def clock(self, payload: Mapping[str, Any], now: datetime | None = None) -> LogRecord:
        """Start, pause, resume, jump (``to``: ``+45`` or ``02:55``) or set the speed."""
        change = _parsed(ClockIn, payload)
        minute = self._minute(change.to) if change.action == "jump" else None
        if change.action == "jump" and minute is None:
            raise ConsoleError("time: give the time to jump to, such as +45 or 02:55")
        try:
            record, _ = self.database.change_clock(
                change.action,
                who=change.who,
                minute=minute,
                speed=change.speed,
                client_key=change.client_key,
                now=now,
            )
        except ClockError as error:
            raise ConflictError(error.message) from None
        return record

    def inject(
        self, inject_id: str, action: str, payload: Mapping[str, Any], now: datetime | None = None
    ) -> LogRecord:
        """Release, hold or skip one of the scenario's injects."""
        request = _parsed(InjectIn, payload)
        if action not in ACTIONS:
            raise NotFoundError(f"'{action}' is not an inject action; use release, hold or skip")
        inject = self.injects.get(inject_id)
        if inject is None:
            raise NotFoundError(f"inject '{inject_id}' is not in scenario {self.scenario.name}")

        def check(read: Reader) -> Mapping[str, Any]:
            status = inject_statuses(read(INJECT_KINDS)).get(inject_id, InjectStatus("pending"))
            if action not in ALLOWED[status.status]:
                at = "" if status.minute is None else f" at minute {status.minute:g}"
                raise ConflictError(
                    f"inject {inject_id} was {status.status}{at}; it cannot be {PAST[action]} now"
                )
            return {}

        values = {
            "kind": ACTIONS[action],
            "inject": inject_id,
            "text": inject.text,
            "who": inject.to,
            "objective": inject.objective,
            "scenario_minute": None,
        }
        return self._append(values, request.client_key, now, check)

    def adhoc_inject(self, payload: Mapping[str, Any], now: datetime | None = None) -> LogRecord:
        """Release an inject the facilitator wrote on the day (id ``adhoc-1``, ``adhoc-2``...)."""
        request = _parsed(InjectIn, payload)
        if not request.text:
            raise ConsoleError("text: write the inject's message")
        values = {
            "kind": "inject_released",
            "text": request.text,
            "who": request.to,
            "objective": request.objective,
            "scenario_minute": None,
        }
        _refuse(reference_problems({"objective": request.objective}, self.context))

        def check(read: Reader) -> Mapping[str, Any]:
            taken = {r.inject for r in read(INJECT_KINDS)}
            number = 1
            while f"adhoc-{number}" in taken:
                number += 1
            return {"inject": f"adhoc-{number}"}

        return self._append(values, request.client_key, now, check)

    # --- pieces --------------------------------------------------------------------------

    def _append(
        self,
        values: Mapping[str, Any],
        client_key: str | None,
        now: datetime | None,
        check: Any = None,
    ) -> LogRecord:
        try:
            record, _ = self.database.append(values, client_key=client_key, now=now, check=check)
        except ValidationError as error:
            raise ConsoleError(_problems_text(error)) from None
        return record

    def _minute(self, text: str | None) -> float | None:
        if text is None or not text.strip():
            return None
        try:
            return scenario_minute_of(text, self.context)
        except ValueError as error:
            raise ConsoleError(f"time: {error}") from None

    @staticmethod
    def _vocabulary_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
        problems = []
        for name, words in (("jdm_stage", JDM_STAGES), ("rating", RATINGS), ("finding", FINDINGS)):
            value = values.get(name)
            if value and value not in words:
                problems.append((name, f"'{value}' is not one of: {', '.join(words)}"))
        return problems
