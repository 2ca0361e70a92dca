"""OnCall: who covers a role at an instant, in escalation order, leave excluded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standby.rota.model import Leave, Person, Rota, Shift
from standby.rota.oncall import OnCall, OnCallEntry

EPO = "Duty Emergency Planning Officer"
T0 = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def shift(person: str, start: float, end: float, *, role: str = EPO, level: int = 1) -> Shift:
    return Shift(person=person, role=role, start=at(start), end=at(end), level=level)


def names(entries: list[OnCallEntry]) -> list[str]:
    return [entry.person for entry in entries]


def test_level_one_comes_first_then_shift_start_then_person() -> None:
    rota = Rota(
        shifts=[
            shift("zoe", 0, 10, level=2),
            shift("bob", 1, 10, level=1),
            shift("amy", 0, 10, level=1),
            shift("cat", 0, 10, level=1),
        ]
    )
    assert names(OnCall(rota).who(EPO, at(2))) == ["amy", "cat", "bob", "zoe"]


def test_shift_is_half_open_start_included_end_excluded() -> None:
    index = OnCall(Rota(shifts=[shift("amy", 0, 24), shift("bob", 24, 48)]))
    assert names(index.who(EPO, at(0))) == ["amy"]
    assert names(index.who(EPO, at(24))) == ["bob"]
    assert index.who(EPO, at(48)) == []
    assert index.who(EPO, at(-0.001)) == []


def test_person_on_leave_is_left_out_only_during_the_leave() -> None:
    rota = Rota(
        shifts=[shift("amy", 0, 24), shift("bob", 0, 24, level=2)],
        leave=[Leave(person="amy", start=at(5), end=at(7))],
    )
    index = OnCall(rota)
    assert names(index.who(EPO, at(4.99))) == ["amy", "bob"]
    assert names(index.who(EPO, at(5))) == ["bob"]
    assert names(index.who(EPO, at(7))) == ["amy", "bob"]


def test_entry_carries_name_phone_answer_probability_and_shift_end() -> None:
    people = {
        "amy": Person(id="amy", name="A. Jones", phone="07700 900001", answer_probability=0.8)
    }
    index = OnCall(Rota(people=people, shifts=[shift("amy", 0, 168)]))
    (entry,) = index.who(EPO, at(100))
    assert entry == OnCallEntry(
        person="amy",
        name="A. Jones",
        role=EPO,
        level=1,
        phone="07700 900001",
        answer_probability=0.8,
        shift_end=at(168),
    )


def test_unknown_person_is_named_by_id_with_no_probability() -> None:
    (entry,) = OnCall(Rota(shifts=[shift("visitor", 0, 1)])).who(EPO, at(0.5))
    assert (entry.name, entry.answer_probability, entry.phone) == ("visitor", None, None)


def test_roles_are_listed_in_first_seen_order_and_unknown_role_is_empty() -> None:
    index = OnCall(Rota(shifts=[shift("amy", 0, 1, role="CCTV"), shift("bob", 0, 1)]))
    assert index.roles() == ["CCTV", EPO]
    assert index.who("Director", at(0.5)) == []


def test_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        OnCall(Rota(shifts=[shift("amy", 0, 1)])).who(EPO, datetime(2026, 3, 27, 9))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["amy", "bob", "cat"]),
            st.integers(0, 40),
            st.integers(1, 20),
            st.integers(1, 3),
        ),
        max_size=8,
    ),
    st.lists(st.tuples(st.sampled_from(["amy", "bob"]), st.integers(0, 40), st.integers(1, 10))),
    st.integers(-2, 62),
)
def test_who_matches_a_direct_scan_of_the_rota(
    shifts: list[tuple[str, int, int, int]], leave: list[tuple[str, int, int]], hour: int
) -> None:
    rota = Rota(
        shifts=[shift(p, s, s + d, level=lv) for p, s, d, lv in shifts],
        leave=[Leave(person=p, start=at(s), end=at(s + d)) for p, s, d in leave],
    )
    instant = at(hour)
    on_leave = {item.person for item in rota.leave if item.start <= instant < item.end}
    expected = sorted(
        (s for s in rota.shifts if s.start <= instant < s.end and s.person not in on_leave),
        key=lambda s: (s.level, s.start, s.person, s.end),
    )
    assert names(OnCall(rota).who(EPO, instant)) == [s.person for s in expected]
