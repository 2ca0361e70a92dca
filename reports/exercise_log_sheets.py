"""Exercise logs in spreadsheets: CSV and XLSX written for people, and read back row by row.

A log typed up from paper comes in as CSV or XLSX. Every row is validated: each problem names
the file, the row and the column and says what would be valid, and nothing is read unless
every row is. Scenario times may be minutes since the start (``45``, ``+45``), a clock time
(``02:55``) or a local date and time (``2026-11-12 02:55``).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from standby import yamlfile
from standby.clock import iso_z, local_to_utc, parse_instant, to_local, zone
from standby.errors import StandbyError, with_input
from standby.files import csv_text, unneutralise
from standby.hints import did_you_mean
from standby.reports.exercise_log import (
    FIELDS,
    FINDINGS,
    FORMAT,
    FORMAT_VERSION,
    JDM_STAGES,
    KINDS,
    MAX_MINUTE,
    RATINGS,
    SHEET_COLUMNS,
    ExerciseLog,
    LogContext,
    LogError,
    LogRecord,
    is_adhoc_inject,
    kind_problems,
    reference_problems,
)
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

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario


def _sheet_rows(log: ExerciseLog) -> Iterator[list[object]]:
    for record in log.records:
        data = record.to_json_dict()
        row: list[object] = [data[name] for name in FIELDS[:3]]
        row.append(log.clock_text(record.scenario_minute))
        row += [data[name] for name in FIELDS[3:]]
        yield row


def log_to_csv(log: ExerciseLog) -> str:
    """The log as CSV, one record a row, formula-like cells neutralised."""
    return csv_text(SHEET_COLUMNS, _sheet_rows(log))


def log_to_xlsx(log: ExerciseLog) -> bytes:
    """The log as a workbook: sheet ``log`` (one record a row) and sheet ``about``."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "log"
    sheet.append(list(SHEET_COLUMNS))
    for row in _sheet_rows(log):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even when it starts with '='
    widths = {"text": 60, "rationale": 40, "who": 24, "scenario_time": 17, "wall_time": 21}
    for index, name in enumerate(SHEET_COLUMNS):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 14)
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("about")
    about.append(["format", FORMAT])
    about.append(["version", FORMAT_VERSION])
    about.append(["scenario", log.scenario or ""])
    about.append(["start", iso_z(log.start) if log.start else ""])
    about.append(["timezone", log.timezone or ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- scenario times ----------------------------------------------------------------------

_MINUTES = re.compile(r"^\+?\s*(\d+(?:\.\d+)?)\s*(?:min|mins|minutes|m)?$", re.IGNORECASE)
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")


def scenario_minute_of(value: object, context: LogContext) -> float:
    """Read a scenario time: minutes (``45``, ``+45``), a clock time (``02:55``) or a local
    date-time (``2026-11-12 02:55``), as minutes since the scenario's start.

    A clock time is the first such time at or after the start; one that would fall beyond
    the scenario's length is taken to be before the start, which is an error. Raises
    ``ValueError`` with the fix in its message.
    """
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a time")
    if isinstance(value, int | float):
        return _checked_minute(float(value))
    if isinstance(value, datetime):
        return _minute_of_instant(value, context)
    if isinstance(value, time):
        return _minute_of_clock(value.hour, value.minute, value.second, context)
    text = str(value).strip()
    if match := _MINUTES.match(text):
        return _checked_minute(float(match[1]))
    if match := _CLOCK.match(text):
        return _minute_of_clock(int(match[1]), int(match[2]), int(match[3] or 0), context)
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return _minute_of_instant(text, context)
    raise ValueError(
        f"'{text}' is not a scenario time; write minutes since the start (45 or +45), "
        "a clock time (02:55) or a date and time (2026-11-12 02:55)"
    )


def _checked_minute(minute: float) -> float:
    if not math.isfinite(minute) or minute > MAX_MINUTE:
        raise ValueError(f"{minute:g} minutes is beyond the longest exercise ({MAX_MINUTE} min)")
    return round(minute, 2)


def _need_start(context: LogContext, shown: str) -> datetime:
    if context.start is None:
        raise ValueError(
            f"'{shown}' is a clock time, but the log's scenario (and so its start) is not "
            "known; name the scenario, or give minutes since the start (45 or +45)"
        )
    return context.start


def _minute_of_clock(hour: int, minute: int, second: int, context: LogContext) -> float:
    """Minutes from the start to the first local ``hour:minute`` at or after it.

    Counted on the real clock: across a clock change the minutes are elapsed time, so 03:30
    is 240 minutes after 00:30 on the night the clocks go back.
    """
    shown = f"{hour:02d}:{minute:02d}"
    start = _need_start(context, shown)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"'{shown}' is not a clock time; write it as 02:55")
    tz = zone(context.timezone)
    local_start = to_local(start, context.timezone)
    for days in (0, 1, 2):
        day = local_start.date() + timedelta(days=days)
        try:
            instant, _ = local_to_utc(
                datetime.combine(day, time(hour, minute, second)), tz, ambiguous="first"
            )
        except StandbyError as error:
            raise ValueError(error.message) from None
        after = (instant - start).total_seconds() / 60.0
        if after >= 0:
            break
    if after > context.duration_minutes:
        raise ValueError(
            f"{shown} is before the scenario's start ({local_start:%H:%M}); times run from "
            f"the start for {context.duration_minutes:g} minutes"
        )
    return round(after, 2)


def _minute_of_instant(value: str | datetime, context: LogContext) -> float:
    shown = value if isinstance(value, str) else value.strftime("%Y-%m-%d %H:%M")
    start = _need_start(context, shown)
    try:
        instant = parse_instant(value, context.timezone, ambiguous="first")
    except StandbyError as error:
        raise ValueError(error.message) from None
    minute = (instant - start).total_seconds() / 60.0
    if minute < 0:
        local_start = to_local(start, context.timezone)
        raise ValueError(
            f"{shown} is before the scenario's start ({local_start:%Y-%m-%d %H:%M}); check the "
            "date, or give the time as minutes since the start (45 or +45)"
        )
    return _checked_minute(minute)


# --- rows of a spreadsheet ---------------------------------------------------------------

_ALIASES = {
    "time": "scenario_time",
    "clock": "scenario_time",
    "minute": "scenario_minute",
    "minutes": "scenario_minute",
    "decision": "text",
    "description": "text",
    "evidence": "rationale",
    "owner": "who",
    "stage": "jdm_stage",
    "jdm": "jdm_stage",
    "objective_id": "objective",
    "inject_id": "inject",
    "task_id": "task",
}
_VOCABULARIES: dict[str, dict[str, str]] = {
    "kind": {k: k for k in KINDS},
    "jdm_stage": {
        **{k: k for k in JDM_STAGES},
        **{v.lower(): k for k, v in JDM_STAGES.items()},
    },
    "rating": {
        **{k.lower(): k for k in RATINGS},
        **{v.lower(): k for k, v in RATINGS.items()},
    },
    "finding": {
        **{k: k for k in FINDINGS},
        **{v.lower(): k for k, v in FINDINGS.items()},
        "afi": "improvement",
        "area_for_improvement": "improvement",
    },
}


@dataclass
class ParsedRows:
    """Records read from a spreadsheet, with warnings that did not stop the reading."""

    records: list[LogRecord]
    warnings: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def column_name(header: object) -> str:
    """A header cell as a column name: ``Scenario minute`` -> ``scenario_minute``."""
    name = column_key(header)
    return _ALIASES.get(name, name)


def parse_rows(
    header: Sequence[object],
    rows: Iterable[tuple[int, Sequence[object]]],
    source: str,
    context: LogContext,
    *,
    keep_ids: bool = True,
    row_label: str = "row",
    cell_label: str = "column",
) -> ParsedRows:
    """Validate spreadsheet rows (``(row number, cells)``) into records, all or nothing.

    Every problem names the file, row and column (``row_label`` and ``cell_label`` say what
    to call them: a YAML log's line and field) and says what would be valid; they are
    raised together as one :class:`LogError`. With ``keep_ids`` a file's ``id`` column is
    kept (the ids must ascend); otherwise records are numbered in row order.
    """
    columns = [column_name(cell) for cell in header]
    known = set(SHEET_COLUMNS)
    warnings = [
        f"{source}: column '{header[i]}' is not a log column and was ignored"
        for i, name in enumerate(columns)
        if name and name not in known
    ]
    problems = []
    if "kind" not in columns or "text" not in columns:
        missing = [name for name in ("kind", "text") if name not in columns]
        problems.append(
            f"{source}: row 1: no {' or '.join(repr(m) for m in missing)} column; the header "
            f"needs at least kind, text and scenario_minute (or scenario_time); "
            f"all columns: {', '.join(SHEET_COLUMNS)}"
        )
    if "scenario_minute" not in columns and "scenario_time" not in columns:
        problems.append(f"{source}: row 1: no 'scenario_minute' or 'scenario_time' column")
    if problems:
        raise LogError(problems, source)
    records: list[LogRecord] = []
    keys: list[str] = []
    adhoc: set[str] = set()
    seen: dict[str, int] = {}
    for number, cells in rows:
        cell_map = {
            name: cells[i]
            for i, name in enumerate(columns)
            if name in known and i < len(cells) and not is_blank(cells[i])
        }
        if not cell_map:
            continue
        values, row_problems = _row_values(cell_map, context, adhoc)
        if not keep_ids or "id" not in values:
            values["id"] = len(records) + 1
        if not row_problems:
            try:
                record = LogRecord.model_validate(values)
            except ValidationError as error:
                row_problems = [_pydantic_problem(item) for item in error.errors()]
            else:
                if records and record.id <= records[-1].id:
                    row_problems = [
                        ("id", f"{record.id} does not follow {records[-1].id}; ids must ascend")
                    ]
                else:
                    records.append(record)
                    if is_adhoc_inject(values, context) and record.inject:
                        adhoc.add(record.inject)
                    canonical = json.dumps(
                        {k: v for k, v in record.to_json_dict().items() if k != "id"},
                        sort_keys=True,
                    )
                    seen[canonical] = seen.get(canonical, 0) + 1
                    keys.append(
                        hashlib.sha256(f"{canonical}#{seen[canonical]}".encode()).hexdigest()
                    )
        problems += [
            f"{source}: {row_label} {number}, {cell_label} '{name}': {problem}"
            for name, problem in row_problems
        ]
    if problems:
        raise LogError(problems, source)
    return ParsedRows(records, warnings, keys)


def _row_values(
    cells: Mapping[str, object], context: LogContext, adhoc: set[str]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Typed values of one row, and (column, problem) for each cell that cannot be read."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, cell in cells.items():
        if name in ("scenario_minute", "scenario_time"):
            continue
        text = unneutralise(cell) if isinstance(cell, str) else cell
        if name in _VOCABULARIES:
            word = (
                re.sub(r"[\s\-]+", "_", str(text).strip().lower())
                if name != "rating"
                else str(text).strip().lower()
            )
            vocabulary = _VOCABULARIES[name]
            lookup = vocabulary.get(word) or vocabulary.get(word.replace("_", " "))
            if lookup is None:
                valid = list(dict.fromkeys(vocabulary.values()))
                close = did_you_mean(word, valid) if name != "rating" else ""
                hint = close if close.startswith("did") else f"use one of: {', '.join(valid)}"
                problems.append((name, f"'{text}' is not valid; {hint}"))
            else:
                values[name] = lookup
        elif name == "id":
            try:
                values["id"] = int(float(str(text)))
            except ValueError:
                problems.append(("id", f"'{text}' is not a whole number"))
        elif name == "wall_time":
            try:
                values["wall_time"] = parse_instant(
                    text if isinstance(text, datetime) else str(text), "UTC"
                )
            except StandbyError as error:
                problems.append(("wall_time", error.message))
        else:
            values[name] = text if isinstance(text, str) else _cell_text(text)
    minute, where, problem = _row_minute(cells, context)
    if problem:
        problems.append((where, problem))
    else:
        values["scenario_minute"] = minute
    if not problems:
        problems += kind_problems(values)
        problems += reference_problems(values, context, adhoc)
    return values, problems


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _row_minute(cells: Mapping[str, object], context: LogContext) -> tuple[float, str, str | None]:
    """(minute, column, problem): from scenario_minute, scenario_time, or both agreeing.

    Without the scenario's start a clock time cannot be read; beside a scenario_minute it is
    then left unchecked (a CSV export carries no start).
    """
    readings = {}
    names = ["scenario_minute", "scenario_time"]
    if context.start is None and "scenario_minute" in cells:
        names.remove("scenario_time")
    for name in names:
        if name in cells:
            try:
                readings[name] = scenario_minute_of(cells[name], context)
            except ValueError as error:
                return 0.0, name, str(error)
    if not readings:
        return 0.0, "scenario_minute", "empty; give the minutes since the start or a clock time"
    if len(readings) == 2 and abs(readings["scenario_minute"] - readings["scenario_time"]) > 0.5:
        return (
            0.0,
            "scenario_time",
            f"{cells['scenario_time']} is minute {readings['scenario_time']:g}, but "
            f"scenario_minute says {readings['scenario_minute']:g}; correct one or clear it",
        )
    return readings.get("scenario_minute", readings.get("scenario_time", 0.0)), "", None


def _pydantic_problem(item: Any) -> tuple[str, str]:
    loc = tuple(item["loc"])
    name = str(loc[0]) if loc else "kind"
    message = str(item["msg"]).removeprefix("Value error, ")
    message = "required, but empty" if item["type"] == "missing" else with_input(message, item)
    return name, message


@dataclass
class SheetLog:
    """A log read from a spreadsheet, with its warnings and the rows' idempotency keys."""

    log: ExerciseLog
    warnings: list[str]
    keys: list[str]


def read_sheet(
    path: Path,
    scenario: Scenario | None = None,
    *,
    context: LogContext | None = None,
    keep_ids: bool = True,
) -> SheetLog:
    """Read a CSV, XLSX or YAML log, validated row by row (see :func:`parse_rows`).

    A YAML log is a ``records:`` list of mappings with the sheet's columns as keys (and may
    give ``scenario``, ``start`` and ``timezone``); its problems name each record's line.
    """
    about: dict[str, str] = {}
    row_label, cell_label = "row", "column"
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        header, rows, about = _xlsx_rows(path)
    elif suffix in (".yaml", ".yml"):
        header, rows, about = _yaml_rows(path)
        row_label, cell_label = "line", "field"
    else:
        header, rows = _csv_rows(path)
    if context is None:
        context = LogContext.of(scenario) if scenario is not None else _about_context(about, path)
    parsed = parse_rows(
        header,
        rows,
        str(path),
        context,
        keep_ids=keep_ids,
        row_label=row_label,
        cell_label=cell_label,
    )
    log = ExerciseLog(
        scenario=context.scenario,
        start=context.start,
        timezone=context.timezone if context.start else None,
        records=tuple(parsed.records),
    )
    return SheetLog(log, parsed.warnings, parsed.keys)


def _about_context(about: Mapping[str, str], path: Path) -> LogContext:
    start = about.get("start") or None
    try:
        return LogContext(
            scenario=about.get("scenario") or None,
            start=parse_instant(start, "UTC") if start else None,
            timezone=about.get("timezone") or "Europe/London",
        )
    except StandbyError as error:
        raise LogError([f"{path}: sheet 'about', start: {error.message}"]) from None


def _csv_rows(path: Path) -> tuple[list[object], Rows]:
    try:
        return csv_table(path)
    except SheetError as error:
        message = error.message
        if "empty" in message:
            message += f": {', '.join(SHEET_COLUMNS)}"
        raise LogError([message]) from None


def _xlsx_rows(path: Path) -> tuple[list[object], Rows, dict[str, str]]:
    try:
        sheets = xlsx_sheets(path)
        name = "log" if "log" in sheets else next(iter(sheets))
        header, rows = numbered(sheets[name], path, name)
    except SheetError as error:
        raise LogError([error.message]) from None
    about: dict[str, str] = {}
    for row in sheets.get("about", []):
        if len(row) >= 2 and row[0]:
            about[str(row[0]).strip()] = "" if row[1] is None else str(row[1]).strip()
    return header, rows, about


def _yaml_rows(path: Path) -> tuple[list[object], Rows, dict[str, str]]:
    """A YAML log's records as rows numbered by their line, every value kept as typed text
    (so ``02:55`` is a clock time, never YAML's base-60 number)."""
    import yaml

    try:
        text = read_utf8(path)
        yamlfile.load(text)  # duplicate keys, tags and nesting checked as for every YAML file
        root = yaml.compose(text)
    except NotUtf8Error as error:
        raise LogError([f"{path}: {error}; save it as UTF-8 text"]) from None
    except yamlfile.YamlError as error:
        raise LogError([f"{path}: {error.message}"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise LogError(
            [f"{where}: YAML syntax error: {getattr(error, 'problem', error)}"]
        ) from None
    top = _yaml_mapping(root)
    records = top.get("records")
    if not isinstance(records, yaml.SequenceNode):
        raise LogError([f"{path}: the file needs a 'records:' list, one mapping a record"])
    about = {
        key: value.value
        for key, value in top.items()
        if key in ("scenario", "start", "timezone") and isinstance(value, yaml.ScalarNode)
    }
    header: list[object] = []
    items = []
    for node in records.value:
        cells = _yaml_mapping(node)
        header += [key for key in cells if key not in header]
        items.append((node.start_mark.line + 1, cells))
    rows: Rows = [
        (
            line,
            [
                cells[str(key)].value if isinstance(cells.get(str(key)), yaml.ScalarNode) else None
                for key in header
            ],
        )
        for line, cells in items
    ]
    return header, rows, about


def _yaml_mapping(node: object) -> dict[str, Any]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): value for key, value in node.value}
