"""The readiness sweep's journal: finished slots on disk, so that a sweep carries on.

One JSON line per finished slot after a first line naming the sweep (:func:`fingerprint`:
the scenario, rota and requirements by content, the window, the step, the runs and seeds).
A sweep carried on from a journal gives the same final result as an uninterrupted one,
because each slot depends only on its start and the seeds.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from standby.clock import iso_z
from standby.errors import StandbyError

if TYPE_CHECKING:
    from standby.rota.model import Requirement, Rota
    from standby.scenarios.model import Scenario


class Entry(Protocol):
    """What a journal keeps: a slot's result, by slot and person left out."""

    @property
    def slot(self) -> int: ...

    @property
    def without(self) -> str | None: ...

    def to_json_dict(self) -> dict[str, Any]: ...


E = TypeVar("E", bound=Entry)


class SweepError(StandbyError):
    """A sweep that cannot run as asked (an empty window, a journal of another sweep)."""


class Journal(Generic[E]):
    """Finished slots on disk, one JSON line each, after a first line naming the sweep.

    Appended to and flushed chunk by chunk (not written atomically: it is the record of work
    done so far, and a line cut short by a crash is ignored when the sweep resumes).
    """

    def __init__(
        self,
        path: Path,
        fingerprint: dict[str, Any],
        *,
        resume: bool,
        load: Callable[[dict[str, Any]], E],
    ) -> None:
        self.path = Path(path)
        self.fingerprint = fingerprint
        self.load = load
        self.done: dict[tuple[str | None, int], E] = {}
        if resume and self.path.exists():
            self._load()
            self._handle = self.path.open("a", encoding="utf-8")
        else:
            if self.path.exists():
                raise SweepError(
                    f"{self.path}: an unfinished sweep is kept here; carry it on, or allow "
                    "the outputs to be replaced to start again",
                    parameters=("resume", "force"),
                )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("x", encoding="utf-8")
            self._handle.write(json.dumps({"sweep": fingerprint}, sort_keys=True) + "\n")
            self._flush()

    def _load(self) -> None:
        with self.path.open(encoding="utf-8") as handle:
            lines = handle.read().split("\n")
        try:
            head = json.loads(lines[0]).get("sweep")
        except (json.JSONDecodeError, AttributeError):
            head = None
        if head != self.fingerprint:
            changed = sorted(
                key
                for key in self.fingerprint
                if not head or head.get(key) != self.fingerprint[key]
            )
            raise SweepError(
                f"{self.path}: the unfinished sweep kept here was of another scenario, rota or "
                f"window ({', '.join(changed) or 'its first line is unreadable'} differ); "
                "give the same ones to carry it on, or allow the outputs to be replaced to "
                "start again",
                parameters=("force",),
            )
        for line in lines[1:]:
            try:
                result = self.load(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                continue  # the last line, cut short
            self.done[(result.without, result.slot)] = result

    def _flush(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def add(self, results: Sequence[E]) -> None:
        """Keep a chunk's slots."""
        for result in results:
            self._handle.write(json.dumps(result.to_json_dict()) + "\n")
            self.done[(result.without, result.slot)] = result
        self._flush()

    def close(self) -> None:
        """Stop writing (the file stays until :meth:`remove`)."""
        self._handle.close()

    def remove(self) -> None:
        """The sweep is finished and its outputs written: the journal is no longer needed."""
        self.close()
        self.path.unlink(missing_ok=True)


def fingerprint(
    scenario: Scenario,
    rota: Rota,
    requirements: Sequence[Requirement] | None,
    start: datetime,
    end: datetime,
    every: timedelta,
    runs_per_slot: int,
    seed: int,
    spof_samples: int,
) -> dict[str, Any]:
    """What makes a sweep the same sweep (a journal is carried on only by the same one)."""
    from standby.rota.io import rota_to_json

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    return {
        "scenario": scenario.name,
        "scenario_content": digest(scenario.model_dump_json()),
        "rota_content": digest(rota_to_json(rota)),
        "requirements": None if requirements is None else digest(repr(tuple(requirements))),
        "from": iso_z(start),
        "to": iso_z(end),
        "every_minutes": every / timedelta(minutes=1),
        "runs_per_slot": runs_per_slot,
        "seed": seed,
        "spof_samples": spof_samples,
    }
