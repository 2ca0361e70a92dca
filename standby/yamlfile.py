"""Reading YAML files safely and fast: duplicate keys, depth and aliases bounded, lines kept.

Every YAML file Standby reads (rotas, requirements, scenarios) goes through :func:`load`:

- a key written twice in one mapping is an error naming both lines (YAML would silently
  keep the second, so a second ``shifts:`` dropped every shift of the first);
- nesting deeper than :data:`standby.limits.MAX_NESTING` levels, and aliases (``*name``)
  that would repeat more than :data:`standby.limits.MAX_ALIAS_VALUES` values all told
  (a "billion laughs" file), are errors before any memory or time is spent on them;
- only the plain YAML types are built (text, numbers, true/false, null, lists, mappings,
  and dates when asked for); any other tag is an error, so no file can run code;
- it is fast: libyaml's parser (when PyYAML has it) feeds events to a builder here, with no
  node tree, and :meth:`Document.line_of` finds the line of any key or item afterwards;
- a long top-level list of small mappings (a rota's ``shifts:``, one ``{key: value, ...}``
  a line, or a few ``key: value`` lines an item) is read straight from the text
  (:mod:`standby.yamllists`) and the parser reads the rest: a big rota loads about seven
  times quicker. The values are resolved here as the parser's would be, and the result, lines and
  errors are the parser's: anything not plainly such a list (quotes with escapes, comments
  on an item's line, anchors, tags, a key written twice, tabs...) is read by the parser.

Problems are :class:`YamlError`, with the 1-based line and column and the problem in words;
each reader turns them into its own messages (``file: line N, column M: ...``).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

import yaml

from standby import limits, yamllists
from standby.errors import StandbyError

#: Plain-scalar resolvers by first character, as PyYAML's ``Resolver`` keeps them.
Resolvers = dict[str | None, list[tuple[str, re.Pattern[str]]]]

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = f"{_TAG}str", f"{_TAG}seq", f"{_TAG}map", f"{_TAG}merge"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("null", "bool", "int", "float", "timestamp")}


#: What to write instead of a tag Standby does not read.
_PLAIN = "write plain values (text, numbers, true/false, lists and mappings) without a '!' tag"


def safe_resolvers(*, timestamps: bool = True, sexagesimal: bool = True) -> Resolvers:
    """PyYAML's safe resolvers, optionally without dates and base-60 integers.

    A rota wants ``17:00`` and ``2026-03-27 09:00:00`` as the text the planner wrote; YAML
    1.1 would read them as 1020 and a naive datetime.
    """
    table: Resolvers = {}
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
        table[first] = [
            (tag, pattern)
            for tag, pattern in resolvers
            if (timestamps or tag != f"{_TAG}timestamp")
            and (sexagesimal or not (tag == f"{_TAG}int" and ":" in pattern.pattern))
        ]
    if not sexagesimal:
        decimal = re.compile(
            r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
        )
        for first in "-+0123456789":
            table.setdefault(first, []).append((f"{_TAG}int", decimal))
    return table


SAFE = safe_resolvers()


class YamlError(StandbyError):
    """A YAML file that cannot be read: ``line`` and ``column`` are 1-based (or None)."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None):
        where = "" if line is None else f"line {line}, " if column else f"line {line}: "
        if line is not None and column:
            where = f"line {line}, column {column}: "
        super().__init__(f"{where}{problem}")
        self.problem = problem
        self.line = line
        self.column = column


@dataclass
class Document:
    """A parsed YAML document and where each key and item of it was written.

    ``lines`` holds, by ``id`` of a list or mapping of ``data``, the line of each item or
    key; a collection written on one line has no entry (its items are on its own line).
    """

    data: Any
    lines: dict[int, dict[Any, int] | array[int]] = field(default_factory=dict)

    def line_of(self, loc: Sequence[int | str]) -> int | None:
        """The line (1-based) of the key or item at ``loc`` (``("shifts", 3, "start")``),
        or of the deepest part of it that exists; None for an empty path or document."""
        value, line = self.data, None
        for part in loc:
            if isinstance(value, dict) and part in value:
                known = self.lines.get(id(value))
                if isinstance(known, dict):
                    line = known.get(part, line)  # a key merged in with '<<' has none
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                known = self.lines.get(id(value))
                if known is not None:
                    line = known[part]
            else:
                break
            value = value[part]
        return line


