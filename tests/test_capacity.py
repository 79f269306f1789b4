"""Scarcity: with the places held fixed, activating one group more leaves fewer places for
another; job finding depends on vacancies per job seeker."""
import numpy as np

from model.sim import jobcenter, situation
from model.sim.citizens import Citizens, Offer
from model.sim.context import P, acc_size
from model.sim.rng import stream
from model.states import State

from conftest import run_fast, with_levers

S = State


def activity_ready_in_offers(sc):
    total = []

    def observe(t, stores):
        if t >= 6:
            total.append(sum(int(((c.state == S.cash_benefit_activity) & (c.offer != Offer.none)).sum()) for c in stores))
    run_fast(sc, seed=4, scale=0.2, reps=3, observer=observe)
    return np.mean(total)


def test_more_activation_of_refugees_leaves_fewer_places_for_the_activity_ready(baseline):
    def drop(places):
        few = activity_ready_in_offers(with_levers(baseline, refugee_work_first_share=0.0, internship_places=places))
        many = activity_ready_in_offers(with_levers(baseline, refugee_work_first_share=1.0, internship_places=places))
        return few - many
    crowded, ample = drop(600), drop(3000)
    # Places held fixed and scarce: the activity-ready lose places to the refugees; with ample
    # places the same change takes (next to) nothing from them.
    assert crowded > 0
    assert crowded > 3 * abs(ample)


def test_allocation_rations_by_priority_then_at_random(baseline):
    m = situation.month(baseline)
    m.par[P.cap_internship], m.par[P.cap_wage_subsidy] = 3, 0
    kind = [1, 1, 2, 2, 3, 2]
    priority = [2, 2, 0, 1, 2, 2]
    wins = np.zeros(6)
    for seed in range(200):
        c = Citizens.empty(6, 12).set(state=S.unemployment_insurance, req_kind=kind, req_prio=priority)
        acc = np.zeros(acc_size(int(m.par[P.reps])))        # (the starts are counted for the effort's cost)
        jobcenter.allocate(12, c.rec, m.par, stream(seed), acc, jobcenter.requests(np.arange(6), c.rec))
        granted = c.offer != Offer.none                 # a granted place starts at once
        # three internship places: priority 0 and 1 first, then one of the three at priority 2;
        # no wage-subsidy place
        assert granted[[2, 3]].all() and not granted[4] and granted[[0, 1, 5]].sum() == 1
        wins += granted
    assert (wins[[0, 1, 5]] > 40).all()          # at random among equals


def test_more_job_seekers_for_the_same_vacancies_lower_job_finding(baseline):
    first = situation.month(baseline, t=1, job_seekers=3000, status_job_seekers=3000)
    crowded = situation.month(baseline, t=1, job_seekers=4000, status_job_seekers=3000)
    assert crowded.job_tightness[0] < first.job_tightness[0]
