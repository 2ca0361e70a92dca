"""Call-out, answer, escalation, travel and arrival of the people who fill each role.

When a role's agency is alerted, the role's people are rung one at a time in the rota's
escalation order (primary, then backup levels) until ``count`` have answered. A person answers
with their own probability, else the role's, else a day/night default; an unanswered call costs
the ring timeout before the next person is rung. A rota gap or a list that runs out leaves the
role unfilled. Roles without a ``rota_role``, or every role when no rota is given, are staffed
by the agency's own on-call arrangement, which is assumed always to answer in the end: each
attempt succeeds with the default probability and a miss costs a ring timeout. Those who answer
travel to where the role reports, or join remotely, and then join the pool of people that the
plan's tasks draw on. Everyone is keyed by their rota id
(:class:`~standby.simulator.state.PersonState`), so two people who share a display name are
rung, counted and dropped apart.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from standby.simulator.distributions import draw
from standby.simulator.roster import Candidate
from standby.simulator.state import Cause, PersonState, Run, Unfilled
from standby.simulator.travel import nearest_node, road_minutes, travel_time_on_graph


def default_answer_probability(run: Run) -> float:
    """Day or night default at the current local time."""
    settings = run.assumptions
    hour = run.local_hour()
    if settings.day_from_hour <= hour < settings.day_to_hour:
        return settings.answer_probability_day
    return settings.answer_probability_night


def start_call_outs(run: Run, agency: int) -> None:
    """Start the call-out of every role the plan needs from ``agency``."""
    for role in run.compiled.roles_of_agency[agency]:
        state = run.roles[role]
        if not state.started:
            state.started = True
            run.env.process(call_out(run, role))


def call_out(run: Run, role: int) -> Generator[Any, Any, None]:
    """Ring the role's people until enough answer, or record the role unfilled."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    if state.unavailable is not None:
        unfilled(run, role, spec.count, state.unavailable)
        return
    if run.roster is None or spec.rota_role is None:
        yield from _notional(run, role)
        return
    state.candidates = run.roster.candidates(spec.rota_role, run.instant())
    if not state.candidates:
        local = run.local_time()
        unfilled(
            run,
            role,
            spec.count,
            f"nobody on call for '{spec.rota_role}' at {local:%a %d %b %H:%M} (rota gap)",
        )
        return
    yield from ring_down(run, role)


def ring_down(run: Run, role: int) -> Generator[Any, Any, None]:
    """Ring the next people on the escalation list until the role has ``count`` answers."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    candidates = state.candidates
    assert candidates is not None, "ring_down follows a call-out that read the rota"
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
            p = candidate.answer_probability
            if p is None:
                p = spec.answer_probability
            if p is None:
                p = default_answer_probability(run)
            if rng.random() < p:
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
    if state.answered < spec.count:
        if state.unavailable is not None:
            reason = state.unavailable
        else:
            who = "nobody" if state.answered == 0 else f"only {state.answered} of {spec.count}"
            times = "once" if cycle == 1 else f"{cycle} times"
            reason = f"{who} answered ({len(candidates)} on call, list rung {times})"
        unfilled(run, role, spec.count - state.answered, reason)


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


def _notional(run: Run, role: int) -> Generator[Any, Any, None]:
    """The agency's own on-call arrangement: repeat until someone answers."""
    spec = run.compiled.roles[role]
    state = run.roles[role]
    rng = run.streams[run.compiled.role_stream(role)]
    settings = run.assumptions
    for slot in range(spec.count):
        name = spec.name if spec.count == 1 else f"{spec.name} {slot + 1}"
        p = spec.answer_probability
        if p is None:
            p = default_answer_probability(run)
        for attempt in range(settings.notional_attempts):
            if state.unavailable is not None:
                unfilled(run, role, spec.count - state.answered, state.unavailable)
                return
            if rng.random() < p:
                yield run.env.timeout(
                    min(draw(settings.answer_delay, rng), settings.ring_timeout_minutes)
                )
                note = "agency on call (assumed)" + (
                    f"; {attempt} unanswered before" if attempt else ""
                )
                answered(run, role, PersonState(None, name, None), note, rng)
                break
            yield run.env.timeout(settings.ring_timeout_minutes)
        else:
            unfilled(run, role, spec.count - state.answered, "nobody answered")
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
    """Minutes until a person who answered is in place, and how they get there."""
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
    return settings.turnout_minutes + drive, f"{how}, turnout {settings.turnout_minutes:g} min"


def mobilise(
    run: Run, role: int, person: PersonState, cause: Cause, rng: np.random.Generator
) -> Generator[Any, Any, None]:
    """Travel (or log in) and arrive, unless the person or role drops out on the way."""
    minutes, how = travel_minutes(run, role, person, rng)
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
        f"{person.name} ({spec.id}) in place at {where} after {minutes:.0f} min", cause
    )
    run.pool.add(role, person)


def unfilled(run: Run, role: int, shortfall: int, reason: str) -> None:
    """Record that the role could not be filled."""
    state = run.roles[role]
    if state.unfilled is None:
        state.unfilled = Unfilled(run.env.now, shortfall, reason)
        run.log("role_unfilled", role=role, detail=reason)


def person_unavailable(run: Run, person_id: str, inject: str) -> None:
    """The person with rota id ``person_id`` drops out: skipped if not yet rung, replaced if
    already responding."""
    run.unavailable.add(person_id)
    for role, state in enumerate(run.roles):
        for person in list(state.people):
            if person.id != person_id:
                continue
            state.people.remove(person)
            state.stood_down.add(person)
            state.answered -= 1
            person.role = None
            run.pool.remove_token(role, person)
            run.log("person_unavailable", role=role, person=person.name, detail=f"inject {inject}")
            if state.candidates is not None and not state.ringing and state.unavailable is None:
                state.unfilled = None
                run.env.process(ring_down(run, role))


def role_unavailable(run: Run, role: int, inject: str) -> None:
    """Nobody can fill the role from now on; its people stand down after any current task."""
    state = run.roles[role]
    minute = run.env.now
    state.unavailable = f"role unavailable from minute {minute:g} (inject {inject})"
    for person in state.people:
        state.stood_down.add(person)
        run.pool.remove_token(role, person)
    run.log("role_unavailable", role=role, detail=state.unavailable)
    if state.started and not state.ringing and state.unfilled is None:
        state.unfilled = Unfilled(minute, run.compiled.roles[role].count, state.unavailable)
