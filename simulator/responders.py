"""Call-out, answer, escalation, travel and arrival of the people who fill each role.

An ``on_duty`` role (at work when the incident starts: a fire crew's commander, a control
room) is dispatched: its people always answer, after a dispatch delay. An ``on_call`` role is
rung from the rota in escalation order (primary, then backup levels) until ``count`` have
answered, one by one with a ring timeout each, or all at once by a group page with a response
window; the list is rung again for a few cycles. Whether a person can be reached at all
(phone on and in earshot, signal) is drawn once per person per incident, so a phone left
downstairs stays unanswered however often it rings; each ring to a reachable person is then
answered with their answer probability. A rota that gives nobody says why
(:meth:`~standby.simulator.roster.Roster.why_nobody`). Roles without a ``rota_role``, or every
role when no rota is given, are staffed by the agency's own on-call arrangement, assumed to
answer in the end: each attempt reaches a new person. Those who answer travel to where the
role reports, or join remotely, and then join the pool of people that the plan's tasks draw
on. Everyone is keyed by their rota id (:class:`~standby.simulator.state.PersonState`), so two
people who share a display name are rung, counted and dropped apart.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime
from typing import Any

import numpy as np

from standby.hints import did_you_mean
from standby.simulator.compiled import CompiledRole, CompiledScenario, PersonUnavailableEffect
from standby.simulator.distributions import draw
from standby.simulator.roster import Candidate, Roster
from standby.simulator.state import Cause, PersonState, Run, Unfilled
from standby.simulator.travel import nearest_node, road_minutes, travel_time_on_graph

NO_ANSWER = "no_answer"
UNAVAILABLE = "unavailable"


def rota_problems(compiled: CompiledScenario, roster: Roster | None, start: datetime) -> list[str]:
    """Before a run: each rota role the rota gives nobody for at ``start``, named by why (not
    in the rota, outside its dates, not required then, a gap), and each inject that names a
    person the rota does not have."""
    problems = []
    if roster is not None:
        for role in compiled.roles:
            if (
                role.rota_role is None
                or not role.needed
                or roster.candidates(role.rota_role, start)
            ):
                continue
            nobody = roster.why_nobody(role.rota_role, start)
            problems.append(f"role {role.id}: {nobody.reason} [{nobody.kind}]")
    for inject in compiled.injects:
        if not isinstance(inject.effect, PersonUnavailableEffect):
            continue
        person = inject.effect.person
        if roster is None:
            problems.append(
                f"inject {inject.id} makes person '{person}' unavailable, but no rota was "
                "given: it will change nothing"
            )
        elif person not in roster.people:
            hint = did_you_mean(person, sorted(roster.people))
            problems.append(
                f"inject {inject.id} makes person '{person}' unavailable, but the rota has "
                f"nobody with that id ({hint}): it will change nothing"
            )
    return problems


def is_day(run: Run) -> bool:
    """True between the assumptions' day hours (local time now)."""
    settings = run.assumptions
    return settings.day_from_hour <= run.local_hour() < settings.day_to_hour


def default_answer_probability(run: Run) -> float:
    """Day or night default at the current local time."""
    settings = run.assumptions
    return settings.answer_probability_day if is_day(run) else settings.answer_probability_night


def start_call_outs(run: Run, agency: int) -> None:
    """Start the call-out of every role the plan needs from ``agency``."""
    for role in run.compiled.roles_of_agency[agency]:
        start_call_out(run, role)


def start_call_out(run: Run, role: int) -> None:
    """Start the role's call-out unless it has started already."""
    state = run.roles[role]
    if not state.started:
        state.started = True
        run.env.process(call_out(run, role))


def call_out(run: Run, role: int) -> Generator[Any, Any, None]:
    """Dispatch or ring the role's people until enough answer, or record the role unfilled."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    if state.unavailable is not None:
        unfilled(run, role, spec.count, state.unavailable, UNAVAILABLE)
        return
    if run.roster is None or spec.rota_role is None:
        yield from _dispatch(run, role) if spec.on_duty else _notional(run, role)
        return
    state.candidates = run.roster.candidates(spec.rota_role, run.instant())
    if not state.candidates:
        nobody = run.roster.why_nobody(spec.rota_role, run.instant())
        unfilled(run, role, spec.count, nobody.reason, nobody.kind)
        return
    if spec.on_duty:
        yield from _dispatch(run, role)
    else:
        yield from ring(run, role)


def ring(run: Run, role: int) -> Generator[Any, Any, None]:
    """Ring the rest of the role's list, one by one or by a group page."""
    if run.compiled.roles[role].group_page:
        yield from _group_page(run, role)
    else:
        yield from _one_by_one(run, role)


