"""The exercise log's database, on SQLite and on PostgreSQL: the same tests, the same code."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from standby.reports import exercise_db
from standby.reports.exercise_db import ClockError, LogDatabaseError, open_log
from standby.reports.exercise_log_io import read_log

T0 = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
SCENARIO = {
    "scenario": "chlorine-riverside",
    "start": "2026-11-12T02:10:00Z",
    "timezone": "Europe/London",
}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_records_get_ids_in_order_and_keep_every_field(log_url: str) -> None:
    with open_log(log_url) as db:
        first, _ = db.append({"kind": "action", "text": "Phone the EA", "who": "EPO"}, now=at(0))
        second, _ = db.append(
            {
                "kind": "decision",
                "scenario_minute": 45.5,
                "who": "TCG chair",
                "text": "Shelter in place",
                "rationale": "Care home cannot be moved",
                "jdm_stage": "identify_options",
            },
            now=at(1),
        )
    with open_log(log_url, create=False) as db:
        back = db.records()
    assert [r.id for r in back] == [1, 2]
    assert back[1].model_dump() == {
        "id": 2,
        "kind": "decision",
        "scenario_minute": 45.5,
        "wall_time": at(1),
        "who": "TCG chair",
        "text": "Shelter in place",
        "rationale": "Care home cannot be moved",
        "jdm_stage": "identify_options",
        "objective": None,
        "inject": None,
        "task": None,
        "rating": None,
        "finding": None,
    }
    assert (first.id, second.id) == (1, 2)


def test_a_retried_entry_is_recorded_once(log_url: str) -> None:
    with open_log(log_url) as db:
        made, new = db.append({"kind": "action", "text": "x"}, client_key="key-00000001")
        again, new_again = db.append({"kind": "action", "text": "x"}, client_key="key-00000001")
        assert (new, new_again) == (True, False)
        assert again == made
        assert db.count() == 1


def test_the_clock_runs_from_its_anchors(log_url: str) -> None:
    with open_log(log_url) as db:
        assert db.clock().minute_at(at(30)) == 0.0  # not started: stays at 0
        db.change_clock("start", now=at(0))
        assert db.clock().minute_at(at(10)) == 10.0
        db.change_clock("speed", speed=2.0, now=at(10))  # from minute 10 at 2x
        assert db.clock().minute_at(at(15)) == 20.0
        db.change_clock("pause", now=at(15))
        assert db.clock().minute_at(at(60)) == 20.0
        db.change_clock("jump", minute=90.0, now=at(61))
        assert db.clock().minute_at(at(70)) == 90.0  # still paused
        db.change_clock("resume", now=at(70))
        record, _ = db.append({"kind": "action", "text": "x"}, now=at(73))
    assert record.scenario_minute == 96.0  # 90 + 3 min at 2x
    with open_log(log_url, create=False) as db:  # as after a restart
        assert db.clock().minute_at(at(75)) == 100.0
        texts = [r.text for r in db.records(kinds=["clock"])]
    assert texts == [
        "Clock started at minute 0",
        "Clock speed 2x from minute 10",
        "Clock paused at minute 20",
        "Clock moved from minute 20 to minute 90",
        "Clock resumed at minute 90",
    ]


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        (["pause"], "has not been started yet"),
        (["start", "start"], "already been started"),
        (["start", "resume"], "already running"),
        (["start", "pause", "pause"], "already paused"),
    ],
)
def test_clock_actions_that_do_not_fit_are_refused(
    tmp_path: Path, actions: list[str], message: str
) -> None:
    with open_log(tmp_path / "x.db") as db:
        for action in actions[:-1]:
            db.change_clock(action)
        with pytest.raises(ClockError, match=message):
            db.change_clock(actions[-1])
        assert db.count() == len(actions) - 1


def test_concurrent_writers_get_every_id_once_with_none_missing(log_url: str) -> None:
    with open_log(log_url) as db:

        def write(number: int) -> None:
            for index in range(25):
                db.append(
                    {"kind": "action", "text": f"{number}-{index}"},
                    client_key=f"k-{number}-{index:04d}",
                )

        threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        records = db.records()
    assert [r.id for r in records] == list(range(1, 201))
    assert sorted(r.text for r in records) == sorted(
        f"{n}-{i}" for n in range(8) for i in range(25)
    )


def test_a_log_belongs_to_one_scenario(log_url: str) -> None:
    with open_log(log_url) as db:
        db.bind_scenario(SCENARIO)
        db.bind_scenario(SCENARIO)  # the same again is fine
        with pytest.raises(LogDatabaseError, match="belongs to scenario 'chlorine-riverside'"):
            db.bind_scenario({**SCENARIO, "scenario": "smoke-distribution"})


def test_read_log_gives_the_database_with_its_scenario(log_url: str) -> None:
    with open_log(log_url) as db:
        db.bind_scenario(SCENARIO)
        db.append({"kind": "milestone", "text": "TCG met", "task": "convene_tcg"})
    log = read_log(log_url)
    assert log.scenario == "chlorine-riverside"
    assert log.start == datetime(2026, 11, 12, 2, 10, tzinfo=UTC)
    assert [r.task for r in log] == ["convene_tcg"]


def test_secrets_are_made_once_and_kept(log_url: str) -> None:
    with open_log(log_url) as db:
        first = db.secret("access_code", lambda: "ABCD-EFGH-JKMN")
    with open_log(log_url) as db:
        assert db.secret("access_code", lambda: "other") == first == "ABCD-EFGH-JKMN"


# --- SQLite specifics -----------------------------------------------------------------------


def test_sqlite_log_is_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    with open_log(tmp_path / "x.db") as db:
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        version = db.meta()["schema_version"]
    assert version == "1"


def test_an_older_log_is_migrated_forward_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.db"
    with open_log(path) as db:
        db.append({"kind": "action", "text": "written by version 1"})
    ran = []

    def add_column(connection: object) -> None:
        ran.append(True)
        connection.exec_driver_sql("ALTER TABLE standby_log ADD COLUMN note TEXT")  # type: ignore[attr-defined]

    monkeypatch.setattr(exercise_db, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(exercise_db, "MIGRATIONS", {1: add_column})
    with open_log(path) as db:
        assert db.meta()["schema_version"] == "2"
        assert [r.text for r in db.records()] == ["written by version 1"]
    with open_log(path):
        pass
    assert ran == [True]
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(standby_log)")]
    assert "note" in columns


def test_a_log_from_a_newer_standby_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    open_log(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE standby_meta SET value = '7' WHERE key = 'schema_version'")
    with pytest.raises(LogDatabaseError, match="written by a newer Standby \\(schema version 7"):
        open_log(path)


def test_files_that_are_not_logs_are_refused_clearly(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, just some notes\n" * 100)
    with pytest.raises(LogDatabaseError, match="not an exercise log database"):
        open_log(text)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE cameras (id INTEGER)")
    with pytest.raises(LogDatabaseError, match="holds other tables and no exercise log"):
        open_log(other)
    with pytest.raises(LogDatabaseError, match="no such exercise log"):
        open_log(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
