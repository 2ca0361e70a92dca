"""A :class:`~standby.reports.document.Document` as a Word file (python-docx).

Real Word structure, so the file can be edited and restyled: sections' titles are Heading 1,
inner headings Heading 2 and 3, tables are Word tables (header row repeated on every page),
figures are inline pictures, each part and each card starts on a new page, and a part marked
landscape is its own landscape Word section. Text goes in as runs of text, never as markup,
so an inject that says ``<script>`` is just those characters in Word.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from standby.reports.document import (
    Block,
    Bullets,
    Card,
    Choices,
    Document,
    Fields,
    Figure,
    Heading,
    Paragraph,
    Section,
    Table,
    WriteIn,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

NAVY = (0x1F, 0x3B, 0x63)
SHADE = "F3F0FA"
HEADER_SHADE = "E6EBF2"


def to_docx(document: Document) -> bytes:
    """The document as the bytes of a ``.docx`` file."""
    import docx
    from docx.enum.section import WD_SECTION
    from docx.shared import Pt

    word = docx.Document()
    _page(word.sections[0], landscape=False)
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    props = word.core_properties
    props.title = document.title
    props.subject = document.subtitle
    _marking(word, document.marking)
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.subtitle)
    _fields(word, document.about)
    _footer(word, document)
    landscape = False
    for section in document.sections:
        if section.landscape != landscape:
            _page(word.add_section(WD_SECTION.NEW_PAGE), landscape=section.landscape)
            landscape = section.landscape
            _write_section(word, document, section, new_page=False)
        else:
            _write_section(word, document, section, new_page=True)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page(section: Any, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    long_side, short_side = Mm(297), Mm(210)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = long_side if landscape else short_side
    section.page_height = short_side if landscape else long_side
    margin = Mm(12) if landscape else Mm(16)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = Mm(14)


def _footer(word: WordDocument, document: Document) -> None:
    footer = word.sections[0].footer
    footer.paragraphs[0].text = f"{document.marking} · {document.footer}"


def _marking(word: WordDocument, marking: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import RGBColor

    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(marking)
    run.bold = True
    run.font.color.rgb = RGBColor(0x8B, 0, 0)


def _write_section(
    word: WordDocument, document: Document, section: Section, *, new_page: bool
) -> None:
    heading = word.add_heading(section.title, level=1)
    heading.paragraph_format.page_break_before = new_page
    first_card = True
    for block in section.blocks:
        if isinstance(block, Card):
            _card(word, document, block, new_page=not first_card)
            first_card = False
        else:
            _block(word, block)


def _block(word: WordDocument, block: Block) -> None:
    from docx.shared import Cm, Pt

    match block:
        case Heading(text=text, level=level):
            word.add_heading(text, level=min(level, 9))
        case Paragraph(text=text, style=style):
            paragraph = word.add_paragraph()
            run = paragraph.add_run(text)
            if style == "note":
                run.italic = True
                run.font.size = Pt(8.5)
            elif style == "warning":
                run.bold = True
            elif style == "lead":
                run.font.size = Pt(11)
        case Bullets(items=items):
            for item in items:
                word.add_paragraph(item, style="List Bullet")
        case Fields(pairs=pairs):
            _fields(word, pairs)
        case Table():
            _table(word, block)
        case Figure(png=png, caption=caption, width_cm=width):
            word.add_picture(io.BytesIO(png), width=Cm(width))
            word.add_paragraph(caption, style="Caption")
        case WriteIn(label=label, lines=lines):
            _write_in(word, label, lines)
        case Choices(label=label, options=options):
            paragraph = word.add_paragraph()
            paragraph.add_run(f"{label}  ").bold = True
            paragraph.add_run("    ".join(f"\u2610 {option}" for option in options))
        case Card():
            raise TypeError("cards are written by _card")


def _fields(word: WordDocument, pairs: tuple[tuple[str, str], ...]) -> None:
    for label, value in pairs:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.space_after = 0
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)


def _table(word: WordDocument, block: Table) -> None:
    from docx.shared import Pt

    if block.caption:
        word.add_paragraph().add_run(block.caption).bold = True
    table = word.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    size = Pt(7) if block.small else Pt(8.5)
    header = table.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, block.columns, strict=True):
        _cell_text(cell, column, size, bold=True)
        _shade(cell, HEADER_SHADE)
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _cell_text(cell, value, size)
            if index in block.highlight:
                _shade(cell, SHADE)
    if block.widths:
        _widths(word, table, block.widths)
    if block.small:
        _narrow_margins(table)


def _cell_text(cell: Any, text: str, size: Any, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size = size
    run.bold = bold


def _widths(word: WordDocument, table: Any, widths: tuple[float, ...]) -> None:
    section = word.sections[-1]
    usable = int(section.page_width or 0) - int(section.left_margin or 0)
    usable -= int(section.right_margin or 0)
    total = sum(widths)
    table.autofit = False
    sizes = [int(usable * width / total) for width in widths]
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = size  # the table grid, which LibreOffice reads
    for row in table.rows:
        for cell, size in zip(row.cells, sizes, strict=True):
            cell.width = size  # each cell's own width, which Word reads


def _narrow_margins(table: Any) -> None:
    """Cell margins of 0.07 cm left and right (Word's default is 0.19 cm) for wide tables."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "40")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _write_in(word: WordDocument, label: str, lines: int) -> None:
    from docx.shared import Pt

    table = word.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.rows[0].cells[0]
    _cell_text(cell, label, Pt(9), bold=True)
    for _ in range(lines):
        cell.add_paragraph("")
    word.add_paragraph()


def _card(word: WordDocument, document: Document, card: Card, *, new_page: bool) -> None:
    from docx.shared import Pt, RGBColor

    paragraph = word.add_paragraph()
    paragraph.paragraph_format.page_break_before = new_page
    run = paragraph.add_run(document.marking)
    run.bold = True
    run.font.color.rgb = RGBColor(0x8B, 0, 0)
    word.add_heading(f"{card.title} ({card.tag})", level=2)
    _fields(word, card.fields)
    table = word.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    _cell_text(table.rows[0].cells[0], card.body, Pt(14))
    _shade(table.rows[0].cells[0], "F7F7F7")
    paragraph = word.add_paragraph()
    paragraph.add_run("Expected response: ").bold = True
    paragraph.add_run(card.response)
    note = word.add_paragraph().add_run(card.footer)
    note.italic = True
    note.font.size = Pt(8)
