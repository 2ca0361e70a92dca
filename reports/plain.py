"""Text from files, printed literally: never terminal markup, never a control sequence.

A person called ``A. Jones [backup]`` or ``[/bold]`` is a name, not rich markup; a name that
holds an escape sequence (clear the screen, set the window title, an OSC 8 link) must not
act on the planner's terminal. Every table cell, line and error message that carries text
from a file goes through one of these:

- :func:`printable`: control characters (C0, DEL, C1) and the bidirectional overrides
  shown escaped, as ``\\x1b`` or ``\\u202e``; each line cut at :data:`LINE_LIMIT` characters
  with an ellipsis. For error messages and plain lines (``click.echo``).
- :func:`cell`: the same for one table cell (newlines escaped too, cut at
  :data:`CELL_LIMIT`), as a rich ``Text``, which rich never reads as markup.
- :func:`markup`: :func:`printable` with rich markup escaped, to put inside our own markup
  (``f"[bold]{markup(title)}[/bold]"``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

#: Longest table cell shown; longer ones end in an ellipsis (a 300 MB cell stays one line).
CELL_LIMIT = 200
#: Longest line of a message shown; longer ones end in an ellipsis.
LINE_LIMIT = 1000
ELLIPSIS = "…"

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings,
# overrides and isolates (the "Trojan Source" characters), line and paragraph separators.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROLS}]")
_UNSAFE_IN_CELL = re.compile(f"[{_CONTROLS}\t\n]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def printable(value: object, *, limit: int | None = LINE_LIMIT) -> str:
    """``value`` as text that only prints: controls escaped, lines cut at ``limit``
    characters (None: not cut, for a file shown to be copied)."""
    text = str(value)
    if limit is not None and len(text) > limit:
        text = "\n".join(_cut(line, limit) for line in text.split("\n"))
    return _UNSAFE.sub(_escaped, text)


def cell_text(value: object) -> str:
    """One table cell as plain text: on one line, controls escaped, cut at the limit."""
    text = "" if value is None else str(value)
    return _cut(_UNSAFE_IN_CELL.sub(_escaped, _cut(text, CELL_LIMIT)), CELL_LIMIT)


def cell(value: object) -> Text:
    """One table cell from a file, as rich ``Text`` (never read as markup)."""
    from rich.text import Text

    return Text(cell_text(value))


def markup(value: object) -> str:
    """:func:`printable` with rich markup escaped, for use inside our own markup."""
    from rich.markup import escape

    return escape(printable(value))


#: Plain forms of the characters our own messages and tables use, for a terminal that
#: cannot show them (an ASCII-only one): one character each, so that a table laid out for
#: the real ones keeps its columns; any other character is decomposed (é is e).
PLAIN_FORMS = {
    "\u2192": ">",
    "\u2190": "<",
    "\u2026": "~",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00d7": "x",
    "\u2264": "<",
    "\u2265": ">",
    "\u00b0": "o",
    "\u00b1": "+",
    "\u2022": "*",
    "\u00a3": "L",
    "\u00a0": " ",
}


def plain_form(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler (``codecs.register_error``): the characters a stream's
    encoding cannot write, in their plain forms, so that printing never fails."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_plain_character(character) for character in text), error.end


def _plain_character(character: str) -> str:
    if character in PLAIN_FORMS:
        return PLAIN_FORMS[character]
    decomposed = unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode()
    return decomposed[:1] or "?"
