"""`rota.fill`: hand-built rotas whose answers are known, worked out by hand in each test.

Times are written in UTC (``Z``) where the answer is checked; in January and February
local time in London is UTC, in summer UTC + 1.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from standby.rota.fill import fill
from standby.rota.model import (
    FillWeights,
    Leave,
    Person,
    Requirement,
    RoleRules,
    Rota,
    Shift,
    TimeWindow,
)

REST = RoleRules(standby="rest")
SAMPLE = Path(__file__).resolve().parents[2] / "rota" / "data"


def z(text: str) -> datetime:
    """``2026-01-13 09:00`` as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def people(*entries: tuple[str, str, tuple[str, ...], tuple[str, ...]]) -> dict[str, Person]:
    return {pid: Person(pid, name, roles, quals) for pid, name, roles, quals in entries}


# ------------------------------------------------------------------------------ one fits


def _one_free_rota() -> Rota:
    # Ann is on call before the gap and Cal after it; Ann is on the CCTV desk during the
    # gap and Cal on leave, so Bea is the only one who can take Tue 09:00 to Wed 09:00.
    return Rota(
        people=people(
            ("ann", "Ann Ash", ("Duty Officer", "CCTV"), ()),
            ("bea", "Bea Birch", ("Duty Officer",), ()),
            ("cal", "Cal Cole", ("Duty Officer",), ()),
        ),
        shifts=[
            Shift("ann", "Duty Officer", z("2026-01-12 09:00"), z("2026-01-13 09:00")),
            Shift("ann", "CCTV", z("2026-01-13 08:00"), z("2026-01-13 20:00")),
            Shift("cal", "Duty Officer", z("2026-01-14 09:00"), z("2026-01-15 09:00")),
        ],
        leave=[Leave("cal", z("2026-01-13 00:00"), z("2026-01-14 09:00"))],
    )


def test_a_gap_only_one_person_can_take_goes_to_them_over_the_gap_exactly() -> None:
    rota = _one_free_rota()
    window = (z("2026-01-12 09:00"), z("2026-01-15 09:00"))
    proposal = fill(
        rota, [Requirement("Duty Officer", 1)], window, role_rules={"Duty Officer": REST}
    )
    assert [(s.person, s.role, s.start, s.end, s.level, s.mode) for s in proposal.proposed] == [
        ("bea", "Duty Officer", z("2026-01-13 09:00"), z("2026-01-14 09:00"), 1, "add")
    ]
    assert proposal.proposed[0].why.startswith("the only one")
    assert proposal.all_filled and proposal.new_findings == ()
    assert proposal.status == "optimal"
    assert len(proposal.before.gaps) == 1 and not proposal.after.gaps


# ------------------------------------------------------------------------------ rules


def test_a_gap_only_a_rule_breaking_assignment_could_fill_is_left_with_that_reason() -> None:
    # Dee works 08:00-18:00 on Monday and Tuesday (stand-by is work); the night between
    # would make 34 hours without 11 hours' rest, and nobody else holds the role.
    rota = Rota(
        people=people(("dee", "Dee Lane", ("Duty Officer",), ())),
        shifts=[
            Shift("dee", "Duty Officer", z("2026-01-12 08:00"), z("2026-01-12 18:00")),
            Shift("dee", "Duty Officer", z("2026-01-13 08:00"), z("2026-01-13 18:00")),
        ],
    )
    window = (z("2026-01-12 08:00"), z("2026-01-13 18:00"))
    proposal = fill(rota, [Requirement("Duty Officer", 1)], window)
    assert proposal.proposed == ()
    assert [item.reason for item in proposal.unfilled] == [
        "Duty Officer, Mon 12 Jan 2026 18:00 to Tue 13 Jan 08:00 GMT: nobody can take it: "
        "one would break the 11-hour daily rest (reg 10) (Dee Lane); nobody else holds the role"
    ]
    assert not proposal.all_filled


