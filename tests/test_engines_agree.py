"""The two engines agree: on a reduced population, the mean of each indicator over 30 seeds
lies within 3 standard errors between the fast engine and the Mesa agents engine."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from model import calendar, indicators, runner

SCALE, SEEDS = 0.015, 30


@pytest.fixture(scope="module")
def both(plan):
    fast = runner.run_replications(plan, SEEDS, seed=2024, engine="fast", scale=SCALE)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        agents = runner.run_replications(plan, SEEDS, seed=2024, engine="agents", scale=SCALE, executor=pool)
    return runner.indicator_values(fast), runner.indicator_values(agents)


@pytest.mark.slow
@pytest.mark.parametrize("key", list(indicators.INDICATORS))
def test_indicator_means_agree_within_3_standard_errors(both, key):
    fast, agents = both[0][key], both[1][key]
    assert fast.shape[0] == agents.shape[0] == SEEDS
    for j, year in enumerate(calendar.REPORT_YEARS):
        # A share is undefined in a run where its denominator is empty (a small population).
        a, b = fast[:, j][np.isfinite(fast[:, j])], agents[:, j][np.isfinite(agents[:, j])]
        assert min(a.size, b.size) >= 20, f"{key} {year}: too few runs with a value"
        se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        diff = abs(a.mean() - b.mean())
        assert diff <= 3 * se + 1e-9, f"{key} {year}: fast {a.mean():.4g}, agents {b.mean():.4g}, 3 SE {3 * se:.3g}"
