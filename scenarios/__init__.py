"""The scenario file format: validated YAML scenarios and the bundled library."""

from standby.scenarios.load import (
    ScenarioError,
    bundled_names,
    bundled_scenarios,
    load_scenario,
    parse_scenario,
    scenario_source,
)
from standby.scenarios.model import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "bundled_names",
    "bundled_scenarios",
    "load_scenario",
    "parse_scenario",
    "scenario_source",
]
