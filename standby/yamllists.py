"""The long lists of a YAML file read straight from its text, for speed.

A rota of half a million shifts is one top-level list of small mappings, one a line
(``  - {person: A, role: R, start: 2026-01-01 09:00, end: 2026-01-01 21:00}``) or a few
lines each (``  - person: A`` then ``    role: R`` ...). Read through libyaml's events, every
value costs several Python objects and a trip through the builder; read with one regular
expression over the whole list, it costs the value. :func:`scan` finds such lists and
returns their keys and values as written, with the text the event parser should read for
the rest: each list cut out and its key left as ``key: []``, every line where it was.

It takes a list only when it is sure what YAML makes of it, and leaves anything else to the
parser: the list must sit under a key at the left margin, every item at one indent and a
mapping of ``key: value`` pairs, between them only comments and blank lines; a key a plain
word or quoted; a value plain text on one line without YAML's indicators (``#``, ``&``,
``*``, ``!``, ``|``, ``>``, ``[``, ``{``, ``,``, a ``:`` before a space...), or quoted
without escapes. A list with anything else in it (a tab, a control character, an anchor, a
comment after an item) is left to the parser whole; a line break other than ``\\n`` leaves
the whole file to it (a CR LF file is read as LF, as YAML reads it). :mod:`standby.yamlfile`
resolves the values (``yes``, ``1``, ``~``) as the parser would, checks for keys written
twice, and checks that the parser read the rest of the text as :func:`scan` assumed (each
key at its line in a top-level block mapping); when anything is not as assumed, it reads the
whole file with the parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Characters a value here never holds (as YAML sees them: control characters, line breaks,
# the byte-order mark, non-characters); a tab leaves the list to the parser too.
_BAD = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff"
# Inside plain text: no blank but the space, no indicator that could mean something in a
# flow or block mapping; an apostrophe and a hyphen may follow the first character.
_INNER = f'[^\\s{_BAD}:?,\\[\\]{{}}#&*!|>"%@`\\\\]'
_FIRST = f"[^\\s{_BAD}:?,\\[\\]{{}}#&*!|>\"%@`\\\\'-]"
# A colon inside plain text only before a letter or digit (09:00), spaces only before text.
_PLAIN = f"{_FIRST}(?:{_INNER}|:(?=[0-9A-Za-z])| +(?={_INNER}))*"
_QUOTED = f"\"[^\"\\\\{_BAD}]*\"|'[^'{_BAD}]*'"
_WORD = "[A-Za-z_][A-Za-z0-9_]{0,99}"
#: What a value may be, with the spaces before the ',' or '}' that ends it.
VALUE = re.compile(f"(?:{_PLAIN}|{_QUOTED}) *")
#: What a key may be: a word (``person``, which YAML may still read as true or null) or
#: quoted text, at most :data:`KEY_LENGTH` characters (libyaml's keys end at 1,024).
KEY = re.compile(f"(?:{_WORD}|{_QUOTED})")
KEY_LENGTH = 100

# Loose forms that split a line into keys and values; each distinct value is then checked
# against VALUE, and each key against KEY, once.
_LOOSE_KEY = "[A-Za-z_][A-Za-z0-9_]*|\"[^\"\\n]*\"|'[^'\\n]*'"
_LOOSE_VALUE = "\"[^\"\\n]*\" *|'[^'\\n]*' *|[^\\s,\\[\\]{}\"'][^\\n,\\[\\]{}]*"
_FLOW_ITEM = re.compile(
    f" *- +\\{{ *((?:{_LOOSE_KEY}): +(?:{_LOOSE_VALUE})"
    f"(?:, *(?:{_LOOSE_KEY}): +(?:{_LOOSE_VALUE}))*)\\}} *"
)
_FLOW_PAIR = re.compile(f"({_LOOSE_KEY}): +({_LOOSE_VALUE})(?:, *|$)")
_BLOCK_ITEM = re.compile(f"( *)-( +)({_LOOSE_KEY}): +(?:{_LOOSE_VALUE})")
_BLOCK_PAIR = re.compile(f"( *)({_LOOSE_KEY}): +(?:{_LOOSE_VALUE})")
# a blank line or a comment, kept for the parser
_SKIPPED = re.compile(" *(?:#[^\\n]*)?(?:\\n|\\Z)")
_HEADER = re.compile(f"({_WORD}): *")
# The start of a line at the left margin that is not an item of a list written there
# ("- "), a comment or a blank line: where one top-level entry ends and the next begins.
_MARGIN = re.compile("\\n(?![ \\n#]|-[ \\n]|-\\Z)")
_RECENT = 4  # shapes of item tried before a line is looked at afresh
_LONG = 64  # lines from which a list is first tried as one run (one expression for all)
_SHAPES = 64  # shapes of item in one list, at most (a list of more is left to the parser)


@dataclass(frozen=True)
class Run:
    """The items of a list that have the same keys, written the same way.

    ``positions`` are the items' places in the list and ``lines`` their lines (1-based);
    ``columns`` holds, for each key, the value of every item as written (see
    :func:`scalar`); ``distinct`` every value that occurs. The keys of a block item
    (``block``) are on consecutive lines from its own.
    """

    keys: tuple[str, ...]
    columns: tuple[tuple[str, ...], ...]
    distinct: frozenset[str]
    positions: Sequence[int]
    lines: Sequence[int]
    block: bool


@dataclass(frozen=True)
class Block:
    """A list read from the text: the top-level ``key`` at ``line`` (1-based), and its
    ``size`` items in runs of one shape each."""

    key: str
    line: int
    size: int
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Scan:
    """The lists found, and the text for the parser: each list cut out, its lines kept."""

    text: str
    blocks: tuple[Block, ...]


def scalar(raw: str) -> tuple[str, bool]:
    """A key or value as written (``raw``) as its text, and whether it was plain (not
    quoted, so that YAML resolves it: ``yes`` is true, ``~`` null)."""
    raw = raw.rstrip(" ")
    if raw[:1] in ("'", '"'):
        return raw[1:-1], False
    return raw, True


class _NotPlainError(Exception):
    """A list that only the parser can read."""


def scan(text: str) -> Scan | None:
    """The long lists in ``text`` that can be read without the parser, or None if none."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if any(mark in text for mark in ("\x85", "\u2028", "\u2029")):
        return None  # line breaks to YAML, not to the line count here
    starts = [0, *(found.end() for found in _MARGIN.finditer(text))]
    ends = [*(start - 1 for start in starts[1:]), len(text)]
    pieces: list[str] = []
    blocks: list[Block] = []
    done = 0  # where the text not yet copied to ``pieces`` begins
    line, counted = 1, 0  # the line at ``counted``
    for start, end in zip(starts, ends, strict=True):
        header_end = text.find("\n", start, end)
        if header_end < 0 or not _HEADER.fullmatch(text, start, header_end):
            continue
        line += text.count("\n", counted, start)
        counted = start
        try:
            found = _block(text, header_end + 1, end, line + 1)
        except _NotPlainError:
            continue
        if found is None:
            continue
        size, runs, kept, area_end = found
        key = text[start : text.index(":", start)]
        pieces += [text[done:start], f"{key}: []\n", kept]
        blocks.append(Block(key, line, size, runs))
        done = area_end
    if not blocks:
        return None
    pieces.append(text[done:])
    return Scan("".join(pieces), tuple(blocks))


