"""The status month reproduces the plan's 2016 figures, and 2016 practice its first year."""
import pytest

from model.sim import indicators
from model.sim.engine import FastEngine

from conftest import mean_indicator

M = indicators.M


@pytest.fixture(scope="module")
def full_scale(baseline):
    return FastEngine(baseline, seed=3, replications=3).run()


def status(result, measure):
    return result.measures[:, 0, M[measure]].mean()


def test_young_on_temporary_benefits_is_1343(full_scale):
    assert status(full_scale, "youth_on_benefits") == pytest.approx(1343, rel=0.02)


def test_long_term_unemployed_on_cash_benefit_is_378(full_scale):
    assert status(full_scale, "long_term_unemployed") == pytest.approx(378, rel=0.03)


def test_partial_return_to_work_is_22_1_percent(full_scale):
    share = status(full_scale, "sick_partial") / status(full_scale, "sick_total")
    assert share == pytest.approx(0.221, abs=0.01)


def test_company_offers_are_14_6_percent_of_5790_unemployed_and_sick(full_scale):
    denominator = status(full_scale, "unemployed_and_sick")
    assert denominator == pytest.approx(5790, rel=0.02)
    assert status(full_scale, "company_offers") / denominator == pytest.approx(0.146, abs=0.01)


def test_399_in_resource_courses_with_11_percent_in_company_offers(full_scale):
    n = status(full_scale, "resource_course")
    assert n == pytest.approx(399, rel=0.02)
    assert status(full_scale, "resource_course_company") / n == pytest.approx(0.11, abs=0.01)


def test_first_simulated_year_under_2016_practice_moves_25_percent_of_young_into_education(full_scale):
    assert mean_indicator(full_scale, "youth_to_education", 2017) == pytest.approx(0.25, abs=0.03)
