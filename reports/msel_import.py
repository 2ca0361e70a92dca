"""Bring an edited MSEL sheet back into a scenario: every row checked, a new file written.

The sheet is the one :mod:`standby.reports.msel` exports (CSV or XLSX), perhaps with rows
added, moved or reworded in Excel. :func:`import_msel` reads every row, collects every
problem (file, row, column, what would be valid) and imports nothing unless all rows are
good; then it writes the scenario again with the sheet's injects in place of the old ones,
leaving the rest of the file (comments, layout) as it was.

A row's time comes from its Time column (clock time or local date and time) or its Minute
column (``+45``). When both are filled and disagree, the one the planner changed wins: the
other still matches the inject's time in the scenario. A new row without an inject id gets
the next free one (``i13``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from standby.clock import TimeError, parse_instant, to_local
from standby.files import unneutralise
from standby.hints import did_you_mean
from standby.reports.msel import (
    ALIASES,
    COLUMNS,
    FALSE,
    HEADERS,
    REQUIRED,
    TRUE,
    MselError,
    Sheet,
    read_sheet,
)

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario

FIELD_COLUMNS = {key: header for header, key in COLUMNS.items() if key}


@dataclass(frozen=True)
class MselImport:
    """What an import did: the new scenario, where it was written, and what changed."""

    scenario: Scenario
    path: Path
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Clock:
    """The start and length that clock times in the sheet are read against."""

    start: datetime
    timezone: str
    duration: float


def _column(name: str) -> str | None:
    text = " ".join(name.split()).strip()
    for header in HEADERS:
        if header.lower() == text.lower():
            return header
    return ALIASES.get(text.lower())


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object, csv_cell: bool) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return unneutralise(text) if csv_cell else text


def read_time(value: object, clock: _Clock) -> float:
    """Minutes from the start of a Time or Minute cell; ``ValueError`` says the fix.

    Read as the exercise log reads its times (``exercise_log_sheets.scenario_minute_of``):
    minutes (``45``, ``+45``), a clock time (the first at or after the start) or a local date
    and time; then it must fall within the scenario.
    """
    from standby.reports.exercise_log import LogContext
    from standby.reports.exercise_log_sheets import scenario_minute_of

    context = LogContext(
        start=clock.start, timezone=clock.timezone, duration_minutes=clock.duration
    )
    minute = scenario_minute_of(value, context)
    if minute > clock.duration:
        raise ValueError(
            f"+{minute:g} min is after the scenario ends (+{clock.duration:g} min); move the "
            "inject earlier or lengthen the scenario (duration_minutes)"
        )
    return minute


def _flag(value: object) -> bool:
    text = "" if value is None else str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"'{value}' is not yes or no")


def _effect(text: str) -> Any:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        raise ValueError(
            f"'{text}' is not an effect; write it as {{kind: link_down, from: fire, to: police}}"
        )
    return data


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    time_minute: float | None
    minute_minute: float | None


def _clock_of(sheet: Sheet, scenario: Scenario, start_text: str | None) -> tuple[_Clock, str]:
    """The start the sheet's clock times are read against, and where it came from."""
    timezone = sheet.about.get("timezone") or scenario.timezone
    text, origin = start_text, "given"
    if not text and sheet.about.get("start"):
        text, origin = sheet.about["start"], "the workbook's about sheet"
    if not text:
        return _Clock(scenario.start_utc, scenario.timezone, scenario.duration_minutes), (
            "the scenario's start"
        )
    try:
        start = parse_instant(text, timezone)
    except TimeError as error:
        raise TimeError(error.message, parameters=("start",)) from None
    return _Clock(start, timezone, scenario.duration_minutes), origin


