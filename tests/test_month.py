"""The month is declared once (model/sim/month.py) and both engines follow the declaration: change a
phase's function there and both engines' results change accordingly."""
import numpy as np
import pytest
from numba import njit

from model.sim import jobcenter, month
from model.sim.agents import BenefitModel
from model.sim.context import W_REQUESTS, acc_size, new_work
from model.sim.engine import FastEngine
from model.states import State

from conftest import with_levers


@njit(cache=True)
def no_deadlines(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """A month without legal deadlines (for this test only)."""


def test_the_month_is_declared_in_the_order_of_the_design():
    names = [p.name for p in month.MONTH]
    assert names == ["demography", "deadlines", "offer_ends", "requests", "allocation", "transitions", "clocks",
                     "caseload", "counts", "follow_up", "arrivals", "indicators"]
    steps = month.steps()
    assert [s.scope for s in steps] == [month.CITIZEN, month.JOBCENTER, month.CITIZEN, month.JOBCENTER,
                                        month.ARRIVALS, month.MUNICIPALITY]
    assert [p.name for p in steps[0].phases] == ["demography", "deadlines", "offer_ends", "requests"]
    assert [p.name for p in steps[2].phases] == ["transitions", "clocks", "caseload", "counts"]


def test_only_who_asked_for_a_place_waits_for_the_allocation():
    first, allocation, after = month.steps()[:3]
    # Everyone else goes on at once with the phases after the allocation, in the first pass ...
    assert first.then == after.phases and first.waits is jobcenter.asked
    # ... and the second pass is for those who asked, the allocation's list.
    assert allocation.phases[0].waiting == after.only == W_REQUESTS and first.only is None


def test_one_loop_runs_the_declared_steps_through_the_engines_way_of_each_scope():
    seen = []
    run = {scope: (lambda step, scope=scope: seen.append((scope, step.name))) for scope in month.SCOPES}
    loop = month.Loop(run)
    loop.run()
    assert seen == [(s.scope, s.name) for s in month.steps()]
    assert str(loop).splitlines()[0] == ("1. citizen      demography+deadlines+offer_ends+requests, then "
                                         "transitions+clocks+caseload+counts for whoever does not wait")
    with pytest.raises(ValueError, match="arrivals"):
        month.Loop({k: v for k, v in run.items() if k != month.ARRIVALS})


def runs(sc):
    fast = FastEngine(sc, 5, scale=0.05, replications=2).run()
    agents = BenefitModel(sc, 5, scale=0.02).run()
    return fast, agents


def test_changing_a_phase_in_the_declaration_changes_both_engines(baseline, monkeypatch):
    sc = with_levers(baseline, igu_uptake=0.05)        # IGU starts come only from the deadlines phase
    declared = runs(sc)
    swapped = [p if p.name != "deadlines" else month.Phase("deadlines", month.CITIZEN, no_deadlines, "none")
               for p in month.MONTH]
    monkeypatch.setattr(month, "MONTH", tuple(swapped))
    changed = runs(sc)
    for before, after in zip(declared, changed):
        into_igu = (before.flows[..., State.igu].sum(), after.flows[..., State.igu].sum())
        assert into_igu[0] > 0 and into_igu[1] == 0, into_igu
        assert not np.array_equal(before.states, after.states)


@pytest.mark.parametrize("engine", ["fast", "agents"])
def test_both_engines_are_deterministic_per_seed(baseline, engine):
    a, b = (runs(baseline)[engine == "agents"] for _ in range(2))
    np.testing.assert_array_equal(a.states, b.states)
    np.testing.assert_array_equal(a.measures, b.measures)


@pytest.mark.parametrize("n_rows", [3, 200])
def test_the_loop_over_rows_applies_the_phases_to_each_citizen_in_turn(baseline, n_rows):
    # The fast engine's loop asks for records ahead of the row it works on (model/sim/memory.py);
    # it must leave everything as the phases applied one citizen at a time do, the last rows too.
    eng = FastEngine(baseline, 5, scale=0.05)
    acc = np.zeros(acc_size(1))
    work = new_work(1, len(eng.pop))
    rows = eng._status_month(acc, work)[:n_rows]
    m = eng.ctx.month(0, eng._counts(), np.zeros(1))
    one, loop = month.steps()[0].compiled()
    results = []
    for apply in ("loop", "one at a time"):
        pop, acc_, rng, work_ = eng.pop.copy(), acc.copy(), eng.rng.copy(), work.copy()
        if apply == "loop":
            loop(rows, 0, pop, m.par, m.tab, m.bands, acc_, rng, eng.ctx.ct, work_)
        else:
            for i in rows:
                one(i, 0, pop, m.par, m.tab, m.bands, acc_, rng, eng.ctx.ct, work_)
        results.append((pop, acc_, rng, work_))
    assert rows.size == n_rows
    for a, b in zip(*results):
        assert a.tobytes() == b.tobytes()
    assert results[0][0].tobytes() != eng.pop.tobytes()      # the phases did something
