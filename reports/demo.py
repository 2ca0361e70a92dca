"""The demo: run what Standby can do on its bundled data and write the results under ``out/``.

Each step returns the files it wrote and one line for the terminal summary, so `make demo`
shows only what really ran.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from standby.files import write_text_atomic

DEMO_SCENARIO = "chlorine-riverside"


@dataclass
class DemoStep:
    """What one demo step did: a summary line and the files it wrote."""

    title: str
    summary: str
    files: list[Path] = field(default_factory=list)


def step_scenarios(out: Path, force: bool) -> DemoStep:
    """Validate every bundled scenario and write their key figures as JSON."""
    from scenarios import bundled_names, load_scenario

    rows = []
    for name in bundled_names():
        item = load_scenario(name)
        rows.append(
            {
                "name": name,
                "title": item.title,
                "site": item.site.name,
                "comah_tier": item.site.comah_tier,
                "start": item.start,
                "agencies": len(item.agencies),
                "tasks": len(item.plan.tasks),
                "injects": len(item.injects),
                "objectives": len(item.objectives),
                "last_test": str(item.last_test) if item.last_test else None,
                "next_test_due": str(item.next_test_due) if item.next_test_due else None,
            }
        )
    path = write_text_atomic(out / "scenarios.json", json.dumps(rows, indent=2) + "\n", force=force)
    return DemoStep("Scenarios", f"{len(rows)} bundled scenarios validated", files=[path])


STEPS: list[Callable[[Path, bool], DemoStep]] = [step_scenarios]


def run_demo(out: Path, *, force: bool = False) -> list[DemoStep]:
    """Run every demo step in order, writing under ``out``."""
    return [step(out, force) for step in STEPS]
