"""The fast engine visits a citizen not on a benefit only when the citizen may have an event: it
searches its rows in age groups, each at a chance at least the event chance of anyone in it
(exact thinning). Every row is searched, once, at such a chance, in every month."""
import numpy as np
import pytest
from numba import njit

from model import calendar
from model.inputs import params
from model.inputs.params import N_DEST
from model.sim.engine import SEARCH_AHEAD, FastEngine, candidates, event_bound
from model.states import GONE, IS_OTHER, State


@njit(cache=True)
def worst_excess(pop, lo, hi, p, t, par, tab, bands) -> float:
    """The largest amount by which a searched citizen's event chance exceeds its range's chance."""
    worst = -1.0
    for j in range(lo.size):
        for i in range(lo[j], hi[j]):
            c = pop[i]
            if c.state != GONE and IS_OTHER[c.state] and c.pension_at > t + 1:
                worst = max(worst, event_bound(c, t, par, tab, bands) - p[j])
    return worst


@pytest.mark.parametrize("t", [0, 17, 40, calendar.N_MONTHS - 2])
def test_every_row_is_searched_once_at_a_chance_at_least_its_own(plan, t):
    eng = FastEngine(plan, seed=3, scale=0.1, replications=3)
    eng.run()                                                # the citizens as they stand after the run
    m = eng.ctx.month(t, eng._counts(), np.zeros(eng.reps))
    lo, hi, p = eng._age_groups(t, m)
    covered = np.zeros(eng.n, int)
    for a, b in zip(lo, hi):
        covered[a:b] += 1
    assert (covered == 1).all()                              # every row, once
    assert ((p > 0) & (p < 1)).all()
    assert worst_excess(eng.pop, lo, hi, p, t, m.par, m.tab, m.bands) <= 1e-12


def test_no_effect_raises_the_chances_of_those_not_on_a_benefit():
    # The bound is the base hazards' total: the one lever effect on a state not on a benefit (the
    # youth push's fewer drop-outs from education) may only lower it, over its whole range.
    dropout = params.effects()["youth_push_dropout"]
    assert max(dropout["value"], dropout["low"], dropout["high"]) <= 1.0



def search(eng, t, lo, hi, p, seed=11):
    """The candidates found in the row ranges with the given chances when everyone's event chance
    is certain (every row looked at is a candidate, so the rows found are the rows looked at)."""
    m = eng.ctx.month(t, eng._counts(), np.zeros(eng.reps))
    certain = m.tab.copy()
    certain[:, N_DEST] = 1.0
    out = np.empty(eng.n, np.int64)
    rng = np.random.default_rng(seed).integers(1, 2**63, 4).astype(np.uint64)
    k = candidates(eng.pop, np.array(lo), np.array(hi), np.array(p), t, m.par, certain, m.bands, rng,
                   np.empty(SEARCH_AHEAD, np.int64), out)
    return out[:k]


def employed_rows(eng, n):
    """The first ``n`` rows of the July 2016 employed (the young end of their block)."""
    rows = np.flatnonzero(eng.pop["state"][:eng.n0] == State.employed)
    assert rows.size >= n and (np.diff(rows[:n]) == 1).all()
    return int(rows[0]), int(rows[0]) + n


def test_the_search_looks_at_the_rows_of_a_range_up_to_its_end(plan):
    # The search draws its positions a few rows ahead (SEARCH_AHEAD): the last ones still count.
    eng = FastEngine(plan, seed=3, scale=0.1)
    a, b = employed_rows(eng, 3 * SEARCH_AHEAD + 3)
    found = search(eng, 0, [a, b + 5], [b, b + 5 + SEARCH_AHEAD // 2], [0.999, 0.999])
    assert found.tolist() == list(range(a, b)) + list(range(b + 5, b + 5 + SEARCH_AHEAD // 2))


def test_the_search_looks_at_each_row_with_the_range_chance(plan):
    eng = FastEngine(plan, seed=3, scale=0.1)
    a, b = employed_rows(eng, 3000)
    for p in (0.05, 0.3):
        found = search(eng, 0, [a], [b], [p])
        assert (np.diff(found) > 0).all() and a <= found.min() and found.max() < b
        sd = np.sqrt(3000 * p * (1 - p))
        assert abs(found.size - 3000 * p) < 4 * sd, (p, found.size)