class _Shape:
    """One way of writing an item (its keys, flow or block, indent), and the items so.

    ``core`` is the expression for one item, a group for each value; ``pattern`` matches
    an item and the line break after it.
    """

    __slots__ = (
        "block",
        "core",
        "height",
        "indent",
        "keys",
        "lines",
        "pattern",
        "positions",
        "rows",
    )

    def __init__(
        self, keys: tuple[str, ...], indent: int, core: str, end: str, *, block: bool
    ) -> None:
        self.keys, self.indent, self.core, self.block = keys, indent, core, block
        self.height = len(keys) if block else 1
        self.pattern = re.compile(core + end)
        self.rows: list[tuple[str, ...]] = []
        self.positions: list[int] = []
        self.lines: list[int] = []

    def run(self) -> Run:
        """The items of this shape, once every key and distinct value is one to read."""
        return _run(
            self.keys, tuple(zip(*self.rows, strict=True)), self.positions, self.lines, self.block
        )


def _run(
    keys: tuple[str, ...],
    columns: tuple[tuple[str, ...], ...],
    positions: Sequence[int],
    lines: Sequence[int],
    block: bool,
) -> Run:
    distinct = frozenset().union(*columns)
    if not all(len(key) <= KEY_LENGTH and KEY.fullmatch(key) for key in keys) or not all(
        VALUE.fullmatch(value) for value in distinct
    ):
        raise _NotPlainError
    return Run(keys, columns, distinct, positions, lines, block)


