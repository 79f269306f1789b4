"""Same seed -> identical output; different seeds -> different output."""
import numpy as np

from model.sim import runner

from conftest import run_fast


def test_same_seed_same_output(plan):
    a, b = run_fast(plan, seed=42, scale=0.05, reps=2), run_fast(plan, seed=42, scale=0.05, reps=2)
    np.testing.assert_array_equal(a.states, b.states)
    np.testing.assert_array_equal(a.measures, b.measures)


def test_different_seeds_different_output(plan):
    a, b = run_fast(plan, seed=42, scale=0.05, reps=2), run_fast(plan, seed=43, scale=0.05, reps=2)
    assert not np.array_equal(a.states, b.states)


def test_replication_seeds_come_from_the_master_seed():
    jobs = runner.jobs(7, 40)
    assert [j.replications for j in jobs] == [15, 15, 10]
    assert jobs == runner.jobs(7, 40)
    assert jobs[0].seed != runner.jobs(8, 40)[0].seed


def test_summary_is_reproducible(plan):
    a = runner.summary(runner.run_replications(plan, 3, seed=5, scale=0.05))
    b = runner.summary(runner.run_replications(plan, 3, seed=5, scale=0.05))
    assert a.equals(b)