def _answers(run: Run, spec: CompiledRole, candidate: Candidate, rng: np.random.Generator) -> bool:
    """Whether this ring is answered: reachable this incident (drawn once), then this ring."""
    settings = run.assumptions
    reachable = run.reachable.get(candidate.person)
    if reachable is None:
        r = spec.reachable_probability
        if r is None:
            r = settings.reachable_probability
        reachable = r >= 1.0 or float(rng.random()) < r
        run.reachable[candidate.person] = reachable
    if not reachable:
        return False
    p = candidate.answer_probability
    if p is None:
        p = spec.answer_probability
    if p is None:
        p = default_answer_probability(run)
    return float(rng.random()) < min(1.0, p * settings.answer_probability_scale)


def _one_by_one(run: Run, role: int) -> Generator[Any, Any, None]:
    """Ring the next people on the escalation list until the role has ``count`` answers."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    candidates = state.candidates
    assert candidates is not None, "ringing follows a call-out that read the rota"
    rng = run.streams[run.compiled.role_stream(role)]
    settings = run.assumptions
    env = run.env
    state.ringing = True
    missed = 0
    cycle = 1
    while True:
        while state.answered < spec.count and state.position < len(candidates):
            if state.unavailable is not None:
                break
            candidate = candidates[state.position]
            state.position += 1
            if _skip(run, role, candidate):
                continue
            run.log("called", role=role, person=candidate.name, detail=f"level {candidate.level}")
            if _answers(run, spec, candidate, rng):
                delay = min(draw(settings.answer_delay, rng), settings.ring_timeout_minutes)
                yield env.timeout(delay)
                if state.unavailable is not None:
                    break
                if candidate.person in run.unavailable:
                    run.log(
                        "skipped", role=role, person=candidate.name, detail="unavailable (inject)"
                    )
                    continue
                note = f"level {candidate.level}" + (
                    f"; {missed} unanswered before" if missed else ""
                )
                answered(run, role, run.person(candidate), note, rng)
            else:
                yield env.timeout(settings.ring_timeout_minutes)
                missed += 1
                run.log(
                    "no_answer",
                    role=role,
                    person=candidate.name,
                    detail=f"no answer in {settings.ring_timeout_minutes:g} min",
                )
        done = state.answered >= spec.count or state.unavailable is not None
        if done or cycle >= settings.call_cycles:
            break
        cycle += 1
        yield env.timeout(settings.cycle_gap_minutes)
        run.log(
            "call_cycle",
            role=role,
            detail=f"cycle {cycle} of {settings.call_cycles}: ringing the list again",
        )
        state.position = 0
    state.ringing = False
    _short(run, role, "rung", cycle)


def _group_page(run: Run, role: int) -> Generator[Any, Any, None]:
    """Page everyone on the list at once; take the first ``count`` to answer in the window."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    candidates = state.candidates
    assert candidates is not None, "paging follows a call-out that read the rota"
    rng = run.streams[run.compiled.role_stream(role)]
    settings = run.assumptions
    window = spec.response_window or settings.ring_timeout_minutes
    env = run.env
    state.ringing = True
    cycle = 1
    while True:
        paged = [c for c in candidates if not _skip(run, role, c)]
        for candidate in paged:
            run.log("paged", role=role, person=candidate.name, detail=f"level {candidate.level}")
        replies = sorted(
            (
                (draw(settings.answer_delay, rng), order, candidate)
                for order, candidate in enumerate(paged)
                if _answers(run, spec, candidate, rng)
            ),
            key=lambda reply: (reply[0], reply[1]),
        )
        replies = [reply for reply in replies if reply[0] <= window]  # late replies miss it
        opened = env.now
        for delay, _order, candidate in replies:
            if state.answered >= spec.count or state.unavailable is not None:
                break
            if opened + delay > env.now:
                yield env.timeout(opened + delay - env.now)
            if state.unavailable is None and not _skip(run, role, candidate):
                answered(run, role, run.person(candidate), f"level {candidate.level}; paged", rng)
        done = state.answered >= spec.count or state.unavailable is not None
        if not done and opened + window > env.now:
            yield env.timeout(opened + window - env.now)
        if not done:
            run.log(
                "no_answer",
                role=role,
                detail=f"group page: {state.answered} of {spec.count} answered in {window:g} min",
            )
        if done or cycle >= settings.call_cycles:
            break
        cycle += 1
        yield env.timeout(settings.cycle_gap_minutes)
        run.log(
            "call_cycle", role=role, detail=f"page {cycle} of {settings.call_cycles}: paging again"
        )
    state.ringing = False
    _short(run, role, "paged", cycle)