def test_a_week_that_breaks_the_consecutive_day_limit_whole_is_split_at_the_handover() -> None:
    # Eve had last week (Mon 09:00 to Mon 09:00); this week's officer is on leave. With a
    # limit of 7 consecutive days Eve cannot take the whole week, and Fay is away from
    # Thursday 09:00, so the week is split at the daily 09:00 handover: Fay Mon-Thu, Eve
    # from Thursday (her last day on call was 10 days before).
    officer = RoleRules(standby="rest", max_consecutive_days=7)
    rota = Rota(
        people=people(
            ("eve", "Eve Moss", ("Duty Officer",), ()),
            ("fay", "Fay Nash", ("Duty Officer",), ()),
            ("gil", "Gil Ord", ("Duty Officer",), ()),
        ),
        shifts=[
            Shift("eve", "Duty Officer", z("2026-01-05 09:00"), z("2026-01-12 09:00")),
            Shift("gil", "Duty Officer", z("2026-01-12 09:00"), z("2026-01-19 09:00")),
        ],
        leave=[
            Leave("gil", z("2026-01-12 00:00"), z("2026-01-19 09:00")),
            Leave("fay", z("2026-01-15 09:00"), z("2026-01-20 00:00")),
        ],
    )
    window = (z("2026-01-12 09:00"), z("2026-01-19 09:00"))
    proposal = fill(
        rota, [Requirement("Duty Officer", 1)], window, role_rules={"Duty Officer": officer}
    )
    assert proposal.all_filled and proposal.new_findings == ()
    shifts = sorted((s.start, s.end, s.person) for s in proposal.proposed)
    assert shifts[0] == (z("2026-01-12 09:00"), z("2026-01-15 09:00"), "fay")
    assert shifts[-1][1] == z("2026-01-19 09:00") and shifts[-1][2] == "eve"
    # Eve on call Jan 5-12 and again from the 15th: a break of two whole days.
    assert all(s.start >= z("2026-01-15 09:00") for s in proposal.proposed if s.person == "eve")


# ------------------------------------------------------------------------------ who may


def _loggist_rota(gus_busy: bool) -> Rota:
    shifts = [Shift("hal", "Duty Officer", z("2026-01-12 09:00"), z("2026-01-13 09:00"))]
    if gus_busy:
        shifts.append(Shift("gus", "Rest Centre", z("2026-01-13 08:00"), z("2026-01-14 08:00")))
    return Rota(
        people=people(
            ("eva", "Eva Ray", ("Duty Officer",), ("Loggist",)),
            ("fin", "Fin Roe", ("Duty Officer",), ()),
            ("gus", "Gus Rye", ("Duty Officer", "Rest Centre"), ("Loggist",)),
            ("hal", "Hal Rix", ("Duty Officer",), ("Loggist",)),
        ),
        shifts=shifts,
        leave=[Leave("eva", z("2026-01-13 00:00"), z("2026-01-15 00:00"))],
    )


def test_leave_qualifications_and_other_cover_are_respected() -> None:
    need = [Requirement("Duty Officer", 1, qualification="Loggist")]
    window = (z("2026-01-12 09:00"), z("2026-01-13 21:00"))
    rules = {"Duty Officer": REST, "Rest Centre": REST}
    free = fill(_loggist_rota(gus_busy=False), need, window, role_rules=rules)
    # Hal is on call before and could carry on, but Gus has fewer hours (0 against 24).
    assert [(s.person, s.start, s.end) for s in free.proposed] == [
        ("gus", z("2026-01-13 09:00"), z("2026-01-13 21:00"))
    ]
    busy = fill(_loggist_rota(gus_busy=True), need, window, role_rules=rules)
    assert [(s.person, s.start, s.end) for s in busy.proposed] == [
        ("hal", z("2026-01-13 09:00"), z("2026-01-13 21:00"))
    ]
    assert busy.all_filled and busy.new_findings == ()


