"""The exercise log's database: SQLite by default, PostgreSQL by URL, one code path.

SQLAlchemy Core does the SQL for both, so the console, the import and the debrief's
:func:`reports.exercise_log_io.read_log` run the same statements on a laptop's SQLite file and on
an LRF's PostgreSQL server. Every action is one transaction; write transactions take the
log's lock first (``BEGIN IMMEDIATE`` on SQLite, a row lock on PostgreSQL), so records get
their ids in commit order and a browser that polls "everything after id N" never misses one.
SQLite runs in WAL mode with ``synchronous=FULL``: once a browser is told "saved", the
record survives the server being killed, and the machine losing power.

The exercise clock is stored as anchors (wall time, scenario minute, running, speed), one
row per change beside its ``clock`` log record; the current minute is computed from the last
anchor, so a restarted server's clock is where it would have been.

The schema version is recorded in ``standby_meta``; an older database is migrated forward
when opened, a newer one is refused.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from standby.clock import iso_z, parse_instant
from standby.errors import StandbyError
from standby.reports.exercise_log import (
    FIELDS,
    MAX_MINUTE,
    ExerciseLog,
    LogRecord,
    utc_now,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Table

    from standby.scenarios.model import Scenario

SCHEMA_VERSION = 1
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}
"""Migration from schema version ``n`` to ``n + 1``, keyed by ``n``, each run in its own
transaction when an older database is opened. Version 1 is the first; none exists yet."""

Reader = Callable[[Sequence[str]], list[LogRecord]]
Check = Callable[[Reader], Mapping[str, Any]]

CLOCK_ACTIONS = ("start", "pause", "resume", "jump", "speed")
MAX_SPEED = 60.0


class LogDatabaseError(StandbyError):
    """The database cannot be opened or used as an exercise log."""


class ClockError(StandbyError):
    """A clock action that does not fit the clock's state (pausing a paused clock)."""


@dataclass(frozen=True, slots=True)
class ClockState:
    """The exercise clock from its last anchor: at ``anchor`` it read ``minute``."""

    started: bool = False
    running: bool = False
    minute: float = 0.0
    speed: float = 1.0
    anchor: datetime | None = None

    def minute_at(self, now: datetime) -> float:
        """The scenario minute at wall time ``now``."""
        if not self.running or self.anchor is None:
            return self.minute
        elapsed = max(0.0, (now - self.anchor).total_seconds()) / 60.0
        return min(self.minute + elapsed * self.speed, float(MAX_MINUTE))

    def after(
        self, action: str, now: datetime, minute: float | None = None, speed: float | None = None
    ) -> tuple[ClockState, str]:
        """The state after ``action`` at ``now``, and a line saying what changed."""
        current = round(self.minute_at(now), 2)
        if action == "start":
            if self.started:
                raise ClockError("the exercise clock has already been started; use resume")
            at = current if minute is None else minute
            return ClockState(True, True, at, self.speed, now), f"Clock started at minute {at:g}"
        if not self.started and action in ("pause", "resume"):
            raise ClockError("the exercise clock has not been started yet; start it first")
        if action == "pause":
            if not self.running:
                raise ClockError("the exercise clock is already paused")
            return ClockState(
                True, False, current, self.speed, now
            ), f"Clock paused at minute {current:g}"
        if action == "resume":
            if self.running:
                raise ClockError("the exercise clock is already running")
            return ClockState(
                True, True, current, self.speed, now
            ), f"Clock resumed at minute {current:g}"
        if action == "jump":
            if minute is None or not 0.0 <= minute <= MAX_MINUTE:
                raise ClockError(f"jump needs a minute from 0 to {MAX_MINUTE}")
            return (
                ClockState(self.started, self.running, minute, self.speed, now),
                f"Clock moved from minute {current:g} to minute {minute:g}",
            )
        if action == "speed":
            if speed is None or not 0.0 < speed <= MAX_SPEED:
                raise ClockError(f"the clock speed must be above 0 and at most {MAX_SPEED:g}")
            return (
                ClockState(self.started, self.running, current, speed, now),
                f"Clock speed {speed:g}x from minute {current:g}",
            )
        raise ClockError(f"unknown clock action '{action}'; use one of: {', '.join(CLOCK_ACTIONS)}")

    def to_json_dict(self, now: datetime) -> dict[str, Any]:
        """The clock as the browsers get it: the minute now, running or not, speed."""
        return {
            "minute": round(self.minute_at(now), 3),
            "running": self.running,
            "started": self.started,
            "speed": self.speed,
        }


# --- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tables:
    meta: Table
    log: Table
    clock: Table
    statements: _Statements