def load(text: str, resolvers: Resolvers = SAFE, *, fast: bool = True) -> Document:
    """Parse one YAML document (see the module's notes); an empty one is ``None``.

    ``fast=False`` reads every list through the parser (what the fast road is tested
    against); the result is the same.
    """
    if fast and limits.MAX_NESTING > _LIST_DEPTH:
        lists = yamllists.scan(text)
        if lists is not None:
            document = _Builder(resolvers).build_with_lists(lists)
            if document is not None:
                return document
    return _Builder(resolvers).build(text)


def _loader() -> type[Any]:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_NO_KEY = object()
_MERGE_KEY = object()
_RESOLVED_KEPT = 100_000  # plain scalars whose tag is remembered (names, roles, keys)
_LIST_DEPTH = 2  # how deep the mappings of a top-level list are (the root is 0)
_UNREADABLE = object()  # a value of a scanned list that only the parser may read


class _Collection:
    """A list or mapping being built: its value, where its items are, its pending key."""

    __slots__ = (
        "anchor",
        "key",
        "key_line",
        "keys",
        "line",
        "lines",
        "merges",
        "multiline",
        "value",
        "weight",
    )

    def __init__(self, value: list[Any] | dict[Any, Any], line: int, anchor: str | None):
        self.value = value
        self.line = line
        self.anchor = anchor
        self.keys: dict[Any, int] = {}  # the line of each key of a mapping
        self.lines: dict[Any, int] | array[int] = (
            self.keys if isinstance(value, dict) else (array("i"))
        )
        self.multiline = False
        self.key: Any = _NO_KEY
        self.key_line = line
        self.merges: list[dict[Any, Any]] = []
        self.weight = 1  # values in it, counting what its aliases repeat


