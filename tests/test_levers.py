"""Every lever moves its mechanism in the stated direction, and the plan differs from 2016
practice in the direction the evidence says. Runs compare the same seeds with one lever moved."""
import numpy as np
import pytest

from model.inputs import levers
from model.sim import situation
from model.sim.citizens import Offer
from model.states import State

from conftest import mean_indicator, run_fast, with_levers

S = State
SCALE, REPS, SEED = 0.15, 3, 22


class Tally:
    """Counts over all months 2017–2020 of the simulated population (an engine observer)."""

    def __init__(self, what):
        self.what, self.total = what, 0.0

    def __call__(self, t, stores):
        if t >= 6:                                   # from 2017-01
            self.total += sum(float(self.what(c)) for c in stores)


def observe(sc, what, scale=SCALE, reps=REPS):
    tally = Tally(what)
    run_fast(sc, seed=SEED, scale=scale, reps=reps, observer=tally)
    return tally.total


def alive(c, state):
    return c.state == state


# lever, low value, high value, what the mechanism shows, expected sign of (high - low)
MECHANISMS = [
    ("internship_deadline_months", 2, 12, lambda c: (alive(c, S.unemployment_insurance) & (c.offer != 0)).sum(), -1),
    ("internship_places", 400, 2000,
     lambda c: ((c.offer == Offer.internship_private) | (c.offer == Offer.internship_public)).sum(), +1),
    ("wage_subsidy_places", 60, 1200, lambda c: (c.offer == Offer.wage_subsidy).sum(), +1),
    ("public_wage_subsidy_max_months", 2, 12, lambda c: (c.offer == Offer.wage_subsidy).sum(), +1),

    ("activity_offer_interval_months", 4, 24, lambda c: (alive(c, S.cash_benefit_activity) & (c.offer != 0)).sum(), -1),

    ("partial_return_assessments", 50, 600, lambda c: (alive(c, S.sickness_benefit) & c.partial).sum(), +1),
    ("resource_course_company_places", 5, 100, lambda c: (alive(c, S.resource_course) & (c.offer != 0)).sum(), +1),
    # weekly hours per flex-jobber (more hours also mean more exits to ordinary work, so the
    # total of hours is not the mechanism)
    ("flexjob_progression", 1.0, 3.0, lambda c: c.flex_hours[alive(c, S.flexjob)].astype(float).mean(), +1),
    # refugees who arrived from 2017 in work (the effect fades after 2–3 years)
    ("refugee_work_first_share", 0.0, 1.0, lambda c: (c.refugee & (c.arrival >= 6) & alive(c, S.employed)).sum(), +1),
    ("igu_uptake", 0.0, 0.04, lambda c: alive(c, S.igu).sum(), +1),
]

# Few refugees arrive: at the common size one seed's noise is as large as the work-first effect
# (2 of 12 seeds showed the opposite sign), so its mechanism is observed in 16 times as many
# citizen-months (each of 6 seeds then showed +15 to +25 %).
SIZE = {"refugee_work_first_share": (0.6, 12)}

# Levers whose effect is small against the noise of a whole simulation are checked in the rules
# themselves: the multiplier they set for the citizens they reach.
RULE_LEVEL = ["late_dagpenge_effort", "youth_education_push"]


def test_every_lever_has_a_mechanism_test():
    assert sorted([m[0] for m in MECHANISMS] + RULE_LEVEL) == sorted(levers.LEVERS)


def month(baseline, **lever):
    return situation.month(with_levers(baseline, **lever), t=12)


def one(state, **attrs):
    return situation.person(state, t=12, **attrs)


def multipliers(c, m):
    return situation.multipliers(c, m)


def test_late_dagpenge_effort_raises_job_finding_after_16_months(baseline):
    c = one(S.unemployment_insurance, dp_hist=(1 << 20) - 1, mis=19, rank=0.3, offered=True, since_offer=99)
    off = multipliers(c, month(baseline, late_dagpenge_effort=0.0))["employed"]
    on = multipliers(c, month(baseline, late_dagpenge_effort=1.0))["employed"]
    assert on / off == pytest.approx(1.1)
    early = one(S.unemployment_insurance, dp_hist=(1 << 8) - 1, mis=7, rank=0.3, offered=True, since_offer=99)
    assert multipliers(early, month(baseline, late_dagpenge_effort=1.0))["employed"] == off


