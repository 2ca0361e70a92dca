"""The scenario file format: :class:`Scenario`, a whole file, checked across its sections.

The sections are pydantic v2 models in ``scenarios.sections`` and are re-exported here, so
``standby.scenarios.model`` names every part of the format. Cross-references (agency, role,
task, objective and substance ids), duplicate ids, the plan's acyclicity and the start time
are checked once the whole file has been read (``scenarios.checks``), so that each problem can
name its exact location, such as ``plan.tasks[3].after``; a ``Scenario`` built in Python is
checked the same way as one loaded from a file.
"""

from __future__ import annotations

from typing import Self

from pydantic import model_validator

from standby.scenarios.checks import reference_problems
from standby.scenarios.sections import (
    COMAH_AIMS,
    JESIP_PRINCIPLES,
    MIN_WIND_MS,
    Agency,
    Alert,
    DateRange,
    Distribution,
    Effect,
    Exponential,
    ExtraDemand,
    Fixed,
    Hazard,
    Identifier,
    Inject,
    Link,
    LinkDown,
    Location,
    LogNormal,
    Minutes,
    Objective,
    Observation,
    OccupancyPeriod,
    PersonUnavailable,
    Place,
    Plan,
    Probability,
    Receptor,
    Release,
    RestCentre,
    Role,
    RoleUnavailable,
    ScenarioFields,
    ScenarioReferenceError,
    Site,
    SpeedRange,
    Stability,
    StrictModel,
    Target,
    Task,
    Triangular,
    Uniform,
    Weather,
    WeatherSpread,
    WindChange,
    format_loc,
)


class Scenario(ScenarioFields):
    """A whole scenario file."""

    @model_validator(mode="after")
    def _check_references(self) -> Self:
        problems = reference_problems(self)
        if problems:
            raise ScenarioReferenceError(problems)
        return self


__all__ = [
    "COMAH_AIMS",
    "JESIP_PRINCIPLES",
    "MIN_WIND_MS",
    "Agency",
    "Alert",
    "DateRange",
    "Distribution",
    "Effect",
    "Exponential",
    "ExtraDemand",
    "Fixed",
    "Hazard",
    "Identifier",
    "Inject",
    "Link",
    "LinkDown",
    "Location",
    "LogNormal",
    "Minutes",
    "Objective",
    "Observation",
    "OccupancyPeriod",
    "PersonUnavailable",
    "Place",
    "Plan",
    "Probability",
    "Receptor",
    "Release",
    "RestCentre",
    "Role",
    "RoleUnavailable",
    "Scenario",
    "ScenarioReferenceError",
    "Site",
    "SpeedRange",
    "Stability",
    "StrictModel",
    "Target",
    "Task",
    "Triangular",
    "Uniform",
    "Weather",
    "WeatherSpread",
    "WindChange",
    "format_loc",
]