@dataclass(frozen=True)
class _Statements:
    """The statements every action runs, built once (building them costs more than SQLite
    takes to run them)."""

    lock: Any
    by_key: Any
    last_clock: Any
    insert_log: Any
    insert_clock: Any


def _statements(meta: Table, log: Table, clock: Table) -> _Statements:
    from sqlalchemy import bindparam, insert, select

    return _Statements(
        lock=select(meta.c.value).where(meta.c.key == "schema_version").with_for_update(),
        by_key=select(log).where(log.c.client_key == bindparam("key")),
        last_clock=select(clock).order_by(clock.c.id.desc()).limit(1),
        insert_log=insert(log),
        insert_clock=insert(clock),
    )


def _tables() -> _Tables:
    from sqlalchemy import (
        Boolean,
        Column,
        Float,
        ForeignKey,
        Integer,
        MetaData,
        String,
        Table,
        Text,
    )

    metadata = MetaData()
    meta = Table(
        "standby_meta",
        metadata,
        Column("key", String(64), primary_key=True),
        Column("value", Text, nullable=False),
    )
    text_columns = [Column(name, Text) for name in FIELDS[4:]]
    log = Table(
        "standby_log",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_key", String(128), unique=True),
        Column("kind", String(32), nullable=False),
        Column("scenario_minute", Float, nullable=False),
        Column("wall_time", String(32)),
        *text_columns,
    )
    clock = Table(
        "standby_clock",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("log_id", Integer, ForeignKey("standby_log.id"), nullable=False),
        Column("anchor", String(40), nullable=False),
        Column("minute", Float, nullable=False),
        Column("started", Boolean, nullable=False),
        Column("running", Boolean, nullable=False),
        Column("speed", Float, nullable=False),
    )
    return _Tables(meta, log, clock, _statements(meta, log, clock))


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a file path, ``sqlite:///...`` or ``postgresql://...``."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise LogDatabaseError(
                "PostgreSQL needs its driver: pip install 'standby[postgres]' (psycopg)"
            ) from None
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if text.startswith(("postgresql+", "sqlite:")):
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


