"""What the effort costs: the pricing rules on quantities chosen by hand (the casework by caseload,
the driftsloft per group and year, who pays for IGU, the cap on staff with the casework first),
the data's checks, the payback month, and, on real runs, capacity: without a cap nothing changes;
with one the contact levers reach fewer and the places wait, and the outputs say so."""
import tomllib

import numpy as np
import pytest
import tomli_w

from model import calendar
from model.costs import accounts, business_case, effort
from model.inputs import assumptions, rates, scenario
from model.inputs import effort as effort_data
from model.sim import cost_rules, runner
from model.states import State

from conftest import with_levers

T = calendar.N_MONTHS
MONTH_YEAR = np.asarray(calendar.YEAR_OF)


def quantities(**given) -> dict[str, np.ndarray]:
    """Every quantity a run counts, zero for one future, with ``given`` ones set (a number: every month)."""
    q = {f"months.{s.name}": np.zeros((1, T)) for s in State}
    for s in State:
        for kind in effort_data.OFFER_KINDS:
            q[f"offer_months.{kind}.{s.name}"] = np.zeros((1, T))
    for name in effort_data.EVENTS:
        q[name] = np.zeros((1, T))
    q["coverage"] = np.ones((1, T))
    for k, v in given.items():
        q[k.replace("__", ".")] = np.broadcast_to(np.asarray(v, float), (1, T)).copy()
    return q


@pytest.fixture(scope="module")
def practice_sc(baseline):
    return baseline


def component(p: effort.Priced, name: str) -> np.ndarray:
    return p.costs[0, :, effort.COMPONENTS.index(name)]            # (months, 3: gross, refusion, net)


def without_effort_levers(sc: scenario.Scenario) -> scenario.Scenario:
    """``sc`` with no partial-return assessments and no company places found for resource courses:
    the effort levers whose own value is their quantity (priced whatever the run counts). The 2016
    months keep 2016 practice's efforts (a scenario sets the plan years only)."""
    return sc.replace(levers={"partial_return_assessments": 0, "resource_course_company_places": 0}, name=sc.name)


def test_casework_is_the_people_on_a_benefit_over_the_caseload_at_a_full_time_year(practice_sc):
    a = practice_sc.assumption_values
    p = effort.price(quantities(months__cash_benefit_activity=450), without_effort_levers(practice_sc))
    fte = 450 / a["caseload_activity_ready"]
    plan = MONTH_YEAR >= 2017
    np.testing.assert_allclose(p.fte_need["caseworker"][0, plan], fte)
    monthly = fte * a["caseworker_fte_cost"] / 12 * (1 + a["wage_index"]) ** (MONTH_YEAR - 2016)
    np.testing.assert_allclose(component(p, "casework")[:, 0], monthly)
    np.testing.assert_allclose(component(p, "casework")[:, 2], monthly)          # staff: never refunded
    assert not component(p, "effort_caseworkers")[plan].any()


def test_the_effort_levers_are_priced_by_what_they_ask_for_a_month(practice_sc):
    """Each partial-return assessment takes a caseworker's time, each company place found for a
    resource course a consultant's time, taken or not: a lever's value a month × its hours, in
    full-time staff at the effective hours of a full-time year; none of the talks is rationed."""
    a = practice_sc.assumption_values
    sc = practice_sc.replace(levers={"partial_return_assessments": 200, "resource_course_company_places": 40},
                             name="efforts")
    p = effort.price(quantities(), sc)
    month = a["effective_hours_per_fte"] / 12
    plan = MONTH_YEAR >= 2017
    np.testing.assert_allclose(p.fte_need["caseworker"][0, plan], 200 * a["partial_return_assessment_hours"] / month)
    consultants = 40 * a["resource_course_place_hours"] / month
    places = (sc.lever("internship_places", 2017) + sc.lever("wage_subsidy_places", 2017)) / a["places_per_consultant"]
    np.testing.assert_allclose(p.fte_need["consultant"][0, MONTH_YEAR == 2017], consultants + places)
    index = (1 + a["wage_index"]) ** (MONTH_YEAR - 2016)
    np.testing.assert_allclose(component(p, "effort_caseworkers")[plan, 0],
                               200 * a["partial_return_assessment_hours"] / month * a["caseworker_fte_cost"] / 12 * index[plan])
    np.testing.assert_allclose(p.rows["resource_course_places"][0, plan],
                               consultants * a["consultant_fte_cost"] / 12 * index[plan])


