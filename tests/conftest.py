"""Shared helpers: small, fast runs of the real engines."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model import scenario
from model.engine import FastEngine

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def baseline():
    return scenario.load(SCENARIOS / "baseline-2016.toml")


@pytest.fixture(scope="session")
def plan():
    return scenario.load(SCENARIOS / "plan-2017.toml")


def with_levers(base, **levers):
    """A copy of ``base`` with some levers changed (same inputs and assumptions)."""
    values = {k: v for k, v in base.spec.levers.model_dump().items() if v is not None}
    values.update(levers)
    return scenario.from_levers(base.name, values, inputs=base.spec.inputs.model_dump(exclude_none=True),
                                assumption_values=base.spec.assumptions.model_dump(exclude_none=True))


def run_fast(sc, seed=1, scale=0.1, reps=4, observer=None, check=False):
    return FastEngine(sc, seed, scale=scale, replications=reps, check=check).run(observer=observer)


def mean_indicator(result, key, year):
    return float(np.mean([result.indicators(q)[key][year] for q in range(result.replications)]))
