"""Exercise logs wherever they are: :func:`read_log` reads any of them, :func:`export_log`
and :func:`import_log` do what ``standby exercise log export`` and ``import`` do.

:func:`read_log` reads the console's database (SQLite or PostgreSQL) or an exported JSON, CSV
or XLSX file; it is what the debrief calls. Export writes a log atomically as JSON, CSV or
XLSX. Import validates a typed-up CSV or XLSX row by row against the log's scenario and adds
it to a database in one transaction; a row imported before is skipped, so importing the same
sheet twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from standby.errors import StandbyError
from standby.files import check_writable, write_bytes_atomic
from standby.reports.exercise_db import open_log
from standby.reports.exercise_log import (
    ExerciseLog,
    LogContext,
    LogError,
    check_references,
    read_json,
)
from standby.reports.exercise_log_sheets import read_sheet

if TYPE_CHECKING:
    from standby.scenarios.model import Scenario

EXPORT_FORMATS = ("json", "csv", "xlsx")


def read_log(source: str | Path, scenario: Scenario | None = None) -> ExerciseLog:
    """Read an exercise log from a JSON, CSV, XLSX or YAML file, a SQLite file or a PostgreSQL URL.

    With ``scenario`` every row's objective, inject and task ids are checked against it and
    clock times are read from its start; without it a file's own scenario details are used
    where it has them. Raises :class:`LogError` listing every bad row.
    """
    text = str(source)
    if text.startswith(("postgresql:", "postgres:", "postgresql+", "sqlite:")):
        return _read_database(text, scenario)
    path = Path(source)
    if not path.is_file():
        raise LogError(
            [
                f"{path}: no such file; give an exported log (.json, .csv, .xlsx) "
                "or the console's database"
            ]
        )
    suffix = path.suffix.lower()
    if suffix == ".json":
        log = read_json(path)
        if scenario is not None:
            check_references(log, LogContext.of(scenario), str(path))
        return log
    if suffix in (".csv", ".xlsx", ".yaml", ".yml"):
        return read_sheet(path, scenario).log
    return _read_database(text, scenario)


def _read_database(url: str, scenario: Scenario | None) -> ExerciseLog:
    with open_log(url, create=False) as database:
        log = database.exercise_log()
    if scenario is not None:
        check_references(log, LogContext.of(scenario), url)
    return log


def export_log(source: str, output_format: str, out: Path, *, force: bool = False) -> ExerciseLog:
    """Write the log at ``source`` to ``out`` as ``json``, ``csv`` or ``xlsx``; return it."""
    from standby.reports.exercise_log import log_to_json
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
    from standby.reports.exercise_db import scenario_meta

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
    from standby.reports.exercise_db import database_url

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