def test_running_an_internship_is_refunded_half_within_the_ceiling_until_2018_then_only_for_dagpenge(practice_sc):
    """100 activity-ready in public internships out of 1,000 activity-ready: far below the ceiling,
    so half is refunded in 2016–2018 and nothing from 2019; dagpenge recipients keep theirs."""
    q = quantities(months__cash_benefit_activity=1000, offer_months__internship_public__cash_benefit_activity=100,
                   months__unemployment_insurance=1000, offer_months__internship_public__unemployment_insurance=100)
    p = effort.price(q, practice_sc, {**practice_sc.assumption_values, "mentor_hours_weak_offer": 2})
    offers = component(p, "effort_offers")
    assert offers[:, 0].min() > 0
    before, after = MONTH_YEAR <= 2018, MONTH_YEAR >= 2019
    np.testing.assert_allclose(offers[before, 1] / offers[before, 0], 0.5)
    a = practice_sc.assumption_values
    index = (1 + a["wage_index"]) ** (MONTH_YEAR - 2016)
    dagpenge = 100 * a["internship_public_month"] * index                       # no mentor for dagpenge recipients
    np.testing.assert_allclose(offers[after, 1], 0.5 * dagpenge[after])
    np.testing.assert_allclose(offers[:, 0], offers[:, 1] + offers[:, 2])


def test_the_ceiling_binds_when_the_running_costs_exceed_it_per_full_year_recipient(practice_sc):
    """10 dagpenge recipients, all in a private internship at 50,000 kr. a month: the group's ceiling
    (11,414 kr. a year per full-year recipient) caps the costs refunded at 10 × 11,414 a year, of which
    the state refunds half ("an upper frame for the costs the municipality can take refusion of")."""
    q = quantities(months__unemployment_insurance=10, offer_months__internship_private__unemployment_insurance=10)
    p = effort.price(q, practice_sc, {**practice_sc.assumption_values, "internship_private_month": 50_000,
                                      "wage_index": 0.0})
    offers = component(p, "effort_offers")
    book = rates.book()
    for y in calendar.PLAN_YEARS:
        months = MONTH_YEAR == y
        ceiling = book.value("offers", "ceiling_dagpenge_cash", y) * 10
        assert offers[months, 1].sum() == pytest.approx(0.5 * min(offers[months, 0].sum(), ceiling))
        assert offers[months, 1].sum() < 0.5 * offers[months, 0].sum()


def test_the_igu_allowance_is_refunded_in_full_and_the_bonus_is_the_states(practice_sc):
    p = effort.price(quantities(months__igu=24), practice_sc)
    igu = component(p, "effort_igu")
    assert igu[:, 0].min() > 0
    np.testing.assert_allclose(igu[:, 2], 0.0)                                   # nothing for the municipality
    np.testing.assert_allclose(igu[:, 1], igu[:, 0])                             # all of it the state's
    bonus = p.rows["igu_bonus"][0]
    np.testing.assert_allclose(bonus, 24 * 40_000 / 24)                          # a completed IGU's bonus a month
    purses = accounts.with_purses(p.costs, grants=None)[0, :, effort.COMPONENTS.index("effort_igu")]
    np.testing.assert_allclose(purses[:, accounts.STATE_NET], igu[:, 0])
    np.testing.assert_allclose(purses[:, accounts.PUBLIC_NET], igu[:, 0])


def test_a_cap_pays_the_casework_first_and_the_levers_talks_with_what_is_left(practice_sc):
    a = practice_sc.assumption_values
    sc = practice_sc.replace(levers={"late_dagpenge_effort": 1.0, "partial_return_assessments": 0},
                             inputs={"caseworkers_fte": {y: 12 for y in calendar.PLAN_YEARS}}, name="capped")
    q = quantities(months__unemployment_insurance=1000, late_dagpenge_months=1000)
    p = effort.price(q, sc)
    casework = 1000 / a["caseload_dagpenge"]                                     # 10 FTE
    talks = 1000 * a["late_effort_talks_per_month"] * a["hours_per_talk"] / (a["effective_hours_per_fte"] / 12)
    plan = MONTH_YEAR >= 2017                 # (the 2016 months' talks follow the levers of 2016: none)
    np.testing.assert_allclose(p.fte_need["caseworker"][0, plan], casework + talks)
    np.testing.assert_allclose(p.fte_paid["caseworker"][0, plan], 12)
    index = (1 + a["wage_index"]) ** (MONTH_YEAR - 2016)
    np.testing.assert_allclose(component(p, "casework")[plan, 0], (casework * a["caseworker_fte_cost"] / 12 * index)[plan])
    np.testing.assert_allclose(component(p, "effort_caseworkers")[plan, 0], (2 * a["caseworker_fte_cost"] / 12 * index)[plan])
    assert effort.over_capacity(p, sc) and all(r == "caseworker" for r, *_ in effort.over_capacity(p, sc))


def test_a_unit_cost_can_be_varied_within_its_range_and_not_beyond(practice_sc):
    sc = practice_sc.replace(assumptions={"mentor_hour_cost": 600}, name="dear")
    assert sc.assumption_values["mentor_hour_cost"] == 600
    with pytest.raises(scenario.ScenarioError, match="mentor_hour_cost = 5000: out of range, allowed 200–650"):
        practice_sc.replace(assumptions={"mentor_hour_cost": 5000}, name="too dear")
    with pytest.raises(scenario.ScenarioError, match="caseworkers_fte"):
        practice_sc.replace(inputs={"caseworkers_fte": {2018: 0}}, name="no staff")


