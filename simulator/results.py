"""What one run produced, as plain frozen dataclasses that serialise to stable JSON.

Minutes are rounded to :data:`DECIMALS` places and keys keep a fixed order, so the same
(scenario, rota, start, seed) gives the same JSON bytes on every machine and executor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, overload

DECIMALS = 3


@overload
def rounded(minutes: float) -> float: ...
@overload
def rounded(minutes: float | None) -> float | None: ...
def rounded(minutes: float | None) -> float | None:
    """Minutes rounded for output (``-0.0`` becomes ``0.0``)."""
    if minutes is None:
        return None
    return round(minutes, DECIMALS) + 0.0


class _Json:
    """Mixin: ``to_json_dict`` in field order, recursing into lists and dataclasses."""

    def to_json_dict(self) -> dict[str, Any]:
        """A dict of plain JSON values, keys in field order."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


def _plain(value: Any) -> Any:
    if isinstance(value, _Json):
        return value.to_json_dict()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return rounded(value)
    return value


@dataclass(frozen=True, slots=True)
class Event(_Json):
    """One line of the event log."""

    minute: float
    time: str
    kind: str
    agency: str | None
    role: str | None
    person: str | None
    task: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class Milestone(_Json):
    """A plan task: when it started and ended, and whether its target was met.

    ``status`` is ``done``, ``running`` (started, not finished by the end) or ``not_started``;
    ``met`` is None for a task without a target. ``reason`` says why a task was not done, or
    for a late one which step drove the miss; ``driver`` names that step the same way in every
    run (``ambulance_tactical in place``, ``social_care_edt unfilled (not required)``), so
    many runs can count what drove their misses; both are empty for a task done in time.
    """

    task: str
    name: str
    agency: str
    start_minute: float | None
    end_minute: float | None
    target_minute: float | None
    met: bool | None
    status: str
    reason: str
    driver: str = ""


@dataclass(frozen=True, slots=True)
class UnfilledRole(_Json):
    """A role that could not be (fully) filled.

    ``kind`` says which sort of failure, so they can be counted apart: ``not_in_rota`` (the
    rota has no such role), ``outside_rota_dates``, ``not_required`` (the rota's requirements
    do not ask for the role at that time), ``rota_gap``, ``no_answer`` or ``unavailable``
    (an inject)."""

    role: str
    rota_role: str | None
    agency: str
    minute: float
    shortfall: int
    reason: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class AgencyAlert(_Json):
    """When an agency first heard of the incident, and how."""

    agency: str
    minute: float | None
    via: str


@dataclass(frozen=True, slots=True)
class Step(_Json):
    """One link in a chain of causes."""

    minute: float
    what: str


@dataclass(frozen=True, slots=True)
class CriticalPath(_Json):
    """The chain of alerts, call-outs, travel and tasks that set a missed target's time."""

    task: str
    target_minute: float
    end_minute: float | None
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class ZoneReach(_Json):
    """One AEGL zone of one wind period: threshold and how far and wide it reaches."""

    level: str
    threshold_ppm: float | None
    downwind_m: float
    max_half_width_m: float
    area_m2: float


@dataclass(frozen=True, slots=True)
class HazardPeriod(_Json):
    """The zones from ``start_minute`` until ``end_minute`` (None: to the end)."""

    start_minute: float
    end_minute: float | None
    wind_speed_ms: float
    wind_from_deg: float
    stability: str
    zones: tuple[ZoneReach, ...]


@dataclass(frozen=True, slots=True)
class ReceptorZone(_Json):
    """A receptor: its worst zone over the wind periods and when the plume first reaches it,
    in the scenario's own weather; ``population`` is the people there at the run's start."""

    receptor: str
    name: str
    kind: str
    population: int
    vulnerable: bool
    zone: str | None
    arrival_minute: float | None
    downwind_m: float
    crosswind_m: float
    concentration_ppm: float
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HazardSummary(_Json):
    """The screening plume model's output for the scenario (the same in every run)."""

    substance: str
    aegl_duration_min: int
    sigma_set: str
    periods: tuple[HazardPeriod, ...]
    receptors: tuple[ReceptorZone, ...]
    warnings: tuple[str, ...]
    limits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunWeather(_Json):
    """The weather of one run: drawn, observed or the scenario's; ``floored`` when an
    observed wind below 1 m/s was raised to 1 m/s."""

    wind_from_deg: float
    wind_speed_ms: float
    stability: str
    mixing_height_m: float | None
    source: str
    floored: bool


