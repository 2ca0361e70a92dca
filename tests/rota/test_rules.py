"""Working Time Regulations findings, the local consecutive-days limit, and fairness."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from standby.rota.clock import resolve_local, zone
from standby.rota.coverage import check
from standby.rota.fairness import fairness_rows, role_spread
from standby.rota.model import Callout, Finding, Leave, Person, Rota, Shift
from standby.rota.patterns import parse_day_job
from standby.rota.rules import RoleRules, WorkingTime, working_time_findings
from standby.rota.work import work_pieces

LONDON = zone("Europe/London")
EPO = "Duty Emergency Planning Officer"
MONDAY = date(2026, 1, 5)


def local(day: date, hour: int = 0) -> datetime:
    """``hour`` o'clock local on ``day``; 24 or more runs into the following days."""
    return resolve_local(datetime.combine(day, time(0)) + timedelta(hours=hour), LONDON)


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


def test_findings_are_of_kind_working_time_and_name_their_rule() -> None:
    found = findings(Rota(shifts=daily("amy", MONDAY, 2, 8, 8) + daily("amy", MONDAY, 1, 1, 1)))
    assert found and {f.kind for f in found} == {"working_time"}
    assert all(f.detail.startswith(f"{f.rule} ") for f in found)


# ---------------------------------------------------------------------------- reg 10


def test_reg_10_two_shifts_with_only_9_hours_rest_between() -> None:
    shifts = [
        Shift("amy", EPO, local(MONDAY, 6), local(MONDAY, 14)),
        Shift("amy", EPO, local(MONDAY, 23), local(MONDAY + timedelta(1), 7)),
    ]
    (finding,) = findings(Rota(shifts=shifts))
    assert finding.detail.startswith("reg 10 daily rest: 25.0 h of work with no 11 h break")
    assert "longest rest 9.0 h" in finding.detail
    assert (finding.start, finding.end) == (shifts[0].start, shifts[1].end)
    assert (finding.rule, finding.excess) == ("reg 10", pytest.approx(2.0))


def test_reg_10_is_met_with_11_hours_rest_between_shifts() -> None:
    shifts = daily("amy", MONDAY, 5, 8, 13)  # 13 h on, 11 h off, Monday to Friday
    assert findings(Rota(shifts=shifts)) == []


# ------------------------------------------------------------------- day job, call-outs

DAY_JOB = parse_day_job("mon-fri 09:00-12:30, 13:00-17:00")


def day_job_rota(*callouts: Callout, standby: list[Shift] | None = None) -> Rota:
    """Amy works 09:00-17:00 (lunch 12:30-13:00) and is on stand-by from home at night."""
    return Rota(
        people={"amy": Person("amy", "Amy Lee", day_job=DAY_JOB)},
        shifts=standby if standby is not None else daily("amy", MONDAY, 5, 17, 16),
        callouts=list(callouts),
    )


REST = {EPO: RoleRules(standby="rest")}


def test_a_day_job_and_stand_by_at_home_break_nothing() -> None:
    rota = day_job_rota()
    assert working_time_findings(rota, (local(MONDAY), local(MONDAY, 24 * 7)), REST) == []


def test_a_night_call_out_after_the_day_job_breaks_the_daily_rest() -> None:
    tuesday = MONDAY + timedelta(days=1)
    callout = Callout("amy", local(tuesday, 2), local(tuesday, 4), role=EPO)
    found = working_time_findings(
        day_job_rota(callout), (local(MONDAY), local(MONDAY, 24 * 7)), REST
    )
    (finding,) = found
    # Monday 09:00 to Tuesday 17:00: rest 17:00-02:00 (9 h) and 04:00-09:00 (5 h) only.
    assert finding.rule == "reg 10"
    assert (finding.start, finding.end) == (local(MONDAY, 9), local(tuesday, 17))
    assert finding.detail.startswith(
        "reg 10 daily rest: 32.0 h of work with no 11 h break (day job, call-out, "
        "Mon 05 Jan 2026 09:00 to Tue 06 Jan 2026 17:00; longest rest 9.0 h"
    )
    assert finding.excess == pytest.approx(2.0)


