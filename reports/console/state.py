"""Where each inject stands, read from the log: pending, held, released or skipped.

The log is the only state the console keeps: an inject's status is the kind of its last
``inject_*`` record, so a restarted server knows what was released, and by whom, without
anything held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from standby.reports.exercise_log import LogRecord

Status = Literal["pending", "held", "released", "skipped"]
STATUS_OF_KIND: dict[str, Status] = {
    "inject_released": "released",
    "inject_held": "held",
    "inject_skipped": "skipped",
}
ACTIONS = {"release": "inject_released", "hold": "inject_held", "skip": "inject_skipped"}
ALLOWED: dict[Status, tuple[str, ...]] = {
    "pending": ("release", "hold", "skip"),
    "held": ("release", "skip"),
    "skipped": ("release",),
    "released": (),
}
"""What the facilitator may do next from each status (a released inject stays released)."""


@dataclass(frozen=True, slots=True)
class InjectStatus:
    """An inject's status, the scenario minute it took it, and the record that set it."""

    status: Status
    minute: float | None = None
    record: int | None = None

    def to_json_dict(self) -> dict[str, object]:
        """Plain data for the browsers."""
        return {"status": self.status, "minute": self.minute, "record": self.record}


def inject_statuses(records: Iterable[LogRecord]) -> dict[str, InjectStatus]:
    """The status of every inject that has an ``inject_*`` record (others are pending)."""
    statuses: dict[str, InjectStatus] = {}
    for record in records:
        status = STATUS_OF_KIND.get(record.kind)
        if status is not None and record.inject:
            statuses[record.inject] = InjectStatus(status, record.scenario_minute, record.id)
    return statuses
