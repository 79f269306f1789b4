"""Variance-based sensitivity (Sobol): first-order and total indices of the assumptions and
levers for each plan indicator in 2020, with confidence intervals and their convergence.

Saltelli's sample (SALib ``sample.sobol``, without second-order terms: N × (D + 2) points for
D factors and N base samples) runs through the batch runner, every point with the same seeds
(common random numbers) and its replications averaged; SALib ``analyze.sobol`` gives S1 and ST
with bootstrap confidence intervals. Convergence: the indices from the first N/4, N/2 and N
base samples (the sample is made of whole blocks of D + 2 points, so each prefix is a Saltelli
sample of its own). Everything is reproducible from the seed.
"""
from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from model import paths
from model.experiments import batch, sensitivity
from model.inputs import scenario
from model.reports import charts
from model.sim import indicators, runner

YEAR = sensitivity.YEAR
COLUMNS = ["indicator", "factor", "S1", "S1_conf", "ST", "ST_conf"]


def problem(keys: list[str] | None = None) -> tuple[dict, list]:
    """SALib's problem for the factors (all assumptions and levers, or those named in ``keys``
    as ``kind.key`` or ``key``); ValueError naming an unknown one."""
    fs = sensitivity.factors()
    if keys:
        known = {f"{k}.{n}": f for f in fs for k, n in [f[:2]]} | {f[1]: f for f in fs}
        unknown = [k for k in keys if k not in known]
        if unknown:
            raise ValueError(f"factors: unknown {', '.join(unknown)}; allowed: {', '.join(f[1] for f in fs)}")
        fs = list(dict.fromkeys(known[k] for k in keys))
    return ({"num_vars": len(fs), "names": [f"{k}.{n}" for k, n, *_ in fs],
             "bounds": [[lo, hi] for _, _, lo, hi, _ in fs]}, fs)


def design(prob: dict, samples: int, seed: int) -> np.ndarray:
    """Saltelli's sample: ``samples`` base samples (a power of two), samples × (D + 2) points."""
    if samples < 2 or samples & (samples - 1):
        raise ValueError(f"samples = {samples}, allowed a power of two, 2 or more (Sobol' sequences)")
    return sobol_sample.sample(prob, samples, calc_second_order=False, seed=seed)


def analyse(prob: dict, y: np.ndarray, seed: int, conf_level: float = 0.95) -> pd.DataFrame:
    """First-order and total indices with their confidence half-widths."""
    r = sobol_analyze.analyze(prob, np.asarray(y, float), calc_second_order=False, conf_level=conf_level, seed=seed)
    return pd.DataFrame({"factor": prob["names"], "S1": r["S1"], "S1_conf": r["S1_conf"], "ST": r["ST"],
                         "ST_conf": r["ST_conf"]})


def convergence(prob: dict, y: np.ndarray, seed: int) -> pd.DataFrame:
    """The indices from the first N/4, N/2 and N base samples (those of 2 or more)."""
    step = prob["num_vars"] + 2
    n = len(y) // step
    rows = []
    for m in sorted({max(2, n // 4), max(2, n // 2), n}):
        t = analyse(prob, y[:m * step], seed)
        t.insert(0, "samples", m)
        rows.append(t)
    return pd.concat(rows, ignore_index=True)


def run(samples: int = 8, seed: int = 1, scale: float = 0.1, out: str | Path = "results/sobol",
        workers: int | None = None, progress: bool = True, replications: int = 3,
        factors: list[str] | None = None) -> dict:
    """Sobol indices of the factors for every plan indicator in 2020; writes sobol.csv,
    sobol_convergence.csv, sobol.json and sobol.png in ``out``."""
    out = Path(out)
    prob, fs = problem(factors)
    x = design(prob, samples, seed)
    base = scenario.load(paths.SCENARIOS / "plan-2017.toml")
    points = sensitivity.scenarios(x, base, fs, method="sobol", prefix="s")
    batch.run_scenarios(points, replications, seed, out / "runs", workers=workers, scale=scale, progress=progress,
                        chunk=min(replications, runner.CHUNK))
    yearly = batch.load(out / "runs", "yearly")
    yearly = yearly[yearly.year == YEAR].groupby(["scenario_id", "indicator"], as_index=False).value.mean()
    tables, conv, undefined = [], [], {}
    for key in indicators.INDICATORS:
        y = yearly[yearly.indicator == key].set_index("scenario_id").value.reindex([p.id for p in points]).to_numpy()
        undefined[key] = int((~np.isfinite(y)).sum())
        if undefined[key] == len(y) or np.nanstd(y) == 0:
            continue                                        # no variance to apportion
        y = np.where(np.isfinite(y), y, np.nanmean(y))
        t = analyse(prob, y, seed)
        t.insert(0, "indicator", key)
        tables.append(t)
        c = convergence(prob, y, seed)
        c.insert(0, "indicator", key)
        conv.append(c)
    table = pd.concat(tables, ignore_index=True)[COLUMNS].sort_values(["indicator", "ST"], ascending=[True, False])
    conv = pd.concat(conv, ignore_index=True)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "sobol.csv", index=False, float_format="%.5g")
    conv.to_csv(out / "sobol_convergence.csv", index=False, float_format="%.5g")
    meta = {"method": "sobol (SALib saltelli sample, calc_second_order=False)", "samples": samples,
            "factors": prob["num_vars"], "points": len(points), "replications_per_point": replications,
            "runs": len(points) * replications, "seed": seed, "scale": scale, "year": YEAR,
            "undefined_points_replaced_by_mean": undefined}
    (out / "sobol.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    (out / "sobol.png").write_bytes(charts.to_png(chart(table), "en"))
    return {"table": table, "convergence": conv, **meta}


def chart(table: pd.DataFrame, top: int = 8) -> alt.Chart:
    """Total indices with their intervals, the top factors per indicator."""
    t = table.copy()
    t["rank"] = t.groupby("indicator").ST.rank(ascending=False, method="first")
    t = t[t["rank"] <= top]
    t["low"], t["high"] = t.ST - t.ST_conf, t.ST + t.ST_conf
    base = alt.Chart().encode(y=alt.Y("factor:N", sort="-x", title=None))
    layer = alt.layer(base.mark_bar().encode(x=alt.X("ST:Q", title="total Sobol index (95 % interval)")),
                      base.mark_rule().encode(x="low:Q", x2="high:Q"), data=t)
    return layer.properties(width=300, height=160).facet(
        row=alt.Row("indicator:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(y="independent").properties(title=f"Sobol indices, plan indicators in {YEAR}")