def test_a_pricing_row_naming_an_unknown_unit_cost_is_one_line_naming_the_row(monkeypatch):
    raw = effort_data.raw()
    bad = {**raw, "pricing": [*raw["pricing"], {"key": "broken", "measure": "dkk", "component": "effort_offers",
                                                 "quantity": ["months.igu"], "times": ["no_such_cost"]}]}
    monkeypatch.setattr(effort_data, "raw", lambda: bad)
    effort_data.pricing.cache_clear()
    try:
        with pytest.raises(effort_data.EffortError, match=r"pricing #\d+ \(broken\)\.times: 'no_such_cost' is not"):
            effort_data.pricing()
    finally:
        effort_data.pricing.cache_clear()


def test_every_unit_cost_is_used_by_some_pricing_row():
    used = {f for row in effort_data.pricing() for f in (*row.times, *row.divide) if isinstance(f, str)}
    used |= {"caseworker_fte_cost", "consultant_fte_cost", "effective_hours_per_fte", "wage_index"}
    assert set(assumptions.UNIT_COSTS) - used == set()


@pytest.mark.parametrize("cumulative, month", [
    ([5, 3, -1, -2], 3),          # the saving covers the effort from the third month on
    ([-1, -2, -3], 1),            # from the first month
    ([5, 4, 3], np.inf),          # not by the end
    ([-1, 2, 3], np.inf),         # a dip below zero that does not last is no payback
    ([2, -1, 1, -1, -2], 4),      # paid back for good from the fourth month
    ([0, 0], 1),                  # nothing spent, nothing saved: no worse off from the start
])
def test_the_payback_month_is_the_first_month_from_which_the_cumulative_change_stays_at_or_below_zero(
        cumulative, month):
    assert business_case.payback(np.asarray(cumulative, float)) == month


# ---------------------------------------------------------------- on real runs

FUTURES = dict(replications=2, seed=5, scale=0.2)


@pytest.fixture(scope="module")
def push(plan):
    return with_levers(plan, youth_education_push=1.0, late_dagpenge_effort=1.0)


def test_without_a_cap_the_talks_reach_everyone_the_levers_say(push):
    run = runner.run_replications(push, **FUTURES)
    coverage = np.concatenate([r.effort[..., cost_rules.COVERAGE] for r in run])
    places = np.concatenate([r.effort[..., cost_rules.PLACES_FACTOR] for r in run])
    assert (coverage == 1).all() and (places == 1).all()
    assert effort.over_capacity(effort.priced(run), push) == []


def with_caps(sc: scenario.Scenario, **caps: float) -> scenario.Scenario:
    """``sc`` with a cap on its staff in every plan year."""
    data = tomllib.loads(sc.to_toml())
    data.setdefault("inputs", {}).update({k: {str(y): v for y in calendar.PLAN_YEARS} for k, v in caps.items()})
    return scenario.parse(tomli_w.dumps(data), "capped")


def test_too_few_caseworkers_drop_the_talks_and_the_push_reaches_fewer(push):
    capped = with_caps(push, caseworkers_fte=60)
    assert capped.cap("caseworkers_fte", 2018) == 60
    free, tight = (runner.run_replications(s, **FUTURES) for s in (push, capped))
    coverage = np.concatenate([r.effort[..., cost_rules.COVERAGE] for r in tight])
    assert coverage[:, effort.LEVER_YEAR >= 2017].max() < 1               # the casework alone needs about 120
    assert (coverage[:, effort.LEVER_YEAR == 2016] == 1).all()          # 2016 is history: no cap
    notes = effort.over_capacity(effort.priced(tight), capped)
    assert {y for r, y, *_ in notes if r == "caseworker"} == set(calendar.PLAN_YEARS)
    edu = lambda run: runner.municipality_values(run)["youth_to_education"][:, -1].mean()   # noqa: E731
    assert edu(tight) < edu(free)
    paid = effort.priced(tight).fte_paid["caseworker"]
    assert paid[:, np.asarray(calendar.YEAR_OF) >= 2017].max() <= 60 + 1e-9


def test_too_few_consultants_keep_fewer_places_open_and_offers_wait(plan):
    capped = with_caps(plan, company_consultants_fte=10)
    free, tight = (runner.run_replications(s, **FUTURES) for s in (plan, capped))
    factor = np.concatenate([r.effort[..., cost_rules.PLACES_FACTOR] for r in tight])
    assert factor[:, -1].max() == pytest.approx(10 * plan.assumption_values["places_per_consultant"] / (1150 + 330))
    share = lambda run: runner.municipality_values(run)["company_offer_share"][:, -1].mean()   # noqa: E731
    assert share(tight) < share(free)
    assert any(r == "consultant" for r, *_ in effort.over_capacity(effort.priced(tight), capped))
