"""Day names and clock times as rota and requirements files write them.

Shared by the pydantic models (``rota.io_yaml_models``) and the plain requirements reader
(``rota.io_requirements``), which must not import pydantic.
"""

from __future__ import annotations

import re
from datetime import time

from standby.rota.model import BANK_HOLIDAY, WEEKDAYS

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
_BANK_HOLIDAY_NAMES = {"bank_holiday", "bank_holidays", "bank holiday", "bank holidays"}
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def normalise_days(days: list[str]) -> list[str]:
    """Day names as ``mon``..``sun``; raises ValueError naming the bad one."""
    result = []
    for day in days:
        short = _DAY_NAMES.get(str(day).strip().lower())
        if short is None:
            raise ValueError(f"'{day}' is not a day; use {', '.join(WEEKDAYS)}")
        result.append(short)
    return result


def normalise_window_days(days: list[str]) -> list[str]:
    """A requirement window's days: ``mon``..``sun`` and ``bank_holiday``, each once."""
    result: list[str] = []
    for day in days:
        text = str(day).strip().lower().replace("-", " ")
        if text in _BANK_HOLIDAY_NAMES or text.replace("_", " ") in _BANK_HOLIDAY_NAMES:
            short = BANK_HOLIDAY
        elif text in _DAY_NAMES:
            short = _DAY_NAMES[text]
        else:
            raise ValueError(f"'{day}' is not a day; use {', '.join(WEEKDAYS)} or {BANK_HOLIDAY}")
        if short not in result:
            result.append(short)
    return result


def parse_clock(text: str) -> time:
    """``HH:MM`` (24-hour) as a time; raises ValueError with the fix."""
    match = _CLOCK.match(str(text).strip())
    if not match:
        raise ValueError(f"'{text}' is not a time of day; write it as HH:MM, e.g. 08:00")
    return time(int(match.group(1)), int(match.group(2)))
