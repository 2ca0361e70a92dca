"""What is wrong with a workbook that cannot be read as it stands, in a planner's words.

Every reader of spreadsheets (rotas, MSEL sheets, typed-up logs, observations) asks here
before or after its library fails, so that the same workbook gets the same message
everywhere:

- a file that is not a zip (an XLSX is one): a workbook with a password to open, an Excel
  97-2003 ``.xls``, a CSV renamed, or a zip cut short by a copy that stopped;
- a formula whose value was never saved: Excel and LibreOffice save each formula's last
  value beside it, which is what every reader reads; a workbook written by a script
  (openpyxl, a report generator) often saves the formula alone, and its cell would read as
  empty (a silent gap in a rota grid) or as the formula's text.

The reader adds its own error type; these functions return the text.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from standby.textfile import binary_kind

#: Where a workbook's sheets are inside its zip.
SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>(.*?)</c>', re.DOTALL)
_FORMULA = re.compile(rb"<f\b[^>]*(?:/>|>(.*?)</f>)", re.DOTALL)
_VALUE = re.compile(rb"<v>[^<]")
_CHUNK = 1 << 20


def not_a_workbook(path: Path) -> str:
    """Why ``path``, which an XLSX reader could not open, is not a workbook, and the fix."""
    try:
        with Path(path).open("rb") as handle:
            kind = binary_kind(handle.read(_CHUNK))
    except OSError as error:
        return f"{path}: cannot be read ({error.strerror}); check the name and folder"
    if kind == "a workbook with a password to open":
        return (
            f"{path}: is {kind}, which Standby cannot read; in Excel remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password, clear it) and save it "
            "again as 'Excel Workbook (.xlsx)'"
        )
    if kind == "a workbook or another zip file":
        return (
            f"{path}: is damaged or incomplete (its zip cannot be unpacked: a copy or a "
            "download that stopped part way?); copy it again, or open it in Excel or "
            "LibreOffice and save it as 'Excel Workbook (.xlsx)'"
        )
    found = f"is {kind}" if kind else "is not a readable .xlsx workbook"
    return f"{path}: {found}; save it from Excel or LibreOffice as 'Excel Workbook (.xlsx)'"


def unsaved_formula(data: bytes, path: Path, title: str) -> str | None:
    """The problem with the first cell in a piece of a sheet's XML that holds a formula
    with no value saved beside it, or None."""
    if b"<f" not in data:
        return None
    for cell in _CELL.finditer(data):
        inside = cell.group(2)
        formula = _FORMULA.search(inside)
        if formula is None or _VALUE.search(inside):
            continue
        text = (formula.group(1) or b"").decode(errors="replace")
        shown = f" (={text})" if text else ""
        return (
            f"{path}: {title}!{cell.group(1).decode()} holds a formula{shown} whose value was "
            "never saved (the workbook was written by a program that does not calculate); "
            "open it in Excel or LibreOffice and save it again, or type the value"
        )
    return None


def first_unsaved_formula(path: Path) -> str | None:
    """:func:`unsaved_formula` over every sheet of the workbook at ``path``; None when each
    formula has its value, or the file is not a workbook (its reader says so)."""
    try:
        with zipfile.ZipFile(path) as archive:
            titles = sheet_titles(archive)
            for member in archive.infolist():
                if not SHEET_PART.match(member.filename):
                    continue
                title = titles.get(member.filename, member.filename.rsplit("/", 1)[-1])
                with archive.open(member) as sheet:
                    tail = b""
                    while chunk := sheet.read(_CHUNK):
                        found = unsaved_formula(tail + chunk, path, title)
                        if found is not None:
                            return found
                        tail = chunk[-4096:]
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return None


_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


def sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
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
