"""The jobcenter: who asks for a scarce offer, who gets one, and its follow-up of the sick-listed
and flex-jobbers.

Every group asks for places by its own rule (the internship deadline, repeated offers, the
integration programme, resource courses in company offers, ...). When more ask than there are
free places, the places go by priority, and within a priority to those who have waited longest
without an offer (ret og pligt sets each citizen a deadline, so the overdue come first; ties at
random): raising activation for one group with capacity held fixed leaves fewer places for the
others, and the longest passive are not crowded out by those whose offer just ended.

``request`` and ``caseload`` are citizen phases (each citizen asks, or not; the jobcenter counts
its sick-listed); they note in the month's work lists whom ``allocate`` and ``follow_up`` act on:
those act on all the citizens of a replication at once, as a jobcenter does. Both engines call them.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from model.sim.citizens import Offer
from model.sim.context import (
    W_DUE,
    W_INTERNSHIPS,
    W_PARTIAL,
    W_REQUESTS,
    W_SICK,
    W_WAGE_SUBSIDIES,
    P,
    counted,
    effort_at,
    listed,
    measures_at,
    new_work,
    work_counts,
    work_list,
)
from model.sim.cost_rules import FLEX_HOUR_STEPS, INTERNSHIP_STARTS, PARTIAL_RETURN_STARTS, WAGE_SUBSIDY_STARTS
from model.sim.indicators import SICK_PARTIAL
from model.sim.memory import AHEAD, prefetch
from model.sim.rng import uniform
from model.sim.rules import LONG_INTERNSHIP, NO_REQUEST, SHORT_INTERNSHIP, STAY, WAGE_SUBSIDY, deadline_for, start_offer
from model.states import GONE, IS_ACTIVITY_READY, IS_JOBREADY_AND_INSURED, IS_OFFER_ELIGIBLE, IS_PERIODIC_OFFERS, IS_SICK, State

S = State
# Priority tiers of a request (0 first): what the law or a target share sets; the first offer at
# the internship deadline; repeated and periodic offers.
PRIORITY_LAW, PRIORITY_DEADLINE, PRIORITY_REPEAT = 0, 1, 2
N_PRIORITIES = 3
WAIT_SPAN = 4096.0     # more months than anyone waits: the sort key's room for the waiting time


@njit(cache=True, inline="always")
def request(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """What the citizen asks for this month (kind and priority), listed for ``allocate``; a place
    the citizen holds is counted as in use. Priority 0: what the law or a target share sets
    (the integration programme; resource courses, for a place found for them); 1: the first offer
    at the internship deadline; 2: repeated and periodic offers. Citizens already in an offer ask
    for nothing."""
    c = pop[i]
    c.req_kind = NO_REQUEST
    st = c.state
    if st == GONE:
        return
    if c.offer != Offer.none:
        holds_place(c, work)
        return
    if c.forced != STAY or not IS_OFFER_ELIGIBLE[st]:
        return
    mis = t - c.spell
    since = t - c.offer_end
    interval = par[P.activity_interval] - par[P.internship_long]    # counted from the start of the last 13-week offer
    kind, chance, priority = NO_REQUEST, 0.0, PRIORITY_REPEAT
    if IS_JOBREADY_AND_INSURED[st]:
        # Internship at the deadline, then repeated (13 weeks for the long-term unemployed,
        # src:KK-VP); some ask for a wage-subsidy job after 6 months.
        if not c.offered and mis >= deadline_for(c, par):
            kind, chance, priority = SHORT_INTERNSHIP, 1.0, PRIORITY_DEADLINE
        elif c.offered and since >= par[P.repeat_offer]:
            kind, chance = (LONG_INTERNSHIP if mis >= par[P.long_after] else SHORT_INTERNSHIP), 1.0
        elif mis >= par[P.ws_after]:
            kind, chance = WAGE_SUBSIDY, par[P.ws_request]
    elif IS_PERIODIC_OFFERS[st]:
        # Activity-ready and young on education benefit: a company offer at least every N months.
        if mis >= par[P.periodic_first] and since >= interval:
            kind = LONG_INTERNSHIP if IS_ACTIVITY_READY[st] else SHORT_INTERNSHIP
            chance = par[P.periodic_uptake]
    elif st == S.integration_benefit:
        # Refugees: Danish-plus-job means continuous company activity while the integration
        # programme lasts; the others (and everyone after the programme) at the interval.
        if mis >= par[P.ig_first_offer]:
            if c.rank < par[P.work_first_share] and t - c.arrival < par[P.ig_programme]:
                kind, chance, priority = LONG_INTERNSHIP, 1.0, PRIORITY_LAW
            elif since >= interval:
                kind, chance = LONG_INTERNSHIP, par[P.periodic_uptake]
    elif st == S.sickness_benefit:
        # Sick-listed: an occasional internship.
        if mis >= par[P.sick_first]:
            kind, chance = LONG_INTERNSHIP, par[P.sick_request]
    elif st == S.resource_course:
        # Resource courses: a company place found for them this month, if they take it (the
        # chance per replication: places found over courses without an offer, times the take-up).
        kind, chance, priority = LONG_INTERNSHIP, par[P.per_rep + c.rep], PRIORITY_LAW
    if kind == NO_REQUEST or chance <= 0.0:
        return
    if chance < 1.0 and uniform(rng) >= chance:
        return
    c.req_kind = kind
    c.req_prio = priority
    listed(work, W_REQUESTS, i)


@njit(cache=True, inline="always")
def asked(i, pop) -> bool:
    """Has citizen ``i`` asked for a place this month? Then the rest of its month waits for the
    allocation (``month.Phase.waits``); everyone else's goes on at once."""
    return pop[i].req_kind != NO_REQUEST


