"""Working Time Regulations findings, the local consecutive-days limit, and fairness."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from standby.rota.clock import resolve_local, zone
from standby.rota.coverage import check
from standby.rota.fairness import fairness_rows, role_spread
from standby.rota.model import Finding, Leave, Rota, Shift
from standby.rota.rules import RoleRules, working_time_findings

LONDON = zone("Europe/London")
EPO = "Duty Emergency Planning Officer"
MONDAY = date(2026, 1, 5)


def local(day: date, hour: int = 0) -> datetime:
    return resolve_local(datetime.combine(day, time(hour)), LONDON)


def daily(
    person: str, first: date, days: int, start: int, hours: int, role: str = EPO
) -> list[Shift]:
    """``days`` consecutive shifts from ``start`` o'clock, ``hours`` long."""
    out = []
    for n in range(days):
        begin = local(first + timedelta(days=n), start)
        out.append(Shift(person, role, begin, begin + timedelta(hours=hours)))
    return out


def weekdays(person: str, weeks: int, start: int, hours: int) -> list[Shift]:
    out = []
    for week in range(weeks):
        out += daily(person, MONDAY + timedelta(weeks=week), 5, start, hours)
    return out


def findings(rota: Rota, rules: dict[str, RoleRules] | None = None) -> list[Finding]:
    starts = [s.start for s in rota.shifts]
    ends = [s.end for s in rota.shifts]
    return working_time_findings(rota, (min(starts), max(ends)), rules)


def regs(found: list[Finding]) -> list[str]:
    return [f.detail.split(":")[0] for f in found]


def test_findings_are_of_kind_working_time() -> None:
    found = findings(Rota(shifts=daily("amy", MONDAY, 2, 8, 8) + daily("amy", MONDAY, 1, 1, 1)))
    assert found and {f.kind for f in found} == {"working_time"}


def test_reg_10_two_shifts_with_only_9_hours_rest_between() -> None:
    shifts = [
        Shift("amy", EPO, local(MONDAY, 6), local(MONDAY, 14)),
        Shift("amy", EPO, local(MONDAY, 23), local(MONDAY + timedelta(1), 7)),
    ]
    (finding,) = findings(Rota(shifts=shifts))
    assert finding.detail.startswith("reg 10 daily rest: 25.0 h of work with no 11 h break")
    assert (finding.start, finding.end) == (shifts[0].start, shifts[1].end)


def test_reg_10_is_met_with_11_hours_rest_between_shifts() -> None:
    shifts = daily("amy", MONDAY, 5, 8, 13)  # 13 h on, 11 h off
    assert findings(Rota(shifts=shifts)) == []


def test_reg_11_fourteen_days_without_a_day_off() -> None:
    found = findings(Rota(shifts=daily("amy", MONDAY, 14, 8, 12)))
    assert regs(found) == ["reg 11 weekly rest"]


def test_reg_11_seven_days_in_a_row_meet_the_fortnightly_alternative() -> None:
    assert findings(Rota(shifts=daily("amy", MONDAY, 7, 8, 12))) == []


def test_reg_4_sixty_hours_a_week_for_17_weeks() -> None:
    found = findings(Rota(shifts=weekdays("amy", 17, 8, 12)))
    assert regs(found) == ["reg 4 weekly limit"]
    assert "60.0 h a week on average over 17.0 weeks" in found[0].detail


def test_reg_4_a_short_rota_counts_the_unseen_weeks_as_time_off() -> None:
    assert findings(Rota(shifts=weekdays("amy", 2, 8, 12))) == []


def test_reg_6_night_worker_averaging_over_8_hours_a_day() -> None:
    found = findings(Rota(shifts=weekdays("amy", 17, 20, 12)))
    assert sorted(regs(found)) == ["reg 4 weekly limit", "reg 6 night work"]
    night = next(f for f in found if f.detail.startswith("reg 6"))
    assert "10.0 h per 24 hours" in night.detail


def test_day_worker_is_not_checked_against_the_night_limit() -> None:
    found = findings(Rota(shifts=weekdays("amy", 17, 8, 12)))
    assert "reg 6 night work" not in regs(found)


def test_role_where_on_call_is_not_work_gives_no_findings() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 14, 0, 24))
    assert findings(rota) != []
    assert findings(rota, {EPO: RoleRules(counts_as_work=False)}) == []


