"""The sections of a scenario file as pydantic v2 models, each valid on its own.

Every model forbids unknown keys (with a "did you mean" hint) and is frozen. Times in the file
are scenario minutes since the incident began. :class:`ScenarioFields` holds every section;
``scenarios.model.Scenario`` adds the checks across sections (``scenarios.checks``), which
need the whole file and so cannot live in any one section.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from standby.clock import DEFAULT_TIMEZONE, parse_instant
from standby.errors import StandbyError
from standby.hints import did_you_mean

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Minutes = Annotated[float, Field(ge=0.0)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]


class ScenarioReferenceError(StandbyError):
    """Broken cross-references inside a scenario: a list of (location, problem) pairs."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{format_loc(loc)}: {msg}" for loc, msg in problems))


def format_loc(loc: tuple[str | int, ...]) -> str:
    """``('plan', 'tasks', 3, 'after')`` -> ``plan.tasks[3].after``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(top level)"


class StrictModel(BaseModel):
    """Base for every scenario model: frozen, unknown keys rejected with a hint."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            allowed = {f.alias or name for name, f in cls.model_fields.items()}
            for key in data:
                if key not in allowed:
                    hint = did_you_mean(str(key), sorted(allowed))
                    raise ValueError(f"unknown key '{key}'; {hint}")
        return data


# --- distributions (minutes) -------------------------------------------------------------


class Fixed(StrictModel):
    """Always the same value."""

    dist: Literal["fixed"]
    value: Minutes


class Uniform(StrictModel):
    """Uniform between ``low`` and ``high``."""

    dist: Literal["uniform"]
    low: Minutes
    high: Minutes

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        return self


class Triangular(StrictModel):
    """Triangular with ``low <= mode <= high``."""

    dist: Literal["triangular"]
    low: Minutes
    mode: Minutes
    high: Minutes

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low <= mode <= high, got {self.low}, {self.mode}, {self.high}")
        return self


class Exponential(StrictModel):
    """Exponential with the given ``mean``."""

    dist: Literal["exponential"]
    mean: Annotated[float, Field(gt=0.0)]


class LogNormal(StrictModel):
    """Log-normal given by its median and 90th percentile (both in minutes)."""

    dist: Literal["lognormal"]
    median: Annotated[float, Field(gt=0.0)]
    p90: Annotated[float, Field(gt=0.0)]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.p90 <= self.median:
            raise ValueError(f"p90 ({self.p90}) must be greater than median ({self.median})")
        return self

    @property
    def mu(self) -> float:
        """Mean of the underlying normal."""
        return math.log(self.median)

    @property
    def sigma(self) -> float:
        """Standard deviation of the underlying normal (z(0.9) = 1.2815515655)."""
        return (math.log(self.p90) - math.log(self.median)) / 1.2815515655446004


Distribution = Annotated[
    Fixed | Uniform | Triangular | Exponential | LogNormal, Field(discriminator="dist")
]


# --- site and hazard ---------------------------------------------------------------------


class Location(StrictModel):
    """A point given by latitude and longitude (WGS84 degrees)."""

    lat: Annotated[float, Field(ge=49.0, le=61.0)]
    lon: Annotated[float, Field(ge=-9.0, le=2.5)]


class Site(StrictModel):
    """The COMAH establishment (or pipeline section) where the incident happens."""

    name: str
    operator: str
    comah_tier: Literal["upper", "lower", "pipeline", "none"]
    location: Location
    address: str | None = None


class Release(StrictModel):
    """A continuous release from a point source.

    ``isolated_by`` names the plan task whose end stops the release (the isolation of a
    line or valve): each run's release then lasts until that task ends, and
    ``duration_minutes`` is what the zones assume until then (the planning figure).
    """

    rate_gs: Annotated[float, Field(gt=0.0, description="release rate, g/s")]
    duration_minutes: Annotated[float, Field(gt=0.0)]
    height_m: Annotated[float, Field(ge=0.0)] = 0.0
    isolated_by: str | None = Field(
        default=None, description="plan task id: the release ends when this task ends"
    )


MIN_WIND_MS = 1.0
"""Below this the Gaussian plume does not hold (calm or near-calm air meanders)."""