def requests(rows: np.ndarray, pop: np.ndarray, reps: int = 1) -> np.ndarray:
    """Work lists holding the requests (``req_kind``, ``req_prio``) and places in use of the
    citizens of ``rows`` as they stand, in the order of ``rows`` (as ``request`` notes them)."""
    work = new_work(reps, len(pop))
    _note(rows, pop, work)
    return work


@njit(cache=True)
def _note(rows, pop, work) -> None:
    """The places in use and the requests of ``rows`` into ``work`` (see ``requests``)."""
    for k in range(rows.size):
        c = pop[rows[k]]
        if c.state == GONE:
            continue
        if c.offer != Offer.none:
            holds_place(c, work)
        elif c.req_kind != NO_REQUEST:
            listed(work, W_REQUESTS, rows[k])


@njit(cache=True, inline="always")
def holds_place(c, work) -> None:
    """Count the citizen's offer among the shared places in use of its replication (a resource
    course's place was found for it: not one of them)."""
    if c.state == S.resource_course:
        return
    counted(work, W_WAGE_SUBSIDIES if c.offer == Offer.wage_subsidy else W_INTERNSHIPS, c.rep)


@njit(cache=True, inline="always")
def waiting(c, t, par) -> float:
    """Months the citizen has gone without an offer: since the last one ended, or, if none in
    this spell's memory, the spell plus the long-term rule's window (never offered counts as
    passive before the spell too); capped below WAIT_SPAN."""
    since = t - c.offer_end
    spell = t - c.spell + par[P.lt_window]
    return min(min(since, spell), WAIT_SPAN - 2.0)


def allocate(t, pop, par, rng, acc, work):
    """Grant places to the month's requests (the work list), per replication: all when there are
    enough free places (capacity minus places in use); else by priority (0 first), within a
    priority to those longest without an offer (``waiting``), ties in the order of a uniform draw.
    A granted offer starts at once. (``acc`` unused: the jobcenter phases share one signature.)
    The requests are sorted by numpy (its sort is several times faster than the compiled one; the
    keys are distinct, a uniform draw in each, so any sort gives the same order)."""
    order = np.argsort(_request_keys(t, pop, par, rng, work))
    _grant(order, t, pop, par, rng, acc, work)


