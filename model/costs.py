"""What the simulated futures cost: the engines' monthly cost accounts as yearly tables.

Every run accounts, per replication, month and cost component (a benefit state, ``offers``,
``integration_grants``; see ``cost_rules``), the gross spending, the state's refusion and the
municipality's net (gross = refusion + net). Here they become yearly sums for the whole
municipality (divided by the run's scale, like every count) and a tidy summary over futures.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import calendar
from .context import RunResult
from .cost_rules import COMPONENTS

MEASURES = ("gross_dkk", "state_refusion_dkk", "municipal_net_dkk")
YEARS = calendar.PLAN_YEARS                 # whole calendar years simulated (2016 is half a year)
NET = MEASURES.index("municipal_net_dkk")
TOTAL = "total"
COLUMNS = ["year", "component", "measure", "mean", "p05", "p95"]


def _scale(results: list[RunResult]) -> float:
    scales = {float(r.scale) for r in results}
    if len(scales) != 1:
        raise ValueError(f"results of different scales mixed: {sorted(scales)}")
    return scales.pop()


def yearly(results: list[RunResult]) -> np.ndarray:
    """Costs per future, year (``YEARS``), component and measure, in DKK for the whole
    municipality: array (replications, years, components, measures)."""
    costs = np.concatenate([r.costs for r in results]) / _scale(results)      # (reps, months, comps, 3)
    year_of = np.asarray(calendar.YEAR_OF)
    return np.stack([costs[:, year_of == y].sum(axis=1) for y in YEARS], axis=1)


def municipal_net(results: list[RunResult], years: tuple[int, ...] = YEARS) -> np.ndarray:
    """The municipality's net cost over ``years`` (all components) per future, DKK."""
    y = yearly(results)
    pick = [YEARS.index(year) for year in years]
    return y[:, pick][..., NET].sum(axis=(1, 2))     # (y[:, pick, :, NET] would put the years first)


def summary(results: list[RunResult]) -> pd.DataFrame:
    """One row per year, component (and ``total``) and measure: mean, 5 % and 95 % quantiles
    over futures. Components that cost nothing in every future are left out."""
    y = yearly(results)
    total = y.sum(axis=2, keepdims=True)
    y = np.concatenate([y, total], axis=2)
    names = (*COMPONENTS, TOTAL)
    mean, p05, p95 = y.mean(0), np.quantile(y, 0.05, axis=0), np.quantile(y, 0.95, axis=0)
    rows = [{"year": year, "component": name, "measure": m, "mean": float(mean[j, c, k]),
             "p05": float(p05[j, c, k]), "p95": float(p95[j, c, k])}
            for j, year in enumerate(YEARS) for c, name in enumerate(names)
            if name == TOTAL or np.any(y[:, :, c] != 0)
            for k, m in enumerate(MEASURES)]
    return pd.DataFrame(rows, columns=COLUMNS)