@dataclass(frozen=True, slots=True)
class ReceptorOutcome(_Json):
    """What the people at one receptor breathed in this run, outdoors, sheltered, evacuated.

    Concentrations are peaks (ppm) and loads C^n x t (ppm^n.min, None without ``n``);
    ``plume_passed_minute`` is when the plume has gone by (air the building from then);
    ``indoor_above_aegl1_minutes`` how long indoor air would stay above AEGL-1 afterwards if
    the building is not aired.
    """

    receptor: str
    people: int
    zone: str | None
    arrival_minute: float | None
    plume_passed_minute: float | None
    outdoor_ppm: float
    outdoor_toxic_load: float | None
    air_changes_per_hour: float
    sheltered_ppm: float
    sheltered_toxic_load: float | None
    sheltered_zone: str | None
    indoor_above_aegl1_minutes: float
    evacuated_ppm: float | None
    evacuated_zone: str | None


@dataclass(frozen=True, slots=True)
class PeopleAbove(_Json):
    """People at or above one AEGL level: all outdoors, all sheltering indoors, evacuated
    when the run decided its protective action (None: no decision, or no such level)."""

    level: str
    threshold_ppm: float | None
    outdoors: int
    sheltered: int
    evacuated: int | None


@dataclass(frozen=True, slots=True)
class FootprintEdge(_Json):
    """The AEGL-2 footprint of one wind period: its axis, reach and half-width along it."""

    start_minute: float
    wind_from_deg: float
    downwind_m: float
    along_m: tuple[float, ...]
    half_width_m: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class LevelReach(_Json):
    """How far downwind one level reaches on the plume's axis (first wind period)."""

    level: str
    threshold_ppm: float | None
    downwind_m: float


@dataclass(frozen=True, slots=True)
class RunHazard(_Json):
    """The hazard of one replication: its weather, release, zones, receptors and people."""

    weather: RunWeather
    release_minutes: float
    release_reason: str
    aegl_duration_min: int
    zone_reach_m: tuple[LevelReach, ...]
    slot_distance_m: float | None
    slod_distance_m: float | None
    receptors_reached: int
    receptors: tuple[ReceptorOutcome, ...]
    people_above: tuple[PeopleAbove, ...]
    evacuation_minute: float | None
    aegl2_footprints: tuple[FootprintEdge, ...]
    warnings: tuple[str, ...]

    def above(self, level: str) -> PeopleAbove:
        """The people figures of one AEGL level."""
        return next(p for p in self.people_above if p.level == level)


@dataclass(frozen=True, slots=True)
class ZonePeople(_Json):
    """How many people (receptor populations) are in one AEGL zone."""

    level: str
    people: int
    receptors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReceptorWarning(_Json):
    """A receptor the plume reaches (or a task covers): when it was warned, against the plume.

    ``warned_minute`` is the first warning of either kind (a door-knock or call in person, or
    the broadcast); ``before_plume`` is True when it came at or before the plume's arrival at
    the AEGL-1 concentration, False when after it or never (then ``warned_minute`` is None).
    ``protective_action`` is the action whose area covered it (``shelter``, ``evacuation``).
    """

    receptor: str
    zone: str | None
    people: int
    plume_arrival_minute: float | None
    in_person_minute: float | None
    in_person_by: str | None
    broadcast_minute: float | None
    broadcast_by: str | None
    warned_minute: float | None
    before_plume: bool
    protective_action: str | None


@dataclass(frozen=True, slots=True)
class RestCentreFigures(_Json):
    """One rest centre: when it opened (or why not), how full it got, registration waits.

    ``registration_staff`` is the desks open at the end (a registration role's people who
    arrived). ``arrivals`` counts people, ``households`` the households they came in. Waits
    are per household, from arrival (outside, if the centre was not yet
    open) to the start of registration; households still queueing at the end count with
    their wait so far, and ``still_queueing`` says how many people that is."""

    centre: str
    capacity: int
    registration_staff: int
    opened_minute: float | None
    reason: str
    arrivals: int
    households: int
    peak_occupancy: int
    registered: int
    still_queueing: int
    mean_wait_minutes: float | None
    max_wait_minutes: float | None