def test_the_reason_names_each_holder_by_the_first_rule_that_rules_them_out() -> None:
    rota = _loggist_rota(gus_busy=True)
    rota.leave.append(Leave("hal", z("2026-01-13 09:00"), z("2026-01-14 00:00")))
    need = [Requirement("Duty Officer", 1, qualification="Loggist")]
    window = (z("2026-01-13 09:00"), z("2026-01-13 21:00"))
    proposal = fill(rota, need, window, role_rules={"Duty Officer": REST, "Rest Centre": REST})
    assert [item.reason for item in proposal.unfilled] == [
        "Duty Officer, Tue 13 Jan 2026 09:00 to 21:00 GMT: nobody can take it: one does not "
        "hold Loggist (Fin Roe); two are on leave (Eva Ray, Hal Rix); one is on call then "
        "(Gus Rye); nobody else holds the role"
    ]


# ------------------------------------------------------------------------------ fairness


def _weekday_days(person: str, first: str, count: int, hours: int = 12) -> list[Shift]:
    """``count`` weekday shifts from 08:00 (``hours`` long), from date ``first`` on."""
    shifts, day = [], z(f"{first} 08:00")
    while len(shifts) < count:
        if day.weekday() < 5:
            shifts.append(Shift(person, "Duty Officer", day, day + timedelta(hours=hours)))
        day += timedelta(days=1)
    return shifts


def _fairness_rota() -> Rota:
    # January so far: Ivy 10 day shifts of 12 h (120 h), Jon 8 of them and one of 6 h
    # (102 h). No nights, weekends or bank holidays: only hours differ.
    return Rota(
        people=people(
            ("ivy", "Ivy Kerr", ("Duty Officer",), ()), ("jon", "Jon Lamb", ("Duty Officer",), ())
        ),
        shifts=[
            *_weekday_days("ivy", "2026-01-05", 10),
            *_weekday_days("jon", "2026-01-19", 8),
            *_weekday_days("jon", "2026-01-29", 1, hours=6),
        ],
    )


DAYTIME = TimeWindow(("mon", "tue", "wed", "thu", "fri"), time(8, 0), time(20, 0))


def test_one_gap_goes_to_the_less_busy_person_not_the_busiest() -> None:
    window = (z("2026-02-04 00:00"), z("2026-02-05 00:00"))  # Wednesday 08:00-20:00
    proposal = fill(
        _fairness_rota(),
        [Requirement("Duty Officer", 1, when=DAYTIME)],
        window,
        role_rules={"Duty Officer": REST},
    )
    assert [s.person for s in proposal.proposed] == ["jon"]
    assert proposal.proposed[0].why.startswith("fewest hours in the role this year")


def test_fairness_spreads_three_gaps_two_to_the_less_busy_and_one_to_the_busiest() -> None:
    # Three 12 h gaps. Jon taking k of them: loads 102 + 12k and 120 + 12(3 - k); sums of
    # squares 34740, 33732, 33300 and 33444 for k = 0..3, least at k = 2.
    window = (z("2026-02-04 00:00"), z("2026-02-07 00:00"))  # Wed, Thu, Fri
    proposal = fill(
        _fairness_rota(),
        [Requirement("Duty Officer", 1, when=DAYTIME)],
        window,
        role_rules={"Duty Officer": REST},
    )
    taken = sorted(s.person for s in proposal.proposed)
    assert taken == ["ivy", "jon", "jon"]
    hours = {(s.role, s.measure): (s.before_stdev, s.after_stdev) for s in proposal.spreads}
    # Before: 120 and 102 h, a spread of 9 h; after 132 and 126 h, 3 h.
    assert hours[("Duty Officer", "hours")] == pytest.approx((9.0, 3.0))
    assert proposal.status == "optimal"


