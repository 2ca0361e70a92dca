"""Hostile workbooks of a few kilobytes, for the safety bench and the limit tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ROLE = "Duty Emergency Planning Officer"


def hostile_workbook(path: Path, *, corner: bool = False, merge: str | None = None) -> Path:
    """A small grid workbook at ``path``: with ``corner`` a cell at XFD1048576, with
    ``merge`` that merged range written into the sheet's XML (openpyxl itself cannot even
    save a merge to the sheet's end)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rota"
    sheet["A1"], sheet["B1"] = "Date", ROLE
    sheet["A2"], sheet["B2"], sheet["A3"] = "2026-01-05", "A. Jones", "2026-01-06"
    if corner:
        sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if merge and item.filename == "xl/worksheets/sheet1.xml":
                cells = f'<mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>'
                data = data.replace(b"</sheetData>", b"</sheetData>" + cells.encode())
            out.writestr(item, data)
    return path
