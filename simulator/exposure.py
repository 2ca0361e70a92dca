"""Each replication's hazard: its weather, release, the plume at the receptors, what people breathe.

:func:`compile_hazard` does the per-scenario work once (:class:`HazardModel`: receptor
positions, air exchange rates, the wind-change injects, sigma tables on a distance grid,
occupancy by start instant). Then, per run, and cheaply:

* :func:`forecast`: from the run's drawn weather and the planned release duration, each
  receptor's zone and plume arrival (what responders act on: who is door-knocked, how many
  are told to shelter or leave);
* :func:`outcome`: once the run is over and the release end is known (the isolation task's
  end), the receptors' outdoor, sheltered and evacuated exposures against the AEGLs of the
  actual exposure duration, the zone reaches, SLOT/SLOD distances and the AEGL-2 footprint
  edge of each wind period (for the confidence sector), as a
  :class:`~standby.simulator.results.RunHazard`.

Only the receptors and the footprint edge are computed, never a grid: the receptors in plain
math, the edge on a 200-point distance grid whose sigmas are tabulated once per class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np

from standby.scenarios.substances import SUBSTANCES, Substance
from standby.simulator.geo import LocalFrame, wind_axes
from standby.simulator.plume import (
    MOLAR_VOLUME_L,
    FloatArray,
    Stability,
    Terrain,
    briggs_coefficients,
    briggs_sigmas,
    point_ppm,
    stability_of,
    vertical_term,
)
from standby.simulator.results import (
    FootprintEdge,
    LevelReach,
    PeopleAbove,
    ReceptorOutcome,
    RunHazard,
    RunWeather,
)
from standby.simulator.shelter import Pulse, minutes_above, three_ways
from standby.simulator.weather import DrawnWeather, WeatherModel, compile_weather
from standby.simulator.zones import (
    NEAR_FIELD_M,
    ZONE_LEVELS,
    aegl_duration_for,
    dense_gas_warning,
)

if TYPE_CHECKING:
    from standby.scenarios.model import Receptor, Scenario

AIR_CHANGES_PER_HOUR = {
    "residential": 1.0,
    "care_home": 1.0,
    "school": 2.0,
    "hospital": 2.0,
    "workplace": 1.5,
    "other": 1.0,
}
"""Air changes per hour with doors and windows shut, by receptor kind, when the scenario
gives none: homes 1.0 (the top of the 0.5-1 /h of UK homes, DOMAIN.md: the cautious end);
the others assumed (larger doors and more coming and going; hospitals' ventilation)."""

EDGE_POINTS = 16  # half-widths along the AEGL-2 footprint kept per period
_GRID = np.geomspace(10.0, 100_000.0, 200)
_LOG_GRID = np.log(_GRID)


@dataclass(frozen=True, slots=True)
class ReceptorSite:
    """A receptor where the plume is evaluated: metres east/north of the site."""

    index: int
    id: str
    vulnerable: bool
    east_m: float
    north_m: float
    air_changes_per_hour: float
    receptor: Receptor = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class WindShift:
    """A wind-change inject: from ``minute`` the release blows this way."""

    minute: float
    wind_from_deg: float
    wind_speed_ms: float
    stability: Stability


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of the release in one wind: minutes ``start`` to ``end``."""

    start: float
    end: float
    wind_from_deg: float
    wind_speed_ms: float
    stability: Stability
    mixing_height_m: float | None


@dataclass(frozen=True, slots=True)
class ReceptorForecast:
    """A receptor's zone and plume arrival as forecast at the start of a run."""

    zone: str | None
    arrival_minute: float | None


@dataclass
class HazardModel:
    """Everything the per-run hazard needs from the scenario, computed once."""

    substance: Substance
    rate_gs: float
    height_m: float
    terrain: Terrain
    planned_minutes: float
    isolation_task: int | None
    isolation_task_id: str | None
    scenario_minutes: float
    timezone: str
    weather: WeatherModel
    shifts: tuple[WindShift, ...]
    receptors: tuple[ReceptorSite, ...]
    _nominal_forecast: tuple[ReceptorForecast, ...] | None = field(default=None, repr=False)
    _reached: dict[tuple[float, float, str, float | None], tuple[tuple[int, float, float], ...]] = (
        field(default_factory=dict, repr=False)
    )
    _plume_figures: dict[tuple[object, ...], PlumeFigures] = field(default_factory=dict, repr=False)
    _tables: dict[tuple[Stability, float | None], tuple[FloatArray, FloatArray]] = field(
        default_factory=dict, repr=False
    )

    @property
    def ppm_per_g_m3(self) -> float:
        """ppm of the substance per g/m3."""
        return 1000.0 * MOLAR_VOLUME_L / self.substance.molar_mass

    def thresholds(self, release_minutes: float) -> tuple[tuple[str, float | None], ...]:
        """(level, ppm) of AEGL-3, -2, -1 for an exposure of ``release_minutes``."""
        duration = aegl_duration_for(release_minutes)
        aegls = self.substance.aegl_ppm[duration]
        return tuple(zip(ZONE_LEVELS, reversed(aegls), strict=True))

    def table(self, stability: Stability, lid: float | None) -> tuple[FloatArray, FloatArray]:
        """sigma_y and the centreline factor on the distance grid, once per class and lid."""
        key = (stability, lid)
        found = self._tables.get(key)
        if found is None:
            sigma_y, sigma_z = briggs_sigmas(_GRID, stability, self.terrain)
            factor = vertical_term(self.height_m, sigma_z, lid) / (
                2.0 * math.pi * sigma_y * sigma_z
            )
            found = (sigma_y, factor)
            self._tables[key] = found
        return found


@dataclass
class Occupancy:
    """The people at each receptor at a start instant (occupancy by period), kept per start."""

    receptors: tuple[Receptor, ...]
    timezone: str
    _people: dict[datetime, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def people_at(self, start_utc: datetime) -> tuple[int, ...]:
        """People at each receptor at the start instant, in file order."""
        people = self._people.get(start_utc)
        if people is None:
            local = start_utc.astimezone(ZoneInfo(self.timezone)).replace(tzinfo=None)
            people = tuple(receptor.people_at(local) for receptor in self.receptors)
            self._people[start_utc] = people
        return people


def compile_occupancy(scenario: Scenario) -> Occupancy:
    """The occupancy of every receptor of ``scenario``."""
    return Occupancy(tuple(scenario.receptors), scenario.timezone)


def compile_hazard(
    scenario: Scenario, task_index: dict[str, int], wind_changes: tuple[WindShift, ...]
) -> HazardModel | None:
    """The hazard model of ``scenario`` (None: no toxic release); ``task_index`` maps plan
    task ids to indices."""
    hazard = scenario.hazard
    if hazard is None:
        return None
    frame = LocalFrame(scenario.site.location.lat, scenario.site.location.lon)
    sites = []
    for i, receptor in enumerate(scenario.receptors):
        east, north = frame.to_local(receptor.location.lat, receptor.location.lon)
        changes = receptor.air_changes_per_hour or AIR_CHANGES_PER_HOUR[receptor.kind]
        sites.append(
            ReceptorSite(i, receptor.id, receptor.vulnerable, east, north, changes, receptor)
        )
    isolated_by = hazard.release.isolated_by
    return HazardModel(
        substance=SUBSTANCES[hazard.substance],
        rate_gs=hazard.release.rate_gs,
        height_m=hazard.release.height_m,
        terrain=hazard.terrain,
        planned_minutes=hazard.release.duration_minutes,
        isolation_task=None if isolated_by is None else task_index[isolated_by],
        isolation_task_id=isolated_by,
        scenario_minutes=scenario.duration_minutes,
        timezone=scenario.timezone,
        weather=compile_weather(hazard, scenario.site.location),
        shifts=wind_changes,
        receptors=tuple(sites),
    )


def wind_shifts(scenario: Scenario) -> tuple[WindShift, ...]:
    """The wind-change injects in time order, each with its stability class resolved."""
    from standby.scenarios.model import WindChange

    if scenario.hazard is None:
        return ()
    weather = scenario.hazard.weather
    shifts = []
    for inject in sorted(scenario.injects, key=lambda i: i.minute):
        change = inject.effect
        if isinstance(change, WindChange):
            stability, _ = stability_of(
                change.wind_speed_ms,
                change.stability,
                weather.insolation,
                weather.cloud_cover_oktas,
            )
            shifts.append(
                WindShift(
                    float(inject.minute), change.wind_from_deg, change.wind_speed_ms, stability
                )
            )
    return tuple(shifts)


# --- per run -----------------------------------------------------------------------------


def periods(model: HazardModel, weather: DrawnWeather, release_minutes: float) -> list[Period]:
    """The release split by the wind changes made while it lasts (each from its minute)."""
    lid = weather.mixing_height_m
    current = Period(
        0.0, release_minutes, weather.wind_from_deg, weather.wind_speed_ms, weather.stability, lid
    )
    result: list[Period] = []
    for shift in model.shifts:
        if shift.minute >= release_minutes:
            break
        if shift.minute > current.start:
            result.append(
                Period(
                    current.start,
                    shift.minute,
                    current.wind_from_deg,
                    current.wind_speed_ms,
                    current.stability,
                    lid,
                )
            )
        current = Period(
            shift.minute,
            release_minutes,
            shift.wind_from_deg,
            shift.wind_speed_ms,
            shift.stability,
            lid,
        )
    result.append(current)
    return result


def _pulses(model: HazardModel, spans: list[Period]) -> list[tuple[Pulse, ...]]:
    """Each receptor's pulses: the outdoor ppm of each period from its arrival on."""
    per_receptor: list[list[Pulse]] = [[] for _ in model.receptors]
    for span in spans:
        for index, travel, ppm in _reached(model, span):
            per_receptor[index].append(Pulse(span.start + travel, span.end + travel, ppm))
    return [tuple(p) for p in per_receptor]


def _reached(model: HazardModel, span: Period) -> tuple[tuple[int, float, float], ...]:
    """(receptor, travel minutes, ppm) of each receptor a period's plume reaches.

    Depends only on the period's wind, so it is kept per wind (runs in the same weather
    share it)."""
    key = (span.wind_from_deg, span.wind_speed_ms, span.stability, span.mixing_height_m)
    found = model._reached.get(key)
    if found is not None:
        return found
    factor = model.ppm_per_g_m3
    de, dn = wind_axes(span.wind_from_deg)
    coefficients = briggs_coefficients(span.stability, model.terrain)
    reached = []
    for site in model.receptors:
        east, north = site.east_m, site.north_m
        travel_m = east * de + north * dn
        distance = math.hypot(east, north)
        if distance < NEAR_FIELD_M:  # read 100 m out (the model reports nothing closer)
            east, north = (
                (east * NEAR_FIELD_M / distance, north * NEAR_FIELD_M / distance)
                if distance > 0.0
                else (NEAR_FIELD_M * de, NEAR_FIELD_M * dn)
            )
        downwind = east * de + north * dn
        if downwind <= 0.0:
            continue
        ppm = point_ppm(
            model.rate_gs,
            span.wind_speed_ms,
            model.height_m,
            coefficients,
            downwind,
            -east * dn + north * de,
            span.mixing_height_m,
            factor,
        )
        if ppm > 0.0:
            reached.append((site.index, max(travel_m, 0.0) / span.wind_speed_ms / 60.0, ppm))
    found = tuple(reached)
    if len(model._reached) < 4096:  # bounded: drawn weathers rarely repeat
        model._reached[key] = found
    return found


def _level(ppm: float, thresholds: tuple[tuple[str, float | None], ...]) -> str | None:
    for level, threshold in thresholds:
        if threshold is not None and ppm >= threshold:
            return level
    return None


def _lowest(thresholds: tuple[tuple[str, float | None], ...]) -> float | None:
    set_ = [t for _, t in thresholds if t is not None]
    return min(set_) if set_ else None


def forecast(model: HazardModel, weather: DrawnWeather) -> tuple[ReceptorForecast, ...]:
    """Each receptor's zone and first plume arrival, for the planned release duration.

    Arrival is when the plume first brings the receptor into any zone (at AEGL-1 where it
    is set), as in the deterministic classification. The scenario's own weather's forecast
    is kept (runs that do not draw their own share it).
    """
    if weather is model.weather.nominal:
        if model._nominal_forecast is None:
            model._nominal_forecast = _forecast(model, weather)
        return model._nominal_forecast
    return _forecast(model, weather)


def _forecast(model: HazardModel, weather: DrawnWeather) -> tuple[ReceptorForecast, ...]:
    thresholds = model.thresholds(model.planned_minutes)
    lowest = _lowest(thresholds)
    result = []
    for pulses in _pulses(model, periods(model, weather, model.planned_minutes)):
        zone = _level(max((p.ppm for p in pulses), default=0.0), thresholds)
        arrivals = [p.start for p in pulses if lowest is not None and p.ppm >= lowest]
        result.append(ReceptorForecast(zone, min(arrivals) if arrivals else None))
    return tuple(result)


def release_end(model: HazardModel, isolation_end: float | None) -> tuple[float, str]:
    """How long this run's release lasted, and why."""
    if model.isolation_task is None:
        return model.planned_minutes, f"fixed duration ({model.planned_minutes:g} min)"
    if isolation_end is None:
        return model.scenario_minutes, (
            f"'{model.isolation_task_id}' was not done by the end: released for the whole "
            f"scenario ({model.scenario_minutes:g} min)"
        )
    minutes = max(isolation_end, 1e-9)
    return minutes, f"isolated when '{model.isolation_task_id}' ended at minute {isolation_end:.1f}"


def outcome(
    model: HazardModel,
    weather: DrawnWeather,
    release_minutes: float,
    release_reason: str,
    people: tuple[int, ...],
    evacuate_at: float | None,
    route_minutes: float,
) -> RunHazard:
    """The run's hazard once its release end and protective action are known."""
    thresholds = model.thresholds(release_minutes)
    lowest = _lowest(thresholds)
    aegl1 = thresholds[-1][1]
    n = model.substance.toxic_load_n
    spans = periods(model, weather, release_minutes)
    receptors = []
    for site, pulses, count in zip(model.receptors, _pulses(model, spans), people, strict=True):
        if not pulses:  # upwind or out of reach: nothing to breathe
            receptors.append(_untouched(site, count, n, evacuate_at is not None))
            continue
        outdoor, sheltered, evacuated = three_ways(
            pulses, site.air_changes_per_hour, n, model.scenario_minutes, evacuate_at, route_minutes
        )
        arrivals = [p.start for p in pulses if lowest is not None and p.ppm >= lowest]
        receptors.append(
            ReceptorOutcome(
                receptor=site.id,
                people=count,
                zone=_level(outdoor.peak_ppm, thresholds),
                arrival_minute=min(arrivals) if arrivals else None,
                plume_passed_minute=max(p.end for p in pulses),
                outdoor_ppm=outdoor.peak_ppm,
                outdoor_toxic_load=outdoor.toxic_load,
                air_changes_per_hour=site.air_changes_per_hour,
                sheltered_ppm=sheltered.peak_ppm,
                sheltered_toxic_load=sheltered.toxic_load,
                sheltered_zone=_level(sheltered.peak_ppm, thresholds),
                indoor_above_aegl1_minutes=minutes_above(
                    sheltered.peak_ppm, aegl1, site.air_changes_per_hour
                ),
                evacuated_ppm=None if evacuated is None else evacuated.peak_ppm,
                evacuated_zone=None
                if evacuated is None
                else _level(evacuated.peak_ppm, thresholds),
            )
        )
    figures = plume_figures(model, spans, thresholds, release_minutes)
    return RunHazard(
        weather=RunWeather(
            weather.wind_from_deg,
            weather.wind_speed_ms,
            weather.stability,
            weather.mixing_height_m,
            weather.source,
            weather.floored,
        ),
        release_minutes=release_minutes,
        release_reason=release_reason,
        aegl_duration_min=aegl_duration_for(release_minutes),
        zone_reach_m=figures.reaches,
        slot_distance_m=figures.slot_m,
        slod_distance_m=figures.slod_m,
        receptors_reached=sum(1 for r in receptors if r.zone is not None),
        receptors=tuple(receptors),
        people_above=_people_above(receptors, thresholds, evacuate_at is not None),
        evacuation_minute=evacuate_at,
        aegl2_footprints=figures.footprints,
        warnings=_warnings(model, weather, release_minutes),
    )


_SEVERITY = {"AEGL-3": 3, "AEGL-2": 2, "AEGL-1": 1}


def _untouched(
    site: ReceptorSite, people: int, n: float | None, evacuated: bool
) -> ReceptorOutcome:
    """A receptor the plume never reaches."""
    load = None if n is None else 0.0
    return ReceptorOutcome(
        site.id,
        people,
        None,
        None,
        None,
        0.0,
        load,
        site.air_changes_per_hour,
        0.0,
        load,
        None,
        0.0,
        0.0 if evacuated else None,
        None,
    )


def _people_above(
    receptors: list[ReceptorOutcome],
    thresholds: tuple[tuple[str, float | None], ...],
    evacuated: bool,
) -> tuple[PeopleAbove, ...]:
    def count(zones: list[str | None], rank: int) -> int:
        return sum(
            r.people
            for r, zone in zip(receptors, zones, strict=True)
            if zone is not None and _SEVERITY[zone] >= rank
        )

    outdoors = [r.zone for r in receptors]
    sheltered = [r.sheltered_zone for r in receptors]
    evacuees = [r.evacuated_zone for r in receptors]
    return tuple(
        PeopleAbove(
            level,
            threshold,
            count(outdoors, _SEVERITY[level]),
            count(sheltered, _SEVERITY[level]),
            count(evacuees, _SEVERITY[level]) if evacuated else None,
        )
        for level, threshold in thresholds
    )


@dataclass(frozen=True, slots=True)
class PlumeFigures:
    """What a run reports of its plume itself: reaches, toxic-load distances, footprints."""

    reaches: tuple[LevelReach, ...]
    slot_m: float | None
    slod_m: float | None
    footprints: tuple[FootprintEdge, ...]


def plume_figures(
    model: HazardModel,
    spans: list[Period],
    thresholds: tuple[tuple[str, float | None], ...],
    release_minutes: float,
) -> PlumeFigures:
    """The reaches of the first period, SLOT/SLOD distances and each period's AEGL-2 edge.

    Kept per (periods, thresholds, toxic-load exposure) so runs in the same weather share it.
    """
    n = model.substance.toxic_load_n
    loads = (model.substance.slot_dtl, model.substance.slod_dtl)
    load_minutes = release_minutes if n is not None and any(loads) else 0.0
    key = (
        tuple(
            (s.start, s.wind_from_deg, s.wind_speed_ms, s.stability, s.mixing_height_m)
            for s in spans
        ),
        thresholds,
        load_minutes,
    )
    found = model._plume_figures.get(key)
    if found is not None:
        return found
    _, ppm = _centreline(model, spans[0])
    reaches = tuple(
        LevelReach(level, t, 0.0 if t is None else _reach(ppm, t)) for level, t in thresholds
    )
    distances = [
        None if n is None or dtl is None else _reach(ppm, (dtl / release_minutes) ** (1.0 / n))
        for dtl in loads
    ]
    footprints = []
    for index, span in enumerate(spans):
        edge = _edge(model, span, thresholds[1][1], ppm if index == 0 else None)
        if edge is not None:
            footprints.append(edge)
    found = PlumeFigures(reaches, distances[0], distances[1], tuple(footprints))
    if len(model._plume_figures) < 4096:
        model._plume_figures[key] = found
    return found


def _centreline(model: HazardModel, span: Period) -> tuple[FloatArray, FloatArray]:
    sigma_y, factor = model.table(span.stability, span.mixing_height_m)
    ppm = np.minimum(factor * (model.rate_gs / span.wind_speed_ms * model.ppm_per_g_m3), 1.0e6)
    return sigma_y, ppm


def _reach(ppm: FloatArray, threshold: float) -> float:
    """The last distance of the grid at or above ``threshold``, log-interpolated to the next."""
    above = np.flatnonzero(ppm >= threshold)
    if above.size == 0:
        return 0.0
    last = int(above[-1])
    if last + 1 >= _GRID.size:
        return float(_GRID[-1])
    inside, outside = math.log(ppm[last]), math.log(max(ppm[last + 1], 1e-300))
    share = (inside - math.log(threshold)) / (inside - outside)
    return math.exp(_LOG_GRID[last] + share * (_LOG_GRID[last + 1] - _LOG_GRID[last]))


def _edge(
    model: HazardModel, span: Period, threshold: float | None, ppm: FloatArray | None = None
) -> FootprintEdge | None:
    """The AEGL-2 footprint of one period: half-widths at EDGE_POINTS distances to its reach."""
    if threshold is None:
        return None
    if ppm is None:
        _, ppm = _centreline(model, span)
    reach = _reach(ppm, threshold)
    if reach <= 0.0:
        return FootprintEdge(span.start, span.wind_from_deg, 0.0, (), ())
    along = reach * np.arange(1, EDGE_POINTS + 1) / EDGE_POINTS
    log_ppm = np.interp(np.log(along), _LOG_GRID, np.log(np.maximum(ppm, 1e-300)))
    sigma_y, _ = briggs_sigmas(along, span.stability, model.terrain)
    ratio = np.maximum(log_ppm - math.log(threshold), 0.0)
    half_width = sigma_y * np.sqrt(2.0 * ratio)
    return FootprintEdge(
        span.start, span.wind_from_deg, reach, tuple(along.tolist()), tuple(half_width.tolist())
    )


def _warnings(model: HazardModel, weather: DrawnWeather, release_minutes: float) -> tuple[str, ...]:
    warnings = []
    if weather.floored:
        warnings.append(
            f"Observed wind ({weather.source}) was below 1 m/s: raised to 1 m/s, where the "
            "plume model starts to hold; calm air meanders and this run is not reliable."
        )
    if release_minutes > 60.0:
        warnings.append(
            f"Release lasted {release_minutes:.0f} min (over an hour): the wind is unlikely "
            "to stay steady for that long."
        )
    if model.substance.dense_gas:
        warnings.append(dense_gas_warning(model.substance))
    return tuple(warnings)
