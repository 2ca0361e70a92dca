"""Reading YAML rotas and requirements, and turning them into the model.

A YAML rota may hold people, explicit shifts, rotation patterns (expanded by
``rota.patterns``), overrides, leave, requirements and working-time settings per
role. Every validation problem becomes one line ``file: key.path (line N): problem`` so a
planner can find it in an editor.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Sequence
from dataclasses import replace as dataclass_replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from standby.clock import DEFAULT_TIMEZONE, zone
from standby.errors import with_input
from standby.hints import closest
from standby.rota.io_common import (
    RequirementsSet,
    RotaFileError,
    TimeReader,
    check_order,
    check_timezone,
    parse_time,
    shift_limit,
    too_many_shifts,
)
from standby.rota.io_yaml_load import load_yaml
from standby.rota.io_yaml_models import (
    CalloutModel,
    JsonCallout,
    JsonLeave,
    JsonOverride,
    JsonRota,
    JsonShift,
    LeaveModel,
    OverrideModel,
    PatternModel,
    PersonModel,
    RequirementModel,
    RequirementsFile,
    RotaFile,
    ShiftModel,
    WorkingTimeModel,
)
from standby.rota.io_yaml_shifts import CheckedRota, read_plain_shifts
from standby.rota.model import Callout, Leave, Override, Person, Requirement, RoleRules, Rota, Shift
from standby.rota.patterns import (
    Pattern,
    TooManyShiftsError,
    apply_override,
    expand,
    parse_handover,
    parse_length,
)
from standby.yamlfile import Document

# --------------------------------------------------------------------------- YAML loading


def _line_of(source: Document, loc: tuple[int | str, ...]) -> int | None:
    """The line (1-based) of the YAML value at ``loc``, if it can be found."""
    return source.line_of(loc)


def validation_message(path: Path, error: ValidationError, source: Document | None) -> str:
    """One line ``file: key.path (line N): problem`` per pydantic error."""
    lines = []
    for item in error.errors():
        loc = tuple(item["loc"])
        key = ".".join(str(part) for part in loc) or "(top level)"
        line = _line_of(source, loc) if source is not None else None
        at = f" (line {line})" if line else ""
        problem = with_input(item["msg"].removeprefix("Value error, "), item)
        if item["type"] == "extra_forbidden":
            problem = f"'{loc[-1]}' is not a key Standby knows here; check the spelling"
        elif item["type"] == "missing":
            problem = "this key is required here"
        lines.append(f"{path}: {key}{at}: {problem}")
    return "\n".join(lines)


def to_requirements(
    models: Sequence[RequirementModel],
    path: Path,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    source: Document | None = None,
    warnings: list[str] | None = None,
) -> list[Requirement]:
    """Model requirements, each with its source ``file:requirements.N``.

    A planned event's ``dates`` are local times in ``timezone``.
    """
    found = []
    for index, model in enumerate(models):
        dates = None
        if model.dates is not None:
            periods = []
            for number, period in enumerate(model.dates):
                loc = ("requirements", index, "dates", number)
                where = where_in(path, source, *loc)
                start = parse_time(
                    period.start, timezone=timezone, where=f"{where}.start", warnings=warnings or []
                )
                end = parse_time(
                    period.end, timezone=timezone, where=f"{where}.end", warnings=warnings or []
                )
                check_order(start, end, where=where, start_text=period.start, end_text=period.end)
                periods.append((start, end))
            dates = tuple(sorted(periods))
        found.append(
            Requirement(
                role=model.role,
                minimum=model.min,
                when=None if model.when is None else model.when.window(),
                qualification=model.qualification,
                source=f"{path.name}:requirements.{index}",
                name=model.name,
                dates=dates,
            )
        )
    return found


def where_in(path: Path, source: Document | None, *loc: int | str) -> str:
    """``file: key.path (line N)`` for messages that point into the file."""
    key = ".".join(str(part) for part in loc)
    line = _line_of(source, loc) if source is not None else None
    return f"{path}: {key}" + (f" (line {line})" if line else "")


def to_role_rules(
    models: Sequence[WorkingTimeModel],
    *,
    path: Path,
    source: Document | None,
    roles: Collection[str] | None,
    warnings: list[str],
) -> dict[str, RoleRules]:
    """The ``working_time:`` entries as settings per role; a role listed twice is an error.

    A role not in ``roles`` (the roles the file names elsewhere) is kept with a warning: it
    may be in another file. ``roles=None`` skips that check.
    """
    rules: dict[str, RoleRules] = {}
    first: dict[str, int] = {}
    for index, model in enumerate(models):
        where = where_in(path, source, "working_time", index, "role")
        if model.role in rules:
            raise RotaFileError(
                f"{where}: '{model.role}' is listed twice (first at working_time."
                f"{first[model.role]}); give each role one entry"
            )
        first[model.role] = index
        rules[model.role] = model.rules()
        if roles is not None and model.role not in roles:
            match = closest(model.role, roles)
            hint = f" (did you mean '{match}'?)" if match else ""
            warnings.append(
                f"{where}: '{model.role}' is not a role in this file{hint}; its settings "
                "apply if the rota or another file has it"
            )
    return rules


def read_requirements_set(
    path: Path, timezone: str = DEFAULT_TIMEZONE, *, loaded: tuple[Any, Document] | None = None
) -> RequirementsSet:
    """Requirements and working-time settings from a requirements YAML, or a YAML rota.

    ``loaded`` is the file's document and where its keys are, when the caller has read them.
    """
    document, source = load_yaml(path) if loaded is None else loaded
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
    if set(document) - {"timezone", "requirements", "working_time", "fill"}:
        rota = read_yaml(path, timezone)
        return RequirementsSet(
            rota.requirements, rota.role_rules, rota.warnings, fill_weights=rota.fill_weights
        )
    try:
        parsed = RequirementsFile.model_validate(document)
    except ValidationError as error:
        raise RotaFileError(validation_message(path, error, source)) from None
    if parsed.timezone:
        check_timezone(path, parsed.timezone)
    if not parsed.requirements:
        raise RotaFileError(
            f"{path}: 'requirements' is empty; list at least one '- role: ..., min: 1'"
        )
    warnings: list[str] = []
    requirements = to_requirements(
        parsed.requirements,
        path,
        timezone=parsed.timezone or timezone,
        source=source,
        warnings=warnings,
    )
    role_rules = to_role_rules(
        parsed.working_time,
        path=path,
        source=source,
        roles={requirement.role for requirement in requirements},
        warnings=warnings,
    )
    weights = parsed.fill.weights.weights() if parsed.fill is not None else None
    return RequirementsSet(requirements, role_rules, warnings, fill_weights=weights)


# --------------------------------------------------------------------------- conversion


def read_yaml(
    path: Path,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    max_shifts: int | None = None,
    fast: bool = True,
) -> Rota:
    """Read a YAML rota: people, shifts, patterns, overrides, leave, requirements.

    Patterns stop as soon as the rota would hold more than ``max_shifts`` shifts (default
    ``standby.limits.MAX_SHIFTS``), before the rest are made. ``fast=False`` reads it the
    long way round (every list through the YAML parser, every shift through its model),
    which the fast roads are tested against: the rota and the messages are the same.
    """
    document, source = load_yaml(path, fast=fast)
    if document is None:
        raise RotaFileError(
            f"{path}: the file is empty; write at least 'shifts:' or 'patterns:' (see docs/rota.md)"
        )
    return rota_from_document(
        document,
        path=path,
        timezone=timezone,
        kind="yaml",
        source=source,
        max_shifts=max_shifts,
        fast=fast,
    )


def rota_from_document(
    document: Any,
    *,
    path: Path,
    timezone: str,
    kind: str,
    source: Document | None = None,
    max_shifts: int | None = None,
    fast: bool = True,
) -> Rota:
    """A rota from a parsed YAML rota or a ``rota_to_json`` document.

    With ``fast``, a YAML rota's plainly written shifts skip their pydantic models
    (``rota.io_yaml_shifts``); the rota and every message are the same.
    """
    if not isinstance(document, dict):
        raise RotaFileError(
            f"{path}: the top level must be a mapping (keys such as people, shifts, "
            f"patterns), not a {type(document).__name__}"
        )
    model: type[RotaFile] | type[JsonRota] = JsonRota if kind == "json" else RotaFile

    def validate(part: dict[str, Any]) -> RotaFile | JsonRota:
        try:
            return model.model_validate(part)
        except ValidationError as error:
            raise RotaFileError(validation_message(path, error, source)) from None

    checked = CheckedRota(document, validate, fast=fast and kind == "yaml")
    parsed = checked.parsed
    try:
        if parsed.timezone:
            check_timezone(path, parsed.timezone)
            timezone = parsed.timezone
        builder = _Builder(path, timezone, source, shift_limit(max_shifts))
        builder.people(parsed.people)
    except RotaFileError:
        checked.whole()  # a shift the models refuse is said first, as ever
        raise
    if isinstance(parsed, JsonRota):
        builder.rota.warnings.extend(parsed.warnings)
    if checked.rows is None:
        builder.shifts(parsed.shifts)
    else:
        builder.written_shifts(checked)
    if isinstance(parsed, RotaFile):
        builder.patterns(parsed.patterns)
        builder.overrides(parsed.overrides, apply=True)
        builder.rota.shifts.sort(key=lambda shift: (shift.start, shift.role, shift.level))
    else:
        # The exported shifts already hold every override; they are kept as a record only,
        # so reading an export (and exporting it again) never applies one twice.
        builder.overrides(parsed.overrides, apply=False)
    builder.leave(parsed.leave)
    builder.callouts(parsed.callouts)
    builder.rota.requirements = to_requirements(
        parsed.requirements, path, timezone=timezone, source=source, warnings=builder.rota.warnings
    )
    if isinstance(parsed, JsonRota):
        builder.rota.requirements = [
            replace_source(requirement, model.source)
            for requirement, model in zip(
                builder.rota.requirements, parsed.requirements, strict=True
            )
        ]
    # An export's warnings were stored when it was written; warning again on reading it
    # would change the bytes of the next export.
    builder.rota.role_rules = to_role_rules(
        parsed.working_time,
        path=path,
        source=source,
        roles=None if isinstance(parsed, JsonRota) else builder.rota.roles,
        warnings=builder.rota.warnings,
    )
    if isinstance(parsed, RotaFile) and parsed.fill is not None:
        builder.rota.fill_weights = parsed.fill.weights.weights()
    return builder.rota


def replace_source(requirement: Requirement, source: str) -> Requirement:
    """``requirement`` with its source kept from the exported file, when it had one."""
    return dataclass_replace(requirement, source=source) if source else requirement


class _Builder:
    """Turns validated models into model objects, with messages that point into the file."""

    def __init__(self, path: Path, timezone: str, source: Document | None, max_shifts: int) -> None:
        self.path = path
        self.max_shifts = max_shifts
        self.timezone = timezone
        self.tz = zone(timezone)
        self.source = source
        self.rota = Rota(timezone=timezone, sources=[str(path)])
        self.times = TimeReader(timezone, self.rota.warnings)
        self.names: dict[str, str] = {}

    def where(self, *loc: int | str) -> str:
        return where_in(self.path, self.source, *loc)

    def time(self, value: str, *loc: int | str) -> datetime:
        # Each distinct clock time is resolved once; the place is made only for a message.
        return self.times(value, lambda: self.where(*loc))

    def span(self, start: str, end: str, *loc: int | str) -> tuple[datetime, datetime]:
        first = self.time(start, *loc, "start")
        last = self.time(end, *loc, "end")
        if last <= first:
            check_order(first, last, where=self.where(*loc), start_text=start, end_text=end)
        return first, last

    def person(self, name: str, *loc: int | str) -> str:
        """The person's id; any name goes when the file has no people list."""
        if not self.rota.people:
            return name
        found = self.names.get(name) or self.names.get(name.casefold())
        if found is None:
            known = ", ".join(sorted(self.rota.people)[:12])
            raise RotaFileError(
                f"{self.where(*loc)}: '{name}' is not in 'people'; use a person's id or name "
                f"(e.g. {known}) or add them to 'people'"
            )
        return found

    def people(self, models: list[PersonModel]) -> None:
        for index, model in enumerate(models):
            person_id = model.id or model.name
            if person_id in self.rota.people:
                raise RotaFileError(
                    f"{self.where('people', index, 'id')}: '{person_id}' is listed twice; "
                    "give each person a different id"
                )
            location = model.home_location
            self.rota.people[person_id] = Person(
                id=person_id,
                name=model.name,
                roles=tuple(model.roles),
                qualifications=tuple(model.qualifications),
                answer_probability=model.answer_probability,
                home_base=model.home_base,
                home_location=None if location is None else (location.lat, location.lon),
                phone=model.phone,
                day_job=model.day_job_windows(),
            )
            for key in (person_id, model.name):
                self.names.setdefault(key, person_id)
                self.names.setdefault(key.casefold(), person_id)

    def written_shifts(self, checked: CheckedRota[RotaFile | JsonRota]) -> None:
        """The shifts of ``checked.rows``: plain rows in one loop, the rest as models."""
        rows = checked.rows or []
        try:
            done = read_plain_shifts(
                rows,
                shifts=self.rota.shifts,
                times=self.times,
                names=self.names if self.rota.people else None,
                unknown=lambda name, index: self.person(name, "shifts", index, "person"),
                where=self.where,
                source=f"{self.path.name}:shifts.",
            )
        except RotaFileError:
            checked.whole()  # a later shift the models refuse is said first
            raise
        if done < len(rows):
            whole = checked.whole(done)
            assert whole is not None  # the row at ``done`` is not plain
            self.shifts(whole.shifts[done:], first=done)

    def shifts(self, models: list[ShiftModel] | list[JsonShift], first: int = 0) -> None:
        for index, model in enumerate(models, start=first):
            start, end = self.span(model.start, model.end, "shifts", index)
            source = (isinstance(model, JsonShift) and model.source) or (
                f"{self.path.name}:shifts.{index}"
            )
            self.rota.shifts.append(
                Shift(
                    person=self.person(model.person, "shifts", index, "person"),
                    role=model.role,
                    start=start,
                    end=end,
                    level=model.level,
                    source=source,
                    phone=model.phone,
                    notes=model.notes,
                )
            )

    def patterns(self, models: list[PatternModel]) -> None:
        for index, model in enumerate(models):
            people = tuple(
                self.person(name, "patterns", index, "people", turn)
                for turn, name in enumerate(model.people)
            )
            day, handover = parse_handover(model.handover)
            length = parse_length(model.length)
            every = parse_length(model.every) if model.every else length
            pattern = Pattern(
                role=model.role,
                people=people,
                handover_day=day,
                handover_time=handover,
                length=length,
                every=every,
                start=date.fromisoformat(model.start.strip()),
                end=date.fromisoformat(model.end.strip()),
                level=model.level,
                days=None if model.days is None else tuple(model.days),
                source=f"{self.path.name}:patterns.{index}",
                notes=model.notes,
            )
            if pattern.end <= pattern.start:
                raise RotaFileError(
                    f"{self.where('patterns', index, 'end')}: '{model.end}' is not after "
                    f"start '{model.start}'; the pattern runs from start up to end"
                )
            try:
                room = self.max_shifts - len(self.rota.shifts)
                generated = expand(pattern, self.tz, limit=max(room, 0))
            except TooManyShiftsError:
                what = "makes, with the shifts before it," if self.rota.shifts else "makes"
                raise too_many_shifts(
                    self.where("patterns", index), self.max_shifts, what
                ) from None
            if not generated:
                self.rota.warnings.append(
                    f"{self.where('patterns', index)}: makes no shifts; check its handover "
                    "day, 'days', 'start' and 'end'"
                )
            self.rota.shifts.extend(generated)

    def overrides(self, models: list[OverrideModel] | list[JsonOverride], *, apply: bool) -> None:
        """Record each override in ``rota.overrides``; apply it to the shifts when ``apply``."""
        for index, model in enumerate(models):
            start, end = self.span(model.start, model.end, "overrides", index)
            person = (
                None
                if model.person is None
                else self.person(model.person, "overrides", index, "person")
            )
            if person is None and model.mode == "add":
                raise RotaFileError(
                    f"{self.where('overrides', index)}: mode 'add' needs a 'person'; "
                    "name who adds cover, or use mode 'replace' to remove cover"
                )
            override = Override(
                role=model.role,
                start=start,
                end=end,
                person=person,
                mode=model.mode,
                level=model.level,
                source=getattr(model, "source", "") or f"{self.path.name}:overrides.{index}",
                notes=model.notes,
            )
            self.rota.overrides.append(override)
            if apply:
                self.rota.shifts = apply_override(self.rota.shifts, override)

    def callouts(self, models: list[CalloutModel] | list[JsonCallout]) -> None:
        for index, model in enumerate(models):
            start, end = self.span(model.start, model.end, "callouts", index)
            source = getattr(model, "source", "") or f"{self.path.name}:callouts.{index}"
            self.rota.callouts.append(
                Callout(
                    person=self.person(model.person, "callouts", index, "person"),
                    start=start,
                    end=end,
                    role=model.role,
                    source=source,
                    notes=model.notes,
                )
            )

    def leave(self, models: list[LeaveModel] | list[JsonLeave]) -> None:
        for index, model in enumerate(models):
            end_text = model.end.strip()
            if len(end_text) == 10:
                # A date-only end means "up to and including that day", as people write it.
                with contextlib.suppress(ValueError):
                    end_text = (date.fromisoformat(end_text) + timedelta(days=1)).isoformat()
            start, end = self.span(model.start, end_text, "leave", index)
            source = getattr(model, "source", "") or f"{self.path.name}:leave.{index}"
            self.rota.leave.append(
                Leave(
                    person=self.person(model.person, "leave", index, "person"),
                    start=start,
                    end=end,
                    source=source,
                )
            )
