"""The warm start (model/sim/warmstart.py): the July 2016 population continues the model's own
dynamics, so that 2016 practice, with nothing changing, holds the status month's stocks and the
plan's status figures steady instead of correcting a guess in its first months (docs/model.md §3.1).

The tolerances are the test's definition of "no jump", set before the model was run: over the first
six months every state with at least 150 citizens in the status month stays within 7 % of its
status stock, Mål 3 within 10 %, the shares within 2 percentage points (resource courses, a small
group: 3). Education and education benefit move with the season (education starts in August and
January): those are held against the status month a year later, within 7 %."""
from __future__ import annotations

import numpy as np
import pytest

from model import calendar
from model.inputs import params, scenario
from model.sim import engine, indicators, population, warmstart
from model.sim.citizens import Citizens
from model.sim.engine import FastEngine
from model.states import EDUCATION_BENEFIT, State

S = State
FUTURES, SEED = 10, 71
FIRST_MONTHS = range(1, 7)
SEASONAL = (S.education, *EDUCATION_BENEFIT)
ARRIVALS = (S.integration_benefit, S.igu)      # follow the refugees housed, an input


def nothing_changes(baseline) -> scenario.Scenario:
    """2016 practice with every input held at its 2016 level: labour demand as in the status
    month and refugees housed at the rate that holds the status month's integration benefit
    steady (the burn-in's)."""
    rate = baseline.municipality.demography["refugees_per_year_before_2016"]
    return baseline.replace(name="2016 practice, nothing changes",
                            inputs={"labour_demand": {str(y): 1.0 for y in calendar.REPORT_YEARS},
                                    "refugees_per_year": {str(y): rate for y in calendar.REPORT_YEARS}})


@pytest.fixture(scope="module")
def steady(baseline):
    # No national rule of a later date acts either (the 2016 reforms act from October 2016).
    r = FastEngine(nothing_changes(baseline), SEED, scale=1.0, replications=FUTURES, dated_rules=False).run()
    return r.states.mean(axis=0), np.array([indicators.yearly(m) for m in r.measures]), r.measures.mean(axis=0)


def test_no_state_jumps_in_the_first_months_when_nothing_changes(steady):
    states, _, _ = steady
    status = states[0]
    for s in S:
        if status[s] < 150 or s in ARRIVALS:
            continue
        months = [12] if s in SEASONAL else list(FIRST_MONTHS)
        change = states[months, s] / status[s] - 1
        worst = months[int(np.argmax(np.abs(change)))]
        assert np.all(np.abs(change) <= 0.07), \
            f"{s.name}: {status[s]:.0f} in July 2016, {states[worst, s]:.0f} in month {worst} ({np.max(np.abs(change)):.1%})"


def test_the_plans_status_figures_hold_in_the_first_months_when_nothing_changes(steady):
    _, _, m = steady
    M = indicators.M
    ratio = lambda a, b: m[:, M[a]] / m[:, M[b]]            # noqa: E731
    checks = {
        "long_term_unemployed": (m[:, M["long_term_unemployed"]], "rel", 0.10),
        "company_offer_share": (ratio("company_offers", "unemployed_and_sick"), "abs", 0.02),
        "partial_return_share": (ratio("sick_partial", "sick_total"), "abs", 0.02),
        "resource_course_company_share": (ratio("resource_course_company", "resource_course"), "abs", 0.03),
    }
    for key, (series, kind, tol) in checks.items():
        first = series[list(FIRST_MONTHS)]
        off = first / series[0] - 1 if kind == "rel" else first - series[0]
        assert np.all(np.abs(off) <= tol), f"{key}: status {series[0]:.4g}, first months {np.round(first, 4)}"
    youth = m[:, M["youth_on_benefits"]]
    assert abs(youth[12] / youth[0] - 1) <= 0.07, f"young on temporary benefits: {youth[0]:.0f} → {youth[12]:.0f}"


def test_the_warm_population_meets_the_plans_status_figures_exactly(baseline):
    pop = engine.initial_population(baseline.municipality, 1.0, 5, params.hazards(), keep=False)
    got = indicators.measure(pop, 0)[0]
    status = baseline.municipality.status_2016
    M = indicators.M
    assert got[M["long_term_unemployed"]] == status["long_term_unemployed"]
    assert got[M["company_offers"]] == sum(status["company_offers"].values())
    assert got[M["resource_course_company"]] == status["resource_course_company"]
    assert got[M["sick_partial"]] == status["partial_return"]


def test_the_donors_clocks_are_legal_in_the_status_month(baseline):
    pop = engine.initial_population(baseline.municipality, 1.0, 6, params.hazards(), keep=False)
    c = Citizens(pop.rec, 0)
    rc = c.state == S.resource_course
    assert c.mis[rc].max() <= warmstart.resource_course_months()          # none before the 2013 reform
    integ = c.state == S.integration_benefit
    assert (-c.arrival[integ] >= 1).all() and (-c.arrival[integ] <= warmstart.REFUGEE_MONTHS).all()
    assert (c.mis[integ] < -c.arrival[integ]).all()                        # no spell before arrival
    dp = c.state == S.unemployment_insurance
    assert c.mis[dp].max() < params.rules()["unemployment_insurance"]["max_months_in_window"]
    assert (c.mis >= 0).all() and (c.mis <= (-c.birth - 16 * 12)).all()   # no spell before working age


def test_the_simple_build_is_the_burn_ins_start_and_keeps_its_stocks(baseline):
    rng = np.random.default_rng(3)
    cold = population.build(rng, baseline.municipality, 0.2)
    warm = engine.initial_population(baseline.municipality, 0.2, 3, params.hazards(), keep=False)
    assert np.array_equal(np.bincount(cold.state, minlength=len(S)), np.bincount(warm.state, minlength=len(S)))
