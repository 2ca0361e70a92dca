"""Coverage check: exact gaps and shortfalls, findings, and agreement with brute force."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standby.errors import StandbyError
from standby.rota.clock import to_local
from standby.rota.coverage import check
from standby.rota.model import WEEKDAYS, Leave, Person, Requirement, Rota, Shift, TimeWindow

EPO = "Duty Emergency Planning Officer"
T0 = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)  # a Monday, GMT
DAY = (T0, T0 + timedelta(days=1))


def at(hours: float = 0, seconds: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, seconds=seconds)


def shift(person: str, start: float, end: float, role: str = EPO, level: int = 1) -> Shift:
    return Shift(person=person, role=role, start=at(start), end=at(end), level=level)


def people(*ids: str, qualifications: tuple[str, ...] = ()) -> dict[str, Person]:
    return {p: Person(id=p, name=p.title(), qualifications=qualifications) for p in ids}


# ----------------------------------------------------------------------------- basics


def test_full_cover_has_no_gaps_and_is_100_percent() -> None:
    report = check(Rota(shifts=[shift("amy", 0, 12), shift("bob", 12, 24)]))
    (role,) = report.roles
    assert (role.gaps, role.coverage_pct, role.gap_minutes, report.all_met) == ((), 100.0, 0, True)


def test_empty_rota_is_one_gap_covering_the_whole_window_never_no_gaps() -> None:
    rota = Rota(requirements=[Requirement(EPO, 1)])
    (role,) = check(rota, window=DAY).roles
    assert [(g.start, g.end, g.shortfall) for g in role.gaps] == [(DAY[0], DAY[1], 1)]
    assert role.coverage_pct == 0.0
    assert role.gap_minutes == 1440.0


def test_empty_rota_without_a_window_is_an_error_asking_for_one() -> None:
    with pytest.raises(StandbyError, match=r"no shifts.*give the window's start and end") as caught:
        check(Rota(requirements=[Requirement(EPO, 1)]))
    assert caught.value.parameters == ("window_start", "window_end")


def test_a_window_ending_before_it_starts_names_both_ends() -> None:
    with pytest.raises(StandbyError, match="end must be later than its start") as caught:
        check(Rota(requirements=[Requirement(EPO, 1)]), window=(DAY[1], DAY[0]))
    assert "--" not in caught.value.message
    assert caught.value.parameters == ("window_end", "window_start")


def test_role_with_no_shifts_in_the_window_is_one_gap() -> None:
    rota = Rota(shifts=[shift("amy", 0, 24, role="CCTV")])
    report = check(rota, [Requirement(EPO, 1), Requirement("CCTV", 1)])
    assert [len(r.gaps) for r in report.roles] == [1, 0]
    assert report.roles[0].gap_minutes == 1440.0


def test_window_ending_before_it_starts_is_an_error() -> None:
    with pytest.raises(StandbyError, match=r"ends .* before it starts"):
        check(Rota(shifts=[shift("amy", 0, 1)]), window=(at(2), at(1)))


def test_default_window_is_the_span_of_the_rota_and_every_role_needs_one() -> None:
    report = check(Rota(shifts=[shift("amy", 0, 2), shift("bob", 3, 5, role="CCTV")]))
    assert (report.start, report.end) == (at(0), at(5))
    assert [(r.role, r.required, r.gap_minutes) for r in report.roles] == [
        (EPO, 1, 180.0),
        ("CCTV", 1, 180.0),
    ]


def test_sub_minute_gap_is_reported_exactly_not_merged_away() -> None:
    rota = Rota(shifts=[shift("amy", 0, 12), Shift("bob", EPO, at(12, 40), at(24))])
    (role,) = check(rota).roles
    (gap,) = role.gaps
    assert (gap.start, gap.end) == (at(12), at(12, 40))
    assert gap.minutes == pytest.approx(40 / 60, abs=1e-12)
    assert role.coverage_pct == pytest.approx(100 * (1440 - 40 / 60) / 1440)


def test_shortfall_is_required_minus_on_call_2_of_3() -> None:
    rota = Rota(shifts=[shift("amy", 0, 24), shift("bob", 0, 24), shift("cat", 0, 12)])
    (role,) = check(rota, [Requirement(EPO, 3)]).roles
    (gap,) = role.gaps
    assert (gap.start, gap.end, gap.on_call, gap.shortfall) == (at(12), at(24), 2, 1)
    assert role.under_cover == (gap,)


def test_gap_splits_where_the_number_on_call_changes() -> None:
    rota = Rota(shifts=[shift("amy", 0, 6), shift("bob", 4, 10)])
    (role,) = check(rota, [Requirement(EPO, 2)], window=(at(0), at(10))).roles
    assert [(g.start, g.end, g.shortfall) for g in role.gaps] == [
        (at(0), at(4), 1),
        (at(6), at(10), 1),
    ]


def test_nobody_on_call_is_a_gap_but_not_under_cover() -> None:
    rota = Rota(shifts=[shift("amy", 0, 1), shift("bob", 2, 3)])
    (role,) = check(rota, [Requirement(EPO, 2)]).roles
    assert [g.shortfall for g in role.gaps] == [1, 2, 1]
    assert [g.on_call for g in role.under_cover] == [1, 1]


def test_double_booked_person_counts_once_and_is_a_finding() -> None:
    rota = Rota(shifts=[shift("amy", 0, 10), shift("amy", 5, 24), shift("amy", 8, 9, "CCTV")])
    report = check(rota, [Requirement(EPO, 2)])
    assert report.roles[0].gap_minutes == 1440.0 * 1  # one person never makes two
    doubles = [f for f in report.findings if f.kind == "double_booking"]
    assert [(f.start, f.end) for f in doubles] == [(at(5), at(10)), (at(8), at(9)), (at(8), at(9))]


def test_two_shifts_at_the_same_hours_read_the_same_whatever_their_order_in_the_file() -> None:
    # a filled rota lists its shifts in another order; the double booking must not look new
    pair = [shift("amy", 0, 12, "Rest Centre"), shift("amy", 0, 12)]
    found = [
        [f for f in check(Rota(shifts=shifts)).findings if f.kind == "double_booking"]
        for shifts in (pair, pair[::-1])
    ]
    assert found[0] == found[1]
    assert [(f.role, f.detail) for f in found[0]] == [
        ("Rest Centre", f"on two shifts at once: {EPO} and Rest Centre")
    ]


def test_leave_clash_is_a_finding_and_that_part_is_a_gap() -> None:
    rota = Rota(
        shifts=[shift("amy", 0, 24)],
        leave=[Leave("amy", at(10), at(14))],
    )
    report = check(rota)
    assert [(g.start, g.end) for g in report.roles[0].gaps] == [(at(10), at(14))]
    (clash,) = [f for f in report.findings if f.kind == "leave_clash"]
    assert (clash.person, clash.start, clash.end) == ("amy", at(10), at(14))
    assert "does not count as cover" in clash.detail


def test_unknown_person_does_not_count_when_there_is_a_people_list() -> None:
    rota = Rota(people=people("amy"), shifts=[shift("amy", 0, 12), shift("zed", 12, 24)])
    report = check(rota)
    assert [(g.start, g.end) for g in report.roles[0].gaps] == [(at(12), at(24))]
    (finding,) = [f for f in report.findings if f.kind == "unknown_person"]
    assert finding.person == "zed"
    assert "not in the people list" in finding.detail


def test_without_a_people_list_nobody_is_unknown() -> None:
    report = check(Rota(shifts=[shift("zed", 0, 24)]))
    assert report.all_met
    assert not [f for f in report.findings if f.kind == "unknown_person"]


def test_unqualified_person_does_not_count_for_a_qualified_requirement() -> None:
    rota = Rota(
        people={**people("amy", qualifications=("loggist",)), **people("bob")},
        shifts=[shift("amy", 0, 12), shift("bob", 12, 24)],
    )
    report = check(rota, [Requirement(EPO, 1, qualification="loggist")])
    assert [(g.start, g.end) for g in report.roles[0].gaps] == [(at(12), at(24))]
    (finding,) = [f for f in report.findings if f.kind == "unqualified"]
    assert finding.person == "bob"
    assert "'loggist'" in finding.detail


def test_requirement_with_a_when_window_counts_only_inside_it() -> None:
    # Weekdays 08:00-20:00 local (GMT in January); the rota covers only 09:00-17:00 Monday.
    when = TimeWindow(days=WEEKDAYS[:5], start=time(8), end=time(20))
    rota = Rota(shifts=[shift("amy", 0, 8)])
    window = (datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 1, 13, tzinfo=UTC))
    (role,) = check(rota, [Requirement(EPO, 1, when=when)], window=window).roles
    assert [(g.start.hour, g.end.hour) for g in role.gaps] == [(8, 9), (17, 20)]
    assert role.checked_minutes == 12 * 60
    assert role.coverage_pct == pytest.approx(100 * 8 / 12)


def test_report_json_matches_the_architecture_fields_with_z_times() -> None:
    rota = Rota(shifts=[shift("amy", 0, 23)], leave=[Leave("amy", at(1), at(2))])
    data = json.loads(json.dumps(check(rota, window=DAY).to_json_dict()))
    assert data["window"] == {"start": "2026-01-12T09:00:00Z", "end": "2026-01-13T09:00:00Z"}
    (role,) = data["roles"]
    assert (role["role"], role["required"], role["gap_minutes"]) == (EPO, 1, 120.0)
    assert role["gaps"][0] == {
        "start": "2026-01-12T10:00:00Z",
        "end": "2026-01-12T11:00:00Z",
        "minutes": 60.0,
        "shortfall": 1,
        "on_call": 0,
    }
    assert {f["kind"] for f in data["findings"]} >= {"leave_clash"}
    assert set(data["findings"][0]) >= {"kind", "person", "start", "end", "detail"}
    assert set(data["fairness"][0]) >= {
        "person",
        "hours",
        "nights",
        "weekend_hours",
        "bank_holiday_hours",
    }


def test_next_and_longest_gap_helpers() -> None:
    rota = Rota(shifts=[shift("amy", 1, 2), shift("amy", 5, 24)])
    (role,) = check(rota, window=DAY).roles
    assert role.longest_gap is not None and role.longest_gap.minutes == 180
    next_gap = role.next_gap(at(1.5))
    assert next_gap is not None and next_gap.start == at(2)
    assert role.next_gap(at(5)) is None


# ------------------------------------------------------------------- brute-force oracles

PEOPLE = ["amy", "bob", "cat", "dan"]
ROLES = ["EPO", "CCTV"]


def _oracle_counts(rota: Rota, need: Requirement, instants: list[datetime]) -> dict[datetime, int]:
    """For each instant in the window and inside the requirement, how many count as cover."""
    tz_name = rota.timezone
    result = {}
    for instant in instants:
        if need.when is not None and not _inside_when(need.when, to_local(instant, tz_name)):
            continue
        on_call = set()
        for item in rota.shifts:
            if item.role != need.role or not (item.start <= instant < item.end):
                continue
            if any(lv.person == item.person and lv.start <= instant < lv.end for lv in rota.leave):
                continue
            person = rota.people.get(item.person)
            if rota.people and person is None:
                continue
            if need.qualification and (
                person is None or need.qualification not in person.qualifications
            ):
                continue
            on_call.add(item.person)
        result[instant] = len(on_call)
    return result


def _inside_when(when: TimeWindow, local: datetime) -> bool:
    clock = local.time().replace(tzinfo=None)
    today = WEEKDAYS[local.weekday()]
    yesterday = WEEKDAYS[(local.weekday() - 1) % 7]
    if when.start < when.end:
        return today in when.days and when.start <= clock < when.end
    # end <= start wraps past midnight; start == end is a whole day from start.
    return (today in when.days and clock >= when.start) or (
        yesterday in when.days and clock < when.end
    )


def _report_shortfalls(
    rota: Rota, need: Requirement, window: tuple[datetime, datetime], step: timedelta
) -> dict[datetime, int]:
    (role,) = check(rota, [need], window=window).roles
    result = {}
    for gap in role.gaps:
        instant = gap.start
        while instant < gap.end:
            result[instant] = gap.shortfall
            instant += step
    return result


@st.composite
def rotas(
    draw: st.DrawFn, unit: timedelta, span: int
) -> tuple[Rota, Requirement, tuple[datetime, datetime]]:
    base = draw(st.sampled_from([T0, datetime(2026, 7, 6, 22, 0, tzinfo=UTC)]))

    def instant() -> datetime:
        return base + unit * draw(st.integers(0, span))

    role = draw(st.sampled_from(ROLES))
    shifts = []
    for _ in range(draw(st.integers(0, 9))):
        start = instant()
        length = unit * draw(st.integers(1, span))
        shifts.append(
            Shift(
                draw(st.sampled_from(PEOPLE)),
                draw(st.sampled_from([role, role, role, *ROLES])),
                start,
                start + length,
                level=draw(st.integers(1, 3)),
            )
        )
    on_shift = [s.person for s in shifts] or PEOPLE
    leave = []
    for _ in range(draw(st.integers(0, 3))):
        start = instant()
        length = unit * draw(st.integers(1, span // 2))
        leave.append(Leave(draw(st.sampled_from(on_shift)), start, start + length))
    listed = draw(st.booleans())
    qualification = draw(st.sampled_from([None, "loggist"]))
    staff = (
        {
            p: Person(p, p, qualifications=("loggist",) if draw(st.booleans()) else ())
            for p in PEOPLE[:3]
        }
        if listed
        else {}
    )
    when = None
    if draw(st.booleans()):
        when = TimeWindow(
            days=tuple(draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, unique=True))),
            start=time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30]))),
            end=time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30]))),
        )
    need = Requirement(
        role,
        draw(st.integers(1, 3)),
        when=when,
        qualification=qualification,
    )
    low = base + unit * draw(st.integers(0, span // 4))
    window = (low, low + unit * draw(st.integers(1, span)))
    return Rota(people=staff, shifts=shifts, leave=leave), need, window


def _compare(
    rota: Rota, need: Requirement, window: tuple[datetime, datetime], step: timedelta
) -> None:
    instants = []
    instant = window[0]
    while instant < window[1]:
        instants.append(instant)
        instant += step
    counts = _oracle_counts(rota, need, instants)
    expected = {t: need.minimum - n for t, n in counts.items() if n < need.minimum}
    assert _report_shortfalls(rota, need, window, step) == expected
    (role,) = check(rota, [need], window=window).roles
    checked = len(counts) * step.total_seconds() / 60
    assert role.checked_minutes == pytest.approx(checked)
    assert role.gap_minutes == pytest.approx(len(expected) * step.total_seconds() / 60)


@settings(max_examples=150, deadline=None)
@given(rotas(timedelta(seconds=1), 1200))
def test_check_equals_a_second_by_second_oracle(
    case: tuple[Rota, Requirement, tuple[datetime, datetime]],
) -> None:
    _compare(*case, timedelta(seconds=1))


@settings(max_examples=60, deadline=None)
@given(rotas(timedelta(minutes=1), 3 * 24 * 60))
def test_check_equals_a_minute_by_minute_oracle_over_days(
    case: tuple[Rota, Requirement, tuple[datetime, datetime]],
) -> None:
    _compare(*case, timedelta(minutes=1))