def _engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            writes = connection.get_execution_options().get("standby_writes", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def scenario_meta(scenario: Scenario, source: str) -> dict[str, str]:
    """What a log records of its scenario: name, title, where it was loaded from, start.

    A bundled scenario is kept by its name (it moves with Standby), a file by its full path.
    """
    from standby.scenarios.load import library_dir, resolve

    path = resolve(source).resolve()
    bundled = path.parent == library_dir().resolve()
    return {
        "scenario": scenario.name,
        "scenario_title": scenario.title,
        "scenario_source": path.stem if bundled else str(path),
        "start": iso_z(scenario.start_utc),
        "timezone": scenario.timezone,
    }


# --- the database ------------------------------------------------------------------------


class LogDatabase:
    """An open exercise log: append records, change the clock, read everything back."""

    def __init__(self, url: str, engine: Engine, tables: _Tables) -> None:
        self.url = url
        self.engine = engine
        self.tables = tables
        # Writers of this process queue here rather than in SQLite's busy handler, which
        # sleeps in growing steps and would give a busy room long waits.
        self._write_lock = threading.Lock()

    @property
    def kind(self) -> str:
        """``SQLite`` or ``PostgreSQL``."""
        return "SQLite" if self.url.startswith("sqlite") else "PostgreSQL"

    @property
    def display(self) -> str:
        """Where the log is, for people: the file, or the URL without its password."""
        path = _sqlite_path(self.url)
        if path is not None:
            return str(path)
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        return url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> LogDatabase:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction holding the log's lock (ids are given in commit order)."""
        with (
            self._write_lock,
            self.engine.connect().execution_options(standby_writes=True) as connection,
            connection.begin(),
        ):
            connection.execute(self.tables.statements.lock)
            yield connection

    # --- meta ----------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """Every key of ``standby_meta``."""
        from sqlalchemy import select

        with self.engine.connect() as connection:
            rows = connection.execute(select(self.tables.meta)).all()
        return {row.key: row.value for row in rows}

    def bind_scenario(self, values: Mapping[str, str]) -> None:
        """Record the scenario of a new log; refuse a log that belongs to another scenario."""
        from sqlalchemy import insert, select

        meta = self.tables.meta
        with self._writing() as connection:
            name = connection.execute(
                select(meta.c.value).where(meta.c.key == "scenario")
            ).scalar_one_or_none()
            if name is None:
                connection.execute(
                    insert(meta), [{"key": k, "value": v} for k, v in values.items()]
                )
            elif name != values["scenario"]:
                raise LogDatabaseError(
                    f"{self.display}: this exercise log belongs to scenario '{name}', not "
                    f"'{values['scenario']}'; start the console with '{name}' or give another "
                    "database for a new exercise"
                )

    def secret(self, name: str, make: Callable[[], str] | None = None) -> str:
        """A value kept in the log (the access code), made once by ``make``."""
        from sqlalchemy import insert, select

        meta = self.tables.meta
        key = f"secret:{name}"
        with self._writing() as connection:
            value = connection.execute(
                select(meta.c.value).where(meta.c.key == key)
            ).scalar_one_or_none()
            if value is None:
                value = (make or (lambda: secrets.token_urlsafe(32)))()
                connection.execute(insert(meta).values(key=key, value=value))
        return str(value)

    def exercise_log(self) -> ExerciseLog:
        """The whole log with its scenario's name, start and time zone."""
        meta = self.meta()
        start = meta.get("start")
        return ExerciseLog(
            scenario=meta.get("scenario"),
            start=parse_instant(start, "UTC") if start else None,
            timezone=meta.get("timezone"),
            records=tuple(self.records()),
        )

    # --- records -------------------------------------------------------------------------

    def records(self, since: int = 0, kinds: Sequence[str] = ()) -> list[LogRecord]:
        """Records with an id above ``since`` (of ``kinds`` only, if given), in order."""
        with self.engine.connect() as connection:
            return self._records(connection, since, kinds)

    def _records(self, connection: Connection, since: int, kinds: Sequence[str]) -> list[LogRecord]:
        from sqlalchemy import select

        log = self.tables.log
        query = select(log).where(log.c.id > since).order_by(log.c.id)
        if kinds:
            query = query.where(log.c.kind.in_(list(kinds)))
        return [_record(row._mapping) for row in connection.execute(query).all()]

    def records_and_clock(self, since: int) -> tuple[list[LogRecord], ClockState]:
        """Records after ``since`` and the clock, read together (what a poll needs)."""
        with self.engine.connect() as connection, connection.begin():
            return self._records(connection, since, ()), self._clock(connection)

    def count(self) -> int:
        """How many records the log holds."""
        from sqlalchemy import func, select

        with self.engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(self.tables.log)).scalar_one()
            )

    def clock(self) -> ClockState:
        """The exercise clock's last anchor (not started when there is none)."""
        with self.engine.connect() as connection:
            return self._clock(connection)

    def _clock(self, connection: Connection) -> ClockState:
        row = connection.execute(self.tables.statements.last_clock).first()
        if row is None:
            return ClockState()
        return ClockState(
            bool(row.started),
            bool(row.running),
            float(row.minute),
            float(row.speed),
            datetime.fromisoformat(row.anchor),
        )

    def append(
        self,
        values: Mapping[str, Any],
        *,
        client_key: str | None = None,
        now: datetime | None = None,
        check: Check | None = None,
    ) -> tuple[LogRecord, bool]:
        """Append one record in one transaction; return it and whether it is new.

        Without ``scenario_minute`` in ``values`` the record takes the exercise clock's minute
        now. A ``client_key`` seen before returns the record it made (a browser's retry).
        ``check``, given a reader of the log inside the transaction, may refuse (raise) or
        return values to add, such as a new inject id: what it reads cannot change before
        the record is written.
        """
        now = now or utc_now()
        with self._writing() as connection:
            existing = self._by_key(connection, client_key)
            if existing is not None:
                return existing, False
            row = dict(values)
            if check is not None:
                row.update(check(lambda kinds: self._records(connection, 0, kinds)))
            if row.get("scenario_minute") is None:
                row["scenario_minute"] = round(self._clock(connection).minute_at(now), 2)
            row.setdefault("wall_time", now)
            record = self._insert(connection, row, client_key)
        return record, True

    def change_clock(
        self,
        action: str,
        *,
        who: str | None = None,
        minute: float | None = None,
        speed: float | None = None,
        client_key: str | None = None,
        now: datetime | None = None,
    ) -> tuple[LogRecord, bool]:
        """Start, pause, resume, jump or set the speed of the clock: a ``clock`` record and
        its anchor, in one transaction."""
        now = now or utc_now()
        with self._writing() as connection:
            existing = self._by_key(connection, client_key)
            if existing is not None:
                return existing, False
            state, text = self._clock(connection).after(action, now, minute, speed)
            record = self._insert(
                connection,
                {
                    "kind": "clock",
                    "scenario_minute": state.minute,
                    "wall_time": now,
                    "who": who,
                    "text": text,
                },
                client_key,
            )
            connection.execute(
                self.tables.statements.insert_clock,
                {
                    "log_id": record.id,
                    "anchor": now.isoformat(),
                    "minute": state.minute,
                    "started": state.started,
                    "running": state.running,
                    "speed": state.speed,
                },
            )
        return record, True

    def import_records(
        self, records: Sequence[LogRecord], keys: Sequence[str]
    ) -> tuple[list[LogRecord], int]:
        """Add typed-up records in one transaction; rows imported before are skipped.

        Returns the records added and how many were already in the log.
        """
        added = []
        skipped = 0
        with self._writing() as connection:
            for record, key in zip(records, keys, strict=True):
                if self._by_key(connection, f"import:{key}") is not None:
                    skipped += 1
                    continue
                values = record.model_dump()
                del values["id"]
                added.append(self._insert(connection, values, f"import:{key}"))
        return added, skipped

    def _by_key(self, connection: Connection, client_key: str | None) -> LogRecord | None:
        if client_key is None:
            return None
        row = connection.execute(self.tables.statements.by_key, {"key": client_key}).first()
        return None if row is None else _record(row._mapping)

    def _insert(
        self, connection: Connection, values: Mapping[str, Any], client_key: str | None
    ) -> LogRecord:
        checked = LogRecord.model_validate({**values, "id": 1})
        row = checked.model_dump()
        del row["id"]
        if checked.wall_time is not None:  # kept to the second, as every export shows it
            checked = checked.model_copy(
                update={"wall_time": checked.wall_time.replace(microsecond=0)}
            )
        row["wall_time"] = iso_z(checked.wall_time) if checked.wall_time else None
        row["client_key"] = client_key
        result = connection.execute(self.tables.statements.insert_log, row)
        new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        assert new_id is not None
        return checked.model_copy(update={"id": int(new_id)})


