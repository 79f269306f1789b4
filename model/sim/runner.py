"""Replications of a scenario, and their summary against the plan's targets.

Every run is (scenario, seed, model version). A master seed gives the replications' seeds
through ``numpy.random.SeedSequence``. The fast engine runs replications in chunks of
``CHUNK`` at once (one seed per chunk); the agents engine one replication per seed. The same
master seed and number of replications give the same results, whatever runs them.

Scale: a run may simulate a smaller or larger population than the municipality's (``scale``
times its working-age citizens). Every count a summary reports (count indicators, state stocks,
flows) is for the whole municipality: the simulated count divided by the scale, so that it is
compared with the plan's targets of the same size. Shares need no scaling. The smallest scale,
``MIN_SCALE``, is one at which every indicator is defined in every replication (see
docs/batches.md for the measurement); an indicator undefined in any replication (nobody in its
denominator) is reported as undefined (NaN, with no share meeting the target), never as a number.
"""
from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import calendar
from model.inputs.municipalities import Municipality
from model.inputs.scenario import Scenario
from model.sim import indicators
from model.sim.context import RunResult
from model.sim.engine import FastEngine
from model.states import State

CHUNK = 15
ENGINES = ("fast", "agents")
# Scale bounds. At 0.05 (3,000 citizens) every indicator's denominator was non-empty in 1,800
# replications of the three shipped scenarios (the smallest, resource courses, held 4 persons;
# no share above 78 %); at 0.03 a share reached 100 % on 3 persons, at 0.02 denominators were
# empty. 60 is about Denmark's working-age population (3.6 million).
MIN_SCALE = 0.05
MAX_SCALE = 60.0


def check_scale(scale: float, minimum: float = MIN_SCALE) -> float:
    """``scale`` if it is within minimum–MAX_SCALE, else ValueError saying the allowed range."""
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not minimum <= scale <= MAX_SCALE:
        raise ValueError(f"scale = {scale!r}, allowed {minimum:g}–{MAX_SCALE:g} (1 = the whole municipality)")
    return float(scale)


def count_rule(scale: float) -> str:
    """The one rule for counts, as every output states it."""
    if scale == 1:
        return "counts for the whole municipality (scale 1)"
    return f"counts scaled to the whole municipality from a population of scale {scale:g}"


def chunk_size(engine: str = "fast", scale: float = 1.0) -> int:
    """Replications per job: CHUNK for the fast engine up to scale 1; above, fewer, so that a
    job never holds more citizens than CHUNK replications of the whole municipality."""
    if engine != "fast":
        return 1
    return CHUNK if scale <= 1 else max(1, int(CHUNK / scale))


@dataclass(frozen=True)
class Job:
    """One unit of work: a chunk of replications of a scenario from one seed."""

    seed: int
    replications: int
    first: int          # number of the chunk's first replication within the batch


def jobs(master_seed: int, replications: int, engine: str = "fast", scale: float = 1.0,
         chunk: int | None = None) -> list[Job]:
    """The jobs of ``replications`` replications from ``master_seed``, ``chunk`` each (default
    ``chunk_size``). The chunk is part of what a result is: the fast engine draws a chunk's
    replications from one stream (the app runs chunks of 3 for its progress bar; ``run
    --chunk 3`` reproduces its numbers)."""
    if replications < 1:
        raise ValueError(f"replications = {replications}, allowed 1 or more")
    if master_seed < 0:
        raise ValueError(f"seed = {master_seed}, allowed 0 or more")
    if chunk is not None and not 1 <= chunk <= CHUNK:
        raise ValueError(f"chunk = {chunk}, allowed 1–{CHUNK} replications per job")
    size = chunk or chunk_size(engine, scale)
    n_jobs = -(-replications // size)
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(master_seed).spawn(n_jobs)]
    return [Job(seed, min(size, replications - i * size), i * size) for i, seed in enumerate(seeds)]


def run_job(scenario: Scenario, job: Job, engine: str = "fast", scale: float = 1.0,
            keep_populations: bool = True) -> RunResult:
    """Run one job (in this process). ``keep_populations=False``: the job's July 2016
    populations will not be needed again in this process (see ``engine.initial_population``)."""
    if engine == "fast":
        return FastEngine(scenario, job.seed, scale=scale, replications=job.replications,
                          keep_populations=keep_populations).run()
    if engine == "agents":
        from model.sim.agents import BenefitModel
        return BenefitModel(scenario, job.seed, scale=scale).run()
    raise ValueError(f"engine = {engine!r}, allowed: {', '.join(ENGINES)}")


