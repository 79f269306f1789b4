"""Simulated trials: each study behind a lever's effect, run inside the model.

A random half of the study's population is treated; the effect is measured in the study's own
metric (a ratio of monthly event rates) beside the published figure, with a 95 % interval over
replications. The trials and their tolerances are data (``data/trials.toml``)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import paths
from model.inputs import municipalities, params, scenario
from model.sim.engine import FastEngine
from model.sim.rules import TRIAL_SPLIT
from model.states import State

RESULTS = paths.DOCS / "trials.csv"
# Below this scale a trial's arms hold too few events for a rate ratio: at 0.1 with the default
# 15 replications the rarest outcome (disability pension after long sick-pay spells) had at
# least 13 events per arm in every seed tried, at 0.05 arms with no event at all occur.
MIN_SCALE = 0.1
COLUMNS = ["lever", "study", "metric", "published", "simulated", "lower", "upper", "within_tolerance"]


def saved() -> pd.DataFrame | None:
    """The last written trial results (``python -m model trials --write``), if any."""
    return pd.read_csv(RESULTS) if RESULTS.exists() else None


def specs() -> list[dict]:
    return params.read_toml(paths.DATA / "trials.toml")["trial"]


@dataclass
class Tally:
    """Events and person-months at risk per arm and replication, from month to month."""

    spec: dict
    reps: int

    def __post_init__(self):
        self.events = np.zeros((self.reps, 2))
        self.exposure = np.zeros((self.reps, 2))
        self.prev: dict | None = None
        pop = self.spec["population"]
        self.states = np.array([State[s] for s in pop["states"]])
        self.outcome = State[self.spec["outcome"]]

    def at_risk(self, c, t):
        pop = self.spec["population"]
        ok = np.isin(c.state, self.states)
        if "sex" in pop:
            ok &= c.male == (pop["sex"] == "male")
        if "ages" in pop:
            age = t - c.birth
            ok &= (age >= pop["ages"][0] * 12) & (age < pop["ages"][1] * 12)
        if "arrival_months" in pop:
            since = t - c.arrival
            ok &= (since >= pop["arrival_months"][0]) & (since < pop["arrival_months"][1])
        if "months_in_state" in pop:
            ok &= (c.mis >= pop["months_in_state"][0]) & (c.mis < pop["months_in_state"][1])
        idx = np.flatnonzero(ok)
        arm = c.partial[idx] if self.spec["arm"] == "partial" else c.rank[idx] < TRIAL_SPLIT
        return idx, c.rep[idx], arm.astype(np.int64)

    def __call__(self, t, stores):
        (c,) = stores                                   # the fast engine's view: a citizen's id is its row
        if self.prev is not None and t >= 7:            # from 2017-01 (the levers' start)
            rows, rep, arm = self.prev
            np.add.at(self.exposure, (rep, arm), 1)
            np.add.at(self.events, (rep, arm), c.state[rows] == self.outcome)
        self.prev = self.at_risk(c, t)


def run(spec: dict, seed: int = 1, replications: int = 15, scale: float = 0.5) -> dict:
    """One trial: the simulated rate ratio with a 95 % interval (``rate_ratio``; a trial of a
    rare outcome may ask for more: ``replications_factor`` in its spec). A scale below MIN_SCALE,
    or an arm without a single event, is refused (ValueError): no ratio."""
    if not MIN_SCALE <= scale:
        raise ValueError(f"scale = {scale:g}, allowed {MIN_SCALE:g} or more for the trials (too few events below)")
    replications *= int(spec.get("replications_factor", 1))
    base = scenario.practice(f"trial {spec['study']}", municipalities.DEFAULT).replace(
        levers=spec.get("levers", {}), inputs=spec.get("inputs", {}))
    tally = Tally(spec, replications)
    FastEngine(base, seed, scale=scale, replications=replications, trial=spec.get("treat")).run(observer=tally)
    if (tally.events.sum(axis=0) == 0).any():
        raise ValueError(f"trial {spec['study']} ({spec['metric']}): an arm has no {spec['outcome']} event at scale "
                         f"{scale:g} with {replications} replications; raise --scale or --replications")
    pooled, lower, upper = rate_ratio(tally.events, tally.exposure)
    return {"lever": spec["lever"], "study": spec["study"], "metric": spec["metric"], "published": spec["published"],
            "simulated": pooled, "lower": lower, "upper": upper,
            "within_tolerance": bool(abs(pooled - spec["published"]) <= spec["tolerance"])}


def rate_ratio(events: np.ndarray, exposure: np.ndarray) -> tuple[float, float, float]:
    """The treated arm's event rate over the control arm's, pooled over replications (rows; columns:
    control, treated), with its 95 % interval: exp(log ratio ± 1.96 √(1/events treated + 1/events
    control)), the usual interval of a ratio of Poisson rates. (A ratio per replication is not
    used: with a rare outcome a replication's control arm may have no event, and its ratio none.)"""
    e, x = events.sum(axis=0), exposure.sum(axis=0)
    if (e <= 0).any():
        raise ValueError("a rate ratio needs at least one event in each arm")
    ratio = (e[1] / x[1]) / (e[0] / x[0])
    half = 1.96 * np.sqrt(1.0 / e[1] + 1.0 / e[0])
    return float(ratio), float(ratio * np.exp(-half)), float(ratio * np.exp(half))


def run_all(seed: int = 1, replications: int = 15, scale: float = 0.5, progress=None) -> pd.DataFrame:
    """Every trial; ``progress()``, if given, is called after each."""
    rows = []
    for s in specs():
        rows.append(run(s, seed, replications, scale))
        if progress:
            progress()
    return pd.DataFrame(rows, columns=COLUMNS)
