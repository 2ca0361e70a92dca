"""YAML rotas and requirements: pydantic models of the file, and their conversion to the model.

A YAML rota may hold people, explicit shifts, rotation patterns (expanded by
``rota.patterns``), overrides, leave and requirements. Every validation problem becomes one
line ``file: key.path (line N): problem`` so a planner can find it in an editor.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rota.io import RotaFileError, check_timezone, read_text
from rota.model import WEEKDAYS, Requirement, Rota, TimeWindow

_DAY_NAMES = {name: name for name in WEEKDAYS} | {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
    "tues": "tue",
    "thur": "thu",
    "thurs": "thu",
}
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# --------------------------------------------------------------------------- YAML loading


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves times and dates as text.

    YAML 1.1 reads ``17:00`` as the base-60 number 1020 and ``2026-03-27 09:00:00`` as a
    naive datetime; both must reach our parsers as the text the planner wrote.
    """


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
        and not (tag == "tag:yaml.org,2002:int" and ":" in regexp.pattern)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)


def load_yaml(path: Path) -> tuple[Any, str]:
    """The parsed document and its text, or a RotaFileError naming the line."""
    text = read_text(path)
    try:
        document = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = getattr(error, "problem", None) or str(error)
        raise RotaFileError(
            f"{path}: {where}: not valid YAML ({problem}); check the indentation and that "
            "text containing ': ' is quoted"
        ) from None
    return document, text


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The line (1-based) of the YAML node at ``loc``, if it can be found."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = [value for key, value in node.value if key.value == str(part)]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def validation_message(path: Path, error: ValidationError, text: str | None) -> str:
    """One line ``file: key.path (line N): problem`` per pydantic error."""
    lines = []
    for item in error.errors():
        loc = tuple(item["loc"])
        key = ".".join(str(part) for part in loc) or "(top level)"
        line = _line_of(text, loc) if text is not None else None
        at = f" (line {line})" if line else ""
        problem = item["msg"]
        if item["type"] == "extra_forbidden":
            problem = f"'{loc[-1]}' is not a key Standby knows here; check the spelling"
        elif item["type"] == "missing":
            problem = "this key is required here"
        lines.append(f"{path}: {key}{at}: {problem}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- models


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def normalise_days(days: list[str]) -> list[str]:
    """Day names as ``mon``..``sun``; raises ValueError naming the bad one."""
    result = []
    for day in days:
        short = _DAY_NAMES.get(str(day).strip().lower())
        if short is None:
            raise ValueError(f"'{day}' is not a day; use {', '.join(WEEKDAYS)}")
        result.append(short)
    return result


def parse_clock(text: str) -> time:
    """``HH:MM`` (24-hour) as a time; raises ValueError with the fix."""
    match = _CLOCK.match(str(text).strip())
    if not match:
        raise ValueError(f"'{text}' is not a time of day; write it as HH:MM, e.g. 08:00")
    return time(int(match.group(1)), int(match.group(2)))


class WhenModel(_Strict):
    """Local days and hours in which a requirement applies."""

    days: list[str] = Field(default_factory=lambda: list(WEEKDAYS))
    from_: str = Field("00:00", alias="from")
    to: str = "00:00"

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        return normalise_days(value)

    @field_validator("from_", "to")
    @classmethod
    def _clock(cls, value: str) -> str:
        parse_clock(value)
        return value

    def window(self) -> TimeWindow:
        return TimeWindow(tuple(self.days), parse_clock(self.from_), parse_clock(self.to))


class RequirementModel(_Strict):
    """At least ``min`` people on call for ``role`` (inside ``when``)."""

    role: str = Field(min_length=1)
    min: int = Field(1, ge=0)
    when: WhenModel | None = None
    qualification: str | None = None


class RequirementsFile(_Strict):
    """A requirements file: a timezone and a list of requirements."""

    timezone: str | None = None
    requirements: list[RequirementModel] = Field(default_factory=list)


def to_requirements(models: list[RequirementModel], path: Path) -> list[Requirement]:
    """Model requirements, each with its source ``file:requirements.N``."""
    return [
        Requirement(
            role=model.role,
            minimum=model.min,
            when=None if model.when is None else model.when.window(),
            qualification=model.qualification,
            source=f"{path.name}:requirements.{index}",
        )
        for index, model in enumerate(models)
    ]


def read_requirements_yaml(path: Path, timezone: str = "Europe/London") -> list[Requirement]:
    """Requirements from a requirements YAML, or from the ``requirements:`` of a YAML rota."""
    document, text = load_yaml(path)
    if document is None:
        raise RotaFileError(
            f"{path}: the file is empty; write 'requirements:' and a list of "
            "'- role: ..., min: 1' entries"
        )
    if not isinstance(document, dict):
        raise RotaFileError(
            f"{path}: the top level must be a mapping with a 'requirements:' list, "
            f"not a {type(document).__name__}"
        )
    if set(document) - {"timezone", "requirements"}:
        return read_yaml(path, timezone).requirements
    try:
        parsed = RequirementsFile.model_validate(document)
    except ValidationError as error:
        raise RotaFileError(validation_message(path, error, text)) from None
    if parsed.timezone:
        check_timezone(path, parsed.timezone)
    if not parsed.requirements:
        raise RotaFileError(
            f"{path}: 'requirements' is empty; list at least one '- role: ..., min: 1'"
        )
    return to_requirements(parsed.requirements, path)


def read_yaml(path: Path, timezone: str = "Europe/London") -> Rota:
    """Read a YAML rota (in progress: not yet supported)."""
    raise RotaFileError(f"{path}: YAML rotas are not read yet; use CSV")


def rota_from_document(document: Any, *, path: Path, timezone: str, kind: str) -> Rota:
    """A rota from a parsed YAML or JSON document (in progress)."""
    raise RotaFileError(f"{path}: {kind} rotas are not read yet; use CSV")