def _windy_enough(speed: float) -> float:
    if speed < MIN_WIND_MS:
        raise ValueError(
            f"wind {speed:g} m/s is below {MIN_WIND_MS:g} m/s: a Gaussian plume does not hold "
            "in calm or near-calm air (the plume meanders; ALOHA refuses such winds too). "
            f"Give at least {MIN_WIND_MS:g} m/s, or use a heavy-gas or puff model"
        )
    return speed


WindSpeed = Annotated[float, Field(le=40.0), AfterValidator(_windy_enough)]
Stability = Literal["A", "B", "C", "D", "E", "F"]


class Weather(StrictModel):
    """Weather at the start; stability class is derived when not given.

    ``mixing_height_m`` puts a lid on the plume (reflections from an inversion at that
    height); left out, a night-time default applies at night and no lid by day;
    ``unlimited`` turns the lid off.
    """

    wind_speed_ms: WindSpeed
    wind_from_deg: Annotated[float, Field(ge=0.0, lt=360.0)]
    stability: Stability | None = None
    insolation: Literal["strong", "moderate", "slight", "night"] | None = None
    cloud_cover_oktas: Annotated[int, Field(ge=0, le=8)] | None = None
    mixing_height_m: Annotated[float, Field(ge=10.0, le=5000.0)] | Literal["unlimited"] | None = (
        None
    )

    @model_validator(mode="after")
    def _derivable(self) -> Self:
        if self.stability is None and self.insolation is None:
            raise ValueError(
                "give 'stability' (A-F) or 'insolation' (strong, moderate, slight, night) "
                "so the stability class can be derived"
            )
        if (
            self.insolation == "night"
            and self.stability is None
            and (self.cloud_cover_oktas is None)
        ):
            raise ValueError("at night give 'cloud_cover_oktas' (0-8) to derive stability")
        return self


class SpeedRange(StrictModel):
    """Wind speeds drawn uniformly between ``low`` and ``high`` (m/s)."""

    low: WindSpeed
    high: WindSpeed

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low > self.high:
            raise ValueError(f"low ({self.low:g}) must not exceed high ({self.high:g})")
        return self


class WeatherSpread(StrictModel):
    """How the weather varies from run to run around ``weather``: each run draws its own.

    The wind direction is normal around ``weather.wind_from_deg`` with standard deviation
    ``wind_from_sd_deg``; the speed uniform in ``wind_speed_ms`` (else the weather's); the
    stability class one of ``stability`` with the given weights (else the weather's, or
    Pasquill's table from the drawn speed).
    """

    wind_from_sd_deg: Annotated[float, Field(ge=0.0, le=180.0)] = 0.0
    wind_speed_ms: SpeedRange | None = None
    stability: dict[Stability, Annotated[float, Field(gt=0.0)]] | None = None

    @field_validator("stability")
    @classmethod
    def _some_classes(cls, value: dict[Stability, float] | None) -> dict[Stability, float] | None:
        if value is not None and not value:
            raise ValueError("give at least one class with a weight, e.g. {E: 1, F: 3}")
        return value