def test_the_day_job_is_not_worked_on_bank_holidays_or_leave() -> None:
    week = (local(date(2026, 3, 30)), local(date(2026, 4, 6)))  # Good Friday is 3 April
    rota = Rota(
        people={"amy": Person("amy", "Amy Lee", day_job=parse_day_job("mon-fri 09:00-17:00"))},
        leave=[Leave("amy", local(date(2026, 3, 31)), local(date(2026, 4, 1)))],
    )
    pieces = work_pieces(rota, {}, week)["amy"]
    assert [(p.start, p.end, p.kind) for p in pieces] == [
        (local(date(2026, 3, 30), 9), local(date(2026, 3, 30), 17), "day job"),
        (local(date(2026, 4, 1), 9), local(date(2026, 4, 1), 17), "day job"),
        (local(date(2026, 4, 2), 9), local(date(2026, 4, 2), 17), "day job"),
    ]


def test_reg_12_a_day_job_without_a_break_and_with_one() -> None:
    plain = Rota(people={"amy": Person("amy", "A", day_job=parse_day_job("mon 09:00-17:00"))})
    found = working_time_findings(plain, (local(MONDAY), local(MONDAY, 24)))
    (finding,) = found
    assert finding.rule == "reg 12" and finding.excess == pytest.approx(2.0)
    assert finding.detail.startswith("reg 12 rest break: 8.0 h of work with no 20-minute break")
    lunch = Rota(
        people={"amy": Person("amy", "A", day_job=parse_day_job("mon 09:00-13:00, 13:20-17:00"))}
    )
    assert working_time_findings(lunch, (local(MONDAY), local(MONDAY, 24))) == []


def test_reg_12_is_checked_only_where_day_job_hours_are_known() -> None:
    rota = Rota(shifts=[Shift("amy", EPO, local(MONDAY, 9), local(MONDAY, 17))])
    assert findings(rota) == []


# ---------------------------------------------------------------------------- stand-by


@pytest.mark.parametrize(
    ("rules", "counts"),
    [
        (RoleRules(), True),
        (RoleRules(standby="rest"), False),
        (RoleRules(standby="work"), True),
        (RoleRules(standby="by_response_time", response_minutes=8), True),  # Matzak
        (RoleRules(standby="by_response_time", response_minutes=10), False),  # C-214/20
        (RoleRules(standby="by_response_time", response_minutes=30), False),
        (RoleRules(standby="by_response_time", response_minutes=30, callouts_per_week=7), True),
        (RoleRules(standby="by_response_time", response_minutes=30, callouts_per_week=2), False),
    ],
)
def test_how_stand_by_counts(rules: RoleRules, counts: bool) -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 14, 0, 24))
    assert rules.counts_as_work is counts
    assert bool(findings(rota, {EPO: rules})) is counts


def test_call_outs_are_work_even_when_stand_by_is_rest() -> None:
    tuesday = MONDAY + timedelta(days=1)
    rota = Rota(
        shifts=daily("amy", MONDAY, 7, 9, 24),
        callouts=[
            Callout("amy", local(MONDAY, 10), local(MONDAY, 20)),
            Callout("amy", local(tuesday, 1), local(tuesday, 5)),
        ],
    )
    (finding,) = working_time_findings(rota, (local(MONDAY), local(MONDAY, 24 * 7)), REST)
    assert finding.rule == "reg 10"
    assert "call-out" in finding.detail and "longest rest 5.0 h" in finding.detail


# ---------------------------------------------------------------------------- reg 11


def test_reg_11_seven_days_in_one_week_without_24_hours_off() -> None:
    (finding,) = findings(Rota(shifts=daily("amy", MONDAY, 7, 8, 12)))
    assert finding.rule == "reg 11"
    assert (finding.start, finding.end) == (local(MONDAY), local(MONDAY + timedelta(7)))
    assert finding.detail == (
        "reg 11 weekly rest: week from Mon 05 Jan 2026: longest rest 12.0 h; needs 24 h "
        "uninterrupted in each 7 days plus the 11 h daily rest (reg 11(7))"
    )
    assert finding.excess == pytest.approx(35 - 12)


