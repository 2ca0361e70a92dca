"""The words of a gap fill: why a gap could not be filled, and why the people chosen were.

A reason groups the people who hold the role by the first rule that rules each of them out
(``rota.fill_candidates``), most common first within a fixed order of kinds, and names
them: "Duty Emergency Planning Officer, Fri 25 Dec 2026 18:00 to Sat 26 Dec 08:00 GMT:
nobody can take it: two would break the 11-hour daily rest (reg 10) (Ann Lee, Bo Chan);
one is on leave (Cy Dee); nobody else holds the role".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from standby.rota.rules import Limits

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
#: How many names a reason lists before "and N more".
NAMES_SHOWN = 5
#: Kinds of reason in the order a reason lists them: the exclusions, then what the
#: solver decided.
REASON_ORDER = (
    "unqualified",
    "leave",
    "on_call",
    "working_time",
    "taken_elsewhere",
    "combined",
    "unused",
)


def number_words(count: int) -> str:
    """``two`` for 2 (up to ten), else the digits."""
    return _NUMBERS[count] if 0 <= count < len(_NUMBERS) else str(count)


def rule_words(rule: str | None, limits: Limits | None = None) -> str:
    """A working-time rule as a reason says it: ``the 11-hour daily rest (reg 10)``."""
    limits = limits or Limits()
    words = {
        "reg 4": f"the {limits.weekly_hours:g}-hour weekly average (reg 4)",
        "reg 6": f"the {limits.night_hours_per_day:g}-hour night-work average (reg 6)",
        "reg 6(7)": (
            f"the {limits.hazardous_night_hours:g}-hour limit on hazardous night work (reg 6(7))"
        ),
        "reg 10": f"the {limits.daily_rest_hours:g}-hour daily rest (reg 10)",
        "reg 11": "the weekly rest (reg 11)",
        "reg 12": "the rest break (reg 12)",
        "local limit": "the limit on consecutive days on call",
    }
    return words.get(rule or "", rule or "a working-time rule")


@dataclass(frozen=True, slots=True)
class Ruled:
    """One person's reason for not taking a stretch: ``kind`` (:data:`REASON_ORDER`), the
    rule for working time, and their name."""

    kind: str
    name: str
    rule: str | None = None
    qualification: str | None = None


def _names(names: Sequence[str]) -> str:
    shown = list(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown.append(f"and {len(names) - NAMES_SHOWN} more")
    return ", ".join(shown)


def _group_text(kind: str, count: int, rule: str | None, qualification: str | None) -> str:
    one = count == 1
    words = number_words(count)
    if kind == "unqualified":
        what = qualification or "the qualification"
        return f"{words} {'does' if one else 'do'} not hold {what}"
    if kind == "leave":
        return f"{words} {'is' if one else 'are'} on leave"
    if kind == "on_call":
        return f"{words} {'is' if one else 'are'} on call then"
    if kind == "working_time":
        return f"{words} would break {rule_words(rule)}"
    if kind == "taken_elsewhere":
        return f"{words} {'is' if one else 'are'} proposed for other cover then"
    if kind == "combined":
        return f"{words} would break {rule_words(rule)} with their other proposed cover"
    return f"{words} could, but the solver stopped before using them"


def reason_text(
    ruled: Iterable[Ruled], *, still_needed: int, holders: int, people_list: bool
) -> str:
    """Why nobody (or not enough people) could take a stretch, from each holder's reason."""
    groups: dict[tuple[str, str | None, str | None], list[str]] = {}
    for item in ruled:
        groups.setdefault((item.kind, item.rule, item.qualification), []).append(item.name)
    ordered = sorted(
        groups.items(),
        key=lambda entry: (REASON_ORDER.index(entry[0][0]), -len(entry[1]), entry[0][1] or ""),
    )
    parts = [
        f"{_group_text(kind, len(names), rule, qualification)} ({_names(names)})"
        for (kind, rule, qualification), names in ordered
    ]
    if holders == 0:
        parts.append(
            "nobody in the rota's people list holds the role"
            if people_list
            else "nobody has had a shift in the role"
        )
    else:
        parts.append("nobody else holds the role")
    lead = (
        "nobody can take it" if still_needed <= 1 else f"{number_words(still_needed)} more needed"
    )
    return f"{lead}: " + "; ".join(parts)


def why_text(
    name: str,
    hours: float,
    others: Sequence[float],
    *,
    nights: int,
    split_at: str | None,
) -> str:
    """Why this person was chosen: the only one who could, or the fairest of several."""
    if not others:
        text = "the only one who holds the role and is free, qualified and within the rules"
    else:
        low, high = min(others), max(others)
        spread = f"{low:.0f} h" if round(low) == round(high) else f"{low:.0f}-{high:.0f} h"
        could = number_words(len(others) + 1)
        if hours <= low + 1e-9:
            text = (
                f"fewest hours in the role this year of the {could} free and qualified "
                f"({name}: {hours:.0f} h, {nights} nights; the others {spread})"
            )
        else:
            text = (
                f"{could} free and qualified; {name} keeps the role's nights, weekends and "
                f"bank holidays most even ({hours:.0f} h, {nights} nights this year; the "
                f"others {spread})"
            )
    if split_at:
        text += f"; nobody could take the whole gap, so it is split at the {split_at} handover"
    return text
