"""What ``standby exercise log export`` and ``standby exercise log import`` do, from Python.

Export reads a log (the console's database, or an exported file) and writes it atomically as
JSON, CSV or XLSX. Import validates a typed-up CSV or XLSX row by row against the log's
scenario and adds it to a database in one transaction; a row imported before is skipped, so
importing the same sheet twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from standby.errors import StandbyError
from standby.files import check_writable, write_bytes_atomic

if TYPE_CHECKING:
    from standby.reports.exercise_log import ExerciseLog
    from standby.scenarios.model import Scenario

EXPORT_FORMATS = ("json", "csv", "xlsx")


def export_log(source: str, output_format: str, out: Path, *, force: bool = False) -> ExerciseLog:
    """Write the log at ``source`` to ``out`` as ``json``, ``csv`` or ``xlsx``; return it."""
    from standby.reports.exercise_log import log_to_json, read_log
    from standby.reports.exercise_log_sheets import log_to_csv, log_to_xlsx

    if output_format not in EXPORT_FORMATS:
        raise StandbyError(f"'{output_format}' is not an export format; use json, csv or xlsx")
    check_writable(out, force=force)
    log = read_log(source)
    if output_format == "json":
        data = log_to_json(log).encode("utf-8")
    elif output_format == "csv":
        data = log_to_csv(log).encode("utf-8")
    else:
        data = log_to_xlsx(log)
    write_bytes_atomic(out, data, force=force)
    return log


@dataclass
class ImportSummary:
    """What an import did: rows added, rows already in the log, warnings, the log's place."""

    added: int
    skipped: int
    database: str
    scenario: str | None
    warnings: list[str] = field(default_factory=list)


def import_log(path: Path, db: str, scenario_name: str | None = None) -> ImportSummary:
    """Add the typed-up log ``path`` (CSV or XLSX) to the database ``db``.

    The rows are checked against ``scenario_name`` when given, else against the scenario the
    database belongs to (when it can still be loaded); a new database takes the named
    scenario. Nothing is added unless every row is valid.
    """
    from standby.reports.exercise_db import open_log, scenario_meta
    from standby.reports.exercise_log import LogContext
    from standby.reports.exercise_log_sheets import read_sheet

    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise StandbyError(
            f"{path}: import reads a .csv or .xlsx sheet; save the log as one of those"
        )
    if not path.is_file():
        raise StandbyError(f"{path}: no such file")
    meta = _existing_meta(db)
    scenario = _scenario_for(scenario_name, meta)
    if scenario is not None and meta.get("scenario") not in (None, scenario.name):
        raise StandbyError(
            f"{db}: this exercise log belongs to scenario '{meta['scenario']}', not "
            f"'{scenario.name}'; import into another database, or name '{meta['scenario']}'"
        )
    context = LogContext.of(scenario) if scenario is not None else LogContext()
    sheet = read_sheet(path, context=context, keep_ids=False)
    with open_log(db) as database:
        if scenario is not None:
            database.bind_scenario(
                scenario_meta(scenario, scenario_name or meta["scenario_source"])
            )
        added, skipped = database.import_records(sheet.log.records, sheet.keys)
        return ImportSummary(
            added=len(added),
            skipped=skipped,
            database=db if database.kind == "SQLite" else database.display,
            scenario=scenario.name if scenario is not None else None,
            warnings=sheet.warnings,
        )


def _existing_meta(db: str) -> dict[str, str]:
    """The log's own details, or none for a SQLite file not made yet (nothing is created)."""
    from standby.reports.exercise_db import database_url, open_log

    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return {}
    with open_log(db) as database:
        return database.meta()


def _scenario_for(name: str | None, meta: dict[str, str]) -> Scenario | None:
    from standby.scenarios import load_scenario

    if name is not None:
        return load_scenario(name)
    source = meta.get("scenario_source")
    if source is None:
        return None
    try:
        return load_scenario(source)
    except StandbyError:
        raise StandbyError(
            f"the log belongs to scenario '{meta.get('scenario')}', whose file {source} "
            "cannot be read any more; name the scenario to check the rows against"
        ) from None
