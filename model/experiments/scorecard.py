"""Hold a scenario's simulated futures against what actually happened: for every actual figure
whose measure the model counts the same way (``measures.Measure.compared``), the simulated mean and
5–95 % band of the same month or year, and whether the figure lies inside the band.

A well-calibrated model catches about 90 % of the actual figures in its 5–95 % band. Figures of
another definition (full-time persons against heads), of a quarter where the model counts months,
or of months the model does not simulate are left out, each with its reason (``left_out``). The
status month (July 2016) is the model's starting point, set from the plan's figures: its points
are shown but are no test of the model (``status`` in ``score``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import calendar
from model.experiments import outputs
from model.inputs import actuals as actuals_io
from model.inputs import measures as measures_io
from model.inputs.scenario import Scenario
from model.reports import reality
from model.sim import indicators, runner
from model.states import State

COLUMNS = reality.COLUMNS
STATUS_MONTH = dt.date(calendar.START_YEAR, calendar.START_MONTH, 1)
MONTHS = [dt.date(*calendar.year_month(t), 1) for t in range(calendar.N_MONTHS)]


def _states(names: str) -> list[int]:
    return [int(State[n]) for n in names.split("+")]


def _monthly(results: list, m: measures_io.Measure, cache: dict | None = None) -> np.ndarray:
    """The model's number of ``m`` per future and month (futures, months), for the whole
    municipality; NaN where it is undefined (a share with nobody in its denominator, persons in
    the status month, which has no month before it). ``cache`` keeps what every indicator shares."""
    cache = {} if cache is None else cache
    scale = runner.scale_of(results)
    kind, _, names = m.model.partition(":")
    if kind == "stock":
        idx = _states(names)
        stock = np.concatenate([r.states[:, :, idx].sum(axis=2) for r in results]).astype(float)
        if m.count.key != "persons":
            return stock / scale
        inside = np.zeros(len(State) + 1, dtype=bool)
        inside[idx] = True
        parts = []
        for r in results:
            into = r.flows[:, :, :, idx].sum(axis=3)                        # (futures, months, from)
            moved_in = into[:, :, ~inside[:-1]].sum(axis=2)                 # from outside the group
            parts.append(moved_in + r.entrants[:, :, idx].sum(axis=2))
        persons = np.full(stock.shape, np.nan)
        persons[:, 1:] = stock[:, :-1] + np.concatenate(parts)[:, 1:]
        return persons / scale
    if kind == "measure":
        return np.concatenate([r.measures[:, :, indicators.M[names]] for r in results]).astype(float) / scale
    if kind == "indicator":
        if "monthly" not in cache:
            cache["monthly"] = [outputs.monthly_values(r.measures[q]) for r in results for q in range(r.replications)]
        values = np.array([v[names] for v in cache["monthly"]], dtype=float)
        return values / scale if indicators.INDICATORS[names].kind == "count" else values
    raise ValueError(f"{m.key}: the model has no number for it")


def _yearly(results: list, m: measures_io.Measure, cache: dict) -> np.ndarray:
    """The indicator of ``m`` per future and report year (futures, years), as the summary has it."""
    key = m.model.partition(":")[2]
    if "yearly" not in cache:
        cache["yearly"] = runner.municipality_values(results)
    values = cache["yearly"][key]
    if key == "youth_to_education":                 # the status month has no year of flows
        values = values.copy()
        values[:, 0] = np.nan
    return values


def bands(results: list) -> pd.DataFrame:
    """The model's mean and 5–95 % band of every compared measure, for every month (or year) it
    compares: columns measure, first (the period's first month), months, mean, p05, p95 (NaN where
    the number is undefined in some future)."""
    cache: dict = {}
    parts: dict[int, tuple[list[str], list[np.ndarray]]] = {1: ([], []), 12: ([], [])}
    for m in measures_io.measures().values():
        if not m.compared:
            continue
        for months in m.count.compare_periods:
            if months in parts:
                parts[months][0].append(m.key)
                parts[months][1].append(_monthly(results, m, cache) if months == 1 else _yearly(results, m, cache))
    frames = []
    for months, (keys, arrays) in parts.items():
        if not keys:
            continue
        values = np.stack(arrays)                                   # (measures, futures, periods)
        firsts = MONTHS if months == 1 else [dt.date(y, 1, 1) for y in calendar.REPORT_YEARS]
        defined = np.isfinite(values).all(axis=1)
        with np.errstate(all="ignore"):
            mean = np.where(defined, values.mean(axis=1), np.nan)
            lo, hi = np.quantile(values, [0.05, 0.95], axis=1)
        frames.append(pd.DataFrame({
            "measure": np.repeat(keys, len(firsts)), "first": np.tile(np.array(firsts, dtype=object), len(keys)),
            "months": months, "mean": mean.ravel(), "p05": np.where(defined, lo, np.nan).ravel(),
            "p95": np.where(defined, hi, np.nan).ravel()}))
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class LeftOut:
    """Actual figures of one measure not held against the model, and why."""

    measure: str
    figures: int
    reason: str


def score(actual: pd.DataFrame, band: pd.DataFrame, lang: str = "en") -> tuple[pd.DataFrame, list[LeftOut]]:
    """One row per actual figure the model counts the same way (``COLUMNS``, plus ``first``,
    ``months``, ``unit``, ``source``, ``retrieved`` and ``status`` for the status month), and the
    figures left out with their reason."""
    ms = measures_io.measures()
    given = actual.dropna(subset=["value"])
    rows = given.merge(band, left_on=["measure", "period", "months"], right_on=["measure", "first", "months"],
                       how="left")
    hit = rows["mean"].notna()
    out = rows[hit].copy()
    out["actual"] = out["value"]
    out["inside_band"] = (out["p05"] <= out["actual"]) & (out["actual"] <= out["p95"])
    out["period_label"] = [actuals_io.label(f, k) for f, k in zip(out["first"], out["months"])]
    out["status"] = out["first"] == STATUS_MONTH
    out = out.rename(columns={"period_label": "period_text"})
    table = pd.DataFrame({
        "measure": out["measure"].to_numpy(), "period": out["period_text"].to_numpy(),
        "actual": out["actual"].to_numpy(float), "mean": out["mean"].to_numpy(float),
        "p05": out["p05"].to_numpy(float), "p95": out["p95"].to_numpy(float),
        "inside_band": out["inside_band"].to_numpy(bool), "first": out["first"].to_numpy(),
        "months": out["months"].to_numpy(int), "unit": out["unit"].to_numpy(), "source": out["source"].to_numpy(),
        "retrieved": out["retrieved"].to_numpy(), "status": out["status"].to_numpy(bool)})
    left = []
    missed = rows[~hit]
    reasons = [_reason(ms[k], months, lang) for k, months in zip(missed["measure"], missed["months"])]
    for (key, reason), group in missed.assign(reason=reasons).groupby(["measure", "reason"], sort=True):
        left.append(LeftOut(key, len(group), reason))
    suppressed = actual[actual["value"].isna()].groupby("measure").size()
    for key, n in suppressed.items():
        left.append(LeftOut(key, int(n), "skjult eller tom i kilden (mangler, ikke nul)" if lang == "da" else
                            "suppressed or empty in the source (missing, not zero)"))
    return table.sort_values(["measure", "first", "months"], kind="stable").reset_index(drop=True), left


def _reason(m: measures_io.Measure, months: int, lang: str) -> str:
    """Why a figure of ``m`` covering ``months`` months was not held against the model."""
    if not m.compared:
        return m.comparison(lang)
    if months not in m.count.compare_periods:
        per = ", ".join(measures_io.PERIOD_WORDS[lang][p] for p in m.count.compare_periods)
        return (f"tælles pr. {per} i modellen; tallet gælder en anden periode" if lang == "da" else
                f"counted per {per} in the model; the figure covers another period")
    span = f"{calendar.MONTH_LABELS[0]}–{calendar.MONTH_LABELS[-1]}"
    return (f"uden for de simulerede måneder ({span}), eller modellens tal er udefineret der" if lang == "da" else
            f"outside the simulated months ({span}), or the model's number is undefined there")


def run(sc: Scenario, actual: pd.DataFrame, replications: int, seed: int, scale: float = 1.0,
        engine: str = "fast", progress=None, lang: str = "en") -> tuple[pd.DataFrame, list[LeftOut]]:
    """Simulate ``sc`` (its futures as ``python -m model run`` would) and score ``actual`` against
    them; ``actual`` must be of the scenario's municipality (ActualsError otherwise)."""
    actuals_io.check_municipality(actual, sc.municipality.profile, "the actual figures")
    results = runner.run_replications(sc, replications, seed, engine, scale, progress=progress,
                                      keep_populations=False)
    return score(actual, bands(results), lang)
