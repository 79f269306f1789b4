"""Shared helpers: small, fast runs of the real engines."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.inputs import scenario
from model.sim.engine import FastEngine

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def baseline():
    return scenario.load(SCENARIOS / "baseline-2016.toml")


@pytest.fixture(scope="session")
def plan():
    return scenario.load(SCENARIOS / "plan-2017.toml")


def with_levers(base, **levers):
    """``base`` with some levers changed (its municipality, inputs and assumptions kept)."""
    return base.replace(levers=levers)


def run_fast(sc, seed=1, scale=0.1, reps=4, observer=None, check=False):
    return FastEngine(sc, seed, scale=scale, replications=reps, check=check).run(observer=observer)


def mean_indicator(result, key, year):
    return float(np.mean([result.indicators(q)[key][year] for q in range(result.replications)]))


def refused(capsys, argv: list[str], says: str) -> str:
    """``python -m model argv`` exits 2 with one line on standard error that contains ``says``,
    and prints nothing else."""
    from model import cli
    try:
        code = cli.main(argv)
    except SystemExit as exc:                                     # argparse
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2 and out == "", (code, out)
    assert len(err.strip().splitlines()) == 1 and says in err, err
    return err


def rates_from(monkeypatch, folder: Path):
    """For a fixture (``yield from``): the cost rules read their rates from ``folder`` until the
    test ends (the cached rate book and tables are rebuilt on both sides)."""
    from model.inputs import rates
    from model.sim import cost_rules
    caches = (rates.book, cost_rules.tables, cost_rules.tables_array)
    for c in caches:
        c.cache_clear()
    monkeypatch.setattr(rates, "RATES_DIR", folder)
    yield folder
    monkeypatch.undo()
    for c in caches:
        c.cache_clear()
