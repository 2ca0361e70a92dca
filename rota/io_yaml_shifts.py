"""The written-out shifts of a YAML rota, read in one loop when pydantic would take them as
they are.

``rota.io_yaml`` checks a rota against its pydantic models (``rota.io_yaml_models``), one
model a shift: for half a million shifts that is most of the time left once the file is
parsed. A shift written plainly (a mapping of ``ShiftModel``'s keys only, ``person`` and
``role`` non-empty text, ``start`` and ``end`` text, ``level`` left out or a whole number
from 1, ``phone`` and ``notes`` left out, empty or text) is exactly what ``ShiftModel``
would make of it, so those rows go straight to :class:`Shift` here, as the CSV reader does.
Any other row, a wrong one included, leaves the rota to the models, so the messages are
theirs and come in the same order (see :func:`read_plain_shifts`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Generic, TypeVar

from standby.rota.io_common import RotaFileError, TimeReader, check_order
from standby.rota.model import Shift

#: A validated rota file (``RotaFile``), as the reader's validate function returns it.
Parsed = TypeVar("Parsed")

#: The keys of a shift (``ShiftModel``'s fields; a test keeps the two the same).
SHIFT_KEYS = frozenset({"person", "role", "start", "end", "level", "phone", "notes"})


class CheckedRota(Generic[Parsed]):
    """A rota document checked by ``validate`` (its model, raising the file's message),
    with its plainly written shifts set aside when ``fast``.

    Then ``rows`` is the document's ``shifts:`` list and ``parsed`` the rest of the
    document validated without them; :meth:`whole` validates the whole document, as the
    reader did before, whenever a shift might be one the model refuses, so its message
    comes first, as it did. ``rows`` is None when not ``fast``, or there are no shifts:
    ``parsed`` is then the whole document.
    """

    def __init__(
        self,
        document: dict[str, Any],
        validate: Callable[[dict[str, Any]], Parsed],
        *,
        fast: bool,
    ) -> None:
        self.document, self.validate = document, validate
        self.rows = plain_rows(document) if fast else None
        try:
            self.parsed = validate(document if self.rows is None else {**document, "shifts": []})
        except RotaFileError:
            self.whole()  # the message names every problem, the shifts' too
            raise

    def whole(self, start: int = 0) -> Parsed | None:
        """The whole document validated, when a row from ``start`` is not plain (raising
        if the model refuses it); None when they all are."""
        if self.rows is None or first_not_plain(self.rows, start) is None:
            return None
        return self.validate(self.document)


def plain_rows(document: Any) -> list[Any] | None:
    """The rows of a parsed rota's ``shifts:``, if it has a list of them."""
    rows = document.get("shifts") if type(document) is dict else None
    return rows if type(rows) is list and rows else None


def first_not_plain(rows: Sequence[Any], start: int = 0) -> int | None:
    """The index of the first row from ``start`` that pydantic might not take as written."""
    for index in range(start, len(rows)):
        row = rows[index]
        if type(row) is not dict or not row.keys() <= SHIFT_KEYS or not _plain_values(row):
            return index
    return None


def _plain_values(row: dict[str, Any]) -> bool:
    get = row.get
    person, role, level = get("person"), get("role"), get("level", 1)
    phone, notes = get("phone"), get("notes")
    return (
        type(person) is str
        and person != ""
        and type(role) is str
        and role != ""
        and type(get("start")) is str
        and type(get("end")) is str
        and type(level) is int
        and level >= 1
        and (phone is None or type(phone) is str)
        and (notes is None or type(notes) is str)
    )


def read_plain_shifts(
    rows: Sequence[Any],
    *,
    shifts: list[Shift],
    times: TimeReader,
    names: dict[str, str] | None,
    unknown: Callable[[str, int], str],
    where: Callable[..., str],
    source: str,
) -> int:
    """Append to ``shifts`` a :class:`Shift` for each row while the rows are plain; return
    the index of the first row that is not (``len(rows)`` when all are).

    Each row is read as ``rota.io_yaml`` reads a shift model, with the same messages:
    ``times`` reads the start and the end (each distinct text once), ``names`` maps names
    and ids to ids (None: names are taken as written; ``unknown(name, index)`` raises for a
    name not in it), ``where(*loc)`` names a place in the file, ``source`` starts each
    shift's source (``rota.yaml:shifts.``).
    """
    known = times.plain.get
    append = shifts.append
    stop = first_not_plain(rows)
    for index in range(len(rows) if stop is None else stop):
        row = rows[index]
        name, role, start_text, end_text = row["person"], row["role"], row["start"], row["end"]
        level, phone, notes = row.get("level", 1), row.get("phone"), row.get("notes")
        start = known(start_text) or times(start_text, partial(where, "shifts", index, "start"))
        end = known(end_text) or times(end_text, partial(where, "shifts", index, "end"))
        if end <= start:
            check_order(
                start, end, where=where("shifts", index), start_text=start_text, end_text=end_text
            )
        if names is not None:
            name = names.get(name) or names.get(name.casefold()) or unknown(name, index)
        append(Shift(name, role, start, end, level, f"{source}{index}", phone, notes))
    return len(rows) if stop is None else stop