def test_reg_11_the_fortnightly_option_allows_seven_days_but_not_fourteen() -> None:
    fortnightly = {EPO: RoleRules(weekly_rest="fortnightly")}
    assert findings(Rota(shifts=daily("amy", MONDAY, 7, 8, 12)), fortnightly) == []
    (finding,) = findings(Rota(shifts=daily("amy", MONDAY, 14, 8, 12)), fortnightly)
    assert finding.detail.startswith(
        "reg 11 weekly rest: fortnight from Mon 05 Jan 2026: longest rests 12.0 h and 12.0 h"
    )


def test_reg_11_7_a_30_hour_rest_is_not_24_hours_plus_the_daily_rest() -> None:
    # Monday to Thursday 08:00-20:00, Saturday 02:00-14:00, Sunday 08:00-20:00: the
    # longest rest is Thursday 20:00 to Saturday 02:00, 30 h.
    saturday, sunday = MONDAY + timedelta(5), MONDAY + timedelta(6)
    shifts = daily("amy", MONDAY, 4, 8, 12) + daily("amy", saturday, 1, 2, 12)
    shifts += daily("amy", sunday, 1, 8, 12)
    (finding,) = [f for f in findings(Rota(shifts=shifts)) if f.rule == "reg 11"]
    assert "longest rest 30.0 h" in finding.detail
    waived = {EPO: RoleRules(weekly_rest_may_include_daily_rest=True)}
    assert [f for f in findings(Rota(shifts=shifts), waived) if f.rule == "reg 11"] == []


# ---------------------------------------------------------------------------- reg 4, 6


def test_reg_4_sixty_hours_a_week_for_17_weeks() -> None:
    found = findings(Rota(shifts=weekdays("amy", 17, 8, 12)))
    assert regs(found) == ["reg 4 weekly limit"]
    assert "60.0 h a week on average over 17 weeks" in found[0].detail
    assert found[0].excess == pytest.approx(12.0)


def test_reg_4_a_short_rota_counts_the_unseen_weeks_as_time_off() -> None:
    assert findings(Rota(shifts=weekdays("amy", 2, 8, 12))) == []


def fifty_hour_weeks_with_a_week_of_leave() -> Rota:
    """18 weeks of 10 h weekdays (50 h a week), the third week on leave."""
    leave_start = MONDAY + timedelta(weeks=2)
    shifts = [
        s
        for s in weekdays("amy", 18, 8, 10)
        if not leave_start <= s.start.date() < leave_start + timedelta(7)
    ]
    leave = [Leave("amy", local(leave_start), local(leave_start + timedelta(days=5)))]
    return Rota(shifts=shifts, leave=leave)


def test_reg_4_leave_days_are_replaced_by_the_days_worked_after_the_period() -> None:
    # Weeks 1-17 hold 16 weeks of 50 h (800 h) and 5 leave days; the 5 days worked after
    # the period (week 18, 50 h) are added: (800 + 50) / 17 = 50.0 h. Without the rule the
    # average would be 800 / 17 = 47.1 h, under the limit.
    (finding,) = findings(fifty_hour_weeks_with_a_week_of_leave())
    assert finding.rule == "reg 4"
    assert finding.detail.startswith("reg 4 weekly limit: 50.0 h a week on average over 17 weeks")
    assert "5 leave day(s) in the period replaced by the first 5 day(s) worked after it" in (
        finding.detail
    )


def test_reg_4_a_26_week_reference_period_where_reg_21_applies() -> None:
    # 17 weeks of 50 h over 26 weeks (the rota's other 8 count as time off): 32.7 h.
    rules = {EPO: RoleRules(reference_weeks=26)}
    assert findings(fifty_hour_weeks_with_a_week_of_leave(), rules) == []


def test_reg_6_night_worker_averaging_over_8_hours_a_day() -> None:
    found = findings(Rota(shifts=weekdays("amy", 17, 20, 12)))
    assert sorted(regs(found)) == ["reg 4 weekly limit", "reg 6 night work"]
    night = next(f for f in found if f.rule == "reg 6")
    # 85 nights of 12 h = 1020 h over 119 days less 17 weekly rest days: 10.0 h.
    assert "10.0 h per 24 hours" in night.detail


def test_day_worker_is_not_checked_against_the_night_limit() -> None:
    found = findings(Rota(shifts=weekdays("amy", 17, 8, 12)))
    assert "reg 6 night work" not in regs(found)


