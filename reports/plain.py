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