class Observation(StrictModel):
    """One observed hour (Met Office style): UTC time, wind from, wind speed, cloud oktas."""

    time: str = Field(description="UTC 'YYYY-MM-DD HH:MM', as the Met Office records hours")
    wind_from_deg: Annotated[float, Field(ge=0.0, le=360.0)]
    wind_speed_ms: Annotated[float, Field(ge=0.0, le=60.0)]
    cloud_oktas: Annotated[int, Field(ge=0, le=9)]

    @field_validator("time", mode="before")
    @classmethod
    def _time_as_text(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return value

    @field_validator("time")
    @classmethod
    def _readable_time(cls, value: str) -> str:
        try:
            datetime.strptime(value, "%Y-%m-%d %H:%M")
        except ValueError:
            raise ValueError(
                f"time '{value}' is not a UTC time 'YYYY-MM-DD HH:MM' (e.g. 2025-11-12 02:00)"
            ) from None
        return value


class Hazard(StrictModel):
    """What is released, how, and in what weather (fixed, or drawn anew in each run)."""

    substance: str
    release: Release
    weather: Weather
    terrain: Literal["rural", "urban"] = "rural"
    weather_spread: WeatherSpread | None = None
    weather_observations: list[Observation] | None = Field(
        default=None, description="observed hours; each run draws one of them"
    )
    weather_observations_csv: str | None = Field(
        default=None,
        description="CSV of observed hours (time, wind_from_deg, wind_speed_ms, cloud_oktas), "
        "read relative to the scenario file when it is loaded",
    )

    @model_validator(mode="after")
    def _one_way_to_vary(self) -> Self:
        if self.weather_spread is not None and (
            self.weather_observations or self.weather_observations_csv
        ):
            raise ValueError(
                "give either 'weather_spread' or observed hours ('weather_observations' or "
                "'weather_observations_csv'), not both"
            )
        if self.weather_observations_csv is not None and not self.weather_observations:
            raise ValueError(
                f"'weather_observations_csv: {self.weather_observations_csv}' is read when the "
                "scenario is loaded from a file; in Python give 'weather_observations' instead"
            )
        if self.weather_observations is not None and not self.weather_observations:
            raise ValueError("'weather_observations' is empty: give at least one observed hour")
        return self


# --- responders --------------------------------------------------------------------------


class Agency(StrictModel):
    """An organisation that takes part in the response."""

    id: Identifier
    name: str
    category: Literal["cat1", "cat2", "operator", "voluntary", "other"]
    control_room: str | None = None
    base: Location | None = None
    emergency_service: bool = Field(
        default=False,
        description="a police, fire or ambulance control room: on hearing of the incident it "
        "passes the alarm at once to the other emergency services it has links to (JESIP: "
        "share information early)",
    )


class Place(StrictModel):
    """Somewhere responders report: RVP, TCG or SCG room, forward control point."""

    id: Identifier
    name: str
    kind: Literal["rvp", "tcg_room", "scg_room", "forward_control", "control_room", "other"]
    location: Location


class Role(StrictModel):
    """A job in the response: on duty (dispatched at once) or on call (rung from a rota)."""

    id: Identifier
    agency: str
    name: str
    rota_role: str | None = None
    count: Annotated[int, Field(ge=1, le=100)] = 1
    reports_to: str = "remote"
    remote_allowed: bool = False
    duty: Literal["on_call", "on_duty"] = Field(
        default="on_call",
        description="on_duty: at work when the incident starts, always answers, after a "
        "dispatch delay; on_call: rung from the rota (or the agency's own call-out)",
    )
    dispatch_delay: Distribution | None = None
    answer_probability: Probability | None = None
    reachable_probability: Probability | None = None
    call_out: Literal["one_by_one", "group_page"] = "one_by_one"
    response_window_minutes: Annotated[float, Field(gt=0.0)] | None = None
    travel_minutes: Distribution | None = None

    @model_validator(mode="after")
    def _duty_settings(self) -> Self:
        if self.duty == "on_duty":
            ringing = {
                "answer_probability": self.answer_probability,
                "reachable_probability": self.reachable_probability,
                "response_window_minutes": self.response_window_minutes,
            }
            given = [key for key, value in ringing.items() if value is not None]
            if self.call_out != "one_by_one":
                given.append("call_out")
            if given:
                raise ValueError(
                    f"{', '.join(given)}: only for on-call roles; an on_duty role is "
                    "dispatched, not rung (remove it or set duty: on_call)"
                )
        elif self.dispatch_delay is not None:
            raise ValueError(
                "dispatch_delay is only for on_duty roles; an on-call role's delay is its "
                "call-out (set duty: on_duty or remove dispatch_delay)"
            )
        if self.response_window_minutes is not None and self.call_out != "group_page":
            raise ValueError(
                "response_window_minutes is only for call_out: group_page (one-by-one calls "
                "use the ring timeout)"
            )
        return self


class Link(StrictModel):
    """A communication channel from one agency to another."""

    from_: str = Field(alias="from")
    to: str
    channel: str
    delay: Distribution
    failure_probability: Probability = 0.0
    capacity: Annotated[int, Field(ge=1)] | None = None


class Detection(StrictModel):
    """An agency that finds out for itself (a pipeline's pressure alarm), not by a call."""

    agency: str
    after: Distribution
    how: str = "detected the incident itself"


class Alert(StrictModel):
    """How the alarm starts: who raises it, who finds out alone, who declares."""

    raised_by: str
    declared_by: str
    declare_after: Distribution | None = None
    declaration_task: str | None = Field(
        default=None,
        description="the plan task whose end is the major-incident declaration that sends "
        "M/ETHANE (instead of declare_after)",
    )
    detected_by: list[Detection] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_declaration(self) -> Self:
        if self.declaration_task is not None and self.declare_after is not None:
            raise ValueError(
                "give declare_after or declaration_task, not both: with a declaration_task "
                "the declaration is that task's end"
            )
        return self


class Target(StrictModel):
    """A plan target: the task finished within ``within_minutes`` of the incident start."""

    within_minutes: Annotated[float, Field(gt=0.0)]
    text: str
    source: str = "local plan target (assumed)"


ZoneLevelName = Literal["AEGL-3", "AEGL-2", "AEGL-1"]

PROTECTIVE_KINDS = ("warning", "shelter", "evacuation")


class Delegation(StrictModel):
    """The task passes from one of its roles to another role of the same agency when the
    first has not taken it within ``after_minutes`` of the task being ready."""

    from_: str = Field(alias="from")
    to: str
    after_minutes: Minutes


class Coverage(StrictModel):
    """The area a warning, shelter or evacuation task covers: receptors and AEGL zones."""

    receptors: list[str] = Field(default_factory=list)
    zones: list[ZoneLevelName] = Field(default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.receptors and not self.zones:
            raise ValueError("name at least one receptor or zone the task covers")
        return self


class Task(StrictModel):
    """One step of the response plan."""

    id: Identifier
    name: str
    agency: str
    roles: list[str] = Field(default_factory=list)
    present: list[str] = Field(
        default_factory=list,
        description="roles whose people must be in place but are not held: their attention "
        "is shared with other tasks (a commander overseeing)",
    )
    delegate: list[Delegation] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    duration: Distribution
    covers: Coverage | None = None
    target: Target | None = None
    kind: Literal[
        "alert", "command", "warning", "shelter", "evacuation", "rest_centre", "cordon", "other"
    ] = "other"
    warns: Literal["in_person", "broadcast"] | None = Field(
        default=None,
        description="for kind 'warning': door-knocks and calls to vulnerable premises "
        "(in_person) or broadcast and emergency alert to everyone (broadcast, the default)",
    )

    @model_validator(mode="after")
    def _warns_only_for_warnings(self) -> Self:
        if self.warns is not None and self.kind != "warning":
            raise ValueError(
                f"'warns' is only for tasks of kind 'warning' (this one is '{self.kind}'); "
                "remove it or set kind: warning"
            )
        if self.covers is not None and self.kind not in PROTECTIVE_KINDS:
            raise ValueError(
                f"'covers' is only for tasks of kind {', '.join(PROTECTIVE_KINDS)} (this one "
                f"is '{self.kind}'); remove it or change the kind"
            )
        return self


class Plan(StrictModel):
    """The response plan as a DAG of tasks."""

    tasks: list[Task] = Field(min_length=1)


# --- people and places at risk -----------------------------------------------------------


Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock(value: str) -> time:
    """``HH:MM`` as a time of day; ``24:00`` is the end of the day."""
    if value == "24:00":
        return time.max
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise ValueError(f"'{value}' is not a time of day 'HH:MM' (00:00 to 24:00)") from None


class DateRange(StrictModel):
    """Days from ``from`` to ``to``, both included (a school term)."""

    from_: date = Field(alias="from")
    to: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.to < self.from_:
            raise ValueError(f"'to' ({self.to}) is before 'from' ({self.from_})")
        return self


class OccupancyPeriod(StrictModel):
    """How many people are there on ``days`` between local ``from`` and ``to``.

    ``to`` at or before ``from`` crosses midnight: the period starts on a listed day and
    ends the next day. ``dates`` (school terms) limits the days it starts on.
    """

    people: Annotated[int, Field(ge=0)]
    days: list[Day] = Field(default_factory=lambda: list(DAYS))
    from_: str = Field(default="00:00", alias="from")
    to: str = "24:00"
    dates: list[DateRange] | None = None

    @field_validator("from_", "to")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        _clock(value)
        return value

    def covers(self, local: datetime) -> bool:
        """Whether the period holds at the naive local wall-clock time ``local``."""
        start, end = _clock(self.from_), _clock(self.to)
        now = local.time()
        if start < end:
            return now >= start and now < end and self._starts_on(local.date())
        # across midnight: either the evening part today or the morning part of a period
        # that started yesterday
        if now >= start and self._starts_on(local.date()):
            return True
        return now < end and self._starts_on(local.date() - timedelta(days=1))

    def _starts_on(self, day: date) -> bool:
        if DAYS[day.weekday()] not in self.days:
            return False
        return self.dates is None or any(r.from_ <= day <= r.to for r in self.dates)


class Receptor(StrictModel):
    """A place where people are at risk: school, care home, hospital, housing.

    ``population`` is the number of people there unless one of ``occupancy``'s periods
    (checked in order, the first that holds wins) covers the scenario's start.
    ``air_changes_per_hour`` (with doors and windows shut) sets how fast outdoor air gets in
    when people shelter; left out, the default for the receptor's kind applies.
    """

    id: Identifier
    name: str
    kind: Literal["school", "care_home", "hospital", "residential", "workplace", "other"]
    location: Location
    population: Annotated[int, Field(ge=0)]
    vulnerable: bool = False
    occupancy: list[OccupancyPeriod] = Field(default_factory=list)
    air_changes_per_hour: Annotated[float, Field(gt=0.0, le=50.0)] | None = None

    def people_at(self, local: datetime) -> int:
        """People there at the naive local wall-clock time ``local``."""
        for period in self.occupancy:
            if period.covers(local):
                return period.people
        return self.population


class RestCentre(StrictModel):
    """A rest centre for evacuees, opened by its own manager from a rota role."""

    id: Identifier
    name: str
    location: Location
    capacity: Annotated[int, Field(ge=1)]
    staffing_role: str
    registration_role: str | None = None
    registration_staff: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _one_source_of_staff(self) -> Self:
        if self.registration_role is not None and self.registration_staff is not None:
            raise ValueError(
                "give registration_role (its people staff the desks as they arrive) or "
                "registration_staff (a fixed number), not both"
            )
        return self


class Arrivals(StrictModel):
    """How evacuees reach rest centres: households, and the share that needs a centre."""

    household_size: Annotated[float, Field(ge=1.0, le=20.0)] = 1.0
    rest_centre_share: Probability | None = None
    over_minutes: Annotated[float, Field(gt=0.0)] | None = None


# --- exercise ----------------------------------------------------------------------------


class LinkDown(StrictModel):
    """A communication link fails."""

    kind: Literal["link_down"]
    from_: str = Field(alias="from")
    to: str


class PersonUnavailable(StrictModel):
    """A named person (from the rota) cannot respond."""

    kind: Literal["person_unavailable"]
    person: str


class RoleUnavailable(StrictModel):
    """Nobody can fill a role from this minute on."""

    kind: Literal["role_unavailable"]
    role: str


class WindChange(StrictModel):
    """The wind changes; the hazard model recomputes its zones."""

    kind: Literal["wind_change"]
    wind_speed_ms: WindSpeed
    wind_from_deg: Annotated[float, Field(ge=0.0, lt=360.0)]
    stability: Stability | None = None


class ExtraDemand(StrictModel):
    """More people need help than the receptors say (e.g. a football crowd)."""

    kind: Literal["extra_demand"]
    people: Annotated[int, Field(ge=1)]
    receptor: str | None = None
    coach_load: Annotated[int, Field(ge=1)] | None = None
    coach_every_minutes: Annotated[float, Field(gt=0.0)] | None = None

    @model_validator(mode="after")
    def _coaches(self) -> Self:
        if self.coach_every_minutes is not None and self.coach_load is None:
            raise ValueError("coach_every_minutes needs coach_load (people per coach)")
        return self


Effect = Annotated[
    LinkDown | PersonUnavailable | RoleUnavailable | WindChange | ExtraDemand,
    Field(discriminator="kind"),
]


class Inject(StrictModel):
    """One row of the Master Scenario Events List."""

    id: Identifier
    minute: Minutes
    type: Literal["information", "decision", "contingency"] = "information"
    method: Literal["phone", "email", "radio", "briefing", "media", "in_person"] = "phone"
    from_: str = Field(alias="from")
    to: str
    text: str
    expected_action: str
    objective: str | None = None
    effect: Effect | None = None
    phase: str | None = Field(
        default=None, description="move or phase of the exercise, e.g. 'Move 1: alert'"
    )
    controller: str | None = Field(
        default=None, description="the exercise controller who releases it"
    )
    status: Literal["planned", "draft"] = "planned"
    contingency: bool = Field(
        default=False,
        description="held in reserve: released only if the players need it to stay on track",
    )
    after: str | None = Field(
        default=None, description="id of the inject that must be released before this one"
    )
    notes: str | None = None


#: The JESIP principles an objective may test.
JESIP_PRINCIPLES = (
    "co-locate",
    "communicate",
    "co-ordinate",
    "jointly understand risk",
    "shared situational awareness",
)
JesipPrinciple = Literal[
    "co-locate",
    "communicate",
    "co-ordinate",
    "jointly understand risk",
    "shared situational awareness",
]

#: COMAH 2015 regulation 11: the objectives every emergency plan must have.
COMAH_AIMS = {
    "11(a)": "containing and controlling incidents so as to minimise the consequences, and "
    "to limit damage to human health, the environment and property",
    "11(b)": "implementing the necessary measures to protect human health and the "
    "environment from the consequences of major accidents",
    "11(c)": "communicating the necessary information to the public and to the services "
    "or authorities concerned in the area",
    "11(d)": "providing for the restoration and clean up of the environment following a "
    "major accident",
}
ComahAim = Literal["11(a)", "11(b)", "11(c)", "11(d)"]


class Objective(StrictModel):
    """An exercise objective, how it is measured, and what it tests."""

    id: Identifier
    text: str
    measured_by: str
    tasks: list[str] = Field(default_factory=list)
    jesip: list[JesipPrinciple] | None = Field(
        default=None,
        description="JESIP principles it tests; left out, they follow from its tasks' kinds",
    )
    comah: list[ComahAim] | None = Field(
        default=None,
        description="COMAH 2015 regulation 11 objectives it tests; left out, they follow "
        "from its tasks' kinds (none when the site is not a COMAH site)",
    )


# --- the whole file ----------------------------------------------------------------------


class ScenarioFields(StrictModel):
    """Every section of a scenario file; :class:`scenarios.model.Scenario` checks across them."""

    name: Identifier
    title: str
    description: str
    site: Site
    timezone: str = DEFAULT_TIMEZONE
    start: str = Field(description="default start: local 'YYYY-MM-DD HH:MM' or ISO with offset")
    duration_minutes: Annotated[float, Field(gt=0.0, le=7 * 24 * 60)] = 480.0
    legal_basis: str
    last_test: date | None = None
    hazard: Hazard | None = Field(
        default=None,
        description="a toxic release (substance, release, weather); leave it out for an "
        "incident with none, such as a flood or a power cut",
    )
    agencies: list[Agency] = Field(min_length=1)
    places: list[Place] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    alert: Alert
    plan: Plan
    receptors: list[Receptor] = Field(default_factory=list)
    rest_centres: list[RestCentre] = Field(default_factory=list)
    arrivals: Arrivals = Field(default_factory=Arrivals)
    injects: list[Inject] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)

    @field_validator("start", mode="before")
    @classmethod
    def _start_as_text(cls, value: Any) -> Any:
        # YAML reads an unquoted 2026-08-31 or 2026-08-31T14:10:00+01:00 as a date/datetime
        if isinstance(value, date):
            return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone '{value}'; use an IANA name such as Europe/London"
            ) from None
        return value

    @property
    def start_utc(self) -> datetime:
        """The default start instant as an aware UTC datetime."""
        return parse_instant(self.start, self.timezone)

    @property
    def next_test_due(self) -> date | None:
        """COMAH reg 14: tested at intervals of no more than three years."""
        if self.last_test is None:
            return None
        try:
            return self.last_test.replace(year=self.last_test.year + 3)
        except ValueError:  # 29 February
            return self.last_test.replace(year=self.last_test.year + 3, day=28)
