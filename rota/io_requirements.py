"""A requirements file read without pydantic, when it is plainly valid.

Reading a requirements file through the pydantic models (``rota.io_yaml_models``) means
importing pydantic and building its validators: about a tenth of a second, as long as
checking a third of a year's rota. Most requirements files are plain: known keys, each value
of exactly the type its model takes (a whole number for ``min``, text for times), nothing to
warn about. :func:`plain_requirements` reads those directly. For anything else it returns
None and the file goes through the models (``rota.io_yaml``), which give the same result or
the message that explains what is wrong: a value of another type (``min: "2"``, which the
models accept as 2), an unknown key, a value a validator rejects, an event time that is
ambiguous or out of order, a setting for a role the file does not require, a role listed
twice. Tests hold the two ways to the same answer.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from standby import limits
from standby.rota.io_common import RequirementsSet, RotaFileError, check_timezone, parse_time
from standby.rota.io_words import normalise_window_days, parse_clock
from standby.rota.model import (
    STANDBY_MODES,
    WEEKDAYS,
    Requirement,
    RoleRules,
    StandbyMode,
    TimeWindow,
)

_FILE_KEYS = {"timezone", "requirements", "working_time"}
_REQUIREMENT_KEYS = {"role", "min", "when", "qualification", "name", "dates"}
_WHEN_KEYS = {"days", "from", "to"}
_SETTING_KEYS = {
    "role",
    "standby",
    "on_call_is_work",
    "response_minutes",
    "callouts_per_week",
    "reference_weeks",
    "weekly_rest",
    "weekly_rest_may_include_daily_rest",
    "hazardous_night_work",
    "max_consecutive_days",
}


class _NotPlainError(Exception):
    """The document needs the models: to coerce a value, or to explain a problem."""


def plain_requirements(document: Any, path: Path, timezone: str) -> RequirementsSet | None:
    """The requirements and settings of a parsed requirements file, or None when the file
    is not plainly valid (then ``rota.io_yaml.read_requirements_set`` reads it)."""
    try:
        return _read(document, path, timezone)
    except _NotPlainError:
        return None


def _read(document: Any, path: Path, timezone: str) -> RequirementsSet:
    if type(document) is not dict or not set(document) <= _FILE_KEYS:
        raise _NotPlainError
    file_zone = document.get("timezone")
    if file_zone is not None:
        try:
            check_timezone(path, _text(file_zone))
        except RotaFileError:
            raise _NotPlainError from None
    needs = _list(document.get("requirements"))
    if not needs:
        raise _NotPlainError
    requirements = [
        _requirement(need, path, index, file_zone or timezone) for index, need in enumerate(needs)
    ]
    required = {requirement.role for requirement in requirements}
    role_rules: dict[str, RoleRules] = {}
    for entry in _list(document.get("working_time")):
        role, rules = _rules(entry)
        if role in role_rules or role not in required:
            raise _NotPlainError  # a role twice is an error, one not required a warning
        role_rules[role] = rules
    return RequirementsSet(requirements, role_rules, [])


def _requirement(need: Any, path: Path, index: int, timezone: str) -> Requirement:
    entry = _mapping(need, _REQUIREMENT_KEYS)
    minimum = entry.get("min", 1)
    if type(minimum) is not int or not 0 <= minimum <= limits.MAX_PEOPLE_REQUIRED:
        raise _NotPlainError  # the model's message names the limit
    when = entry.get("when")
    dates = entry.get("dates")
    return Requirement(
        role=_role(entry),
        minimum=minimum,
        when=None if when is None else _when(when),
        qualification=_optional_text(entry.get("qualification")),
        source=f"{path.name}:requirements.{index}",
        name=_optional_text(entry.get("name")),
        dates=None if dates is None else _dates(dates, timezone),
    )


def _when(value: Any) -> TimeWindow:
    entry = _mapping(value, _WHEN_KEYS)
    days = entry.get("days", list(WEEKDAYS))
    if type(days) is not list or not all(type(day) is str for day in days):
        raise _NotPlainError
    try:
        return TimeWindow(
            tuple(normalise_window_days(days)),
            parse_clock(_text(entry.get("from", "00:00"))),
            parse_clock(_text(entry.get("to", "00:00"))),
        )
    except ValueError:
        raise _NotPlainError from None


def _dates(value: Any, timezone: str) -> tuple[tuple[datetime, datetime], ...]:
    periods = []
    for period in _list(value) or _not_plain():
        entry = _mapping(period, {"start", "end"})
        if set(entry) != {"start", "end"}:
            raise _NotPlainError
        start, end = (_instant(_text(entry[key]), timezone) for key in ("start", "end"))
        if end <= start:
            raise _NotPlainError
        periods.append((start, end))
    return tuple(sorted(periods))


def _instant(text: str, timezone: str) -> datetime:
    warnings: list[str] = []
    try:
        instant = parse_time(text, timezone=timezone, where="", warnings=warnings)
    except RotaFileError:
        raise _NotPlainError from None
    if warnings:
        raise _NotPlainError
    return instant


def _rules(value: Any) -> tuple[str, RoleRules]:
    entry = _mapping(value, _SETTING_KEYS)
    standby = entry.get("standby")
    if standby is not None and standby not in STANDBY_MODES:
        raise _NotPlainError
    on_call_is_work = _optional_flag(entry.get("on_call_is_work"))
    if standby is not None and on_call_is_work is not None:
        raise _NotPlainError
    mode: StandbyMode = standby or ("rest" if on_call_is_work is False else "work")
    response = _optional_amount(entry.get("response_minutes"))
    if mode == "by_response_time" and response is None:
        raise _NotPlainError
    weeks = entry.get("reference_weeks", 17)
    weekly_rest = entry.get("weekly_rest", "weekly")
    longest = entry.get("max_consecutive_days")
    if type(weeks) is not int or not 1 <= weeks <= 52:
        raise _NotPlainError
    if weekly_rest not in ("weekly", "fortnightly"):
        raise _NotPlainError
    if longest is not None and (type(longest) is not int or longest < 1):
        raise _NotPlainError
    return _role(entry), RoleRules(
        standby=mode,
        response_minutes=response,
        callouts_per_week=_optional_amount(entry.get("callouts_per_week")),
        reference_weeks=weeks,
        weekly_rest=weekly_rest,
        weekly_rest_may_include_daily_rest=_flag(entry, "weekly_rest_may_include_daily_rest"),
        hazardous_night_work=_flag(entry, "hazardous_night_work"),
        max_consecutive_days=longest,
    )


# --------------------------------------------------------------------------- values


def _not_plain() -> list[Any]:
    raise _NotPlainError


def _mapping(value: Any, keys: set[str]) -> dict[str, Any]:
    if type(value) is not dict or not set(value) <= keys:
        raise _NotPlainError
    return value


def _list(value: Any) -> list[Any]:
    """A list, or a section left empty (``key:`` with nothing under it) as no entries."""
    if value is None:
        return []
    if type(value) is not list:
        raise _NotPlainError
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _NotPlainError
    return value


def _role(entry: dict[str, Any]) -> str:
    role = _text(entry.get("role"))
    if not role:
        raise _NotPlainError
    return role


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _optional_flag(value: Any) -> bool | None:
    if value is not None and type(value) is not bool:
        raise _NotPlainError
    return value


def _flag(entry: dict[str, Any], key: str) -> bool:
    value = entry.get(key, False)
    if type(value) is not bool:
        raise _NotPlainError
    return value


def _optional_amount(value: Any) -> float | None:
    """A number of 0 or more, as a float (as the models give it), or None."""
    if value is None:
        return None
    if type(value) not in (int, float) or not value >= 0:
        raise _NotPlainError
    try:
        return float(value)
    except OverflowError:  # a whole number too large for a float
        raise _NotPlainError from None