def _record(row: Mapping[Any, Any]) -> LogRecord:
    """A stored row as a record: it was validated when written, so it is not again."""
    values = {name: row[name] for name in FIELDS}
    if values["wall_time"]:
        values["wall_time"] = datetime.fromisoformat(values["wall_time"])
    return LogRecord.model_construct(**values)


def open_log(target: str | Path, *, create: bool = True) -> LogDatabase:
    """Open (or, with ``create``, make) the exercise log at a path or URL.

    The schema is created for a new log and migrated forward for an older one.
    """
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    url = database_url(target)
    path = _sqlite_path(url)
    if path is not None and not create and not path.is_file():
        raise LogDatabaseError(
            f"{path}: no such exercise log; give the database the console wrote "
            "(standby exercise serve creates it)"
        )
    if path is not None and create:
        path.parent.mkdir(parents=True, exist_ok=True)
    # a file is named as the user gave it; a URL's file by its path
    shown = str(target) if "://" not in str(target) else str(path or target)
    try:
        engine = _engine(url)
        tables = _tables()
        _prepare(engine, tables, create=create, shown=shown)
    except (DBAPIError, ArgumentError, NoSuchModuleError) as error:
        raise LogDatabaseError(_database_problem(shown, error)) from None
    return LogDatabase(url, engine, tables)


def _database_problem(shown: str, error: Exception) -> str:
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    if "file is not a database" in detail:
        return (
            f"{shown}: not an exercise log database (SQLite says: {detail}); give the .db "
            "file the console wrote, or an exported log (.json, .csv or .xlsx)"
        )
    return f"{shown}: cannot open the exercise log: {detail}"


def _prepare(engine: Engine, tables: _Tables, *, create: bool, shown: str) -> None:
    from sqlalchemy import insert, inspect, select, update

    names = set(inspect(engine).get_table_names())
    if tables.meta.name not in names:
        if not create:
            raise LogDatabaseError(
                f"{shown}: not a Standby exercise log (no {tables.meta.name} table)"
            )
        if names - {tables.log.name, tables.clock.name}:
            raise LogDatabaseError(
                f"{shown}: this database holds other tables and no exercise log; give a new "
                "file or an empty PostgreSQL database"
            )
        with (
            engine.connect().execution_options(standby_writes=True) as connection,
            connection.begin(),
        ):
            tables.meta.metadata.create_all(connection)
            connection.execute(
                insert(tables.meta),
                [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "created", "value": iso_z(utc_now())},
                ],
            )
        return
    meta = tables.meta
    while True:
        with (
            engine.connect().execution_options(standby_writes=True) as connection,
            connection.begin(),
        ):
            version = int(
                connection.execute(
                    select(meta.c.value).where(meta.c.key == "schema_version").with_for_update()
                ).scalar_one()
            )
            if version > SCHEMA_VERSION:
                raise LogDatabaseError(
                    f"{shown}: this exercise log was written by a newer Standby (schema "
                    f"version {version}; this one knows {SCHEMA_VERSION}); upgrade Standby"
                )
            if version == SCHEMA_VERSION:
                return
            MIGRATIONS[version](connection)
            connection.execute(
                update(meta).where(meta.c.key == "schema_version").values(value=str(version + 1))
            )
