"""Scarce places within a priority go to those who have waited longest without an offer (ret og
pligt: the overdue first), not at random; a higher priority still comes first."""
import numpy as np
import pytest

from model import paths
from model.inputs import scenario
from model.sim import jobcenter, rules, situation
from model.sim.citizens import Citizens, Offer
from model.sim.context import P, acc_size
from model.sim.rng import stream
from model.states import State

S = State
T = 24


def asking(since_offer, priorities, state=S.cash_benefit_activity):
    """Citizens on a benefit for two years, each asking for a long internship."""
    n = len(since_offer)
    c = Citizens.empty(n, T).set(state=[state] * n, birth=[T - 40 * 12] * n, mis=[24] * n, since_offer=since_offer)
    c.rec["req_kind"] = rules.LONG_INTERNSHIP
    c.rec["req_prio"] = priorities
    return c


def granted(c, places, seed):
    """Allocate ``places`` internship places to the requests; who got one."""
    m = situation.month(scenario.load(paths.SCENARIOS / "baseline-2016.toml"), t=T)
    par = m.par.copy()
    par[P.cap_internship] = places
    acc = np.zeros(acc_size(int(par[P.reps])))          # (the starts are counted for the effort's cost)
    jobcenter.allocate(T, c.rec, par, stream(seed), acc, jobcenter.requests(np.arange(len(c)), c.rec))
    return c.rec["offer"] != Offer.none


@pytest.mark.parametrize("seed", range(5))
def test_the_longest_waiting_get_the_places_within_a_priority(seed):
    c = asking(since_offer=[1, 14, 3, 20, 7], priorities=[2] * 5)
    got = granted(c, places=2, seed=seed)
    assert got.tolist() == [False, True, False, True, False]          # waited 20 and 14 months


def test_a_higher_priority_comes_first_however_long_others_waited():
    c = asking(since_offer=[1, 30, 30], priorities=[0, 2, 2])
    got = granted(c, places=2, seed=1)
    assert got.tolist()[0] and got.sum() == 2


def test_with_enough_places_everyone_asking_gets_one():
    c = asking(since_offer=[1, 2, 3], priorities=[2, 2, 1])
    assert granted(c, places=10, seed=1).all()