def _short(run: Run, role: int, how: str, cycles: int) -> None:
    """Record the role unfilled when the list ran out before ``count`` answered."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    candidates = state.candidates or ()
    if state.answered >= spec.count:
        return
    if state.unavailable is not None:
        unfilled(run, role, spec.count - state.answered, state.unavailable, UNAVAILABLE)
        return
    who = "nobody" if state.answered == 0 else f"only {state.answered} of {spec.count}"
    times = "once" if cycles == 1 else f"{cycles} times"
    reason = f"{who} answered ({len(candidates)} on call, list {how} {times})"
    unfilled(run, role, spec.count - state.answered, reason, NO_ANSWER)


def _skip(run: Run, role: int, candidate: Candidate) -> bool:
    """True (and logged unless already on this role) when ``candidate`` is not to be rung."""
    person = run.people.get(candidate.person)
    if person is not None and person in run.roles[role].people:
        return True  # answered in an earlier cycle
    if candidate.person in run.unavailable:
        run.log("skipped", role=role, person=candidate.name, detail="unavailable (inject)")
        return True
    if person is not None and person.role is not None:
        run.log(
            "skipped",
            role=role,
            person=candidate.name,
            detail=f"already responding as {run.compiled.roles[person.role].id}",
        )
        return True
    return False


def _dispatch(run: Run, role: int) -> Generator[Any, Any, None]:
    """An on-duty role: everyone needed is sent at once and answers after the dispatch delay.

    From a rota, the people on shift for the role are sent (level order); without one, the
    agency's on-duty staff."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    rng = run.streams[run.compiled.role_stream(role)]
    dispatch = spec.dispatch or run.assumptions.dispatch_delay
    if state.candidates is None:
        people = [_agency_person(spec, slot) for slot in range(spec.count)]
    else:
        on_shift = [c for c in state.candidates if not _skip(run, role, c)]
        people = [run.person(c) for c in on_shift[: spec.count]]
        state.position = len(state.candidates)
    sent = sorted(
        ((draw(dispatch, rng), order, person) for order, person in enumerate(people)),
        key=lambda item: (item[0], item[1]),
    )
    start = run.env.now
    for delay, _order, person in sent:
        if start + delay > run.env.now:
            yield run.env.timeout(start + delay - run.env.now)
        if state.unavailable is not None:
            break
        answered(run, role, person, f"on duty; dispatched in {delay:.0f} min", rng)
    if state.answered < spec.count:
        if state.unavailable is not None:
            unfilled(run, role, spec.count - state.answered, state.unavailable, UNAVAILABLE)
            return
        on = len(people)
        reason = f"only {on} of {spec.count} on shift" if on else "nobody on shift"
        unfilled(run, role, spec.count - state.answered, reason, NO_ANSWER)


def _agency_person(spec: CompiledRole, slot: int) -> PersonState:
    """One of the agency's own people for the role (not on a rota, so without an id)."""
    return PersonState(None, spec.name if spec.count == 1 else f"{spec.name} {slot + 1}", None)


def _notional(run: Run, role: int) -> Generator[Any, Any, None]:
    """The agency's own on-call arrangement: each attempt reaches a new person, until one
    answers (each attempt answers with reachability x answer probability)."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    rng = run.streams[run.compiled.role_stream(role)]
    settings = run.assumptions
    reach = spec.reachable_probability
    if reach is None:
        reach = settings.reachable_probability
    for slot in range(spec.count):
        p = spec.answer_probability
        if p is None:
            p = default_answer_probability(run)
        p = min(1.0, p * settings.answer_probability_scale)
        for attempt in range(settings.notional_attempts):
            if state.unavailable is not None:
                unfilled(run, role, spec.count - state.answered, state.unavailable, UNAVAILABLE)
                return
            if rng.random() < reach * p:
                yield run.env.timeout(
                    min(draw(settings.answer_delay, rng), settings.ring_timeout_minutes)
                )
                note = "agency on call (assumed)" + (
                    f"; {attempt} unanswered before" if attempt else ""
                )
                answered(run, role, _agency_person(spec, slot), note, rng)
                break
            yield run.env.timeout(settings.ring_timeout_minutes)
        else:
            unfilled(run, role, spec.count - state.answered, "nobody answered", NO_ANSWER)
            return


def answered(run: Run, role: int, person: PersonState, note: str, rng: np.random.Generator) -> None:
    """Someone answered: log it and send them on their way."""
    state = run.roles[role]
    state.answered += 1
    state.people.append(person)
    person.role = role
    role_id = run.compiled.roles[role].id
    run.log("answered", role=role, person=person.name, detail=note)
    cause = run.cause(f"{person.name} answered for {role_id} ({note})", role=role)
    run.env.process(mobilise(run, role, person, cause, rng))


def travel_minutes(
    run: Run, role: int, person: PersonState, rng: np.random.Generator
) -> tuple[float, str]:
    """Minutes until a person who answered is in place, and how they get there.

    Someone on call turns out first (get up, dress, leave: the day or night turnout); an
    on-duty person's dispatch delay is their turnout."""
    spec = run.compiled.roles[role]
    settings = run.assumptions
    if spec.travel is not None:
        return draw(spec.travel, rng), "travel time from the scenario"
    if spec.remote:
        return draw(settings.remote_join, rng), "joins remotely"
    base = person.home if person.home is not None else run.compiled.agency_bases[spec.agency]
    if base is None or spec.destination is None:
        return draw(settings.default_travel, rng), "default travel time (assumed)"
    graph = settings.road_graph
    if graph is not None:
        drive = travel_time_on_graph(
            graph,
            nearest_node(graph, base),
            nearest_node(graph, spec.destination),
            settings.speed_kmh,
        )
        how = "road graph"
    else:
        drive = road_minutes(base, spec.destination, settings.road_factor, settings.speed_kmh)
        how = "straight line x road factor"
    if spec.on_duty:
        return drive, f"{how}, on duty"
    turnout = settings.turnout_minutes_day if is_day(run) else settings.turnout_minutes_night
    return turnout + drive, f"{how}, turnout {turnout:g} min"


