"""The files many runs are written to as they come back: ``--json``, ``runs.csv`` and
``events.jsonl``, each made of text the workers send, in replication order.

- :class:`RunsJson` writes what ``simulate --json`` writes (one run's result, or for several
  the envelope ``{"scenario", "start", "seed", "runs": [...]}``), byte for byte what
  ``results.dumps`` gives for the whole document;
- :class:`RunsCsv` writes ``runs.csv`` (its rows are made where the runs are, with
  :func:`csv_rows`);
- :class:`EventsJsonl` writes every event of every run, one JSON object a line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, BinaryIO

from standby.files import safe_csv_cell
from standby.simulator.records import KPI_FIELDS, RunRecord
from standby.simulator.results import RunResult, dumps


def _envelope(first: RunResult, seed: int) -> dict[str, Any]:
    return {"scenario": first.scenario, "start": first.start, "seed": seed}


class RunsJson:
    """``simulate --json``'s document, written one run at a time into a binary file.

    The bytes are those of ``results.dumps(document)`` for the same runs: one run's result
    when ``runs`` is 1, else the envelope ``{"scenario", "start", "seed", "runs": [...]}``.
    Call :meth:`add` with each run's ``dumps`` text in order, then :meth:`close`.
    """

    def __init__(self, sink: BinaryIO, *, runs: int, seed: int) -> None:
        self.sink = sink
        self.runs = runs
        self.seed = seed
        self.added = 0

    def _write(self, text: str) -> None:
        self.sink.write(text.encode("utf-8"))

    def add(self, first: RunResult, text: str) -> None:
        """Write one more run (``first`` is run 0, for the envelope)."""
        if self.added >= self.runs:
            raise ValueError(f"more than the {self.runs} runs announced")
        if self.runs == 1:
            self._write(text)
        else:
            if self.added == 0:
                head = dumps(_envelope(first, self.seed))  # '{\n  ...\n  "seed": 1\n}\n'
                self._write(head[: head.rindex("\n}")] + ',\n  "runs": [\n')
            else:
                self._write(",\n")
            # each run sits two levels deep in the envelope: indented by four spaces
            self._write("    " + text[:-1].replace("\n", "\n    "))
        self.added += 1

    def close(self) -> None:
        """End the document; every announced run must have been added."""
        if self.added != self.runs:
            raise ValueError(f"{self.added} of the {self.runs} runs announced were written")
        if self.runs > 1:
            self._write("\n  ]\n}\n")


def csv_line(cells: Sequence[object]) -> str:
    """One CSV line, every cell neutralised against spreadsheet formulas."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([safe_csv_cell(c) for c in cells])
    return buffer.getvalue()


class RunsCsv:
    """``runs.csv``: one row per run with its seed, whether every target was met, each
    target's end minute and met flag, the KPI figures and the roles left short.

    The rows are made where the runs are (:func:`csv_rows`); this writes the header and
    then the rows as they come back."""

    def __init__(self, sink: BinaryIO, first: RunResult) -> None:
        self.sink = sink
        header = ["replication", "seed", "all_targets_met", "targets_met"]
        for i in targets_of(first):
            task = first.milestones[i].task
            header += [f"{task}_end_minute", f"{task}_met"]
        header += [item.name for item in KPI_FIELDS]
        header.append("unfilled_roles")
        self.add(csv_line(header))

    def add(self, rows: str) -> None:
        """Write rows made by :func:`csv_rows`."""
        if rows:
            self.sink.write(rows.encode("utf-8"))


def targets_of(run: RunResult) -> list[int]:
    """Positions of the milestones that have a target."""
    return [i for i, m in enumerate(run.milestones) if m.target_minute is not None]


def csv_rows(records: Sequence[RunRecord], targets: Sequence[int], seed: int) -> str:
    """``runs.csv`` rows of ``records`` (``targets``: positions of the milestones with one)."""
    lines = []
    for record in records:
        cells: list[object] = [
            "" if record.replication is None else record.replication,
            seed,
            _flag(record.all_met),
            record.targets_met,
        ]
        for i in targets:
            end = record.ends[i]
            cells += ["" if end is None else f"{end:g}", _flag(record.met[i])]
        cells += ["" if value is None else f"{value:g}" for value in record.kpis]
        cells.append("; ".join(role for role, _reason, _kind in record.unfilled))
        lines.append(csv_line(cells))
    return "".join(lines)


def _flag(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


class EventsJsonl:
    """Every event of every run, one JSON object a line with its ``replication``."""

    def __init__(self, sink: BinaryIO) -> None:
        self.sink = sink

    def add(self, text: str) -> None:
        """Write a chunk's lines."""
        if text:
            self.sink.write(text.encode("utf-8"))