def _night_rota() -> Rota:
    # Kit has done 5 day shifts (60 h, no nights), Lou 4 nights 20:00-08:00 (48 h).
    nights = [
        Shift("lou", "Duty Officer", z(f"2026-01-{d:02d} 20:00"), z(f"2026-01-{d + 1:02d} 08:00"))
        for d in (5, 6, 7, 8)
    ]
    return Rota(
        people=people(
            ("kit", "Kit Marr", ("Duty Officer",), ()), ("lou", "Lou Nye", ("Duty Officer",), ())
        ),
        shifts=[*_weekday_days("kit", "2026-01-05", 5), *nights],
    )


def test_weights_decide_between_fewer_hours_and_fewer_nights() -> None:
    # The gap is Tuesday night 20:00-08:00: 12 h and one night. In quarter hours, hours
    # weight 1: Kit 2*240*48 + 48^2 = 25344, Lou 2*192*48 + 48^2 = 20736; nights weight 4:
    # Kit (4*4)^2 = 256, Lou 2*64*16 + 16^2 = 2304. Together Lou (23040) beats Kit (25600);
    # on nights alone Kit (256) beats Lou (2304).
    window = (z("2026-01-13 20:00"), z("2026-01-14 08:00"))
    need = [Requirement("Duty Officer", 1)]
    rules = {"Duty Officer": REST}
    default = fill(_night_rota(), need, window, role_rules=rules)
    nights_only = fill(_night_rota(), need, window, role_rules=rules, weights=FillWeights(hours=0))
    assert [s.person for s in default.proposed] == ["lou"]
    assert [s.person for s in nights_only.proposed] == ["kit"]


# ------------------------------------------------------------------------------ clocks


def _nights_and_days(missing: set[str]) -> Rota:
    """Days 08:00-20:00 and nights 20:00-08:00 local round both 2026 clock changes, taken
    in turn by four people; the slots named in ``missing`` (``2026-10-24 20:00``) left out."""
    from standby.rota.clock import resolve_local, zone

    tz = zone("Europe/London")
    names = ("mo", "ned", "ola", "pat")
    shifts = []
    for first in (datetime(2026, 3, 26), datetime(2026, 10, 22)):
        for step in range(12):
            start = first + timedelta(hours=8 + 12 * step)
            if f"{start:%Y-%m-%d %H:%M}" in missing:
                continue
            shifts.append(
                Shift(
                    names[step % 4],
                    "Duty Officer",
                    resolve_local(start, tz),
                    resolve_local(start + timedelta(hours=12), tz),
                )
            )
    return Rota(
        people={n: Person(n, n.title(), ("Duty Officer",)) for n in (*names, "quin")},
        shifts=shifts,
    )


@pytest.mark.parametrize(
    ("night", "start", "end", "hours"),
    [
        ("2026-10-24 20:00", "2026-10-24 19:00", "2026-10-25 08:00", 13.0),  # BST to GMT
        ("2026-03-28 20:00", "2026-03-28 20:00", "2026-03-29 07:00", 11.0),  # GMT to BST
    ],
)
def test_a_clock_change_night_is_filled_from_20_00_to_08_00_local(
    night: str, start: str, end: str, hours: float
) -> None:
    rota = _nights_and_days({night})
    window = (z(start) - timedelta(days=1), z(end) + timedelta(days=1))
    proposal = fill(rota, [Requirement("Duty Officer", 1)], window)
    assert [(s.start, s.end, s.hours) for s in proposal.proposed] == [(z(start), z(end), hours)]
    assert proposal.all_filled and proposal.new_findings == ()