def test_consecutive_days_limit_on_daily_0900_handovers() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 10, 9, 24))
    rules = {EPO: RoleRules(counts_as_work=False, max_consecutive_days=7)}
    (finding,) = findings(rota, rules)
    assert finding.detail == f"local limit: on call 10 consecutive days for {EPO} (limit 7)"
    assert finding.role == EPO


def test_weekly_monday_handover_is_seven_days_not_eight() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 1, 9, 24 * 7))
    rules = {EPO: RoleRules(counts_as_work=False, max_consecutive_days=7)}
    assert findings(rota, rules) == []
    rules = {EPO: RoleRules(counts_as_work=False, max_consecutive_days=6)}
    assert "7 consecutive days" in findings(rota, rules)[0].detail


def test_findings_outside_the_window_are_left_out() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 14, 8, 12))
    window = (local(date(2026, 6, 1)), local(date(2026, 6, 2)))
    assert working_time_findings(rota, window) == []


def test_check_includes_working_time_findings_and_honours_role_rules() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 14, 0, 24))
    assert any(f.kind == "working_time" for f in check(rota).findings)
    quiet = check(rota, role_rules={EPO: RoleRules(counts_as_work=False)})
    assert not any(f.kind == "working_time" for f in quiet.findings)


# ---------------------------------------------------------------------------- fairness


def test_christmas_2026_hours_weekend_bank_holiday_and_nights() -> None:
    # Friday 25 Dec 00:00 to Tuesday 29 Dec 00:00 (GMT): 96 h; Sat and Sun are the weekend;
    # the 25th and Monday the 28th (Boxing Day's substitute) are the bank holidays.
    shift = Shift("amy", EPO, local(date(2026, 12, 25)), local(date(2026, 12, 29)))
    (row,) = fairness_rows(Rota(shifts=[shift]), (shift.start, shift.end))
    assert (row.hours, row.weekend_hours, row.bank_holiday_hours) == (96.0, 48.0, 48.0)
    # Nights (23:00-06:00) of the 24th (6 h of it), 25th, 26th, 27th; the 28th has 1 h.
    assert row.nights == 4


def test_bank_holiday_hours_follow_the_region() -> None:
    shift = Shift("amy", EPO, local(date(2026, 1, 2)), local(date(2026, 1, 3)))
    window = (shift.start, shift.end)
    (england,) = fairness_rows(Rota(shifts=[shift]), window)
    (scotland,) = fairness_rows(Rota(shifts=[shift]), window, region="scotland")
    assert (england.bank_holiday_hours, scotland.bank_holiday_hours) == (0.0, 24.0)


def test_hours_are_elapsed_on_the_autumn_change_day() -> None:
    shift = Shift("amy", EPO, local(date(2026, 10, 24), 9), local(date(2026, 10, 25), 9))
    (row,) = fairness_rows(Rota(shifts=[shift]), (shift.start, shift.end))
    assert row.hours == 25.0
    assert row.weekend_hours == 25.0


def test_overlapping_shifts_count_once_and_leave_is_taken_off() -> None:
    start = local(date(2026, 2, 2))
    rota = Rota(
        shifts=[
            Shift("amy", EPO, start, start + timedelta(hours=10)),
            Shift("amy", "CCTV", start + timedelta(hours=5), start + timedelta(hours=12)),
        ],
        leave=[Leave("amy", start + timedelta(hours=1), start + timedelta(hours=2))],
    )
    (row,) = fairness_rows(rota, (start, start + timedelta(days=1)))
    assert row.hours == 11.0


def test_role_spread_min_max_mean_and_stdev_of_hours() -> None:
    start = datetime(2026, 2, 2, tzinfo=UTC)
    rota = Rota(
        shifts=[
            Shift("amy", EPO, start, start + timedelta(hours=10)),
            Shift("bob", EPO, start, start + timedelta(hours=30)),
            Shift("cat", "CCTV", start, start + timedelta(hours=5)),
        ]
    )
    spread = {s.role: s for s in role_spread(rota, (start, start + timedelta(days=2)))}
    epo = spread[EPO]
    assert (epo.people, epo.min_hours, epo.max_hours, epo.mean_hours) == (2, 10.0, 30.0, 20.0)
    assert epo.stdev_hours == pytest.approx(10.0)
    assert spread["CCTV"].stdev_hours == 0.0
