"""A printed document as plain data: sections of headings, paragraphs, tables, figures, cards.

Reports that are printed (the exercise pack, the debrief report) build a :class:`Document`
from their results and hand it to :func:`to_html`, :func:`to_markdown` or
:func:`standby.reports.word.to_docx`. HTML and Markdown come from the same Jinja2 templates
(``document.html.j2`` and ``document.md.j2``, one macro per kind of block) with autoescaping,
and the Word writer walks the same blocks, so the three formats always hold the same words.

Text in a block is plain text: renderers escape it (HTML entities in HTML; HTML entities and
Markdown punctuation in Markdown; Word runs are text by construction), so nothing from a
user's file can become markup or a script.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a section (the section's own title is level 1)."""

    kind: ClassVar[str] = "heading"
    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; ``style`` ``note`` is printed smaller, ``warning`` boxed."""

    kind: ClassVar[str] = "paragraph"
    text: str
    style: Literal["normal", "note", "warning", "lead"] = "normal"


@dataclass(frozen=True, slots=True)
class Bullets:
    """A bulleted list."""

    kind: ClassVar[str] = "bullets"
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fields:
    """Label and value pairs (a definition list)."""

    kind: ClassVar[str] = "fields"
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; ``widths`` are relative column widths (Word and HTML).

    ``highlight`` marks rows (by index) that are printed shaded, such as generated injects;
    cells of the ``nowrap`` columns (by index) are never broken across lines in HTML.
    """

    kind: ClassVar[str] = "table"
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    widths: tuple[float, ...] | None = None
    small: bool = False
    highlight: frozenset[int] = frozenset()
    nowrap: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Figure:
    """A PNG image with a caption; ``file`` is the name Markdown links to."""

    kind: ClassVar[str] = "figure"
    png: bytes
    caption: str
    file: str
    width_cm: float = 16.0


@dataclass(frozen=True, slots=True)
class WriteIn:
    """A box to write in by hand (evaluator sheets): a label and room for ``lines`` lines."""

    kind: ClassVar[str] = "write_in"
    label: str
    lines: int = 3


@dataclass(frozen=True, slots=True)
class Choices:
    """Tick boxes in a row (a rating scale)."""

    kind: ClassVar[str] = "choices"
    label: str
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Card:
    """A card printed on a page of its own (an inject card): title, fields, body, footer."""

    kind: ClassVar[str] = "card"
    title: str
    tag: str
    fields: tuple[tuple[str, str], ...]
    body: str
    response: str
    footer: str
    marked: bool = False


Block = Heading | Paragraph | Bullets | Fields | Table | Figure | WriteIn | Choices | Card


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the document; it starts on a new page, landscape when ``landscape``."""

    title: str
    blocks: tuple[Block, ...]
    anchor: str
    landscape: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: title page fields, then its sections."""

    title: str
    subtitle: str
    about: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    footer: str
    marking: str = "EXERCISE EXERCISE EXERCISE"

    def figures(self) -> list[Figure]:
        """Every figure, in order (Markdown links to them as files beside it)."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def tables(self) -> list[Table]:
        """Every table, in order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]


@dataclass(frozen=True)
class Rendered:
    """A document in one format: its text (or bytes) and the figure files it links to."""

    content: str | bytes
    figures: dict[str, bytes] = field(default_factory=dict)


# --- HTML and Markdown -------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_text(value: Any) -> Markup:
    """Plain text made safe in Markdown: ``& < >`` as HTML entities (so no tag is ever
    live), Markdown punctuation backslashed, a leading ``#``, ``+`` or ``-`` kept literal, and line
    breaks kept inside one table cell or list item."""
    text = "".join(_HTML_SPECIAL.get(char, char) for char in str(value))
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"(?m)^(\s*)([#+-])", r"\1\\\2", text)
    return Markup(text.replace("\r\n", "\n").replace("\n", "<br>"))


def _markdown_finalize(value: Any) -> Any:
    """Every ``{{ }}`` in a Markdown template is escaped as Markdown, unless already safe."""
    if value is None or isinstance(value, Markup):
        return value
    return markdown_text(value)


def to_html(document: Document) -> str:
    """The document as one self-contained HTML page (inline CSS, images as data URIs)."""
    from standby.reports.render import render_template

    return render_template("document.html.j2", doc=document)


def to_markdown(document: Document, figure_prefix: str = "") -> Rendered:
    """The document as Markdown and the PNG files it links to (``figure_prefix`` + name)."""
    from standby.reports.render import environment

    env = environment(finalize=_markdown_finalize)
    text = env.get_template("document.md.j2").render(doc=document, prefix=figure_prefix)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    figures = {figure_prefix + f.file: f.png for f in document.figures()}
    return Rendered(text, figures)


def plain_rows(rows: Sequence[Sequence[object]]) -> tuple[tuple[str, ...], ...]:
    """Table rows as text, ``None`` shown as empty."""
    return tuple(tuple("" if cell is None else str(cell) for cell in row) for row in rows)