def run_replications(scenario: Scenario, replications: int = 30, seed: int = 1, engine: str = "fast",
                     scale: float = 1.0, executor: Executor | None = None, chunk: int | None = None,
                     progress=None, keep_populations: bool = True) -> list[RunResult]:
    """Run the replications, in this process or on ``executor``; results in job order.
    ``progress(n)``, if given, is called with the replications of each job done (in this process).
    ``keep_populations=False`` for a one-shot run: no later run of the process starts from the
    same seeds (see ``engine.initial_population``)."""
    todo = jobs(seed, replications, engine, scale, chunk)
    if executor is None:
        out = []
        for j in todo:
            out.append(run_job(scenario, j, engine, scale, keep_populations))
            if progress:
                progress(j.replications)
        return out
    futures = [executor.submit(run_job, scenario, j, engine, scale, keep_populations) for j in todo]
    return [f.result() for f in futures]


def indicator_values(results: list[RunResult]) -> dict[str, np.ndarray]:
    """Each indicator as an array (replications, report years), as simulated (counts at the
    run's scale)."""
    rows = [r.indicators(q) for r in results for q in range(r.replications)]
    return {k: np.array([[row[k][y] for y in calendar.REPORT_YEARS] for row in rows]) for k in indicators.INDICATORS}


def scale_of(results: list[RunResult]) -> float:
    """The scale the results were simulated at (one for all)."""
    scales = {float(r.scale) for r in results}
    if len(scales) != 1:
        raise ValueError(f"results of different scales mixed: {sorted(scales)}")
    return scales.pop()


def municipality_values(results: list[RunResult]) -> dict[str, np.ndarray]:
    """``indicator_values`` with counts for the whole municipality (divided by the scale)."""
    scale = scale_of(results)
    return {k: v / scale if indicators.INDICATORS[k].kind == "count" else v
            for k, v in indicator_values(results).items()}


def municipality_of(results: list[RunResult]) -> Municipality:
    """The municipality the results simulated (one for all)."""
    places = {r.municipality for r in results}
    if len(places) != 1:
        raise ValueError(f"results of different municipalities mixed: {sorted(m.profile for m in places)}")
    return places.pop()


def summary(results: list[RunResult]) -> pd.DataFrame:
    """One row per indicator and year: mean, 5 % and 95 % quantiles over replications, the
    target of the results' municipality and the share of replications on the right side of it
    (empty where its plan sets no target; 2016 is the status month, whose row is the plan's status
    figure where the plan gives one: ``indicators.status_values``). Counts are for the whole municipality (see the
    module docstring); a value undefined in any replication leaves the row undefined (NaN)."""
    targets = municipality_of(results).targets
    values = municipality_values(results)
    rows = []
    for key, v in values.items():
        tgt = targets.get(key, {})
        for j, year in enumerate(calendar.REPORT_YEARS):
            x = indicators.status_values(key, v[:, j], tgt) if year == calendar.START_YEAR else v[:, j]
            target = tgt.get("years", {}).get(year)
            defined = bool(np.isfinite(x).all())
            share = float(np.mean(indicators.meets(x, target, tgt["direction"]))) \
                if target is not None and defined else np.nan
            rows.append({"indicator": key, "year": year,
                         "mean": float(np.mean(x)) if defined else np.nan,
                         "p05": float(np.quantile(x, 0.05)) if defined else np.nan,
                         "p95": float(np.quantile(x, 0.95)) if defined else np.nan,
                         "target": target if target is not None else np.nan, "share_meeting_target": share})
    return pd.DataFrame(rows, columns=["indicator", "year", "mean", "p05", "p95", "target", "share_meeting_target"])


def state_summary(results: list[RunResult]) -> pd.DataFrame:
    """Stock per state and month over replications, for the whole municipality: mean, 5 % and
    95 % quantiles."""
    stocks = np.concatenate([r.states for r in results]) / scale_of(results)     # (reps, months, states)
    mean, p05, p95 = stocks.mean(0), np.quantile(stocks, 0.05, axis=0), np.quantile(stocks, 0.95, axis=0)
    rows = [{"month": calendar.label(t), "state": s.name, "mean": float(mean[t, s]),
             "p05": float(p05[t, s]), "p95": float(p95[t, s])}
            for t in range(calendar.N_MONTHS) for s in State]
    return pd.DataFrame(rows, columns=["month", "state", "mean", "p05", "p95"])


def flow_summary(results: list[RunResult]) -> pd.DataFrame:
    """Moves between states per calendar year (moves into the year's months), mean over
    replications, for the whole municipality: columns year, from, to, mean."""
    flows = np.concatenate([r.flows for r in results]) / scale_of(results)     # (reps, months, from, to)
    years = np.asarray(calendar.YEAR_OF)
    rows = []
    for year in calendar.REPORT_YEARS:
        per_rep = flows[:, (years == year) & (np.arange(years.size) > 0)].sum(axis=1)   # (reps, from, to)
        mean = per_rep.mean(axis=0)
        for a, b in zip(*np.nonzero(mean)):
            rows.append({"year": year, "from": State(a).name, "to": State(b).name, "mean": float(mean[a, b])})
    return pd.DataFrame(rows, columns=["year", "from", "to", "mean"])
