"""No lever is a target: the jobcenter decides efforts (assessments for partial return to work,
company places found for resource courses), and the shares the plan measures follow from who can
and does take them up (docs/model.md §3.5.3). Each effort moves its share by what the take-up
(data/effects.toml) says: one more assessment a month starts partial_rtw_take_up partial returns,
one more place found starts rf_company_take_up company offers."""
from __future__ import annotations

import numpy as np
import pytest

from model.inputs import assumptions
from model.sim.citizens import Offer
from model.states import State

from conftest import mean_indicator, run_fast, with_levers

S = State
SCALE, REPS, SEED = 0.5, 3, 5
PLAN_MONTHS = range(7, 31)                 # moves into 2017-02 .. 2019-01 (the efforts act from 2017)


class Starts:
    """Partial returns and resource-course company offers started each month (an engine observer)."""

    def __init__(self):
        self.partial_prev = None
        self.partial, self.offers = [], []

    def __call__(self, t, stores):
        c = stores[0]
        sick = (c.state == S.sickness_benefit) | (c.state == S.job_clarification)
        now = sick & c.partial
        if self.partial_prev is not None and t in PLAN_MONTHS:
            prev = np.zeros(now.size, bool)
            prev[:self.partial_prev.size] = self.partial_prev
            self.partial.append(int((now & ~prev).sum()))
            rf = (c.state == S.resource_course) & (c.offer != Offer.none)
            self.offers.append(int((rf & (c.offer_len == 1)).sum()))          # granted last month
        self.partial_prev = now.copy()


def starts(sc):
    s = Starts()
    result = run_fast(sc, seed=SEED, scale=SCALE, reps=REPS, observer=s)
    return result, np.mean(s.partial) / (REPS * SCALE), np.mean(s.offers) / (REPS * SCALE)


@pytest.fixture(scope="module")
def efforts(baseline):
    low = starts(with_levers(baseline, partial_return_assessments=100, resource_course_company_places=10))
    high = starts(with_levers(baseline, partial_return_assessments=300, resource_course_company_places=40))
    return low, high


def test_each_assessment_starts_as_many_partial_returns_as_the_take_up_says(efforts):
    (_, low, _), (_, high, _) = efforts
    take_up = assumptions.resolve()["partial_rtw_take_up"]
    assert (high - low) / (300 - 100) == pytest.approx(take_up, rel=0.15)


def test_each_place_found_starts_as_many_company_offers_as_the_take_up_says(efforts):
    (_, _, low), (_, _, high) = efforts
    take_up = assumptions.resolve()["rf_company_take_up"]
    assert (high - low) / (40 - 10) == pytest.approx(take_up, rel=0.15)


def test_the_shares_follow_from_the_efforts_and_are_no_lever_value(efforts):
    (lo, _, _), (hi, _, _) = efforts
    for key in ("partial_return_share", "resource_course_company_share"):
        a, b = mean_indicator(lo, key, 2018), mean_indicator(hi, key, 2018)
        assert 0.0 < a < b < 1.0, (key, a, b)


def test_the_take_up_bounds_the_partial_share(baseline):
    """However many are assessed, only those who can and will start: the share stays well below
    one (everyone assessed every month: the take-up's share of new spells, at most)."""
    r = run_fast(with_levers(baseline, partial_return_assessments=800), seed=SEED, scale=SCALE, reps=REPS)
    share = mean_indicator(r, "partial_return_share", 2019)
    assert 0.3 < share < 0.8, share
