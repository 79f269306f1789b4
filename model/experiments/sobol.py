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

import math
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from model import paths
from model.experiments import batch, provenance, sensitivity
from model.inputs import scenario
from model.reports import charts, numbers
from model.sim import indicators, runner

YEAR = sensitivity.YEAR
COLUMNS = ["indicator", "factor", "S1", "S1_conf", "ST", "ST_conf"]
# An index known to ±0.05 (95 % interval) tells an important factor from an unimportant one; the
# intervals narrow as 1/√N, so N × (half-width / 0.05)² base samples would reach it.
HALF_WIDTH = 0.05
OUTSIDE = 0.01               # an index further than this outside 0–1 is an estimate of noise


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
    meta["adequacy"] = adequacy(table, samples, prob["num_vars"], replications)
    provenance.write(out / "sobol.json", {**provenance.header(), **meta})
    (out / "sobol.png").write_bytes(charts.to_png(chart(table), "en"))
    return {"table": table, "convergence": conv, **meta}


def adequacy(table: pd.DataFrame, samples: int, factors: int, replications: int) -> dict[str, dict]:
    """Per indicator, whether the sample is large enough to read its indices: every index within
    0–1 (beyond its interval, an index outside says the estimate is noise) and every interval at
    most ±HALF_WIDTH; if not, what is wrong and the base samples (a power of two) that would
    narrow the intervals to about ±HALF_WIDTH."""
    out = {}
    for key, t in table.groupby("indicator", sort=False):
        outside = []
        for _, r in t.iterrows():
            for name in ("S1", "ST"):
                v, c = float(r[name]), float(r[f"{name}_conf"])
                if np.isfinite(v) and not -OUTSIDE <= v <= 1 + OUTSIDE:
                    outside.append({"index": name, "factor": r.factor, "value": v, "half_width": c})
        half = float(np.nanmax(t[["S1_conf", "ST_conf"]].to_numpy())) if len(t) else float("nan")
        wider = [r.factor for _, r in t.iterrows() if np.isfinite(r.ST) and r.ST_conf > max(abs(r.ST), HALF_WIDTH)]
        enough = not outside and np.isfinite(half) and half <= HALF_WIDTH
        needed = samples
        if not enough and np.isfinite(half) and half > 0:
            needed = max(2 * samples, int(2 ** math.ceil(math.log2(samples * (half / HALF_WIDTH) ** 2))))
        out[key] = {"enough": bool(enough), "largest_half_width": half, "outside_0_1": outside,
                    "interval_wider_than_index": wider, "samples": samples, "samples_needed": int(needed),
                    "runs_needed": int(needed * (factors + 2) * replications)}
    return out


def adequacy_words(result: dict, lang: str = "en") -> list[str]:
    """One sentence per indicator on whether its indices can be read (``adequacy``)."""
    da = lang == "da"

    def num(x: float, digits: int = 2) -> str:
        return numbers._localise(f"{x:,.{digits}f}" if digits else f"{x:,.0f}", lang)
    lines = []
    for key, a in result["adequacy"].items():
        half = a["largest_half_width"]
        if a["enough"]:
            lines.append(f"{key}: stikprøven er stor nok: alle indeks i 0–1 og intervaller højst ±{num(half)}." if da else
                         f"{key}: the sample is large enough: every index within 0–1 and intervals at most ±{num(half)}.")
            continue
        parts = []
        shown = a["outside_0_1"][:3]
        if shown:
            of = "for" if da else "of"
            listed = ", ".join(f"{o['index']} {of} {o['factor'].split('.')[-1]} {num(o['value'])}" for o in shown)
            more = len(a["outside_0_1"]) - len(shown)
            extra = (f" og {more} flere" if da else f" and {more} more") if more > 0 else ""
            parts.append(f"{listed}{extra} " + ("ligger uden for 0–1" if da else "outside 0–1"))
        if np.isfinite(half) and half > HALF_WIDTH:
            wider = len(a["interval_wider_than_index"])
            parts.append((f"intervaller op til ±{num(half)}" + (f", bredere end indekset for {wider} faktorer" if wider
                                                                else "")) if da else
                         f"intervals up to ±{num(half)}" + (f", wider than the index for {wider} factors" if wider else ""))
        need, runs = a["samples_needed"], num(a["runs_needed"], 0)
        lines.append(f"{key}: stikprøven er for lille til at læse indeksene: {'; '.join(parts)}. Omkring --samples "
                     f"{need} ({runs} kørsler) ville give intervaller på omkring ±{num(HALF_WIDTH)}." if da else
                     f"{key}: the sample is too small to read the indices: {'; '.join(parts)}. About --samples "
                     f"{need} ({runs} runs) would narrow the intervals to about ±{num(HALF_WIDTH)}.")
    return lines


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
