"""One fuzz target per loader: read the file, then use what was read, as the commands do.

A target passes when the loader reads the file and the next step works on it, or when it
stops with a :class:`standby.StandbyError` whose message names the file (or, for values
the step was given, what to change). Any other exception is a bug: a traceback for a user.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from standby import StandbyError

Target = Callable[[Path], None]


def _check_rota(path: Path, **options: Any) -> None:
    from standby.rota.coverage import check
    from standby.rota.io import read_rota

    rota = read_rota(path, max_shifts=20_000, **options)
    if rota.shifts:
        check(rota)


def rota_csv(path: Path) -> None:
    _check_rota(path)


def rota_xlsx(path: Path) -> None:
    _check_rota(path)


def rota_xlsx_grid(path: Path) -> None:
    _check_rota(path, handover="09:00")


def rota_yaml(path: Path) -> None:
    _check_rota(path)


def rota_json(path: Path) -> None:
    _check_rota(path)


def rota_ics(path: Path) -> None:
    _check_rota(path)


@cache
def _small_rota() -> Any:
    from standby.rota.io import parse_csv

    text = (
        "person,role,start,end\n"
        "A. Jones,Duty Emergency Planning Officer,2026-03-23 09:00,2026-03-30 09:00\n"
        "B. Smith,Rest Centre Manager,2026-03-23 09:00,2026-03-30 09:00\n"
    )
    return parse_csv(text, path=Path("small.csv"))


def requirements(path: Path) -> None:
    from standby.rota.coverage import check
    from standby.rota.io import read_requirements_file

    loaded = read_requirements_file(path)
    check(_small_rota(), loaded.requirements, role_rules=loaded.role_rules)


def scenario(path: Path) -> None:
    from standby.scenarios import load_scenario
    from standby.simulator.model import prepare, simulate

    loaded = load_scenario(path)
    simulate(prepare(loaded), seed=1, runs=1)


def weather(path: Path) -> None:
    from standby.scenarios.load import read_observations

    read_observations(path)


@cache
def _chlorine() -> Any:
    from standby.scenarios import load_scenario

    return load_scenario("chlorine-riverside")


def msel(path: Path) -> None:
    from standby.reports.msel import read_sheet
    from standby.reports.msel_import import sheet_injects

    sheet_injects(read_sheet(path), _chlorine())


def exercise_log(path: Path) -> None:
    from standby.reports.exercise_log_io import read_log

    read_log(path, _chlorine())


def observations(path: Path) -> None:
    from standby.reports.observations import Rules, read_observations

    objectives = tuple(objective.id for objective in _chlorine().objectives)
    read_observations(
        path, Rules(objectives, "chlorine-riverside", datetime(2026, 3, 18, tzinfo=UTC).date())
    )


def run(target: Target, suffix: str, data: bytes) -> None:
    """Write ``data`` to a file ending in ``suffix`` and run ``target`` on it.

    Raises AssertionError when the target fails other than with a StandbyError naming the
    file; a StandbyError is what a user would see, and is fine.
    """
    with tempfile.TemporaryDirectory(prefix="standby-fuzz-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            target(path)
        except StandbyError as error:
            text = str(error)
            assert text.strip(), "an error with no message"
            assert "Traceback" not in text
            assert path.name in text or error.parameters, (
                f"the message does not name the file: {text}"
            )
