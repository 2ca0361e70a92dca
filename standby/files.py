"""Safe output files: atomic writes, no silent overwrites, spreadsheet-safe CSV cells."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from standby.errors import OutputExistsError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts a spreadsheet would run as a formula (OWASP CSV injection)."""


def check_writable(path: Path, *, force: bool) -> None:
    """Raise :class:`OutputExistsError` when ``path`` exists and ``force`` is not given."""
    if path.exists() and not force:
        raise OutputExistsError(
            f"{path}: already exists and was left untouched; "
            "choose another output, or allow it to be replaced",
            parameters=("output", "force"),
        )


@contextlib.contextmanager
def atomic_output(path: Path, *, force: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` in pieces: it appears under its name, whole, only when
    the block ends without an error, and an interrupted block leaves nothing behind.

    Written under a temporary name in the same folder and renamed; an existing file is
    replaced only when ``force`` is true. Parent folders are created.
    """
    path = Path(path)
    check_writable(path, force=force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file owner-only; give it the mode a plain open() would
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; see :func:`atomic_output`."""
    path = Path(path)
    with atomic_output(path, force=force) as handle:
        handle.write(data)
    return path


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> Path:
    """Write UTF-8 ``text`` atomically; see :func:`write_bytes_atomic`."""
    return write_bytes_atomic(path, text.encode("utf-8"), force=force)


@functools.cache
def _umask() -> int:
    """The process umask, read once (reading it means setting it, which is not thread-safe)."""
    current = os.umask(0o022)
    os.umask(current)
    return current


def safe_csv_cell(value: object) -> str:
    """Return ``value`` as text a spreadsheet will not run as a formula.

    Cells that start with ``= + - @`` (or a tab or carriage return) get a leading apostrophe,
    the OWASP advice against CSV injection. Plain negative numbers are left alone.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def unneutralise(cell: str) -> str:
    """Undo :func:`safe_csv_cell`'s apostrophe before a formula-like cell (``'=SUM``)."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render rows as CSV text with every cell neutralised by :func:`safe_csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_csv_cell(cell) for cell in row])
    return buffer.getvalue()
