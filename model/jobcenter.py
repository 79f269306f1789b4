"""The jobcenter allocates scarce offers: company internship places and wage-subsidy places.

Every group asks for places by its own rule (the internship deadline, repeated offers, the
integration programme, resource courses in company offers, ...). When more ask than there are
free places, the places go to a random selection of those asking: raising activation for one
group with capacity held fixed leaves fewer places for the others.
"""
from __future__ import annotations

import numpy as np

from . import params
from .citizens import Citizens, Offer
from .rules import Groups, Month, lever_for
from .states import Code

S = Code  # state codes as plain ints (see states.Code)
NONE, SHORT_INTERNSHIP, LONG_INTERNSHIP, WAGE_SUBSIDY = 0, 1, 2, 3
INTERNSHIP_POOL = (SHORT_INTERNSHIP, LONG_INTERNSHIP)


def requests(c: Citizens, m: Month, groups: Groups | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What each citizen asks for this month, with what probability and priority.

    Returns (kind, probability, priority); a request with probability 1 is certain, others are
    drawn by the caller. Citizens already in an offer ask for nothing. Priority 0: what the
    law or a target share sets (integration programme, resource courses); 1: the first offer
    at the internship deadline; 2: repeated and periodic offers."""
    r = params.rules()["offers"]
    lv = m.lever
    st = c.state
    kind = np.zeros(len(c), np.int8)
    prob = np.zeros(len(c))
    priority = np.full(len(c), 2, np.int8)

    def ask(rows: np.ndarray, what, p, tier: int = 2) -> None:
        kind[rows] = what
        prob[rows] = p
        priority[rows] = tier

    groups = groups or Groups(st)
    free = groups.rows(S.unemployment_insurance, S.resource_course)
    free = free[c.offer[free] == Offer.none]
    sf = st[free]
    # Job-ready cash benefit and dagpenge: internship at the deadline, then repeated (13 weeks
    # for the long-term unemployed, src:KK-VP); some ask for a wage-subsidy job after 6 months.
    g = free[(sf == S.unemployment_insurance) | (sf == S.cash_benefit_jobready)]
    mis, since, offered = c.mis[g], c.since_offer[g], c.offered[g]
    first = ~offered & (mis >= lever_for(m, "internship_deadline_months", c.rank[g]))
    again = offered & (since >= r["repeat_offer_months"])
    ask(g[first], SHORT_INTERNSHIP, 1.0, tier=1)
    ask(g[again], np.where(mis[again] >= 12, LONG_INTERNSHIP, SHORT_INTERNSHIP), 1.0)
    ask(g[(mis >= 6) & ~(first | again)], WAGE_SUBSIDY, r["wage_subsidy_request"])

    # Activity-ready and young on education benefit: a company offer at least every N months
    # (counted from the start of the last 13-week offer).
    interval = lv["activity_offer_interval_months"] - r["internship_long"]
    g = free[(sf >= S.cash_benefit_activity) & (sf <= S.education_benefit_activity)]
    g = g[(c.mis[g] >= 2) & (c.since_offer[g] >= interval)]
    sg = st[g]
    ask(g, np.where((sg == S.cash_benefit_activity) | (sg == S.education_benefit_activity),
                    LONG_INTERNSHIP, SHORT_INTERNSHIP), r["periodic_offer_uptake"])

    # Refugees: Danish-plus-job means continuous company activity; the others at the interval.
    g = free[sf == S.integration_benefit]
    g = g[c.mis[g] >= 1]
    wf = c.rank[g] < lv["refugee_work_first_share"]
    ask(g[wf], LONG_INTERNSHIP, 1.0, tier=0)
    ask(g[~wf & (c.since_offer[g] >= interval)], LONG_INTERNSHIP, r["periodic_offer_uptake"])

    # Sick-listed: an occasional internship; resource courses: towards the company-offer target.
    g = free[sf == S.sickness_benefit]
    ask(g[c.mis[g] >= 1], LONG_INTERNSHIP, r["sick_internship_request"])
    g = free[sf == S.resource_course]
    ask(g, LONG_INTERNSHIP, np.asarray(m.rf_company_request)[c.rep[g]], tier=0)
    kind[prob <= 0] = NONE
    return kind, prob, priority


def rf_request_probability(n_rf: int, n_rf_company: int, target: float) -> float:
    """Chance a resource-course citizen without an offer is put forward for one, so that the
    company share moves to the lever's target."""
    missing = target * n_rf - n_rf_company
    return float(np.clip(missing / max(n_rf - n_rf_company, 1), 0.0, 1.0))


def allocate(kind: np.ndarray, priority: np.ndarray, order: np.ndarray, rep: np.ndarray,
             free_internships: np.ndarray, free_wage_subsidy: np.ndarray) -> np.ndarray:
    """Grant places to requests, per replication (``rep``; free places indexed by it): all when
    there are enough; else by priority (0 first), and within a priority the requests with the
    lowest ``order`` (uniform draws), i.e. at random. Returns a boolean grant mask."""
    granted = np.zeros(kind.size, bool)
    for pool, free in ((kind != WAGE_SUBSIDY, free_internships), (kind == WAGE_SUBSIDY, free_wage_subsidy)):
        idx = np.flatnonzero(pool & (kind != NONE))
        if idx.size == 0:
            continue
        free = np.maximum(np.asarray(free, np.int64), 0)
        idx = idx[np.lexsort((order[idx], priority[idx], rep[idx]))]
        r = rep[idx]
        first = np.searchsorted(r, r)                 # position of the replication's first request
        granted[idx[np.arange(idx.size) - first < free[r]]] = True
    return granted


def offer_length(kind: np.ndarray, m: Month) -> np.ndarray:
    """Months granted: short internships 4 weeks, long 13 weeks (src:KK-VP), public wage subsidy
    up to the lever's maximum within the legal one."""
    r = params.rules()["offers"]
    ws = min(int(m.lever["public_wage_subsidy_max_months"]), r["wage_subsidy_legal_max"])
    return np.select([kind == SHORT_INTERNSHIP, kind == LONG_INTERNSHIP, kind == WAGE_SUBSIDY],
                     [r["internship_short"], r["internship_long"], ws], 0).astype(np.int8)


def grant(c: Citizens, idx: np.ndarray, kind: np.ndarray, u: np.ndarray, m: Month) -> None:
    """Start the granted offers (``u`` decides private or public internships)."""
    private = u < params.rules()["offers"]["private_internship_share"]
    c.offer[idx] = np.where(kind == WAGE_SUBSIDY, Offer.wage_subsidy,
                            np.where(private, Offer.internship_private, Offer.internship_public))
    length = offer_length(kind, m)
    c.offer_left[idx] = length
    c.offer_max[idx] = length
    c.offer_len[idx] = 0
    c.offered[idx] = True


def occupied(c: Citizens, reps: int) -> tuple[np.ndarray, np.ndarray]:
    """Places in use per replication: (internship places, wage-subsidy places)."""
    busy = np.flatnonzero(c.offer != Offer.none)
    ws = c.offer[busy] == Offer.wage_subsidy
    return (np.bincount(c.rep[busy[~ws]], minlength=reps), np.bincount(c.rep[busy[ws]], minlength=reps))
