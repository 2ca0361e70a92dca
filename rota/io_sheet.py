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
from standby.textfile import binary_kind

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
        raise not_a_workbook(path) from None


def not_a_workbook(path: Path) -> RotaFileError:
    """The error for a file that is not an .xlsx workbook, saying what it is when it can."""
    try:
        with path.open("rb") as handle:
            kind = binary_kind(handle.read(1 << 20))
    except OSError:
        kind = None
    if kind == "a workbook with a password to open":
        return RotaFileError(
            f"{path}: is {kind}, which Standby cannot read; in Excel remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password, clear it) and save it "
            "again as 'Excel Workbook (.xlsx)'"
        )
    if kind == "a workbook or another zip file":
        return RotaFileError(
            f"{path}: is damaged or incomplete (its zip cannot be unpacked: a copy or a "
            "download that stopped part way?); copy it again, or open it in Excel or "
            "LibreOffice and save it as 'Excel Workbook (.xlsx)'"
        )
    found = f"is {kind}" if kind else "is not a readable .xlsx workbook"
    return RotaFileError(
        f"{path}: {found}; save it from Excel or LibreOffice as 'Excel Workbook (.xlsx)'"
    )


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
        if b"<f" in data:
            _check_formulas(data, path, title)
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


_FORMULA_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>(.*?)</c>', re.DOTALL)
_FORMULA = re.compile(rb"<f\b[^>]*(?:/>|>(.*?)</f>)", re.DOTALL)


def _check_formulas(data: bytes, path: Path, title: str) -> None:
    """Raise when a cell holds a formula with no value saved beside it.

    Excel and LibreOffice save each formula's last value, which is what Standby reads; a
    workbook written by a script (openpyxl, a report generator) often saves the formula
    alone, and its cell would read as empty: a silent gap in a grid.
    """
    for cell in _FORMULA_CELL.finditer(data):
        inside = cell.group(2)
        formula = _FORMULA.search(inside)
        if formula is None or re.search(rb"<v>[^<]", inside):
            continue
        text = (formula.group(1) or b"").decode(errors="replace")
        shown = f" (={text})" if text else ""
        raise RotaFileError(
            f"{path}: {title}!{cell.group(1).decode()} holds a formula{shown} whose value "
            "was never saved (the workbook was written by a program that does not "
            "calculate); open it in Excel or LibreOffice and save it again, or type the value"
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
