"""Text files read the same way everywhere: what a file that is not UTF-8 is, and CSV rows.

Every reader of text files (rotas, requirements, scenarios, MSEL sheets, logs and
observations) reads UTF-8. A file saved otherwise is named for what it is: UTF-16 (Excel's
"Unicode Text"), Windows-1252 or Latin-1 (Excel's plain "CSV" on Windows), a workbook or
another zip file renamed, an old or password-protected Excel file, with the line and the
character that gave it away. The reader adds the file's name and how to save it again.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

#: The first bytes of a zip file (an XLSX or DOCX workbook is one).
ZIP_MAGIC = b"PK\x03\x04"
#: The first bytes of an OLE compound file: an Excel 97-2003 workbook, or an XLSX saved
#: with a password to open (its encrypted package is wrapped in one).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class NotUtf8Error(ValueError):
    """A file that is not UTF-8 text; the message (:func:`not_utf8`) follows its name."""


def read_utf8(path: Path) -> str:
    """The file's text, UTF-8 with a byte-order mark allowed, read once.

    ``OSError`` is raised as reading raises it; :class:`NotUtf8Error` says what the file is
    instead, for the reader to add its name and how to save it again.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8Error(not_utf8(data)) from None


def not_utf8(data: bytes) -> str:
    """Why ``data`` is not UTF-8 text, as a phrase that follows the file's name.

    For example ``is UTF-16 text, not UTF-8`` or ``line 2: byte 0xe9 is not UTF-8 (it is
    'é' in Windows-1252 or Latin-1, so the file was saved in that encoding)``. Returns the
    position of the first bad byte when nothing more can be said.
    """
    kind = binary_kind(data)
    if kind is not None:
        return f"is {kind}, not a text file (a workbook is read when its name ends in .xlsx)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _mostly_nul_pairs(data):
        return "is UTF-16 text (what Excel calls 'Unicode Text'), not UTF-8"
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
    else:
        return "is UTF-8 text"
    line = data.count(b"\n", 0, start) + 1
    byte = data[start]
    try:
        character = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return f"line {line}: byte 0x{byte:02x} is not UTF-8 text"
    return (
        f"line {line}: byte 0x{byte:02x} is not UTF-8 (it is '{character}' in Windows-1252 "
        "or Latin-1, so the file was saved in that encoding)"
    )


def binary_kind(data: bytes) -> str | None:
    """What a file that is plainly not text is (a workbook, an old Excel file, one with a
    password), or None; ``data`` is the file's start (its first megabyte is plenty)."""
    if data.startswith(ZIP_MAGIC):
        return "a workbook or another zip file"
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            return "a workbook with a password to open"
        return "an Excel 97-2003 workbook (.xls) or another Office 97-2003 file"
    return None


def _mostly_nul_pairs(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: a NUL in every other byte of ASCII text."""
    head = data[:200]
    return len(head) >= 4 and head.count(0) * 3 >= len(head)


class CsvError(ValueError):
    """A CSV file the csv module cannot split into rows; the message says where and why."""


def csv_rows(text: str) -> list[list[str]]:
    """The rows of CSV ``text``, or :class:`CsvError` naming the row and line.

    Read strictly: a quote opened and never closed would otherwise swallow the rest of the
    file into one cell, and the message would be about some other column.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    line = 1  # where the row being read starts
    try:
        for row in reader:
            rows.append(row)
            line = reader.line_num + 1
    except csv.Error as error:
        raise CsvError(_csv_problem(len(rows) + 1, line, str(error))) from None
    return rows


def _csv_problem(number: int, line: int, problem: str) -> str:
    """What is wrong with a row the csv module cannot read, and how to mend it."""
    if "end of data" in problem:
        return (
            f'row {number} (line {line}) opens a quote (") that is never closed, so the rest '
            "of the file would be one cell; close the quote, or delete it"
        )
    return (
        f"row {number} (line {line}) is not readable as CSV ({problem}); a cell that starts "
        'with a quote must end with one, and a quote inside it is written twice ("")'
    )