def _read_rows(
    sheet: Sheet, columns: dict[int, str], clock: _Clock, problems: list[str]
) -> list[_Row]:
    csv_cells = sheet.source.lower().endswith(".csv")
    rows = []
    for number, cells in sheet.rows:
        named = {columns[i]: cell for i, cell in enumerate(cells) if i in columns}
        if all(_blank(cell) for cell in named.values()):
            continue
        where = f"{sheet.source}: row {number}"
        values: dict[str, Any] = {}
        found: dict[str, float | None] = {"Time": None, "Minute": None}
        for header, cell in named.items():
            if _blank(cell):
                continue
            try:
                if header in found:
                    found[header] = read_time(
                        unneutralise(cell) if csv_cells and isinstance(cell, str) else cell,
                        clock,
                    )
                elif header == "Contingency":
                    values["contingency"] = _flag(cell)
                elif header == "Effect":
                    values["effect"] = _effect(_text(cell, csv_cells))
                elif COLUMNS[header]:
                    text = _text(cell, csv_cells)
                    lower = header in ("Type", "Mode", "Status")
                    values[COLUMNS[header]] = text.lower() if lower else text
            except ValueError as error:
                problems.append(f"{where}, column {header}: {error}")
                if header in found:
                    found[header] = math.nan  # there, but wrong: said once already
        if found["Time"] is None and found["Minute"] is None:
            problems.append(
                f"{where}, column Time: empty; give the clock time (02:55) or the Minute (+45)"
            )
        rows.append(_Row(number, values, *(_known(found[name]) for name in ("Time", "Minute"))))
    return rows


def _known(minute: float | None) -> float | None:
    return None if minute is None or math.isnan(minute) else minute


def _sheet_offset(rows: list[_Row], original: Mapping[str, float]) -> float | None:
    """The one offset between Time and Minute in every unchanged row, when there is one: the
    sheet was then made for another start."""
    offsets = [
        row.time_minute - row.minute_minute
        for row in rows
        if row.time_minute is not None
        and row.minute_minute is not None
        and row.values.get("id") in original
        and abs(row.minute_minute - original[row.values["id"]]) < 0.5
    ]
    if len(offsets) >= 2 and all(abs(o - offsets[0]) < 1 for o in offsets) and abs(offsets[0]) >= 1:
        return offsets[0]
    return None


def _minute_of(row: _Row, original: Mapping[str, float], where: str) -> float | None:
    """The row's minute from Time and Minute (the changed one wins when they disagree)."""
    time_minute, minute = row.time_minute, row.minute_minute
    if time_minute is None or minute is None:
        return time_minute if minute is None else minute
    if abs(time_minute - minute) < 1:
        return minute
    before = original.get(str(row.values.get("id")))
    if before is not None and abs(minute - before) < 0.5:
        return time_minute
    if before is not None and abs(time_minute - before) < 1:
        return minute
    raise ValueError(
        f"Time says +{time_minute:g} min but Minute says +{minute:g}; correct one of them or "
        "clear it"
    )


def _inject_problems(values: dict[str, Any], where: str) -> list[str]:
    """Each field problem of one row, by column, from the scenario format's own checks."""
    from pydantic import ValidationError

    from standby.scenarios.model import Inject

    try:
        Inject.model_validate(values)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else ""
            column = FIELD_COLUMNS.get("from" if field == "from_" else field, "Effect")
            if field == "id" and values.get("id") is None:
                continue
            message = str(item["msg"]).removeprefix("Value error, ")
            if item["type"] == "missing":
                message = "empty; fill it in"
            elif item["type"] == "literal_error":
                allowed = str(item.get("ctx", {}).get("expected", "")).replace("'", "")
                message = f"'{item['input']}' is not one of {allowed}"
            problems.append(f"{where}, column {column}: {message}")
        return problems
    return []


def _row_number(problem: str) -> int:
    """Problems in row order (those about the whole sheet first)."""
    found = re.search(r": row (\d+)", problem)
    return int(found[1]) if found else 0


def _next_ids(taken: set[str], count: int) -> list[str]:
    numbers = [int(m[1]) for i in taken if (m := re.fullmatch(r"i(\d+)", i))]
    start = max(numbers, default=0) + 1
    width = max(2, len(str(start + count)))
    return [f"i{n:0{width}d}" for n in range(start, start + count)]


