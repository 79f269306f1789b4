"""The jobcenter: who asks for a scarce offer, who gets one, and its follow-up of the sick-listed
and flex-jobbers.

Every group asks for places by its own rule (the internship deadline, repeated offers, the
integration programme, resource courses in company offers, ...). When more ask than there are
free places, the places go by priority, and within a priority to those who have waited longest
without an offer (ret og pligt sets each citizen a deadline, so the overdue come first; ties at
random): raising activation for one group with capacity held fixed leaves fewer places for the
others, and the longest passive are not crowded out by those whose offer just ended.

``request`` is a citizen phase (each citizen asks, or not); ``allocate`` and ``follow_up`` act
on all the citizens of a replication at once, as a jobcenter does. Both engines call them.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .citizens import Offer
from .context import P
from .rng import uniform
from .rules import LONG_INTERNSHIP, NO_REQUEST, SHORT_INTERNSHIP, STAY, WAGE_SUBSIDY, deadline_for, start_offer
from .states import GONE, IS_ACTIVITY_READY, IS_JOBREADY_AND_INSURED, IS_OFFER_ELIGIBLE, IS_PERIODIC_OFFERS, IS_SICK, State

S = State
# Priority tiers of a request (0 first): what the law or a target share sets; the first offer at
# the internship deadline; repeated and periodic offers.
PRIORITY_LAW, PRIORITY_DEADLINE, PRIORITY_REPEAT = 0, 1, 2
N_PRIORITIES = 3
WAIT_SPAN = 4096.0     # more months than anyone waits: the sort key's room for the waiting time


@njit(cache=True, inline="always")
def request(i, t, pop, par, tab, bands, acc, rng, ct):
    """What the citizen asks for this month (kind and priority, and the draw that orders the
    request among others of its priority). Priority 0: what the law or a target share sets
    (integration programme, resource courses); 1: the first offer at the internship deadline;
    2: repeated and periodic offers. Citizens already in an offer ask for nothing."""
    c = pop[i]
    c.req_kind = NO_REQUEST
    st = c.state
    if st == GONE or c.forced != STAY or c.offer != Offer.none or not IS_OFFER_ELIGIBLE[st]:
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
        # Resource courses: towards the company-offer target share.
        kind, chance, priority = LONG_INTERNSHIP, par[P.per_rep + c.rep], PRIORITY_LAW
    if kind == NO_REQUEST or chance <= 0.0:
        return
    if chance < 1.0 and uniform(rng) >= chance:
        return
    c.req_kind = kind
    c.req_prio = priority


@njit(cache=True, inline="always")
def waiting(c, t, par) -> float:
    """Months the citizen has gone without an offer: since the last one ended, or, if none in
    this spell's memory, the spell plus the long-term rule's window (never offered counts as
    passive before the spell too); capped below WAIT_SPAN."""
    since = t - c.offer_end
    spell = t - c.spell + par[P.lt_window]
    return min(min(since, spell), WAIT_SPAN - 2.0)


@njit(cache=True)
def allocate(rows, t, pop, par, rng):
    """Grant places to the month's requests, per replication: all when there are enough free
    places (capacity minus places in use); else by priority (0 first), within a priority to those
    longest without an offer (``waiting``), ties in the order of a uniform draw. A granted offer
    starts at once."""
    reps = int(par[P.reps])
    free_internship = np.full(reps, par[P.cap_internship])
    free_wage_subsidy = np.full(reps, par[P.cap_wage_subsidy])
    asked = np.empty(rows.size, np.int64)
    key = np.empty(rows.size)
    n = 0
    for k in range(rows.size):
        c = pop[rows[k]]
        if c.state == GONE:
            continue
        if c.offer == Offer.wage_subsidy:
            free_wage_subsidy[c.rep] -= 1
        elif c.offer != Offer.none:
            free_internship[c.rep] -= 1
        if c.req_kind != NO_REQUEST:
            asked[n] = rows[k]
            tier = c.rep * N_PRIORITIES + c.req_prio
            key[n] = tier * WAIT_SPAN + (WAIT_SPAN - 1.0 - waiting(c, t, par)) + uniform(rng)
            n += 1
    for j in np.argsort(key[:n]):
        c = pop[asked[j]]
        free = free_wage_subsidy if c.req_kind == WAGE_SUBSIDY else free_internship
        if free[c.rep] >= 1:
            free[c.rep] -= 1
            start_offer(c, t, par, rng)
    for k in range(rows.size):
        pop[rows[k]].req_kind = NO_REQUEST


@njit(cache=True)
def follow_up(rows, t, pop, par, rng):
    """After the month's moves: the jobcenter moves enough sick-listed citizens to partial
    return to work to reach its target share (the lever) among all sick-listed and job
    clarification; few-hours flex-jobbers get more weekly hours (progression lever)."""
    reps = int(par[P.reps])
    sick = np.zeros(reps)
    partial = np.zeros(reps)
    few_hours = par[P.few_hours_max]
    due = np.empty(rows.size, np.int64)       # who may be moved on this month, in the order of rows
    n = 0
    for k in range(rows.size):
        c = pop[rows[k]]
        if c.state == GONE:
            continue
        if IS_SICK[c.state]:
            sick[c.rep] += 1
            partial[c.rep] += c.partial
            if not c.partial:
                due[n] = rows[k]
                n += 1
        elif c.state == S.flexjob and c.flex_hours <= few_hours:
            due[n] = rows[k]
            n += 1
    switch = np.empty(reps)
    for r in range(reps):
        missing = par[P.partial_share] * sick[r] - partial[r]
        switch[r] = min(max(missing / max(sick[r] - partial[r], 1.0), 0.0), 1.0)
    step = par[P.flex_hours_increase] * par[P.flex_progression]
    for k in range(n):
        c = pop[due[k]]
        if IS_SICK[c.state]:
            if uniform(rng) < switch[c.rep]:
                c.partial = True
        elif uniform(rng) < step:
            c.flex_hours += int(par[P.hours_step])
