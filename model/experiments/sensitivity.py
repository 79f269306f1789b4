"""Sensitivity analysis: Morris screening (SALib) of every effect size and lever for each plan
indicator in 2020, run through the batch runner.

The ranking uses mu* (the mean absolute elementary effect, scaled to each factor's range); its
stability is judged by running the trajectories in two halves and comparing the rankings
(Spearman correlation). Everything is reproducible from the seed."""
from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from model import calendar, paths
from model.experiments import batch, provenance
from model.inputs import assumptions, levers, scenario, sweep
from model.reports import charts
from model.sim import indicators, runner

YEAR = calendar.END_YEAR


def saved() -> pd.DataFrame | None:
    """The last written ranking (``python -m model sensitivity --write``), if any."""
    path = paths.DOCS / "sensitivity.csv"
    return pd.read_csv(path) if path.exists() else None


def write_docs(result: dict) -> None:
    """Keep the ranking with the documentation: docs/sensitivity.csv, .json and .png."""
    result["table"].to_csv(paths.DOCS / "sensitivity.csv", index=False, float_format="%.5g")
    meta = {k: v for k, v in result.items() if k != "table"}
    (paths.DOCS / "sensitivity.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    (paths.DOCS / "sensitivity.png").write_bytes(charts.to_png(ranking_chart(result["table"]), "en"))


def factors() -> list[tuple[str, str, float, float, bool]]:
    """(kind, key, low, high, integer) for every effect-size assumption and lever (the unit costs of
    the effort change no indicator: the business case's sensitivity covers them)."""
    out = [("assumptions", k, a.low, a.high, False) for k, a in assumptions.EFFECTS.items()]
    out += [("levers", k, lv.min, lv.max, lv.kind == "int") for k, lv in levers.LEVERS.items()]
    return out


def design(trajectories: int, seed: int) -> tuple[dict, np.ndarray]:
    fs = factors()
    problem = {"num_vars": len(fs), "names": [f"{k}.{n}" for k, n, *_ in fs],
               "bounds": [[lo, hi] for _, _, lo, hi, _ in fs]}
    from SALib.sample import morris as morris_sample  # here, not at import: the app reads saved rankings only

    return problem, morris_sample.sample(problem, trajectories, num_levels=4, seed=seed)


def scenarios(x: np.ndarray, base: scenario.Scenario, fs: list | None = None, method: str = "morris",
              prefix: str = "p") -> list[sweep.Expanded]:
    """The sample's points as scenarios: the factors ``fs`` (default all) set to the point's
    values, everything else as in ``base``."""
    fs = fs or factors()
    out = []
    for i, row in enumerate(x):
        lv, asm = {}, {}
        for (kind, key, _lo, _hi, integer), v in zip(fs, row):
            v = int(round(v)) if integer else float(v)
            (lv if kind == "levers" else asm)[key] = v
        sc = base.replace(levers=lv, assumptions=asm, name=f"{method} point {i}")
        out.append(sweep.Expanded(id=f"{prefix}{i:05d}", label=f"point {i}", scenario=sc, source=method))
    return out


class SensitivityIncomplete(RuntimeError):
    """Some points of the design were not run: no ranking is made from the rest."""


def analyse(problem: dict, x: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    from SALib.analyze import morris as morris_analyze

    res = morris_analyze.analyze(problem, x, y, num_levels=4, seed=seed)
    return pd.DataFrame({"factor": problem["names"], "mu_star": res["mu_star"], "sigma": res["sigma"]})


def run(trajectories: int = 10, seed: int = 1, scale: float = 0.5, out: str | Path = "results/sensitivity",
        workers: int | None = None, progress: bool = True, replications: int = 5) -> dict:
    """Screen every assumption and lever; returns the ranked table, the runs used and stability."""
    from scipy.stats import spearmanr

    out = Path(out)
    base = scenario.load(paths.SCENARIOS / "plan-2017.toml")
    problem, x = design(trajectories, seed)
    points = scenarios(x, base)
    # Every point gets a distinct id: the same scenario twice (possible on the grid) runs twice.
    # One job per point holding its replications (a job simulates whole blocks: no more than asked).
    outcome = batch.run_scenarios(points, replications, seed, out / "runs", workers=workers, scale=scale,
                                  progress=progress, chunk=min(replications, runner.CHUNK))
    if outcome.status != "done":
        # A ranking from some of the points would be a ranking of another design: refused.
        first = outcome.failed[0]["error"] if outcome.failed else outcome.status
        raise SensitivityIncomplete(f"{len(outcome.failed)} of {len(points)} points failed ({first}); rerun the same "
                                    f"command to resume")
    yearly = batch.load(out / "runs", "yearly")
    # Each point's value: the mean over its replications (common seeds for every point).
    yearly = yearly[yearly.year == YEAR].groupby(["scenario_id", "indicator"], as_index=False).value.mean()
    tables, stability, undefined = [], {}, {}
    k = problem["num_vars"] + 1
    for key in indicators.INDICATORS:
        y = yearly[yearly.indicator == key].set_index("scenario_id").value.reindex([p.id for p in points]).to_numpy()
        missing = int((~np.isfinite(y)).sum())
        if missing:                            # said by the command line; the points count with the others' mean
            undefined[key] = missing
        y = np.where(np.isfinite(y), y, np.nanmean(y) if missing < len(y) else 0.0)
        full = analyse(problem, x, y, seed)
        full["indicator"] = key
        full["rank"] = full.mu_star.rank(ascending=False, method="min").astype(int)
        tables.append(full)
        half = (trajectories // 2) * k
        if trajectories >= 4:
            a = analyse(problem, x[:half], y[:half], seed)
            b = analyse(problem, x[half:], y[half:], seed)
            stability[key] = float(spearmanr(a.mu_star, b.mu_star).statistic)
    table = pd.concat(tables, ignore_index=True).sort_values(["indicator", "rank"])
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "morris.csv", index=False)
    meta = {"trajectories": trajectories, "factors": problem["num_vars"], "points": len(points),
            "runs": len(points) * replications, "replications_per_point": replications, "seed": seed,
            "scale": scale, "year": YEAR, "stability_spearman_between_halves": stability,
            "undefined_points": undefined}
    provenance.write(out / "morris.json", {**provenance.header(), **meta})
    chart = ranking_chart(table)
    (out / "morris.png").write_bytes(charts.to_png(chart, "en"))
    return {"table": table, **meta}


def ranking_chart(table: pd.DataFrame, top: int = 10) -> alt.Chart:
    """The top factors per indicator by mu* (scaled to the indicator's largest)."""
    t = table.copy()
    t["relative"] = t.mu_star / t.groupby("indicator").mu_star.transform("max").replace(0, np.nan)
    t = t[t["rank"] <= top]
    chart = alt.Chart(t).mark_bar().encode(
        x=alt.X("relative:Q", title="mu* relative to the largest"), y=alt.Y("factor:N", sort="-x", title=None),
        row=alt.Row("indicator:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
    ).resolve_scale(y="independent").properties(width=300, height=160,
                                                 title=f"Morris screening, plan indicators in {YEAR}")
    return chart