def sheet_injects(
    sheet: Sheet, scenario: Scenario, start_text: str | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The sheet's rows as inject entries of a scenario file, in time order, and warnings.

    Raises :class:`MselError` listing every problem when any row is wrong.
    """
    problems: list[str] = []
    warnings: list[str] = []
    columns: dict[int, str] = {}
    for index, name in enumerate(sheet.header):
        if not name.strip():
            continue
        header = _column(name)
        if header is None:
            warnings.append(f"{sheet.source}: column '{name}' is not part of the MSEL; ignored")
        elif header in columns.values():
            problems.append(f"{sheet.source}: row 1: column {header} appears twice; keep one")
        else:
            columns[index] = header
    missing = [h for h in REQUIRED if h not in columns.values()]
    if "Time" not in columns.values() and "Minute" not in columns.values():
        missing.append("Time (or Minute)")
    if missing:
        problems.append(
            f"{sheet.source}: row 1: no column {', '.join(missing)}; keep the header "
            "row as exported"
        )
        raise MselError(sheet.source, problems)
    about = sheet.about.get("scenario")
    if about and about != scenario.name:
        warnings.append(
            f"{sheet.source}: made from scenario '{about}', imported into '{scenario.name}'"
        )
    clock, origin = _clock_of(sheet, scenario, start_text)
    rows = _read_rows(sheet, columns, clock, problems)
    original = {inject.id: inject.minute for inject in scenario.injects}
    objectives = {objective.id for objective in scenario.objectives}
    offset = _sheet_offset(rows, original)
    if offset is not None:
        made_for = to_local(clock.start + timedelta(minutes=offset), clock.timezone)
        problems.append(
            f"{sheet.source}: the Time column is {offset:+g} minutes off the Minute column "
            f"in every row, so the sheet was made for a start of {made_for:%Y-%m-%d %H:%M}, "
            f"not {to_local(clock.start, clock.timezone):%Y-%m-%d %H:%M} ({origin}); import it "
            "with that start, or to move every inject, change the Minute column too"
        )
    entries: list[tuple[float, int, dict[str, Any]]] = []
    for row in rows:
        where = f"{sheet.source}: row {row.number}"
        try:
            minute = _minute_of(row, original, where)
        except ValueError as error:
            problems.append(f"{where}, column Time: {error}")
            minute = None
        values = {"id": row.values.pop("id", None), "minute": minute or 0.0, **row.values}
        problems += _inject_problems(values, where)
        objective = values.get("objective")
        if objective is not None and objective not in objectives:
            hint = did_you_mean(str(objective), sorted(objectives))
            problems.append(f"{where}, column Objective: no objective '{objective}'; {hint}")
        if minute is not None:
            entries.append((minute, row.number, values))
    seen: dict[str, int] = {}
    for _, number, values in entries:
        if values["id"] in seen:
            problems.append(
                f"{sheet.source}: row {number}, column Inject: '{values['id']}' is "
                f"also the inject of row {seen[values['id']]}; give each its own id "
                "or clear it for a new one"
            )
        elif values["id"] is not None:
            seen[values["id"]] = number
    if problems:
        raise MselError(sheet.source, sorted(problems, key=_row_number))
    # a new row never takes the id of an inject the planner deleted: that would read as a change
    taken = set(seen) | set(original)
    fresh = iter(_next_ids(taken, sum(1 for *_, v in entries if v["id"] is None)))
    for _, _, values in entries:
        if values["id"] is None:
            values["id"] = next(fresh)
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    return [_file_entry(values) for _, _, values in entries], warnings


def _file_entry(values: dict[str, Any]) -> dict[str, Any]:
    """An inject as the scenario file writes it: fixed key order, defaults left out."""
    order = (
        "id",
        "minute",
        "type",
        "method",
        "from",
        "to",
        "text",
        "expected_action",
        "objective",
        "effect",
        "phase",
        "controller",
        "status",
        "contingency",
        "after",
        "notes",
    )
    defaults = {"status": "planned", "contingency": False}
    entry = {key: values[key] for key in order if key in values and values[key] is not None}
    minute = entry["minute"]
    entry["minute"] = int(minute) if float(minute).is_integer() else minute
    return {k: v for k, v in entry.items() if defaults.get(k, object()) != v}


def _row_of(sheet: Sheet, loc: tuple[str | int, ...], entries: list[dict[str, Any]]) -> str:
    """A scenario problem's location as the sheet's row and column, where it is an inject."""
    if len(loc) >= 2 and loc[0] == "injects" and isinstance(loc[1], int):
        entry = entries[loc[1]]
        field = str(loc[2]) if len(loc) > 2 else ""
        column = FIELD_COLUMNS.get(field, "Effect" if field == "effect" else "Inject")
        return f"{sheet.source}: inject {entry['id']}, column {column}"
    from standby.scenarios.model import format_loc

    return f"{sheet.source}: {format_loc(loc)}"


def injects_yaml(entries: list[dict[str, Any]]) -> str:
    """The ``injects:`` section as YAML text, one block mapping per inject."""
    import yaml

    if not entries:
        return "injects: []\n"
    return str(yaml.safe_dump({"injects": entries}, sort_keys=False, allow_unicode=True, width=100))


def replace_injects(text: str, section: str) -> str:
    """``text`` of a scenario file with its top-level ``injects:`` replaced by ``section``."""
    import yaml

    root = yaml.compose(text)
    lines = text.splitlines(keepends=True)
    assert isinstance(root, yaml.MappingNode)
    for key, value in root.value:
        if key.value == "injects":
            first = key.start_mark.line
            last = value.end_mark.line if value.end_mark.column else value.end_mark.line - 1
            last = min(last, len(lines) - 1)
            while last > first and (not lines[last].strip() or lines[last].startswith("#")):
                last -= 1
            return "".join(lines[:first]) + section + "".join(lines[last + 1 :])
    joined = "".join(lines)
    return joined + ("" if joined.endswith("\n") else "\n") + section


def import_msel(
    sheet_path: Path,
    into: str | Path,
    out: Path,
    *,
    start_text: str | None = None,
    force: bool = False,
) -> MselImport:
    """Read the MSEL at ``sheet_path`` into scenario ``into`` and write the result to ``out``.

    ``out`` is never replaced (the scenario file itself included) unless ``force``.
    """
    from standby.files import check_writable, write_text_atomic
    from standby.scenarios import ScenarioError, load_scenario, parse_scenario
    from standby.scenarios.load import resolve
    from standby.scenarios.model import ScenarioReferenceError

    check_writable(out, force=force)
    scenario = load_scenario(into)
    sheet = read_sheet(sheet_path)
    entries, warnings = sheet_injects(sheet, scenario, start_text)
    import yaml

    data = yaml.safe_load(resolve(into).read_text(encoding="utf-8"))
    data["injects"] = entries
    from standby.scenarios.model import Scenario

    try:
        updated = Scenario.model_validate(data)
    except ScenarioReferenceError as error:
        raise MselError(
            sheet.source, [f"{_row_of(sheet, loc, entries)}: {msg}" for loc, msg in error.problems]
        ) from None
    text = replace_injects(resolve(into).read_text(encoding="utf-8"), injects_yaml(entries))
    try:
        parse_scenario(text, str(out))
    except ScenarioError as error:  # the file written must load as it was checked
        raise MselError(sheet.source, [error.message]) from None
    write_text_atomic(out, text, force=force)
    before = {inject.id: inject for inject in scenario.injects}
    after = {inject.id: inject for inject in updated.injects}
    return MselImport(
        scenario=updated,
        path=out,
        added=tuple(i for i in after if i not in before),
        removed=tuple(i for i in before if i not in after),
        changed=tuple(i for i in after if i in before and after[i] != before[i]),
        warnings=tuple(warnings),
    )
