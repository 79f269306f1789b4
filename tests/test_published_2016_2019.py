"""2016 practice against what happened nationally after 2016: facts the model is not fitted to
(data/published_2016_2019.toml, each with its source), at tolerances written down before the
model's values were looked at. A miss is reported in docs/model.md (§3.5.2), never tolerated by
widening: it is marked as a known miss with its likely cause."""
from __future__ import annotations

import numpy as np
import pytest

from model import calendar, paths
from model.inputs import params
from model.sim import runner
from model.sim.indicators import M
from model.states import State

FACTS = params.read_toml(paths.DATA / "published_2016_2019.toml")
FUTURES, SEED = 10, 2016

# Known misses (docs/model.md §3.5.2), each with its likely cause. Strict: a miss that starts to pass
# is reported, so the mark is removed rather than left standing.
MISSES = {
    "cash_benefit": "the model's activity-ready recipients (two thirds of the stock) leave mostly to resource "
                    "courses, pension and other benefits, hardly with the labour market; nationally they fell as "
                    "fast as the job-ready (−9.9 % in 2017), reached by the upswing, the 2016 reforms and 'Flere "
                    "skal med' (2017–2019), which the model has only through job finding and job loss",
    "flexjob_growth": "flex-jobs grow from ledighedsydelse and resource courses at hazards held constant; the "
                      "national growth came from the 2013 reform's courses maturing into flex-job visitations",
    "disability_pension_awards": "the hazard from resource course to disability pension does not depend on time "
                                 "in the course, and the warm start's courses have the burn-in's steady durations, "
                                 "not the build-up since 2013 whose first courses ended in 2018",
}


def known_miss(key: str):
    return pytest.mark.xfail(reason=MISSES[key], strict=True) if key in MISSES else ()


def month(text: str) -> int:
    year, mon = (int(x) for x in text.split("-"))
    return calendar.index(year, mon)


@pytest.fixture(scope="module")
def practice(baseline):
    """2016 practice continued, whole municipality, 10 futures (mean over them)."""
    results = runner.run_replications(baseline, FUTURES, SEED, keep_populations=False)
    states = np.concatenate([r.states for r in results]).astype(float)          # (futures, months, states)
    flows = np.concatenate([r.flows for r in results]).astype(float)            # (futures, months, from, to)
    leavers = np.concatenate([r.leavers for r in results]).astype(float)
    measures = np.concatenate([r.measures for r in results])
    return {"states": states.mean(0), "flows": flows.mean(0), "leavers": leavers.mean(0),
            "measures": measures.mean(0)}


def stock(practice, states: list[str], t: int) -> float:
    return float(sum(practice["states"][t, State[s]] for s in states))


def change(practice, fact: dict) -> float:
    a, b = month(fact["from"]), month(fact["to"])
    if "indicator" in fact:
        m = practice["measures"][:, M[fact["indicator"]]]
        return float(m[b] / m[a] - 1)
    return stock(practice, fact["states"], b) / stock(practice, fact["states"], a) - 1


def within(value: float, fact: dict) -> bool:
    return fact["low"] <= value <= fact["high"]


def year_months(year: int) -> np.ndarray:
    return np.flatnonzero((np.asarray(calendar.YEAR_OF) == year) & (np.arange(calendar.N_MONTHS) > 0))


@pytest.mark.parametrize("key", [pytest.param(k, marks=known_miss(k)) for k in
                                 ("cash_benefit", "long_term_unemployed", "permanent_support", "gross_unemployment")])
def test_the_change_after_2016_is_within_the_published_span(practice, key):
    fact = FACTS[key]
    got = change(practice, fact)
    assert within(got, fact), f"{fact['what']}: model {got:+.1%}, published span {fact['low']:+.0%} … {fact['high']:+.0%}"


@pytest.mark.parametrize("key", [pytest.param(k, marks=known_miss(k)) for k in ("flexjob_growth", "disability_pension_stock")])
def test_the_yearly_change_is_within_the_published_span(practice, key):
    fact = FACTS[key]
    for year in fact["years"]:
        a, b = calendar.year_end_index(year - 1), calendar.year_end_index(year)
        got = stock(practice, fact["states"], b) / stock(practice, fact["states"], a) - 1
        assert within(got, fact), f"{fact['what']}, {year}: model {got:+.1%}, span {fact['low']:+.0%} … {fact['high']:+.0%}"


@known_miss("disability_pension_awards")
def test_new_disability_pensions_rise_from_2017_to_2018_as_published(practice):
    fact = FACTS["disability_pension_awards"]
    into = practice["flows"][:, :, State.disability_pension].sum(axis=1)        # moves into førtidspension by month
    awards = {y: float(into[year_months(y)].sum()) for y in (fact["year_from"], fact["year_to"])}
    ratio = awards[fact["year_to"]] / awards[fact["year_from"]]
    assert within(ratio, fact), f"awards {awards}: ratio {ratio:.2f}, span {fact['low']} … {fact['high']}"


def resource_course_exit_shares(practice, year: int) -> dict[str, float]:
    m = year_months(year)
    out = practice["flows"][m, State.resource_course].sum(axis=0)
    out[State.resource_course] = 0.0
    total = out.sum() + practice["leavers"][m, State.resource_course].sum()
    return {"job": out[State.employed] / total, "pension": out[State.disability_pension] / total}


def test_few_resource_course_leavers_go_to_ordinary_work(practice):
    fact = FACTS["resource_course_exits"]
    for year in (2017, 2018):
        got = resource_course_exit_shares(practice, year)["job"]
        assert got <= fact["job_high"], f"{year}: {got:.1%} of resource-course leavers into work (published 3–4 %)"


def test_the_disability_pension_share_of_resource_course_leavers_rises_into_2018(practice):
    fact = FACTS["resource_course_exits"]
    rise = resource_course_exit_shares(practice, 2018)["pension"] - resource_course_exit_shares(practice, 2017)["pension"]
    assert rise > fact["pension_rise_low"], f"pension share 2017 → 2018: {rise:+.1%} (published 46 % → 56 %)"