def mobilise(
    run: Run, role: int, person: PersonState, cause: Cause, rng: np.random.Generator
) -> Generator[Any, Any, None]:
    """Travel (or log in) and arrive, unless the person or role drops out on the way."""
    minutes, how = travel_minutes(run, role, person, rng)
    minutes *= run.assumptions.travel_scale
    yield run.env.timeout(minutes)
    state = run.roles[role]
    if person in state.stood_down or state.unavailable is not None:
        return
    spec = run.compiled.roles[role]
    where = spec.destination_name if not spec.remote else "remote"
    run.log(
        "arrived", role=role, person=person.name, detail=f"at {where} ({how}, {minutes:.0f} min)"
    )
    state.cause = run.cause(
        f"{person.name} ({spec.id}) in place at {where} after {minutes:.0f} min",
        cause,
        key=f"{spec.id} in place",
    )
    state.in_place.append(person)
    run.pool.add(role, person)
    watchers, state.watchers = state.watchers, []
    for watcher in watchers:
        if not watcher.triggered:
            watcher.succeed()


def unfilled(run: Run, role: int, shortfall: int, reason: str, kind: str) -> None:
    """Record that the role could not be filled."""
    state = run.roles[role]
    if state.unfilled is None:
        state.unfilled = Unfilled(run.env.now, shortfall, reason, kind)
        state.gave_up.succeed()
        run.log("role_unfilled", role=role, detail=reason)


def person_unavailable(run: Run, person_id: str, inject: str) -> None:
    """The person with rota id ``person_id`` drops out: skipped if not yet rung, replaced if
    already responding. Someone not in the rota is logged as such and changes nothing."""
    if run.roster is None or person_id not in run.roster.people:
        where = "no rota was given" if run.roster is None else "the rota has nobody with that id"
        run.log(
            "person_unavailable",
            person=person_id,
            detail=f"inject {inject}: '{person_id}' not found ({where}); nobody drops out",
        )
        return
    run.unavailable.add(person_id)
    for role, state in enumerate(run.roles):
        for person in list(state.people):
            if person.id != person_id:
                continue
            state.people.remove(person)
            state.stood_down.add(person)
            if person in state.in_place:
                state.in_place.remove(person)
            state.answered -= 1
            person.role = None
            run.pool.remove_token(role, person)
            run.log("person_unavailable", role=role, person=person.name, detail=f"inject {inject}")
            agency = run.agencies[run.compiled.roles[role].agency].cause
            state.trigger = run.cause(
                f"{person.name} dropped out of {run.compiled.roles[role].id} (inject {inject})",
                agency,
                key=f"inject {inject}: {run.compiled.roles[role].id} dropped out",
            )
            if state.candidates is not None and not state.ringing and state.unavailable is None:
                state.unfilled = None
                if state.gave_up.triggered:
                    state.gave_up = run.env.event()
                run.env.process(ring(run, role))


def role_unavailable(run: Run, role: int, inject: str) -> None:
    """Nobody can fill the role from now on; its people stand down after any current task."""
    state = run.roles[role]
    minute = run.env.now
    state.unavailable = f"role unavailable from minute {minute:g} (inject {inject})"
    for person in state.people:
        state.stood_down.add(person)
        run.pool.remove_token(role, person)
    state.in_place.clear()
    run.log("role_unavailable", role=role, detail=state.unavailable)
    if state.started and not state.ringing and state.unfilled is None:
        unfilled(run, role, run.compiled.roles[role].count, state.unavailable, UNAVAILABLE)
