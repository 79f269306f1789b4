"""The two engines agree: at a fifth of the municipality, over 30 seeds each, the mean of every
indicator in every year and the stock of every state in December 2017 and December 2020 lie
within 3 standard errors between the fast engine and the Mesa agents engine; so do the costs,
which the fast engine accounts lazily (a citizen nothing happens to is accounted for the months
it was not visited) and the agents engine month by month, citizen by citizen."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from model import calendar, costs, indicators, runner
from model.states import State

SCALE, SEEDS = 0.2, 30
MONTHS = (calendar.year_end_index(2017), calendar.year_end_index(2020))


@pytest.fixture(scope="module")
def both(plan):
    fast = runner.run_replications(plan, SEEDS, seed=2024, engine="fast", scale=SCALE)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        agents = runner.run_replications(plan, SEEDS, seed=2024, engine="agents", scale=SCALE, executor=pool)
    return fast, agents


def within_3_standard_errors(a: np.ndarray, b: np.ndarray, what: str) -> None:
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    assert min(a.size, b.size) >= 20, f"{what}: too few runs with a value"
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    assert abs(a.mean() - b.mean()) <= 3 * se + 1e-9, \
        f"{what}: fast {a.mean():.4g}, agents {b.mean():.4g}, 3 SE {3 * se:.3g}"


@pytest.mark.slow
@pytest.mark.parametrize("key", list(indicators.INDICATORS))
def test_indicator_means_agree_within_3_standard_errors(both, key):
    fast, agents = (runner.indicator_values(r)[key] for r in both)
    assert fast.shape[0] == agents.shape[0] == SEEDS
    for j, year in enumerate(calendar.REPORT_YEARS):
        within_3_standard_errors(fast[:, j], agents[:, j], f"{key} {year}")


@pytest.mark.slow
@pytest.mark.parametrize("month", MONTHS, ids=[calendar.label(t) for t in MONTHS])
def test_every_states_stock_agrees_within_3_standard_errors(both, month):
    fast, agents = (np.concatenate([r.states for r in results])[:, month] for results in both)
    for s in State:
        within_3_standard_errors(fast[:, s].astype(float), agents[:, s].astype(float), f"{s.name} {calendar.label(month)}")


@pytest.mark.slow
@pytest.mark.parametrize("measure", costs.MEASURES)
def test_the_costs_of_every_year_agree_within_3_standard_errors(both, measure):
    fast, agents = (costs.yearly(r)[..., costs.MEASURES.index(measure)].sum(axis=2) for r in both)
    for j, year in enumerate(costs.YEARS):
        within_3_standard_errors(fast[:, j], agents[:, j], f"{measure} {year}")