def test_youth_education_push_raises_education_starts_and_lowers_drop_out(baseline):
    young = one(S.education_benefit_ready, rank=0.3)
    student = one(S.education, rank=0.3)
    on, off = month(baseline, youth_education_push=1.0), month(baseline, youth_education_push=0.0)
    assert multipliers(young, on)["education"] > multipliers(young, off)["education"]
    assert multipliers(student, on)["unemployment"] < multipliers(student, off)["unemployment"]


def test_youth_education_push_moves_more_young_people_into_education(baseline):
    lo = run_fast(with_levers(baseline, youth_education_push=0.0), seed=SEED, scale=SCALE, reps=REPS)
    hi = run_fast(with_levers(baseline, youth_education_push=1.0), seed=SEED, scale=SCALE, reps=REPS)
    years = (2017, 2018, 2019, 2020)
    assert np.mean([mean_indicator(hi, "youth_to_education", y) for y in years]) > \
        np.mean([mean_indicator(lo, "youth_to_education", y) for y in years])


@pytest.mark.parametrize("lever,low,high,what,sign", MECHANISMS, ids=[m[0] for m in MECHANISMS])
def test_lever_moves_its_mechanism(baseline, lever, low, high, what, sign):
    size = SIZE.get(lever, (SCALE, REPS))
    lo = observe(with_levers(baseline, **{lever: low}), what, *size)
    hi = observe(with_levers(baseline, **{lever: high}), what, *size)
    assert np.sign(hi - lo) == sign, f"{lever}: {low} -> {high} changed the mechanism {lo} -> {hi}"


def test_every_lever_is_typed_bounded_labelled_and_cited():
    for lv in levers.LEVERS.values():
        assert lv.kind in ("int", "float") and lv.min < lv.max
        assert lv.min <= lv.practice_2016 <= lv.max
        assert all(lv.min <= v <= lv.max for v in (lv.plan or {}).values())
        assert lv.label_da and lv.label_en and lv.unit_da and lv.help_da and lv.evidence and lv.mechanism


@pytest.fixture(scope="module")
def both(baseline, plan):
    return run_fast(baseline, seed=9, scale=0.25, reps=4), run_fast(plan, seed=9, scale=0.25, reps=4)


# indicator, year, expected direction of plan minus 2016 practice (docs/model.md §3.3)
PLAN_DIRECTIONS = [
    ("partial_return_share", 2020, +1),          # more partial sick-listing
    ("company_offer_share", 2018, +1),           # more company internships and wage subsidy
    ("resource_course_company_share", 2020, +1),  # more company-oriented resource courses
    ("youth_to_education", 2018, +1),            # youth education push
    ("youth_on_benefits", 2019, -1),             # fewer young on benefits
    ("refugees_self_supporting", 2017, +1),      # Danish-plus-job (work first; fades after 2–3 years)
]
# Not the long-term unemployed: the plan keeps the activity-ready's offers at the law's 12 months, the
# only lever that reaches their passivity, and its other levers share the places (docs/model.md §3.5.1);
# the lever that does lower Mål 3 is checked on its own below.


@pytest.mark.parametrize("key,year,sign", PLAN_DIRECTIONS, ids=[k for k, _, _ in PLAN_DIRECTIONS])
def test_plan_differs_from_2016_practice_as_the_evidence_says(both, key, year, sign):
    base, plan = both
    diff = mean_indicator(plan, key, year) - mean_indicator(base, key, year)
    assert np.sign(diff) == sign, f"{key} {year}: plan - baseline = {diff:.4g}"


def test_more_frequent_activity_offers_lower_the_long_term_unemployed(baseline):
    """Mål 3 counts passivity: an offer breaks the count (docs/model.md §2, §3.5.1)."""
    rare = run_fast(with_levers(baseline, activity_offer_interval_months=12), seed=9, scale=0.25, reps=4)
    often = run_fast(with_levers(baseline, activity_offer_interval_months=6), seed=9, scale=0.25, reps=4)
    assert mean_indicator(often, "long_term_unemployed", 2019) < 0.8 * mean_indicator(rare, "long_term_unemployed", 2019)
