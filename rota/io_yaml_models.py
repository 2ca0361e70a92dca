"""The YAML rota and requirements files as pydantic models (``extra="forbid"``).

``rota.io_yaml`` validates a parsed document against these and turns them into the model;
``rota_to_json`` output is read back through the ``Json*`` variants, which keep sources.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from standby.rota.model import BANK_HOLIDAY, WEEKDAYS, FillWeights, RoleRules, TimeWindow
from standby.rota.patterns import parse_day_job, parse_handover, parse_length

_DAY_NAMES = {name: name for name in WEEKDAYS} | {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
    "tues": "tue",
    "thur": "thu",
    "thurs": "thu",
}
_BANK_HOLIDAY_NAMES = {"bank_holiday", "bank_holidays", "bank holiday", "bank holidays"}
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# --------------------------------------------------------------------------- models


class _Strict(BaseModel):
    # defer_build: a model is built when first used, so reading a requirements file does
    # not pay for the rota models (pydantic builds each model's validator up front).
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


class _File(_Strict):
    """A whole file: a section left empty (``leave:`` with nothing under it) is no entries."""

    @model_validator(mode="before")
    @classmethod
    def _empty_sections(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                key: [] if value is None and key not in ("timezone", "fill") else value
                for key, value in data.items()
            }
        return data


def normalise_days(days: list[str]) -> list[str]:
    """Day names as ``mon``..``sun``; raises ValueError naming the bad one."""
    result = []
    for day in days:
        short = _DAY_NAMES.get(str(day).strip().lower())
        if short is None:
            raise ValueError(f"'{day}' is not a day; use {', '.join(WEEKDAYS)}")
        result.append(short)
    return result


def normalise_window_days(days: list[str]) -> list[str]:
    """A requirement window's days: ``mon``..``sun`` and ``bank_holiday``, each once."""
    result: list[str] = []
    for day in days:
        text = str(day).strip().lower().replace("-", " ")
        if text in _BANK_HOLIDAY_NAMES or text.replace("_", " ") in _BANK_HOLIDAY_NAMES:
            short = BANK_HOLIDAY
        elif text in _DAY_NAMES:
            short = _DAY_NAMES[text]
        else:
            raise ValueError(f"'{day}' is not a day; use {', '.join(WEEKDAYS)} or {BANK_HOLIDAY}")
        if short not in result:
            result.append(short)
    return result


def parse_clock(text: str) -> time:
    """``HH:MM`` (24-hour) as a time; raises ValueError with the fix."""
    match = _CLOCK.match(str(text).strip())
    if not match:
        raise ValueError(f"'{text}' is not a time of day; write it as HH:MM, e.g. 08:00")
    return time(int(match.group(1)), int(match.group(2)))


class WhenModel(_Strict):
    """Local days and hours in which a requirement applies (``bank_holiday`` is a day too)."""

    days: list[str] = Field(default_factory=lambda: list(WEEKDAYS))
    from_: str = Field("00:00", alias="from")
    to: str = "00:00"

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        return normalise_window_days(value)

    @field_validator("from_", "to")
    @classmethod
    def _clock(cls, value: str) -> str:
        parse_clock(value)
        return value

    def window(self) -> TimeWindow:
        return TimeWindow(tuple(self.days), parse_clock(self.from_), parse_clock(self.to))


class DatesModel(_Strict):
    """One dated period of a planned event: local start and end."""

    start: str
    end: str


class RequirementModel(_Strict):
    """At least ``min`` people on call for ``role`` (inside ``when``, and ``dates``)."""

    role: str = Field(min_length=1)
    min: int = Field(1, ge=0)
    when: WhenModel | None = None
    qualification: str | None = None
    name: str | None = None
    dates: list[DatesModel] | None = Field(None, min_length=1)


class WorkingTimeModel(_Strict):
    """Working-time settings for one role (``working_time:`` entries; see ``RoleRules``).

    ``on_call_is_work`` is the older way to say ``standby``: true is ``work``, false ``rest``.
    """

    role: str = Field(min_length=1)
    standby: Literal["work", "rest", "by_response_time"] | None = None
    on_call_is_work: bool | None = None
    response_minutes: float | None = Field(None, ge=0)
    callouts_per_week: float | None = Field(None, ge=0)
    reference_weeks: int = Field(17, ge=1, le=52)
    weekly_rest: Literal["weekly", "fortnightly"] = "weekly"
    weekly_rest_may_include_daily_rest: bool = False
    hazardous_night_work: bool = False
    max_consecutive_days: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _one_standby(self) -> WorkingTimeModel:
        if self.standby is not None and self.on_call_is_work is not None:
            raise ValueError(
                "give 'standby' (work, rest or by_response_time) or the older "
                "'on_call_is_work', not both"
            )
        mode = self.standby or ("rest" if self.on_call_is_work is False else "work")
        if mode == "by_response_time" and self.response_minutes is None:
            raise ValueError(
                "standby 'by_response_time' needs 'response_minutes' (how soon the person "
                "must respond), and may give 'callouts_per_week'"
            )
        return self

    def rules(self) -> RoleRules:
        mode = self.standby or ("rest" if self.on_call_is_work is False else "work")
        return RoleRules(
            standby=mode,
            response_minutes=self.response_minutes,
            callouts_per_week=self.callouts_per_week,
            reference_weeks=self.reference_weeks,
            weekly_rest=self.weekly_rest,
            weekly_rest_may_include_daily_rest=self.weekly_rest_may_include_daily_rest,
            hazardous_night_work=self.hazardous_night_work,
            max_consecutive_days=self.max_consecutive_days,
        )


_WEIGHTS = FillWeights()


