"""The people model's set-up, computed once per scenario: receptors, rest centres, zones.

The hazard model's answer for each receptor (worst AEGL zone and first plume arrival over the
wind changes) does not depend on the seed, so :func:`compile_people` computes it once when the
scenario is compiled, with the rest centres, the hazard summary for the results and the text
each wind-change inject logs. :mod:`standby.simulator.people` turns it into demand in each run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from standby import StandbyError
from standby.simulator.results import (
    HazardPeriod,
    HazardSummary,
    ReceptorZone,
    ZoneReach,
)

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario

AT_RISK = "area at risk"
"""The one zone of every receptor in a scenario with no toxic release (a flood, a power cut)."""
AEGL_ZONES = ("AEGL-3", "AEGL-2", "AEGL-1")
WARNING_ZONES = ("AEGL-3", "AEGL-2", AT_RISK)
"""Zones whose vulnerable premises are warned in person (the issue's "inside AEGL-2"; with no
toxic release, every vulnerable premises in the area at risk)."""


@dataclass(frozen=True, slots=True)
class CompiledReceptor:
    """A receptor with its zone and plume arrival in the scenario's own weather (each run has
    its own: :func:`standby.simulator.people.plume_arrival`)."""

    index: int
    id: str
    name: str
    population: int
    vulnerable: bool
    zone: str | None
    arrival_minute: float | None


DEFAULT_REGISTRATION_STAFF = 2
"""Registration desks of a centre whose scenario names neither staff nor a role (assumed)."""


@dataclass(frozen=True, slots=True)
class CompiledRestCentre:
    """A rest centre; ``opened_by`` are the rest-centre tasks holding its staffing role (its
    manager's); ``registration_role`` (an index) staffs its desks as its people arrive, else
    ``registration_staff`` desks open with it."""

    index: int
    id: str
    name: str
    capacity: int
    staffing_role: str
    registration_staff: int
    opened_by: tuple[int, ...]
    manager_role: int = -1
    registration_role: int | None = None


@dataclass(frozen=True)
class PeopleSetup:
    """Everything the people model needs from the scenario, computed once."""

    receptors: tuple[CompiledReceptor, ...]
    rest_centres: tuple[CompiledRestCentre, ...]
    hazard: HazardSummary | None
    wind_notes: dict[float, str]
    _by_occupancy: dict[tuple[int, ...], HazardSummary] = field(
        default_factory=dict, repr=False, compare=False
    )

    def hazard_with(self, people: tuple[int, ...]) -> HazardSummary | None:
        """The deterministic summary with each receptor's people at a run's start (kept);
        None with no toxic release."""
        if self.hazard is None:
            return None
        summary = self._by_occupancy.get(people)
        if summary is None:
            receptors = tuple(
                replace(r, population=n) for r, n in zip(self.hazard.receptors, people, strict=True)
            )
            summary = replace(self.hazard, receptors=receptors)
            self._by_occupancy[people] = summary
        return summary

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones people can be in: the AEGL zones, or the area at risk with no plume."""
        return AEGL_ZONES if self.hazard is not None else (AT_RISK,)

    @property
    def warn_targets(self) -> tuple[int, ...]:
        """Vulnerable receptors inside AEGL-2 or AEGL-3, in file order."""
        return tuple(r.index for r in self.receptors if r.vulnerable and r.zone in WARNING_ZONES)


# --- once per scenario -------------------------------------------------------------------


def compile_people(scenario: Scenario, openers: dict[int, tuple[str, ...]]) -> PeopleSetup:
    """Receptor zones, rest centres, the hazard summary and the wind-change notes.

    ``openers`` maps each ``kind: rest_centre`` task (compiled index) to its role ids.
    """
    from standby.simulator.hazard import (
        scenario_exposures,
        wind_changes_from_injects,
        zones_over_time,
    )

    role_index = {r.id: i for i, r in enumerate(scenario.roles)}
    centres = tuple(
        CompiledRestCentre(
            i,
            c.id,
            c.name,
            c.capacity,
            c.staffing_role,
            c.registration_staff or DEFAULT_REGISTRATION_STAFF,
            tuple(sorted(t for t, roles in openers.items() if c.staffing_role in roles)),
            role_index[c.staffing_role],
            None if c.registration_role is None else role_index[c.registration_role],
        )
        for i, c in enumerate(scenario.rest_centres)
    )
    if scenario.hazard is None:  # nothing toxic: everyone listed is in the area at risk
        at_risk = tuple(
            CompiledReceptor(i, r.id, r.name, r.population, r.vulnerable, AT_RISK, None)
            for i, r in enumerate(scenario.receptors)
        )
        return PeopleSetup(at_risk, centres, None, {})
    try:
        periods = zones_over_time(scenario.hazard, wind_changes_from_injects(scenario.injects))
    except ValueError as error:
        changes = [i.id for i in scenario.injects if i.effect and i.effect.kind == "wind_change"]
        raise StandbyError(
            f"scenario {scenario.name}: injects {', '.join(changes)}: {error}; give the "
            "wind_change a 'stability' (A-F) or the weather an insolation"
        ) from error
    exposures = scenario_exposures(scenario)
    receptors = tuple(
        CompiledReceptor(i, r.id, r.name, r.population, r.vulnerable, e.zone, e.arrival_minute)
        for i, (r, e) in enumerate(zip(scenario.receptors, exposures, strict=True))
    )
    warnings: list[str] = []
    limits: list[str] = []
    for period in periods:
        warnings += [w for w in period.zones.warnings if w not in warnings]
        limits += [x for x in period.zones.limits if x not in limits]
    first = periods[0].zones
    hazard = HazardSummary(
        substance=first.substance_name,
        aegl_duration_min=first.aegl_duration_min,
        sigma_set=first.sigma_set,
        periods=tuple(
            HazardPeriod(
                p.start_minute,
                p.end_minute,
                p.zones.wind_speed_ms,
                p.zones.wind_from_deg,
                p.zones.stability,
                tuple(
                    ZoneReach(z.level, z.threshold_ppm, z.downwind_m, z.max_half_width_m, z.area_m2)
                    for z in p.zones.zones
                ),
            )
            for p in periods
        ),
        receptors=tuple(
            ReceptorZone(
                r.id,
                r.name,
                r.kind,
                r.population,
                r.vulnerable,
                e.zone,
                e.arrival_minute,
                e.downwind_m,
                e.crosswind_m,
                e.concentration_ppm,
                e.warnings,
            )
            for r, e in zip(scenario.receptors, exposures, strict=True)
        ),
        warnings=tuple(warnings),
        limits=tuple(limits),
    )
    return PeopleSetup(receptors, centres, hazard, _wind_notes(scenario, hazard, periods[0]))


def _wind_notes(scenario: Scenario, hazard: HazardSummary, first: Any) -> dict[float, str]:
    """The zones each wind change brings, should the release still be going on then."""
    from standby.scenarios.model import WindChange
    from standby.simulator.hazard import stability_of, threat_zones

    assert scenario.hazard is not None, "called only with a toxic release"
    weather = scenario.hazard.weather
    notes = {}
    for inject in scenario.injects:
        change = inject.effect
        if not isinstance(change, WindChange):
            continue
        minute = float(inject.minute)
        if minute < scenario.hazard.release.duration_minutes:  # a period of the summary
            current = next(p for p in reversed(hazard.periods) if p.start_minute <= minute)
            notes[minute] = f"new zones from minute {current.start_minute:g}: " + _reach_text(
                current
            )
            continue
        stability, basis = stability_of(
            change.wind_speed_ms, change.stability, weather.insolation, weather.cloud_cover_oktas
        )
        plume = first.plume.with_wind(change.wind_speed_ms, change.wind_from_deg, stability, basis)
        zones = threat_zones(plume)
        period = HazardPeriod(
            minute,
            None,
            zones.wind_speed_ms,
            zones.wind_from_deg,
            zones.stability,
            tuple(
                ZoneReach(z.level, z.threshold_ppm, z.downwind_m, z.max_half_width_m, z.area_m2)
                for z in zones.zones
            ),
        )
        notes[minute] = f"new zones from minute {minute:g}: " + _reach_text(period)
    return notes


def _reach_text(period: HazardPeriod) -> str:
    reaches = ", ".join(
        f"{z.level} {_distance(z.downwind_m)}" for z in period.zones if z.threshold_ppm is not None
    )
    return f"{reaches} downwind (class {period.stability})"


def _distance(metres: float) -> str:
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"
