"""Input files that are not text: workbooks, built here so the catalogue can stay data."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def workbook(
    sheets: dict[str, list[list[Any]]] | None = None, rows: list[list[Any]] | None = None
) -> bytes:
    """An XLSX with the given rows (one sheet, or several by name); a text cell that starts
    with '=' is a formula, which openpyxl saves without a cached value, as a script would."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, lines in (sheets or {"Rota": rows or []}).items():
        sheet = book.create_sheet(title)
        for line in lines:
            sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def encrypted_workbook(rows: list[list[Any]], password: str = "secret") -> bytes:
    """The workbook of ``rows`` protected by a password to open, as Excel saves it."""
    import msoffcrypto.format.ooxml

    plain = io.BytesIO(workbook(rows=rows))
    locked = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt(password, locked)
    return locked.getvalue()


def truncated_workbook(rows: list[list[Any]]) -> bytes:
    """The first half of a workbook: a download or copy that stopped part way."""
    data = workbook(rows=rows)
    return data[: len(data) // 2]


def nested_json(depth: int) -> bytes:
    """A JSON value nested ``depth`` lists deep."""
    return b"[" * depth + b"]" * depth


def edited(copy: str, replace: list[list[str]]) -> bytes:
    """A bundled file (``copy``, from the checkout) with each ``[old, new]`` replaced once;
    an ``old`` the file does not hold is an error, so a case cannot go stale unnoticed."""
    text = (ROOT / copy).read_text(encoding="utf-8")
    for old, new in replace:
        if old not in text:
            raise ValueError(f"{copy} does not hold {old!r}")
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


BUILDERS: dict[str, Callable[..., bytes]] = {
    "workbook": workbook,
    "encrypted_workbook": encrypted_workbook,
    "truncated_workbook": truncated_workbook,
    "nested_json": nested_json,
    "edited": edited,
}