class FillWeightsModel(_Strict):
    """``fill: weights:``: how ``rota fill`` weighs fairness and changes (see ``FillWeights``)."""

    hours: float = Field(_WEIGHTS.hours, ge=0)
    nights: float = Field(_WEIGHTS.nights, ge=0)
    weekend_hours: float = Field(_WEIGHTS.weekend_hours, ge=0)
    bank_holiday_hours: float = Field(_WEIGHTS.bank_holiday_hours, ge=0)
    changes: float = Field(_WEIGHTS.changes, ge=0)
    people: float = Field(_WEIGHTS.people, ge=0)

    def weights(self) -> FillWeights:
        return FillWeights(**self.model_dump())


class FillModel(_Strict):
    """The ``fill:`` section of a requirements file or YAML rota."""

    weights: FillWeightsModel = Field(default_factory=FillWeightsModel)


class RequirementsFile(_File):
    """A requirements file: a timezone, requirements and working-time settings per role."""

    timezone: str | None = None
    requirements: list[RequirementModel] = Field(default_factory=list)
    working_time: list[WorkingTimeModel] = Field(default_factory=list)
    fill: FillModel | None = None


# --------------------------------------------------------------------------- rota models


class LocationModel(_Strict):
    """Where a person is based, for travel times."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class PersonModel(_Strict):
    """Someone who can be on call; ``id`` defaults to ``name``."""

    id: str | None = None
    name: str = Field(min_length=1)
    roles: list[str] = Field(default_factory=list)
    qualifications: list[str] = Field(default_factory=list)
    answer_probability: float | None = Field(None, ge=0, le=1)
    home_base: str | None = None
    home_location: LocationModel | None = None
    phone: str | None = None
    day_job: str | list[WhenModel] | None = None

    @field_validator("day_job")
    @classmethod
    def _day_job(cls, value: str | list[WhenModel] | None) -> str | list[WhenModel] | None:
        if isinstance(value, str):
            parse_day_job(value)
        return value

    def day_job_windows(self) -> tuple[TimeWindow, ...]:
        """The day job as weekly windows (empty when none is given)."""
        if self.day_job is None:
            return ()
        if isinstance(self.day_job, str):
            return parse_day_job(self.day_job)
        return tuple(window.window() for window in self.day_job)


class CalloutModel(_Strict):
    """Time actually worked on a call-out (``callouts:`` entries)."""

    person: str = Field(min_length=1)
    start: str
    end: str
    role: str | None = None
    notes: str | None = None


class ShiftModel(_Strict):
    """One shift written out in full."""

    person: str = Field(min_length=1)
    role: str = Field(min_length=1)
    start: str
    end: str
    level: int = Field(1, ge=1)
    phone: str | None = None
    notes: str | None = None


class PatternModel(_Strict):
    """A rotation of people for a role (see ``rota.patterns``)."""

    role: str = Field(min_length=1)
    people: list[str] = Field(min_length=1)
    handover: str
    length: str
    every: str | None = None
    days: list[str] | None = None
    start: str
    end: str
    level: int = Field(1, ge=1)
    notes: str | None = None

    @field_validator("handover")
    @classmethod
    def _handover(cls, value: str) -> str:
        parse_handover(value)
        return value

    @field_validator("length", "every")
    @classmethod
    def _length(cls, value: str | None) -> str | None:
        if value is not None:
            parse_length(value)
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else normalise_days(value)

    @field_validator("start", "end")
    @classmethod
    def _date(cls, value: str) -> str:
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a date; write it as 2026-01-05") from None
        return value


class OverrideModel(_Strict):
    """Replace or add cover for a period; ``person`` left out with ``replace`` = nobody."""

    role: str = Field(min_length=1)
    start: str
    end: str
    person: str | None = None
    mode: Literal["replace", "add"] = "replace"
    level: int = Field(1, ge=1)
    notes: str | None = None


class LeaveModel(_Strict):
    """A person away; a date-only ``end`` includes that whole day."""

    person: str = Field(min_length=1)
    start: str
    end: str
    notes: str | None = None


class RotaFile(_File):
    """A YAML rota."""

    timezone: str | None = None
    people: list[PersonModel] = Field(default_factory=list)
    shifts: list[ShiftModel] = Field(default_factory=list)
    patterns: list[PatternModel] = Field(default_factory=list)
    overrides: list[OverrideModel] = Field(default_factory=list)
    leave: list[LeaveModel] = Field(default_factory=list)
    callouts: list[CalloutModel] = Field(default_factory=list)
    requirements: list[RequirementModel] = Field(default_factory=list)
    working_time: list[WorkingTimeModel] = Field(default_factory=list)
    fill: FillModel | None = None


class JsonShift(ShiftModel):
    """A shift as ``rota_to_json`` writes it (with its source)."""

    source: str = ""


class JsonLeave(LeaveModel):
    """Leave as ``rota_to_json`` writes it."""

    source: str = ""


class JsonCallout(CalloutModel):
    """A call-out as ``rota_to_json`` writes it."""

    source: str = ""


class JsonOverride(OverrideModel):
    """An override as ``rota_to_json`` writes it: a record, already applied to the shifts."""

    source: str = ""


class JsonRequirement(RequirementModel):
    """A requirement as ``rota_to_json`` writes it."""

    source: str = ""


class JsonRota(_File):
    """A rota as ``rota_to_json`` writes it."""

    timezone: str | None = None
    people: list[PersonModel] = Field(default_factory=list)
    shifts: list[JsonShift] = Field(default_factory=list)
    overrides: list[JsonOverride] = Field(default_factory=list)
    leave: list[JsonLeave] = Field(default_factory=list)
    callouts: list[JsonCallout] = Field(default_factory=list)
    requirements: list[JsonRequirement] = Field(default_factory=list)
    working_time: list[WorkingTimeModel] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
