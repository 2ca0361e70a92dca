"""A workbook's size checked before it is read: no cell far away, no zip bomb.

A workbook of a few kilobytes can unpack to gigabytes, or hold one cell at XFD1048576. A
reader that lays a sheet out as rows and columns (python-calamine does, in Rust) then asks
for 17 billion cells at once and the process dies with no message. So before a workbook is
opened, :func:`check_workbook` reads the zip's directory and streams each sheet's XML
through a few byte patterns (no XML parser, no cell objects):

- the workbook unpacks to at most :func:`bytes_limit` bytes;
- no cell lies past column :data:`standby.limits.MAX_SHEET_COLUMNS` (ALL), and the error
  names the cell (``Rota!XFD1048576``), so the planner can delete it;
- the sheet's rows times its columns stay under :data:`MAX_CELLS_PER_SHIFT` cells for each
  shift the rota may hold.

Merged ranges need no check here: ``rota.io_xlsx`` fills them only within the sheet's own
rows and columns, which these bounds limit.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from standby import limits
from standby.rota.io_common import RotaFileError, too_many_shifts

#: Cells of a sheet's rows-by-columns layout, per shift the rota may hold (a long-format
#: row has at most eight columns Standby reads; the rest is room for a title and notes).
MAX_CELLS_PER_SHIFT = 16
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
#: A cell past column H (the eight a long-format sheet uses): few in a rota, so cheap to find.
_WIDE_CELL = re.compile(rb'<c\b[^>]*?\br="([I-Z]|[A-Z]{2,})(\d+)"')
_CHUNK = 1 << 20
_OVERLAP = 256  # a tag cut by a chunk's end is read whole with the next


def bytes_limit(max_shifts: int) -> int:
    """The most bytes a workbook may unpack to: :data:`limits.MAX_WORKBOOK_BYTES`, or more
    for a higher shift limit (a long-format row takes about 256 bytes of XML)."""
    return max(limits.MAX_WORKBOOK_BYTES, 256 * max_shifts)


def column_number(letters: str) -> int:
    """``A`` is 1, ``Z`` 26, ``AA`` 27, ``XFD`` 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_workbook(path: Path, max_shifts: int) -> None:
    """Raise :class:`RotaFileError` unless the workbook can be read within the bounds."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(member.file_size for member in members)
            limit = bytes_limit(max_shifts)
            if unpacked > limit:
                raise RotaFileError(
                    f"{path}: the workbook unpacks to {unpacked / 2**20:,.0f} MB, more than "
                    f"the {limit / 2**20:,.0f} MB Standby reads for a rota of at most "
                    f"{max_shifts:,} shifts; save the rota alone in a new workbook, or allow "
                    "more shifts",
                    parameters=("max_shifts",),
                )
            titles = _titles(archive)
            for member in members:
                if _SHEET.match(member.filename):
                    title = titles.get(member.filename, member.filename.rsplit("/", 1)[-1])
                    with archive.open(member) as sheet:
                        _check_sheet(sheet, path, title, max_shifts)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise RotaFileError(
            f"{path}: not a readable .xlsx workbook; save it from Excel or LibreOffice as "
            "'Excel Workbook (.xlsx)'"
        ) from None


def _check_sheet(sheet: object, path: Path, title: str, max_shifts: int) -> None:
    """Stream one sheet's XML: its last row, and any cell past column H."""
    rows, columns = 0, 8
    tail = b""
    while True:
        chunk = sheet.read(_CHUNK)  # type: ignore[attr-defined]
        if not chunk:
            break
        data = tail + chunk
        for found in _ROW.finditer(data):
            rows = max(rows, int(found.group(1)))
        for found in _WIDE_CELL.finditer(data):
            letters, row = found.group(1).decode(), int(found.group(2))
            column = column_number(letters)
            rows = max(rows, row)
            if column > limits.MAX_SHEET_COLUMNS:
                raise RotaFileError(
                    f"{path}: {title}!{letters}{row} holds something, past column ALL, "
                    f"the widest sheet Standby reads ({limits.MAX_SHEET_COLUMNS:,} columns, "
                    "standby.limits.MAX_SHEET_COLUMNS); delete it, or move the rota to a "
                    "sheet of its own"
                )
            columns = max(columns, column)
        tail = data[-_OVERLAP:]
    if rows * columns > MAX_CELLS_PER_SHIFT * max_shifts:
        raise too_many_shifts(
            f"{path}: sheet '{title}' ({rows:,} rows by {columns} columns)",
            max_shifts,
            "has room for",
        )


_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


def _titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's part name (``xl/worksheets/sheet1.xml``) and its title (``Rota``)."""
    try:
        book = archive.read("xl/workbook.xml")
        links = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _TAG.finditer(links):
        attributes = dict(_ATTRIBUTE.findall(tag.group(2)))
        target = attributes.get(b"Target", b"").decode(errors="replace").lstrip("/")
        targets[attributes.get(b"Id", b"")] = (
            target if target.startswith("xl/") else (f"xl/{target}")
        )
    titles = {}
    for tag in _TAG.finditer(book):
        if tag.group(1) != b"sheet":
            continue
        attributes = dict(_ATTRIBUTE.findall(tag.group(2)))
        link = next((v for k, v in attributes.items() if k.endswith(b":id")), b"")
        if link in targets:
            titles[targets[link]] = attributes.get(b"name", b"").decode(errors="replace")
    return titles