@njit(cache=True)
def _request_keys(t, pop, par, rng, work):
    """Each request's place in the queue (``allocate``): its tier (replication, priority), then
    the longest waiting first, then a uniform draw."""
    asked = work_list(work, W_REQUESTS)
    key = np.empty(asked.size)
    for j in range(asked.size):
        if j + AHEAD < asked.size:
            prefetch(pop, asked[j + AHEAD])
        c = pop[asked[j]]
        tier = c.rep * N_PRIORITIES + c.req_prio
        key[j] = tier * WAIT_SPAN + (WAIT_SPAN - 1.0 - waiting(c, t, par)) + uniform(rng)
    return key


@njit(cache=True)
def _grant(order, t, pop, par, rng, acc, work):
    """Go through the requests in ``order`` (positions in the work list), granting a place while
    the replication has one free of the kind asked for (counted among the month's offer starts);
    then clear every request."""
    free_internship = par[P.cap_internship] - work_counts(work, W_INTERNSHIPS).astype(np.float64)
    free_wage_subsidy = par[P.cap_wage_subsidy] - work_counts(work, W_WAGE_SUBSIDIES).astype(np.float64)
    asked = work_list(work, W_REQUESTS)
    for k in range(order.size):
        if k + AHEAD < order.size:
            prefetch(pop, asked[order[k + AHEAD]])
        c = pop[asked[order[k]]]
        if c.state == S.resource_course:
            start_offer(c, t, par, rng)        # a place found for it: not one of the shared places
            continue
        free = free_wage_subsidy if c.req_kind == WAGE_SUBSIDY else free_internship
        if free[c.rep] >= 1:
            free[c.rep] -= 1
            start_offer(c, t, par, rng)
            item = WAGE_SUBSIDY_STARTS if c.offer == Offer.wage_subsidy else INTERNSHIP_STARTS
            acc[effort_at(int(par[P.reps]), c.rep, t) + item] += 1.0
    for j in range(asked.size):
        pop[asked[j]].req_kind = NO_REQUEST


@njit(cache=True, inline="always")
def caseload(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """After the month's moves the jobcenter counts its sick-listed (and those on partial return
    to work) and notes whom ``follow_up`` may move on: the sick-listed not on partial return, and
    flex-jobbers on few hours."""
    c = pop[i]
    if c.state == GONE:
        return
    if IS_SICK[c.state]:
        counted(work, W_SICK, c.rep)
        if c.partial:
            counted(work, W_PARTIAL, c.rep)
        else:
            listed(work, W_DUE, i)
    elif c.state == S.flexjob and c.flex_hours <= par[P.few_hours_max]:
        listed(work, W_DUE, i)


@njit(cache=True)
def follow_up(t, pop, par, rng, acc, work):
    """The jobcenter's follow-up at the end of the month (acting on those ``caseload`` noted):
    it assesses ``partial_return_assessments`` sick-listed (sick pay or job clarification, not on
    partial return) a month for a partial return to work, at random; an assessed citizen starts one
    with the chance ``partial_rtw_take_up`` (those who can and will: the rest stay fully
    sick-listed), counted in next month's indicators. The share on partial return emerges from the
    assessments, the take-up and how long partial spells last. Few-hours flex-jobbers get more weekly
    hours (progression lever)."""
    reps = int(par[P.reps])
    sick = work_counts(work, W_SICK)
    partial = work_counts(work, W_PARTIAL)
    assess = np.empty(reps)
    for r in range(reps):
        assess[r] = min(par[P.partial_assessments] / max(sick[r] - partial[r], 1.0), 1.0) * par[P.partial_rtw_take_up]
    step = par[P.flex_hours_increase] * par[P.flex_progression]
    due = work_list(work, W_DUE)
    for k in range(due.size):
        if k + AHEAD < due.size:
            prefetch(pop, due[k + AHEAD])
        c = pop[due[k]]
        if IS_SICK[c.state]:
            if uniform(rng) < assess[c.rep]:
                c.partial = True
                acc[measures_at(reps, c.rep, t + 1) + SICK_PARTIAL] += 1.0
                acc[effort_at(reps, c.rep, t) + PARTIAL_RETURN_STARTS] += 1.0
        elif uniform(rng) < step:
            c.flex_hours += int(par[P.hours_step])
            acc[effort_at(reps, c.rep, t) + FLEX_HOUR_STEPS] += 1.0