@dataclass(frozen=True, slots=True)
class Kpis(_Json):
    """People-side figures of one run; a minute is None when it never happened (see reason).

    Each fact has one source: ``all_vulnerable_warned_minute`` is the end of the in-person
    warning task that reached the last premises (its milestone), ``public_warned_minute`` the
    end of the first broadcast task.
    """

    people_in_zones: tuple[ZonePeople, ...]
    #: Premises to warn in person: those the in-person warning tasks cover (by default the
    #: vulnerable premises inside AEGL-2 or AEGL-3).
    vulnerable_premises_in_aegl2: int
    all_vulnerable_warned_minute: float | None
    #: The in-person warning task that reached the last of them.
    all_vulnerable_warned_by: str | None
    vulnerable_warned_reason: str
    #: Every receptor the plume reaches or a task covers: warned when, how, before the plume?
    warnings: tuple[ReceptorWarning, ...]
    #: People in receptors the plume reaches who were warned at or before it arrived.
    people_warned_before_plume: int
    #: People warned only after the plume reached them: exposure began before the warning.
    people_warned_after_plume: int
    #: People the plume reaches who were never warned before the scenario ended.
    people_not_warned: int
    public_warned_minute: float | None
    #: The broadcast warning task that ended first.
    public_warned_by: str | None
    protective_action: str | None
    protective_action_minute: float | None
    #: People in the area the first protective action (the decision) covers.
    protective_action_people: int
    #: People in the areas of every evacuation task.
    people_evacuated: int
    people_needing_rest_centre: int
    first_rest_centre_open_minute: float | None
    first_rest_centre_reason: str
    rest_centres: tuple[RestCentreFigures, ...]
    turned_away: int
    waiting_at_end: int
    waited_for_opening: int
    #: People inside a centre still waiting to register when the scenario ended.
    still_queueing_at_end: int
    #: Per household, from arrival (outside included) to registration; those still waiting
    #: at the end (outside or in a queue) count with their wait so far.
    registration_wait_mean_minutes: float | None
    registration_wait_max_minutes: float | None
    assumptions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunResult(_Json):
    """Everything one replication produced; ``events`` is None when the event log was not
    kept (many runs keep it only when asked), and its key is then left out of the JSON."""

    scenario: str
    start: str
    seed: int | None
    replication: int | None
    timezone: str
    duration_minutes: float
    rota: str | None
    notes: tuple[str, ...]
    alerts: tuple[AgencyAlert, ...]
    milestones: tuple[Milestone, ...]
    unfilled_roles: tuple[UnfilledRole, ...]
    critical_paths: tuple[CriticalPath, ...]
    hazard: HazardSummary | None
    exposure: RunHazard | None
    kpis: Kpis | None
    events: tuple[Event, ...] | None

    @property
    def targets_missed(self) -> list[Milestone]:
        """Milestones whose target was missed."""
        return [m for m in self.milestones if m.met is False]

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON data in field order; no ``events`` key when the log was not kept."""
        data = _Json.to_json_dict(self)
        if self.events is None:
            del data["events"]
        return data

    def to_json(self) -> str:
        """Stable JSON text (two-space indent, trailing newline)."""
        return dumps(self.to_json_dict())


def dumps(data: Any) -> str:
    """JSON text as every Standby output writes it."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def whole_minute(minute: float) -> int:
    """A minute offset as printed (``+71``): rounded to the nearest whole minute, the one
    rounding every clock time printed beside it uses too."""
    return round(minute)


def local_clock(result: RunResult, minute: float) -> str:
    """``HH:MM`` local wall-clock time of a scenario minute (for printing only).

    The minute is rounded first (:func:`whole_minute`), so ``+71`` after a 02:10 start prints
    ``03:21`` whatever the seconds: the offset and the clock never disagree.
    """
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime.fromisoformat(result.start.replace("Z", "+00:00"))
    instant = start + timedelta(minutes=whole_minute(minute))
    return instant.astimezone(ZoneInfo(result.timezone)).strftime("%H:%M")


EVENT_LABELS = {"m_ethane_received": "M/ETHANE received"}
"""How an event kind is written in a timeline, where its id would read wrongly."""


def timeline_rows(result: RunResult) -> list[tuple[str, str, str, str, str]]:
    """Rows of a readable timeline: local time, minute, who, what, detail."""
    rows = []
    for event in result.events or ():
        who = " / ".join(x for x in (event.agency, event.role, event.person) if x)
        label = EVENT_LABELS.get(event.kind, event.kind.replace("_", " "))
        what = label + (f": {event.task}" if event.task else "")
        rows.append(
            (local_clock(result, event.minute), f"{event.minute:7.1f}", who, what, event.detail)
        )
    return rows