class _Builder:
    """Builds Python values from parser events, checking as it goes."""

    def __init__(self, resolvers: Resolvers) -> None:
        self.resolvers = resolvers
        self.wildcard = resolvers.get(None, [])
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.aliased = 0
        self.lines: dict[int, dict[Any, int] | array[int]] = {}
        self.resolved: dict[str, str] = {}
        self.root: _Collection | None = None  # the top-level list or mapping, once built
        self.root_flow: bool | None = None  # whether it was written {...} or [...]

    def build(self, text: str) -> Document:
        stack: list[_Collection] = []
        root: Any = None
        documents = 0
        try:
            events: Iterator[Any] = yaml.parse(text, Loader=_loader())
            for event in events:
                kind = type(event)
                line = event.start_mark.line + 1
                if kind is yaml.ScalarEvent:
                    if (
                        stack
                        and event.tag is None
                        and event.anchor is None
                        and (not event.implicit[0] or self._resolve(event.value) is _STR)
                    ):
                        self._add_text(stack[-1], event.value, line, event)  # plain text
                        continue
                    value, weight = self._scalar(event), 1
                elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    stack.append(self._start(event, kind, len(stack)))
                    continue
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    done = stack.pop()
                    # a collection that starts below its key (a block under 'shifts:') has
                    # its own lines, even when written on one line
                    below = (
                        bool(stack)
                        and type(stack[-1].value) is dict
                        and (stack[-1].key_line != done.line)
                    )
                    value, weight, line = self._end(done, below), done.weight, done.line
                    if not stack:
                        self.root = done
                elif kind is yaml.AliasEvent:
                    value, weight = self._alias(event)
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise self._error("the file holds more than one YAML document", event)
                    continue
                else:
                    continue
                if stack:
                    self._add(stack[-1], value, weight, line, event)
                else:
                    root = value
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem = getattr(error, "problem", None) or str(error)
            if "cannot start any token" in problem and mark is not None and "\t" in text:
                problem += "; YAML is indented with spaces, never tabs"
            raise YamlError(
                f"not valid YAML ({problem})",
                None if mark is None else mark.line + 1,
                None if mark is None else mark.column + 1,
            ) from None
        return Document(root, self.lines)

    def build_with_lists(self, lists: yamllists.Scan) -> Document | None:
        """The document with the lists :func:`yamllists.scan` read put back in place, or
        None when the parser must read the whole file: the rest was not read as the scan
        assumed (each list's key at its line in a top-level block mapping, holding ``[]``),
        it is not valid YAML (the parser, reading it all, says where), or a list holds
        what only the parser may read."""
        try:
            document = self.build(lists.text)
        except YamlError:
            return None
        root = self.root
        if root is None or self.root_flow or type(root.value) is not dict:
            return None
        for block in lists.blocks:
            placeholder = root.value.get(block.key)
            if root.keys.get(block.key) != block.line or type(placeholder) is not list:
                return None
            if placeholder:
                return None
            items = self._items(block)
            if items is None:
                return None
            root.value[block.key] = items
        # a root of one key is on one line once its list is cut out; it was not
        self.lines.setdefault(id(root.value), root.keys)
        return document

    def _items(self, block: yamllists.Block) -> list[Any] | None:
        """The mappings of a scanned list, and their lines, as the parser would build
        them; None if a value or key is one only the parser may read, or a key repeats."""
        built = []
        for run in block.runs:
            rows = self._rows(run)
            if rows is None:
                return None
            built.append((run, rows))
        items: list[Any]
        if len(built) == 1:
            items, lines = built[0][1], array("i", built[0][0].lines)
        else:  # runs of several shapes, each item put back in its place
            items, lines = [None] * block.size, array("i", bytes(4 * block.size))
            for run, rows in built:
                for position, row, line in zip(run.positions, rows, run.lines, strict=True):
                    items[position] = row
                    lines[position] = line
        self.lines[id(items)] = lines
        return items

    def _rows(self, run: yamllists.Run) -> list[dict[Any, Any]] | None:
        """The mappings of one run of a scanned list (see :meth:`_items`)."""
        keys = [self._plain_value(key) for key in run.keys]
        table = {raw: self._plain_value(raw) for raw in run.distinct}
        if any(key is _UNREADABLE for key in keys) or len(set(keys)) < len(keys):
            return None
        if any(value is _UNREADABLE for value in table.values()):
            return None
        # each distinct value built once, and shared by the items that hold it
        columns = [list(map(table.__getitem__, column)) for column in run.columns]
        rows = list(map(dict, map(zip, repeat(keys), zip(*columns, strict=True))))
        if run.block and len(keys) > 1:  # a mapping over several lines: each key's line
            for row, line in zip(rows, run.lines, strict=True):
                self.lines[id(row)] = {key: line + offset for offset, key in enumerate(keys)}
        return rows

    def _plain_value(self, raw: str) -> Any:
        """A key or value of a scanned list as the parser would build it (or _UNREADABLE)."""
        text, plain = yamllists.scalar(raw)
        if not plain:
            return text
        tag = self._resolve(text)
        if tag == _STR:
            return text
        if tag not in _SCALAR_TAGS:
            return _UNREADABLE
        try:
            return self._construct(tag, text)
        except (ValueError, yaml.YAMLError):
            return _UNREADABLE

    def _error(self, problem: str, event: Any) -> YamlError:
        mark = event.start_mark
        return YamlError(problem, mark.line + 1, mark.column + 1)

    def _scalar(self, event: Any) -> Any:
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            tag = self._resolve(value) if event.implicit[0] else _STR
        if tag == _STR:
            built: Any = value
        elif tag == _MERGE and value == "<<":
            built = _MERGE_KEY
        elif tag in _SCALAR_TAGS:
            try:
                built = self._construct(tag, value)
            except (ValueError, yaml.YAMLError):
                kind = tag.removeprefix(_TAG)
                raise self._error(f"'{value}' is not a valid {kind}", event) from None
        else:
            raise self._error(
                f"'{value}' has the type {tag}, which Standby does not read; {_PLAIN}", event
            )
        if event.anchor is not None:
            self.anchors[event.anchor] = (built, 1)
        return built

    def _construct(self, tag: str, value: str) -> Any:
        """The value of a scalar of one of the plain types (``_SCALAR_TAGS``)."""
        return self.constructor.construct_object(yaml.ScalarNode(tag, value))

    def _resolve(self, value: str) -> str:
        """The tag of a plain scalar; the same few values recur, so answers are kept."""
        tag = self.resolved.get(value)
        if tag is None:
            tag = _STR
            for candidate, pattern in self.resolvers.get(value[:1], []) + self.wildcard:
                if pattern.match(value):
                    tag = candidate
                    break
            if len(self.resolved) < _RESOLVED_KEPT:
                self.resolved[value] = tag
        return tag

    def _start(self, event: Any, kind: type, depth: int) -> _Collection:
        if depth >= limits.MAX_NESTING:
            raise self._error(
                f"nested more than {limits.MAX_NESTING} levels deep, the limit "
                "(standby.limits.MAX_NESTING); a rota or scenario needs only a few levels",
                event,
            )
        mapping = kind is yaml.MappingStartEvent
        if depth == 0:
            self.root_flow = bool(event.flow_style)
        if event.tag not in (None, "!", _MAP if mapping else _SEQ):
            raise self._error(f"the type {event.tag} is one Standby does not read; {_PLAIN}", event)
        return _Collection({} if mapping else [], event.start_mark.line + 1, event.anchor)

    def _end(self, collection: _Collection, below: bool) -> Any:
        value = collection.value
        for merged in collection.merges:  # explicit keys win, then the first merged
            for key, item in merged.items():
                value.setdefault(key, item)  # type: ignore[union-attr]
        if collection.multiline or below:
            self.lines[id(value)] = collection.lines
        if collection.anchor is not None:
            self.anchors[collection.anchor] = (value, collection.weight)
        return value

    def _alias(self, event: Any) -> tuple[Any, int]:
        if event.anchor not in self.anchors:
            raise self._error(f"the alias *{event.anchor} names no anchor before it", event)
        value, weight = self.anchors[event.anchor]
        self.aliased += weight
        if self.aliased > limits.MAX_ALIAS_VALUES:
            raise self._error(
                f"aliases (*name) repeat more than {limits.MAX_ALIAS_VALUES:,} values in "
                "all, the limit (standby.limits.MAX_ALIAS_VALUES); write the values out, or "
                "use fewer aliases",
                event,
            )
        return value, weight

    def _add_text(self, parent: _Collection, value: str, line: int, event: Any) -> None:
        """:meth:`_add` for plain text, the commonest value (kept short for speed)."""
        parent.weight += 1
        if line != parent.line:
            parent.multiline = True
        if type(parent.value) is list:
            parent.value.append(value)
            parent.lines.append(line)  # type: ignore[union-attr]
        elif parent.key is _NO_KEY:
            parent.key, parent.key_line = value, line
        elif parent.key is _MERGE_KEY or parent.key in parent.value:
            self._add(parent, value, 0, line, event)
        else:
            key = parent.key
            parent.key = _NO_KEY
            parent.value[key] = value
            parent.keys[key] = parent.key_line

    def _add(self, parent: _Collection, value: Any, weight: int, line: int, event: Any) -> None:
        """Add ``value`` (a key or a value, written from ``line``) to the collection."""
        parent.weight += weight
        if line != parent.line:
            parent.multiline = True
        if isinstance(parent.value, list):
            parent.value.append(value)
            parent.lines.append(line)  # type: ignore[union-attr]
            return
        if parent.key is _NO_KEY:
            if isinstance(value, dict | list):
                raise self._error("a key must be plain text, not a list or a mapping", event)
            parent.key, parent.key_line = value, line
            return
        key, key_line = parent.key, parent.key_line
        parent.key = _NO_KEY
        positions = parent.keys
        if key is _MERGE_KEY:
            merged = value if isinstance(value, list) else [value]
            if not all(isinstance(item, dict) for item in merged):
                raise self._error("'<<' merges a mapping or a list of mappings", event)
            parent.merges.extend(merged)
            return
        if key in parent.value:
            raise YamlError(
                f"the key '{key}' is written twice in one mapping, at line {positions[key]} "
                f"and line {key_line}; YAML would keep only the second: keep one (or merge "
                "them)",
                key_line,
            )
        parent.value[key] = value
        positions[key] = key_line
