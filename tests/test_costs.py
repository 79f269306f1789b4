"""What the simulated futures cost, on real runs: the accounting holds for every future, month and
component; the yearly tables add up; and the costs move the way the levers say they must."""
import numpy as np
import pytest

from model import calendar
from model.costs import accounts, business_case
from model.inputs import levers
from model.sim import runner
from model.sim.cost_rules import COMPONENTS
from model.states import TEMPORARY_BENEFIT

from conftest import with_levers

SCALE, REPS = 0.3, 3
FUTURES = dict(replications=REPS, seed=4, scale=SCALE)


@pytest.fixture(scope="module")
def practice(baseline):
    return runner.run_replications(baseline, **FUTURES)


@pytest.fixture(scope="module")
def plan_run(plan):
    return runner.run_replications(plan, **FUTURES)


def test_gross_is_refusion_plus_net_for_every_future_month_and_component(plan_run):
    for r in plan_run:
        gross, refusion, net = r.costs[..., 0], r.costs[..., 1], r.costs[..., 2]
        np.testing.assert_allclose(gross, refusion + net, rtol=1e-9, atol=1e-3)
        assert np.abs(gross).sum() > 0


def test_the_yearly_table_sums_the_months_and_the_components(plan_run):
    y = accounts.yearly(plan_run)                                  # (futures, years, components, measures)
    months = accounts.monthly(plan_run)
    engine = np.concatenate([r.costs for r in plan_run]) / SCALE    # what the month's rules accounted
    np.testing.assert_allclose(months[:, :, :len(COMPONENTS), :3], engine, rtol=1e-12)
    year_of = np.asarray(calendar.YEAR_OF)
    np.testing.assert_allclose(y.sum(axis=1), months[:, year_of >= 2017].sum(axis=1), rtol=1e-9)
    df = accounts.summary(plan_run)
    for (year, measure), rows in df.groupby(["year", "measure"]):
        parts = rows[rows.component != accounts.TOTAL]["mean"].sum()
        total = rows[rows.component == accounts.TOTAL]["mean"].item()
        assert parts == pytest.approx(total, rel=1e-9), (year, measure)
    for (year, component), rows in df.groupby(["year", "component"]):
        m = rows.set_index("measure")["mean"]
        assert m["gross_dkk"] == pytest.approx(m["state_refusion_dkk"] + m["municipal_net_dkk"], rel=1e-9, abs=1), \
            (year, component)
        assert m["public_net_dkk"] == pytest.approx(m["municipal_net_dkk"] + m["state_net_dkk"], rel=1e-9, abs=1)
        if component not in ("integration_grants", accounts.TOTAL):
            assert m["state_net_dkk"] == pytest.approx(m["state_refusion_dkk"], rel=1e-12, abs=1), (year, component)


def test_every_component_that_costs_something_is_in_one_benefit_group(plan_run, practice):
    grouped = [c for *_, comps in accounts.GROUPS for c in comps]
    assert len(grouped) == len(set(grouped))
    for run in (plan_run, practice):
        y = accounts.yearly(run)
        for c, name in enumerate(accounts.COMPONENTS):
            if name not in grouped:
                assert not np.any(y[:, :, c]), name
        np.testing.assert_allclose(accounts.by_group(y).sum(axis=2), y.sum(axis=2), rtol=1e-9)


def test_municipal_net_is_the_net_total_of_the_years_per_future(plan_run):
    y = accounts.yearly(plan_run)
    net = accounts.municipal_net(plan_run)
    assert net.shape == (REPS,)
    np.testing.assert_allclose(net, y[..., accounts.NET].sum(axis=(1, 2)), rtol=1e-12)
    np.testing.assert_allclose(accounts.municipal_net(plan_run, (2017,)), y[:, 0, :, accounts.NET].sum(axis=1), rtol=1e-12)


def test_the_difference_of_a_run_with_itself_is_zero(plan_run):
    df = accounts.difference(plan_run, plan_run)
    assert set(df.measure) == {m + "_diff" for m in accounts.MEASURES}
    assert (df[["mean", "p05", "p95"]] == 0).all().all()


def test_a_difference_needs_the_same_seeds(plan):
    a = runner.run_replications(plan, replications=1, seed=1, scale=0.1)
    b = runner.run_replications(plan, replications=1, seed=2, scale=0.1)
    with pytest.raises(ValueError, match="same seeds"):
        accounts.difference(a, b)


def test_more_internship_places_cost_the_effort_more(baseline):
    """More places: more company consultants to keep them open, and more places filled cost more to
    run, in 2017 in every future (before fewer people on benefits can lower what offers cost later).
    The wage-subsidy places are held at their fewest in both runs, all in use: a wage-subsidy month
    costs several internship months, so the wage subsidies' own chance variation (who happens to ask
    for one) would hide the internships' cost otherwise."""
    few = with_levers(baseline, wage_subsidy_places=levers.LEVERS["wage_subsidy_places"].min)
    less = runner.run_replications(few, **FUTURES)
    more = runner.run_replications(few.replace(levers={"internship_places": 3000}), **FUTURES)
    for name in ("effort_consultants", "effort_offers"):
        c = accounts.COMPONENTS.index(name)
        extra = accounts.yearly(more)[:, 0, c] - accounts.yearly(less)[:, 0, c]   # 2017, (futures, measures)
        assert np.all(extra[:, accounts.MEASURES.index("gross_dkk")] > 0), (name, extra)
        assert np.all(extra[:, accounts.NET] > 0), (name, extra)


def test_fewer_people_on_benefits_spend_less_on_benefits(plan_run, practice):
    """The plan against 2016 practice: fewer on temporary benefits in December 2020, and less spent
    on the temporary benefits in 2020, in every future."""
    dec = calendar.year_end_index(2020)
    idx = [int(s) for s in TEMPORARY_BENEFIT]
    on = lambda run: np.concatenate([r.states[:, dec, idx] for r in run]).sum(axis=1)   # noqa: E731
    assert np.all(on(plan_run) < on(practice))
    benefit = [COMPONENTS.index(s.name) for s in TEMPORARY_BENEFIT]
    spent = lambda run: accounts.yearly(run)[:, -1, benefit].sum(axis=1)          # noqa: E731 (futures, measures)
    gross = accounts.MEASURES.index("gross_dkk")
    assert np.all(spent(plan_run)[:, gross] < spent(practice)[:, gross])
    assert np.all(spent(plan_run)[:, accounts.NET] < spent(practice)[:, accounts.NET])


def test_the_business_case_of_the_plan_weighs_its_effort_against_its_savings(plan_run, practice):
    """All levers together: people off benefits, an effort and a saving in every future; the net is
    the effort less the savings, and the cost per person off is the net over the people off."""
    rows = business_case.rows(business_case.ALL, business_case.Outcome.of(plan_run),
                              business_case.Outcome.of(practice))
    by = {r["measure"]: r for r in rows}
    assert by[business_case.OFF]["p05"] > 0
    assert by[business_case.EFFORT]["p05"] > 0 and by[business_case.SAVINGS]["p05"] > 0
    assert by[business_case.NET]["mean"] == pytest.approx(by[business_case.EFFORT]["mean"] - by[business_case.SAVINGS]["mean"])
    per = by[business_case.PER_PERSON]
    assert per["mean"] == pytest.approx(by[business_case.NET]["mean"] / by[business_case.OFF]["mean"])