def _minute_text(result: RunResult, minute: float | None, reason: str = "") -> str:
    if minute is None:
        return "never" + (f" ({reason})" if reason else "")
    return f"+{whole_minute(minute)} min ({local_clock(result, minute)})"


def _wait_text(mean: float | None, maximum: float | None) -> str:
    if mean is None or maximum is None:
        return "nobody registered"
    return f"mean {mean:.1f} min, max {maximum:.1f} min"


def _verdict(result: RunResult, task: str | None) -> str:
    """`` (warn_vulnerable: target 60 min missed)``: the task's own result, when it has one."""
    milestone = next((m for m in result.milestones if m.task == task), None)
    if milestone is None:
        return ""
    if milestone.target_minute is None or milestone.met is None:
        return f" ({milestone.task})"
    verdict = "met" if milestone.met else "missed"
    return f" ({milestone.task}: target {milestone.target_minute:g} min {verdict})"


def _hazard_lines(result: RunResult) -> list[str]:
    """This run's weather and release, and the people above AEGL-2 three ways."""
    e = result.exposure
    if e is None:
        return []
    w = e.weather
    lid = "" if w.mixing_height_m is None else f", lid {w.mixing_height_m:g} m"
    above = e.above("AEGL-2")
    evacuating = "" if above.evacuated is None else f", evacuating {above.evacuated}"
    return [
        f"This run's weather ({w.source}): wind from {w.wind_from_deg:.0f} deg at "
        f"{w.wind_speed_ms:.1f} m/s, class {w.stability}{lid}; release {e.release_minutes:.0f} "
        f"min ({e.release_reason})",
        f"People above AEGL-2: outdoors {above.outdoors}, sheltering {above.sheltered}{evacuating}",
    ]


def kpi_lines(result: RunResult) -> list[str]:
    """The people KPIs as short lines for the timeline and the terminal.

    A warning's line names the task that gave it and that task's verdict, read from the same
    milestone the targets table shows, so the two never disagree."""
    k = result.kpis
    if k is None:
        return []
    zones = ", ".join(f"{z.level} {z.people}" for z in k.people_in_zones)
    reached = k.people_warned_before_plume + k.people_warned_after_plume + k.people_not_warned
    action = (
        "none decided"
        if k.protective_action is None
        else f"{k.protective_action} at {_minute_text(result, k.protective_action_minute)} "
        f"for {k.protective_action_people} people"
    )
    lines = [
        f"People in zones: {zones}",
        *_hazard_lines(result),
        f"Warned before the plume reached them: {k.people_warned_before_plume} of {reached} "
        f"people; warned after exposure began: {k.people_warned_after_plume}; not warned: "
        f"{k.people_not_warned}",
        f"Premises warned in person ({k.vulnerable_premises_in_aegl2}), the last: "
        + _minute_text(result, k.all_vulnerable_warned_minute, k.vulnerable_warned_reason)
        + _verdict(result, k.all_vulnerable_warned_by),
        "Public warned by broadcast: "
        + _minute_text(result, k.public_warned_minute)
        + _verdict(result, k.public_warned_by),
        f"Protective action: {action}",
        "First rest centre open: "
        + _minute_text(result, k.first_rest_centre_open_minute, k.first_rest_centre_reason),
    ]
    for c in k.rest_centres:
        opened = _minute_text(result, c.opened_minute, c.reason)
        lines.append(
            f"  {c.centre}: opened {opened}; peak {c.peak_occupancy}/{c.capacity}; "
            f"registration wait {_wait_text(c.mean_wait_minutes, c.max_wait_minutes)}"
        )
    lines += [
        f"People needing a rest centre: {k.people_needing_rest_centre}; turned away "
        f"{k.turned_away}; still waiting for a centre to open at the end {k.waiting_at_end}; "
        f"still queueing to register at the end {k.still_queueing_at_end}",
        "Registration wait: "
        + _wait_text(k.registration_wait_mean_minutes, k.registration_wait_max_minutes),
    ]
    return lines


def timeline_text(result: RunResult) -> str:
    """The timeline as plain text, one event a line, then the KPI lines."""
    lines = [
        f"{t}  +{m.strip():>6} min  {who:<45} {what:<30} {detail}".rstrip()
        for t, m, who, what, detail in timeline_rows(result)
    ]
    kpis = kpi_lines(result)
    if kpis:
        lines += ["", "Key figures", *kpis]
    return "\n".join(lines) + "\n"
