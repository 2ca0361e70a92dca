"""The log as this server has read it so far: records in order, each with its JSON, kept.

Records are append-only and get their ids in commit order, so everything up to the last id
read is final; a poll only asks the database for what came after it. Twenty browsers
polling twice a second then cost a cheap query each, and a record is turned into JSON once,
not once per browser. Another server writing to the same PostgreSQL log is still seen: the
tail reads whatever the database holds beyond its last id.
"""

from __future__ import annotations

import bisect
import json
import threading

from standby.reports.console.state import STATUS_OF_KIND, InjectStatus
from standby.reports.exercise_db import ClockState, LogDatabase
from standby.reports.exercise_log import LogRecord


class LogTail:
    """Append-only copy of the log with each record's JSON text and each inject's status."""

    def __init__(self, database: LogDatabase) -> None:
        self.database = database
        self.records: list[LogRecord] = []
        self.ids: list[int] = []
        self.texts: list[str] = []
        self.statuses: dict[str, InjectStatus] = {}
        self.released: list[LogRecord] = []
        self.clock = ClockState()
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Read the records written since the last refresh, and the clock, in one go."""
        with self._lock:
            new, self.clock = self.database.records_and_clock(self.ids[-1] if self.ids else 0)
            for record in new:
                self.records.append(record)
                self.ids.append(record.id)
                self.texts.append(json.dumps(record.to_json_dict(), ensure_ascii=False))
                status = STATUS_OF_KIND.get(record.kind)
                if status is not None and record.inject:
                    self.statuses[record.inject] = InjectStatus(
                        status, record.scenario_minute, record.id
                    )
                    if status == "released":
                        self.released.append(record)

    def after(self, since: int, limit: int) -> tuple[list[LogRecord], list[str]]:
        """Up to ``limit`` records with an id above ``since``, and their JSON texts."""
        start = bisect.bisect_right(self.ids, since)
        return self.records[start : start + limit], self.texts[start : start + limit]
