"""The readiness sweep: a planted rota gap comes out as exactly the worst slots, with the gap's
own start and end in words; slots are stepped in UTC across clock changes; an interrupted
sweep carried on gives the uninterrupted result; a person's absence is measured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from simkit import fixed, make_scenario

from standby.clock import to_local
from standby.reports.sweep import gap_text, reason_text, sweep_csv, sweep_json
from standby.rota.model import Person, Rota, Shift
from standby.scenarios.model import Scenario
from standby.simulator.executors import Executor
from standby.simulator.sweep import SweepError, slot_starts, sweep

MONDAY = datetime(2026, 11, 9, tzinfo=UTC)  # GMT: local time is UTC this week
GAP = (datetime(2026, 11, 11, 10, tzinfo=UTC), datetime(2026, 11, 11, 16, tzinfo=UTC))
EPO = "Duty Emergency Planning Officer"


def _scenario() -> Scenario:
    """The council's EPO must advise within 30 minutes; nothing is left to chance."""
    role = {
        "id": "epo",
        "agency": "council",
        "name": "Duty EPO",
        "rota_role": EPO,
        "reports_to": "remote",
        "answer_probability": 1.0,
        "travel_minutes": fixed(5),
    }
    task = {
        "id": "advise",
        "name": "Advise the public",
        "agency": "council",
        "roles": ["epo"],
        "duration": fixed(10),
        "target": {"within_minutes": 30, "text": "advice within 30 minutes"},
    }
    return make_scenario(roles=[role], plan={"tasks": [task]}, duration_minutes=120)


def _rota(gap: tuple[datetime, datetime] = GAP) -> Rota:
    """One officer on call all week but for ``gap``; a second person never on call."""
    people = {"ajones": Person("ajones", "A. Jones"), "bsmith": Person("bsmith", "B. Smith")}
    end = MONDAY + timedelta(days=7)
    shifts = [Shift("ajones", EPO, MONDAY, gap[0]), Shift("ajones", EPO, gap[1], end)]
    return Rota(people=people, shifts=shifts)


def _week(**options: Any) -> Any:
    settings: dict[str, Any] = {"executor": Executor("serial"), "spof_samples": 0}
    settings.update(options)
    return sweep(_scenario(), _rota(), rota_name="week.csv", **settings)


def test_a_planted_six_hour_gap_is_exactly_the_six_worst_slots() -> None:
    result = _week()
    assert len(result.slots) == 7 * 24
    gap_slots = [GAP[0] + timedelta(hours=h) for h in range(6)]
    assert [w.start for w in result.worst[:6]] == gap_slots
    assert [w.readiness for w in result.worst[:6]] == [0.0] * 6
    assert result.worst[6].readiness == 1.0
    # every one of them gives the gap's own start and end, read off the rota
    for worst in result.worst[:6]:
        (gap,) = worst.gaps
        assert (gap.start, gap.end) == GAP
        assert reason_text(worst, "Europe/London") == (
            "no Duty Emergency Planning Officer on call 11 Nov 10:00 to 11 Nov 16:00"
        )
    assert result.readiness_pct == pytest.approx(100.0 * 162 / 168)


def test_a_person_on_call_all_week_is_the_single_point_of_failure() -> None:
    result = _week(spof_samples=200)  # every slot run again: the exact change
    (only,) = result.single_points
    # on call at some time in the two hours of every slot but those from 10:00 to 14:00 in
    # the gap (the 15:00 slot reaches past 16:00)
    assert (only.person, only.slots_on_call, only.sampled) == ("ajones", 163, 163)
    # without A. Jones no slot meets its target: readiness falls from 162/168 to nothing
    assert only.change_points == pytest.approx(-100.0 * 162 / 168)


def test_a_gap_before_the_rota_begins_has_an_open_start() -> None:
    rota = _rota()
    late = Rota(
        people=rota.people, shifts=[Shift("ajones", EPO, MONDAY + timedelta(hours=3), GAP[0])]
    )
    result = sweep(
        _scenario(),
        late,
        start=MONDAY,
        end=MONDAY + timedelta(hours=6),
        executor=Executor("serial"),
        spof_samples=0,
    )
    (gap,) = result.worst[0].gaps
    assert (gap.start, gap.end) == (None, MONDAY + timedelta(hours=3))
    assert gap_text(gap, "Europe/London") == (
        "no Duty Emergency Planning Officer on call until 9 Nov 03:00"
    )


@pytest.mark.parametrize(
    ("day", "slots"), [("2026-03-29", 23), ("2026-10-25", 25), ("2026-06-10", 24)]
)
def test_hourly_slots_stepped_in_utc_give_clock_change_days_23_or_25(day: str, slots: int) -> None:
    starts = slot_starts(
        datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), timedelta(hours=1)
    )
    assert len(starts) == 8760
    local_days = [to_local(s, "Europe/London").date().isoformat() for s in starts]
    assert local_days.count(day) == slots


def test_an_empty_window_is_refused_in_words() -> None:
    with pytest.raises(SweepError, match="before it starts"):
        slot_starts(MONDAY, MONDAY, timedelta(hours=1))


def test_an_interrupted_sweep_carried_on_gives_the_uninterrupted_result(tmp_path: Path) -> None:
    whole = _week(spof_samples=20)
    journal = tmp_path / "sweep-progress.jsonl"
    stops = []

    def stop_after_the_first_chunk(done: int) -> None:
        if done and not stops:
            stops.append(done)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _week(spof_samples=20, journal=journal, progress=stop_after_the_first_chunk)
    kept = journal.read_text(encoding="utf-8").splitlines()
    assert 1 < len(kept) < 1 + 168  # the heading line and some, not all, of the slots
    resumed = _week(spof_samples=20, journal=journal, resume=True)
    assert sweep_csv(resumed) == sweep_csv(whole)
    assert sweep_json(resumed) == sweep_json(whole)


def test_a_journal_of_another_sweep_is_not_carried_on(tmp_path: Path) -> None:
    journal = tmp_path / "sweep-progress.jsonl"
    _week(journal=journal, end=MONDAY + timedelta(days=1))
    with pytest.raises(SweepError, match="another scenario, rota or window"):
        _week(journal=journal, resume=True)
    with pytest.raises(SweepError, match="unfinished sweep is kept here"):
        _week(journal=journal)
