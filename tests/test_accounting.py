"""Accounting: every stock follows from the flows, and the population changes only by
entrants, arrivals, retirement and exits."""
import numpy as np

from model.sim.agents import BenefitModel

from conftest import run_fast


def assert_stock_flow_identity(r):
    for q in range(r.replications):
        st, fl, ent, lv = r.states[q], r.flows[q], r.entrants[q], r.leavers[q]
        for t in range(1, st.shape[0]):
            inflow, outflow = fl[t].sum(axis=0), fl[t].sum(axis=1)
            expected = st[t - 1] + inflow - outflow + ent[t] - lv[t]
            np.testing.assert_array_equal(st[t], expected, err_msg=f"replication {q}, month {t}")
            # The population changes only by newcomers and leavers.
            assert st[t].sum() - st[t - 1].sum() == ent[t].sum() - lv[t].sum()


def test_fast_engine_stocks_follow_from_flows(plan):
    assert_stock_flow_identity(run_fast(plan, seed=11, scale=0.1, reps=3))


def test_fast_engine_stocks_match_a_recount_of_the_citizens(plan):
    # check=True recounts every state from the citizens each month and raises on a mismatch.
    run_fast(plan, seed=12, scale=0.05, reps=2, check=True)


def test_agents_engine_stocks_follow_from_flows(plan):
    r = BenefitModel(plan, seed=3, scale=0.005).run()
    assert_stock_flow_identity(r)


def test_there_are_newcomers_and_leavers(plan):
    r = run_fast(plan, seed=2, scale=0.05, reps=1)
    assert r.entrants.sum() > 0 and r.leavers.sum() > 0
    assert r.flows.sum() > 0


def test_the_end_of_a_run_accounts_every_month_that_costs(plan, monkeypatch):
    # The fast engine settles the months nobody visited only for those who can cost something
    # (rules.may_cost); settling everyone present gives the same costs to the krone.
    from model.sim import rules
    from model.sim.engine import FastEngine
    seen = {}
    settle = rules.settle

    def spy(rows, t, pop, par, acc, ct):
        seen.update(t=t, pop=pop.copy(), par=par, acc=acc.copy(), ct=ct)
        settle(rows, t, pop, par, acc, ct)
        seen["settled"] = acc.copy()

    monkeypatch.setattr(rules, "settle", spy)
    FastEngine(plan, 4, scale=0.1, replications=2).run()
    everyone = seen["acc"].copy()
    settle(np.arange(len(seen["pop"])), seen["t"], seen["pop"], seen["par"], everyone, seen["ct"])
    assert not np.array_equal(seen["settled"], seen["acc"])            # the end of the run had costs to settle
    np.testing.assert_allclose(seen["settled"], everyone, rtol=1e-12, atol=1e-6)
