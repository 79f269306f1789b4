"""The plan's indicators, computed exactly as defined, on hand-made citizens."""
import numpy as np
import pytest

from model import calendar
from model.inputs import municipalities
from model.sim import indicators
from model.sim.citizens import Citizens, Offer
from model.states import State

S = State
M = indicators.M


def people(states, ages_years, **attrs):
    return Citizens.empty(len(states), 0).set(state=states, birth=-np.asarray(ages_years) * 12, **attrs)


def test_young_on_temporary_benefits_excludes_flexjob_disability_pension_and_30_plus():
    c = people([S.education_benefit_ready, S.unemployment_insurance, S.flexjob, S.disability_pension,
                S.cash_benefit_activity, S.employed], [20, 25, 22, 25, 31, 20])
    assert indicators.measure(c, 0)[0, M["youth_on_benefits"]] == 2


def test_long_term_unemployed_are_on_cash_benefit_10_of_the_last_12_months():
    c = people([S.cash_benefit_jobready, S.cash_benefit_activity, S.cash_benefit_jobready, S.unemployment_insurance],
               [40] * 4, unemp_hist=[0xFFF, 0b1111111110, 0b1111111101 | 0x400, 0xFFF])
    # 12 of 12; 9 of 12 (not long-term); 10 of 12; dagpenge (not cash benefit)
    assert indicators.measure(c, 0)[0, M["long_term_unemployed"]] == 2


def test_company_offer_share_counts_offers_among_unemployed_and_sick():
    c = people([S.unemployment_insurance, S.sickness_benefit, S.resource_course, S.employed], [40] * 4,
               offer=[Offer.internship_private, Offer.none, Offer.wage_subsidy, Offer.none])
    m = indicators.measure(c, 0)[0]
    assert (m[M["company_offers"]], m[M["unemployed_and_sick"]]) == (1, 2)
    assert (m[M["resource_course_company"]], m[M["resource_course"]]) == (1, 1)


def test_stock_indicators_are_read_at_the_end_of_each_year():
    monthly = np.zeros((calendar.N_MONTHS, len(indicators.MEASURES)))
    monthly[:, M["long_term_unemployed"]] = np.arange(calendar.N_MONTHS)
    out = indicators.yearly(monthly)["long_term_unemployed"]
    assert out[2016] == 0                                   # the status month, 2016-07
    assert out[2017] == calendar.index(2017, 12)            # December 2017


def test_education_share_is_starts_over_the_average_stock_of_the_year():
    monthly = np.zeros((calendar.N_MONTHS, len(indicators.MEASURES)))
    monthly[:, M["youth_on_benefits"]] = 1000
    monthly[:, M["youth_education_starts"]] = 20            # 20 a month = 240 a year
    assert indicators.yearly(monthly)["youth_to_education"][2018] == 0.24


def test_targets_are_the_plans():
    t = municipalities.load("viborg").targets
    assert t["youth_on_benefits"]["years"] == {2017: 1300, 2018: 1150, 2019: 1000, 2020: 900}
    assert t["long_term_unemployed"]["years"][2020] == 220
    assert t["partial_return_share"]["years"][2020] == 0.30
    assert indicators.meets(np.array([880.0, 950.0]), 900, "below").tolist() == [True, False]


def test_the_status_point_of_every_indicator_is_the_plans_status(plan):
    """2016 in a summary is the plan's status figure (youth into education: 25 %, end of 2015),
    never a number of another definition; where the plan gives none, the model's status value
    measured as the plan measures it."""
    from model.sim import runner
    results = runner.run_replications(plan, 3, seed=2, scale=0.3)
    s = runner.summary(results).set_index(["indicator", "year"])
    targets = plan.municipality.targets
    model_status = runner.municipality_values(results)
    for key, ind in indicators.INDICATORS.items():
        row = s.loc[(key, calendar.START_YEAR)]
        base = targets.get(key, {}).get("baseline")
        if base is not None:
            assert row["mean"] == row["p05"] == row["p95"] == base, key
            if ind.status_as_plan:      # the claim behind the flag: the population reproduces the figure
                tolerance = dict(rel=0.03) if ind.kind == "count" else dict(abs=0.01)   # rounding at scale 0.3
                assert model_status[key][:, 0].mean() == pytest.approx(base, **tolerance), key
        else:
            assert ind.status_as_plan and row["mean"] == pytest.approx(model_status[key][:, 0].mean()), key
    assert s.loc[("youth_to_education", 2016), "mean"] == 0.25


def test_a_flow_indicator_without_a_plan_status_has_no_status_point():
    values = np.array([0.34, 0.35])
    assert np.isnan(indicators.status_values("youth_to_education", values, {"baseline": None})).all()
    assert (indicators.status_values("youth_to_education", values, {"baseline": 0.25}) == 0.25).all()
    assert (indicators.status_values("youth_on_benefits", values, {}) == values).all()