def nights_every(weeks_apart: int) -> Rota:
    """A Wednesday day shift every week, and a 20:00-06:00 night every ``weeks_apart`` weeks."""
    shifts = [
        Shift(
            "amy",
            "Depot",
            local(MONDAY + timedelta(weeks=w, days=2), 9),
            local(MONDAY + timedelta(weeks=w, days=2), 17),
        )
        for w in range(12)
    ]
    shifts += [
        Shift(
            "amy",
            "COMAH site liaison",
            local(MONDAY + timedelta(weeks=w), 20),
            local(MONDAY + timedelta(weeks=w, days=1), 6),
        )
        for w in range(0, 12, weeks_apart)
    ]
    return Rota(shifts=shifts)


HAZARD = {"COMAH site liaison": RoleRules(hazardous_night_work=True)}


def test_reg_6_7_hazardous_nights_for_a_worker_on_nights_one_week_in_three() -> None:
    found = [f for f in findings(nights_every(3), HAZARD) if f.rule == "reg 6(7)"]
    # Nights in weeks 1, 4, 7 and 10 of 12 (a third of the weeks worked, as in ex p Burns):
    # 10 h of work in the 24 hours from each night's start.
    assert [f.start for f in found] == [
        local(MONDAY + timedelta(weeks=w), 20) for w in (0, 3, 6, 9)
    ]
    assert all(f.excess == pytest.approx(2.0) for f in found)
    assert found[0].detail.startswith(
        "reg 6(7) hazardous night work: 10.0 h of work in the 24 hours"
    )


def test_nights_one_week_in_four_are_not_night_work_as_a_normal_course() -> None:
    # Weeks 1, 5 and 9 of 12: fewer than a third of the weeks worked.
    assert [f for f in findings(nights_every(4), HAZARD) if f.rule == "reg 6(7)"] == []


# ---------------------------------------------------------------------------- candidates


def test_a_candidate_shift_is_checked_against_the_persons_existing_work() -> None:
    rota = day_job_rota(standby=[])
    rules = {EPO: RoleRules()}  # stand-by in this role is work
    check = WorkingTime(rota, rules, window=(local(MONDAY), local(MONDAY, 24 * 7)))
    assert check.person_findings("amy") == []
    night = Shift("amy", EPO, local(MONDAY, 20), local(MONDAY, 32))  # Monday 20:00-08:00
    # 09:00 Monday to 08:00 Tuesday with 3 h off: no 11 h rest, and 12 h with no break.
    assert sorted(f.rule or "" for f in check.candidate_findings(night)) == ["reg 10", "reg 12"]
    # Sunday 18:00-22:00: 49 h off since Friday and 11 h before Monday's day job.
    sunday = Shift("amy", EPO, local(MONDAY + timedelta(6), 18), local(MONDAY + timedelta(6), 22))
    assert check.candidate_findings(sunday) == []


# ---------------------------------------------------------------------------- local limit


def test_role_where_on_call_is_not_work_gives_no_findings() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 14, 0, 24))
    assert findings(rota) != []
    assert findings(rota, {EPO: RoleRules(standby="rest")}) == []


def test_consecutive_days_limit_on_daily_0900_handovers() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 10, 9, 24))
    rules = {EPO: RoleRules(standby="rest", max_consecutive_days=7)}
    (finding,) = findings(rota, rules)
    assert finding.detail == f"local limit: on call 10 consecutive days for {EPO} (limit 7)"
    assert finding.role == EPO and finding.excess == 3.0


def test_weekly_monday_handover_is_seven_days_not_eight() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 1, 9, 24 * 7))
    rules = {EPO: RoleRules(standby="rest", max_consecutive_days=7)}
    assert findings(rota, rules) == []
    rules = {EPO: RoleRules(standby="rest", max_consecutive_days=6)}
    assert "7 consecutive days" in findings(rota, rules)[0].detail


def test_findings_outside_the_window_are_left_out() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 14, 8, 12))
    window = (local(date(2026, 6, 1)), local(date(2026, 6, 2)))
    assert working_time_findings(rota, window) == []


def test_check_includes_working_time_findings_and_honours_role_rules() -> None:
    rota = Rota(shifts=daily("amy", MONDAY, 14, 0, 24))
    assert any(f.kind == "working_time" for f in check(rota).findings)
    quiet = check(rota, role_rules={EPO: RoleRules(standby="rest")})
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
