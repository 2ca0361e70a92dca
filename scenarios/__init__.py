"""The scenario file format: validated YAML scenarios and the bundled library."""

from standby.scenarios.load import ScenarioError, bundled_names, load_scenario, parse_scenario
from standby.scenarios.model import Scenario

__all__ = ["Scenario", "ScenarioError", "bundled_names", "load_scenario", "parse_scenario"]
