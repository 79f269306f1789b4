"""Replications of a scenario, and their summary against the plan's targets.

Every run is (scenario, seed, model version). A master seed gives the replications' seeds
through ``numpy.random.SeedSequence``. The fast engine runs replications in chunks of
``CHUNK`` at once (one seed per chunk); the agents engine one replication per seed. The same
master seed and number of replications give the same results, whatever runs them.
"""
from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import calendar, indicators
from .context import RunResult
from .engine import FastEngine
from .scenario import Scenario
from .states import State

CHUNK = 15
ENGINES = ("fast", "agents")


@dataclass(frozen=True)
class Job:
    """One unit of work: a chunk of replications of a scenario from one seed."""

    seed: int
    replications: int
    first: int          # number of the chunk's first replication within the batch


def jobs(master_seed: int, replications: int, engine: str = "fast") -> list[Job]:
    """The jobs of ``replications`` replications from ``master_seed``."""
    if replications < 1:
        raise ValueError(f"replications = {replications}, allowed 1 or more")
    size = CHUNK if engine == "fast" else 1
    n_jobs = -(-replications // size)
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(master_seed).spawn(n_jobs)]
    return [Job(seed, min(size, replications - i * size), i * size) for i, seed in enumerate(seeds)]


def run_job(scenario: Scenario, job: Job, engine: str = "fast", scale: float = 1.0) -> RunResult:
    """Run one job (in this process)."""
    if engine == "fast":
        return FastEngine(scenario, job.seed, scale=scale, replications=job.replications).run()
    if engine == "agents":
        from .agents import BenefitModel
        return BenefitModel(scenario, job.seed, scale=scale).run()
    raise ValueError(f"engine = {engine!r}, allowed: {', '.join(ENGINES)}")


def run_replications(scenario: Scenario, replications: int = 30, seed: int = 1, engine: str = "fast",
                     scale: float = 1.0, executor: Executor | None = None) -> list[RunResult]:
    """Run the replications, in this process or on ``executor``; results in job order."""
    todo = jobs(seed, replications, engine)
    if executor is None:
        return [run_job(scenario, j, engine, scale) for j in todo]
    futures = [executor.submit(run_job, scenario, j, engine, scale) for j in todo]
    return [f.result() for f in futures]


def indicator_values(results: list[RunResult]) -> dict[str, np.ndarray]:
    """Each indicator as an array (replications, report years)."""
    rows = [r.indicators(q) for r in results for q in range(r.replications)]
    return {k: np.array([[row[k][y] for y in calendar.REPORT_YEARS] for row in rows]) for k in indicators.INDICATORS}


def summary(results: list[RunResult], municipality: str = "viborg") -> pd.DataFrame:
    """One row per indicator and year: mean, 5 % and 95 % quantiles over replications, the
    plan's target and the share of replications on the right side of it (empty where the plan
    sets no target; 2016 is the status month)."""
    targets = indicators.targets(municipality)
    values = indicator_values(results)
    rows = []
    for key, v in values.items():
        tgt = targets.get(key, {})
        for j, year in enumerate(calendar.REPORT_YEARS):
            x = v[:, j]
            target = tgt.get("years", {}).get(year)
            share = float(np.mean(indicators.meets(x, target, tgt["direction"]))) if target is not None else np.nan
            rows.append({"indicator": key, "year": year, "mean": float(np.mean(x)),
                         "p05": float(np.quantile(x, 0.05)), "p95": float(np.quantile(x, 0.95)),
                         "target": target if target is not None else np.nan, "share_meeting_target": share})
    return pd.DataFrame(rows, columns=["indicator", "year", "mean", "p05", "p95", "target", "share_meeting_target"])


def state_summary(results: list[RunResult]) -> pd.DataFrame:
    """Stock per state and month over replications: mean, 5 % and 95 % quantiles."""
    stocks = np.concatenate([r.states for r in results])          # (reps, months, states)
    mean, p05, p95 = stocks.mean(0), np.quantile(stocks, 0.05, axis=0), np.quantile(stocks, 0.95, axis=0)
    rows = [{"month": calendar.label(t), "state": s.name, "mean": float(mean[t, s]),
             "p05": float(p05[t, s]), "p95": float(p95[t, s])}
            for t in range(calendar.N_MONTHS) for s in State]
    return pd.DataFrame(rows, columns=["month", "state", "mean", "p05", "p95"])


def flow_summary(results: list[RunResult]) -> pd.DataFrame:
    """Moves between states per calendar year (moves into the year's months), mean over
    replications: columns year, from, to, mean."""
    flows = np.concatenate([r.flows for r in results])             # (reps, months, from, to)
    years = np.asarray(calendar.YEAR_OF)
    rows = []
    for year in calendar.REPORT_YEARS:
        per_rep = flows[:, (years == year) & (np.arange(years.size) > 0)].sum(axis=1)   # (reps, from, to)
        mean = per_rep.mean(axis=0)
        for a, b in zip(*np.nonzero(mean)):
            rows.append({"year": year, "from": State(a).name, "to": State(b).name, "mean": float(mean[a, b])})
    return pd.DataFrame(rows, columns=["year", "from", "to", "mean"])
