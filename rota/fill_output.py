"""A gap-fill proposal as files: the proposed rota in a rota format, or the overrides to add.

* **YAML rota in, YAML out**: the planner's own file, comments and patterns kept, with the
  proposed shifts added at the end of its ``overrides:`` list (overrides are applied every
  time the file is read, so the proposal survives re-imports).
* **Any rota in, CSV, XLSX, ICS or JSON out**: the rota's shifts with the proposal applied,
  in the format the suffix names (CSV, ICS and JSON as ``rota export`` writes them; XLSX one
  shift a row with the CSV's columns). A YAML file written for a rota that was not YAML
  holds its people, shifts, leave and call-outs.
* **Overrides alone** (:func:`overrides_yaml`): an ``overrides:`` list to paste into a YAML
  rota.

Times are written as local times with their offset (``2026-10-25T01:30+00:00``), so a
proposed shift on the autumn clock-change night reads back as the instant it is.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from standby.clock import iso_local
from standby.files import safe_csv_cell
from standby.rota.io import rota_to_csv, rota_to_ics, rota_to_json
from standby.rota.io_common import RotaFileError
from standby.rota.model import Override, Rota, TimeWindow

#: The suffixes a proposal can be written as.
PROPOSAL_FORMATS = (".csv", ".xlsx", ".yaml", ".yml", ".ics", ".json")


def proposal_bytes(
    rota: Rota, overrides: Sequence[Override], output: Path, *, source: Path | None = None
) -> bytes:
    """The proposed rota (``rota``, the proposal applied) as the format ``output`` names.

    ``source`` is the file the rota was read from: a YAML source is written back with the
    ``overrides`` added to it.
    """
    suffix = output.suffix.lower()
    if suffix not in PROPOSAL_FORMATS:
        raise RotaFileError(
            f"{output}: '{suffix or '(no suffix)'}' is not a format a proposal can be "
            f"written as; use one of {', '.join(PROPOSAL_FORMATS)}",
            parameters=("output",),
        )
    if suffix in (".yaml", ".yml"):
        if source is not None and source.suffix.lower() in (".yaml", ".yml"):
            text = source.read_text(encoding="utf-8-sig")
            return with_overrides(text, overrides, rota.timezone).encode("utf-8")
        return rota_yaml(rota).encode("utf-8")
    if suffix == ".csv":
        return rota_to_csv(rota).encode("utf-8")
    if suffix == ".ics":
        return rota_to_ics(rota)
    if suffix == ".json":
        return rota_to_json(rota).encode("utf-8")
    return rota_xlsx(rota)


# ------------------------------------------------------------------------------ YAML


def _override_items(overrides: Sequence[Override], timezone: str) -> list[dict[str, Any]]:
    return [
        {
            "role": override.role,
            "start": iso_local(override.start, timezone, short=True),
            "end": iso_local(override.end, timezone, short=True),
            "person": override.person,
            "mode": override.mode,
            "level": override.level,
            "notes": override.notes,
        }
        for override in overrides
    ]


def _dump(document: Any) -> str:
    return yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )


def overrides_yaml(overrides: Sequence[Override], timezone: str) -> str:
    """The overrides as a YAML ``overrides:`` section, to paste into a YAML rota."""
    header = (
        "# Proposed cover from `standby rota fill`: paste these entries under 'overrides:'\n"
        "# in the YAML rota (they are applied after its own overrides).\n"
    )
    return header + _dump({"overrides": _override_items(overrides, timezone)})


def with_overrides(text: str, overrides: Sequence[Override], timezone: str) -> str:
    """A YAML rota's ``text`` with ``overrides`` added at the end of its ``overrides:``.

    Everything else (comments, patterns, order) is kept as written. A file without an
    ``overrides:`` list gets one at the end.
    """
    if not overrides:
        return text
    items = _dump(_override_items(overrides, timezone))
    root = yaml.compose(text)
    section = None
    if isinstance(root, yaml.MappingNode):
        section = next((v for k, v in root.value if k.value == "overrides"), None)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if isinstance(section, yaml.SequenceNode) and section.value and not section.flow_style:
        first = lines[section.value[0].start_mark.line]
        indent = first.index("-")
        # After the list's last line of content, before any comment about the next key.
        at = section.end_mark.line
        while at > 0 and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
            at -= 1
        block = "".join(" " * indent + line for line in items.splitlines(keepends=True))
        return "".join([*lines[:at], block, *lines[at:]])
    if section is not None:
        # ``overrides:`` left empty or written as ``[]``: give it the list instead.
        start, end = section.start_mark, section.end_mark
        head: str = "".join(lines[: start.line]) + lines[start.line][: start.column]
        rest: str = "".join(lines[end.line :])[end.column :] if end.line < len(lines) else ""
        block = "".join("  " + line for line in items.splitlines(keepends=True))
        return head.rstrip(" ") + "\n" + block + rest.lstrip(" ")
    return (
        "".join(lines)
        + "overrides:\n"
        + "".join("  " + line for line in items.splitlines(keepends=True))
    )


def rota_yaml(rota: Rota) -> str:
    """The rota as a YAML rota: people, shifts, leave and call-outs (times with offsets)."""
    tz = rota.timezone

    def when(start: Any, end: Any) -> dict[str, str]:
        return {"start": iso_local(start, tz, short=True), "end": iso_local(end, tz, short=True)}

    document: dict[str, Any] = {"timezone": tz}
    if rota.people:
        document["people"] = [_person(person) for person in rota.people.values()]
    document["shifts"] = [
        {
            "person": shift.person,
            "role": shift.role,
            **when(shift.start, shift.end),
            "level": shift.level,
            **({"phone": shift.phone} if shift.phone else {}),
            **({"notes": shift.notes} if shift.notes else {}),
        }
        for shift in rota.shifts
    ]
    if rota.leave:
        document["leave"] = [{"person": x.person, **when(x.start, x.end)} for x in rota.leave]
    if rota.callouts:
        document["callouts"] = [
            {"person": c.person, **when(c.start, c.end), **({"role": c.role} if c.role else {})}
            for c in rota.callouts
        ]
    return "# Written by `standby rota fill`.\n" + _dump(document)


def _person(person: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": person.id, "name": person.name}
    if person.roles:
        entry["roles"] = list(person.roles)
    if person.qualifications:
        entry["qualifications"] = list(person.qualifications)
    if person.answer_probability is not None:
        entry["answer_probability"] = person.answer_probability
    if person.home_base:
        entry["home_base"] = person.home_base
    if person.home_location is not None:
        entry["home_location"] = {"lat": person.home_location[0], "lon": person.home_location[1]}
    if person.phone:
        entry["phone"] = person.phone
    if person.day_job:
        entry["day_job"] = [_window(window) for window in person.day_job]
    return entry


def _window(window: TimeWindow) -> dict[str, Any]:
    return {"days": list(window.days), "from": f"{window.start:%H:%M}", "to": f"{window.end:%H:%M}"}


# ------------------------------------------------------------------------------ XLSX


def rota_xlsx(rota: Rota) -> bytes:
    """The shifts as a workbook, one a row with the CSV's columns (formula-like cells
    neutralised)."""
    import csv

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Rota")
    for row in csv.reader(io.StringIO(rota_to_csv(rota))):
        sheet.append([safe_csv_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