def test_a_gap_across_the_autumn_change_is_cut_at_the_local_handovers() -> None:
    # Saturday night, Sunday and Sunday night left out: 20:00 BST Sat to 08:00 GMT Mon.
    # With stand-by as work nobody may take all 37 hours; the handovers are local 08:00
    # and 20:00, which are 19:00, 08:00 and 20:00 UTC across the change.
    rota = _nights_and_days({"2026-10-24 20:00", "2026-10-25 08:00", "2026-10-25 20:00"})
    window = (z("2026-10-24 00:00"), z("2026-10-27 00:00"))
    proposal = fill(rota, [Requirement("Duty Officer", 1)], window)
    handovers = {
        z("2026-10-24 19:00"),
        z("2026-10-25 08:00"),
        z("2026-10-25 20:00"),
        z("2026-10-26 08:00"),
    }
    assert proposal.proposed
    assert all(s.start in handovers and s.end in handovers for s in proposal.proposed)
    assert proposal.all_filled and proposal.new_findings == ()


# ------------------------------------------------------------------------------ the sample


@pytest.fixture(scope="module")
def sample() -> object:
    from standby.rota.api import fill_files

    return fill_files(
        SAMPLE / "council-2026.yaml",
        SAMPLE / "council-2026-requirements.yaml",
        "2026-01-01",
        "2027-01-01",
    )


def test_the_bundled_rotas_three_gaps_are_filled(sample: object) -> None:
    from standby.rota.api import RotaFill

    assert isinstance(sample, RotaFill)
    proposal = sample.proposal
    # The three gaps rota/data/README.md lists: the clock-change weekend's communications
    # cover, the senior manager's week while Nia Okoro is on leave (she is back on 1 Jan),
    # and Christmas night's duty officer primary.
    found = {(s.role, s.start, s.end, s.level) for s in proposal.proposed}
    assert found == {
        ("Communications On Call", z("2026-03-28 08:00"), z("2026-03-29 19:00"), 1),
        ("Duty Senior Manager", z("2026-12-25 09:00"), z("2027-01-01 00:00"), 1),
        ("Duty Emergency Planning Officer", z("2026-12-25 18:00"), z("2026-12-26 08:00"), 1),
    }
    manager = next(s for s in proposal.proposed if s.role == "Duty Senior Manager")
    # Marcus Dunmore had the week before (14 days would break the limit of 7), Nia is away.
    assert manager.person not in ("mdunmore", "nokoro")
    assert manager.mode == "replace" and manager.replaces == ("nokoro",)
    officer = next(s for s in proposal.proposed if s.role.startswith("Duty Emergency"))
    assert officer.person != "hbrightwell"  # the backup on call that night
    assert sample.all_filled and proposal.new_findings == ()
    assert not [f for f in proposal.after.findings if f.kind == "leave_clash"]
    assert [f.kind for f in proposal.before.findings if f.kind == "leave_clash"] == ["leave_clash"]


def test_explaining_names_the_binding_rule_for_each_holder() -> None:
    from standby.rota.api import check_files
    from standby.rota.io import read_requirements

    checked = check_files(
        SAMPLE / "council-2026.yaml",
        SAMPLE / "council-2026-requirements.yaml",
        "2026-12-21",
        "2027-01-01",
    )
    proposal = fill(
        checked.rota,
        read_requirements(SAMPLE / "council-2026-requirements.yaml"),
        (checked.report.start, checked.report.end),
        role_rules=checked.role_rules,
        explain=True,
    )
    manager = next(c for c in proposal.pieces if c.piece.role == "Duty Senior Manager")
    ruled = {e.person: (e.kind, e.rule) for e in manager.piece.excluded}
    assert ruled == {"mdunmore": ("working_time", "local limit"), "nokoro": ("leave", None)}
    assert set(manager.piece.candidates) == {"lvarga", "ostrand", "pgallagher"}


def test_the_same_input_gives_the_same_proposal() -> None:
    def run() -> str:
        proposal = fill(
            _fairness_rota(),
            [Requirement("Duty Officer", 1, when=DAYTIME)],
            (z("2026-02-02 00:00"), z("2026-02-14 00:00")),
            role_rules={"Duty Officer": REST},
        )
        document = proposal.to_json_dict()
        document.pop("solver")
        return json.dumps(document, sort_keys=True)

    assert run() == run()
