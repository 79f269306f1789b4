"""Scarcity: with the places held fixed, activating one group more leaves fewer places for
another; job finding depends on vacancies per job seeker."""
import numpy as np

from model import jobcenter
from model.citizens import Offer
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


def test_allocation_rations_by_priority_then_at_random():
    kind = np.array([1, 1, 2, 2, 3, 2], np.int8)
    priority = np.array([2, 2, 0, 1, 2, 2], np.int8)
    order = np.array([0.9, 0.1, 0.5, 0.5, 0.5, 0.2])
    rep = np.zeros(6, np.int64)
    granted = jobcenter.allocate(kind, priority, order, rep, np.array([3]), np.array([0]))
    # three internship places: priority 0 and 1 first, then the lowest draw among priority 2
    assert granted.tolist() == [False, True, True, True, False, False]


def test_more_job_seekers_for_the_same_vacancies_lower_job_finding(baseline):
    from model.engine import Context
    ctx = Context(baseline, 1.0, 1)
    first = ctx.month(0, np.array([3000]), np.array([400]), np.array([45]))
    crowded = ctx.month(1, np.array([4000]), np.array([400]), np.array([45]))
    assert crowded.job_tightness[0] < first.job_tightness[0]