def _block(
    text: str, start: int, end: int, first_line: int
) -> tuple[int, tuple[Run, ...], str, int] | None:
    """The list from ``start`` (after its key's line, the line before ``first_line``) up
    to ``end``: how many items, the items by shape, what of its lines the parser keeps
    (comments, blank lines) and where its last item ends. None when not every line is an
    item, a comment or blank, every item at the same indent."""
    while end > start and text[end - 1] in " \n":
        end -= 1  # blank lines after the list are left to the parser
    if end <= start:
        return None
    last = text.find("\n", end - 1)  # the end of the last item's line
    end = len(text) if last < 0 else last
    shapes: dict[tuple[object, ...], _Shape] = {}
    lines = text.count("\n", start, end) + 1
    if lines >= _LONG:
        uniform = _uniform(text, start, end, lines, first_line, shapes)
        if uniform is not None:
            return len(uniform.positions), (uniform,), "\n" * (lines - 1), end
    recent: list[_Shape] = []  # the shapes last seen, the latest first
    kept: list[str] = []
    breaks = 0  # line breaks of the items since the last line kept
    position, line, size = start, first_line, 0
    indent = -1  # of the first item, which every item shares
    while position < end:
        for shape in recent:
            item = shape.pattern.match(text, position, end)
            if item is not None:
                break
        else:
            skipped = _SKIPPED.match(text, position, end)
            if skipped is not None:
                kept += ["\n" * breaks, skipped[0]]
                position, line, breaks = skipped.end(), line + 1, 0
                continue
            found = _shape_at(text, position, end, shapes)
            item = None if found is None else found.pattern.match(text, position, end)
            if found is None or item is None or indent not in (-1, found.indent):
                return None
            shape, indent = found, found.indent
            recent = [shape, *recent][:_RECENT]
        shape.rows.append(item.groups())
        shape.positions.append(size)
        shape.lines.append(line)
        position = item.end()
        breaks += shape.height - (position == end)
        line, size = line + shape.height, size + 1
    kept.append("\n" * breaks)
    return size, tuple(shape.run() for shape in shapes.values()), "".join(kept), end


def _uniform(
    text: str,
    start: int,
    end: int,
    lines: int,
    first_line: int,
    shapes: dict[tuple[object, ...], _Shape],
) -> Run | None:
    """The list as one run, when every item is written as the first is: one expression
    over the whole list finds them all."""
    shape = _shape_at(text, start, end, shapes)
    if shape is None:
        return None
    every = re.compile(f"^{shape.core}$", re.MULTILINE)
    # first its first _LONG items: a list of many shapes shows it there
    probe, seen = start, 0
    while seen < _LONG * shape.height:
        found = text.find("\n", probe, end)
        if found < 0:
            break
        probe, seen = found + 1, seen + 1
    if seen == _LONG * shape.height and len(every.findall(text, start, probe - 1)) != _LONG:
        return None
    values: list[Any] = every.findall(text, start, end)
    if len(values) * shape.height != lines:
        return None
    columns = tuple(zip(*values, strict=True)) if len(shape.keys) > 1 else (tuple(values),)
    count = len(values)
    rows = range(first_line, first_line + lines, shape.height)
    return _run(shape.keys, columns, range(count), rows, shape.block)


def _shape_at(
    text: str, start: int, end: int, shapes: dict[tuple[object, ...], _Shape]
) -> _Shape | None:
    """The shape of the item at ``start``, from ``shapes`` or made and added to them."""
    line_end = text.find("\n", start, end)
    line = text[start : end if line_end < 0 else line_end]
    flow = _FLOW_ITEM.fullmatch(line)
    if flow is not None:
        keys = tuple(key for key, _ in _FLOW_PAIR.findall(flow[1]))
        indent = len(line) - len(line.lstrip(" "))
        signature: tuple[object, ...] = (indent, keys)
        pairs = ", *".join(f"{re.escape(key)}: +({_LOOSE_VALUE})" for key in keys)
        core = f" {{{indent}}}- +\\{{ *{pairs}\\}} *"
        ending = "(?:\\n|\\Z)"
    else:
        block = _BLOCK_ITEM.fullmatch(line)
        if block is None:
            return None
        indent, gap = len(block[1]), block[2]
        column = indent + 1 + len(gap)
        keys = (block[3], *_continued(text, line_end, end, column))
        signature = (indent, gap, keys)
        pairs = f"\\n {{{column}}}".join(f"{re.escape(key)}: +({_LOOSE_VALUE})" for key in keys)
        core = f" {{{indent}}}-{gap}{pairs}"
        ending = f"(?:\\n(?! {{{column}}}[^ #])|\\Z)"  # no key of the item follows
    shape = shapes.get(signature)
    if shape is None:
        if len(shapes) >= _SHAPES:
            return None
        shape = shapes[signature] = _Shape(keys, indent, core, ending, block=flow is None)
    return shape


def _continued(text: str, line_end: int, end: int, column: int) -> list[str]:
    """The keys on the lines after ``line_end`` that go on a block item at ``column``."""
    keys = []
    while 0 <= line_end < end:
        start = line_end + 1
        line_end = text.find("\n", start, end)
        pair = _BLOCK_PAIR.fullmatch(text, start, end if line_end < 0 else line_end)
        if pair is None or len(pair[1]) != column:
            break
        keys.append(pair[2])
    return keys
