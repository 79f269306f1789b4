"""Scenario discovery over a batch: in which ranges of the levers and assumptions is a target
met? PRIM (the Patient Rule Induction Method, Friedman & Fisher 1999), as the EMA Workbench
uses it.

Each case is one future of one scenario of the batch: its inputs are the scenario's lever values
(in the target's year) and assumption values, its outcome whether the plan's target for the
indicator is met in that future. PRIM peels: from the box holding every case it repeatedly cuts
off the ``alpha`` share of cases at the low or high end of one input, whichever cut leaves the
box with the highest share of cases meeting the target (its *density*), until the box holds
less than ``min_mass`` of the cases or no cut raises the density. Each box of that peeling
trajectory has a *coverage* (the share of all cases meeting the target that are in the box) and
a density; the box shown is, of those with at least ``threshold`` density, the one with the
largest coverage × density (or the densest). Only inputs that vary in the batch are peeled.
The EMA Workbench's ``prim`` does the same (with pasting and interactive box choice); this
numpy version keeps the dependency list short.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model import paths
from model.experiments import batch, outputs
from model.inputs import scenario
from model.sim import indicators

if TYPE_CHECKING:                      # altair is imported when a chart is drawn (the CLI starts faster)
    import altair as alt

ALPHA = 0.05
MIN_MASS = 0.05
THRESHOLD = 0.8


@dataclass
class Box:
    low: np.ndarray
    high: np.ndarray
    inside: np.ndarray            # bool per case
    coverage: float
    density: float
    mass: float


def _box(x: np.ndarray, y: np.ndarray, low: np.ndarray, high: np.ndarray) -> Box:
    inside = np.all((x >= low) & (x <= high), axis=1)
    n_in = inside.sum()
    return Box(low.copy(), high.copy(), inside, float(y[inside].sum() / max(y.sum(), 1)),
               float(y[inside].mean()) if n_in else float("nan"), float(n_in / len(y)))


def peel(x: np.ndarray, y: np.ndarray, alpha: float = ALPHA, min_mass: float = MIN_MASS) -> list[Box]:
    """PRIM's peeling trajectory for inputs ``x`` (cases × inputs) and outcome ``y`` (0/1)."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    low, high = x.min(axis=0), x.max(axis=0)
    boxes = [_box(x, y, low, high)]
    while True:
        cur = boxes[-1]
        xi, yi = x[cur.inside], y[cur.inside]
        best = None
        for j in range(x.shape[1]):
            v = xi[:, j]
            if v.min() == v.max():
                continue
            for side in ("low", "high"):
                q = np.quantile(v, alpha if side == "low" else 1 - alpha)
                cut = v < q if side == "low" else v > q
                if not cut.any():                               # ties: cut the extreme value itself
                    cut = v == (v.min() if side == "low" else v.max())
                keep = ~cut
                if keep.sum() / len(y) < min_mass or not keep.any():
                    continue
                density = yi[keep].mean()
                if best is None or density > best[0] + 1e-12:
                    best = (density, j, side, v[keep].min() if side == "low" else v[keep].max())
        if best is None or best[0] < cur.density - 1e-12:
            return boxes
        _, j, side, bound = best
        low, high = cur.low.copy(), cur.high.copy()
        (low if side == "low" else high)[j] = bound
        boxes.append(_box(x, y, low, high))


def choose(boxes: list[Box], threshold: float = THRESHOLD) -> int:
    """Of the boxes with at least ``threshold`` density, the one with the largest coverage ×
    density (peeling on past it trades much coverage for little density); without one, the
    densest (the first of equals)."""
    ok = [i for i, b in enumerate(boxes) if b.density >= threshold]
    if not ok:
        return int(np.nanargmax([b.density for b in boxes]))
    return max(ok, key=lambda i: (boxes[i].coverage * boxes[i].density, -i))


def cases(out: str | Path, indicator: str, year: int) -> tuple[pd.DataFrame, np.ndarray, float]:
    """The batch's futures as inputs (lever and assumption values) and whether the target is met;
    futures with the indicator undefined are left out. Returns (inputs, met, target)."""
    if indicator not in indicators.INDICATORS:
        raise ValueError(f"indicator = {indicator!r}, allowed: {', '.join(indicators.INDICATORS)}")
    manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    places = {scenario.parse(s["toml"], where=s["id"]).municipality for s in manifest["scenarios"]}
    if len(places) != 1:
        raise ValueError(f"{out}: the batch holds scenarios of {len(places)} municipalities "
                         f"({', '.join(sorted(m.profile for m in places))}); discover needs one set of targets")
    target = places.pop().targets.get(indicator, {})
    if year not in target.get("years", {}):
        years = sorted(target.get("years", {}))
        raise ValueError(f"year = {year}: the plan sets no target for {indicator} then; "
                         f"allowed: {', '.join(map(str, years)) or 'none'}")
    scale = float(manifest["identity"]["scale"])
    yearly = batch.load(out, "yearly")
    yearly = yearly[(yearly.indicator == indicator) & (yearly.year == year)]
    value = yearly.value.to_numpy(float)
    if indicators.INDICATORS[indicator].kind == "count":
        value = value / scale                                 # compared with the plan's target for the municipality
    keep = np.isfinite(value)
    cols = list(outputs.lever_columns()) + list(outputs.assumption_columns())
    x = yearly.loc[keep, cols].reset_index(drop=True)
    met = indicators.meets(value[keep], target["years"][year], target["direction"]).astype(int)
    return x, met, float(target["years"][year])


def run(out: str | Path, indicator: str = "long_term_unemployed", year: int = 2020,
        threshold: float = THRESHOLD, alpha: float = ALPHA, min_mass: float = MIN_MASS,
        to: str | Path | None = None) -> dict:
    """Scenario discovery for a batch folder; writes discover_trajectory.csv, discover_box.csv
    and discover.png into ``to`` (default: the batch folder)."""
    x, met, target = cases(out, indicator, year)
    varying = [c for c in x.columns if x[c].nunique() > 1]
    if not varying:
        raise ValueError(f"{out}: no lever or assumption varies between the batch's scenarios: nothing to discover "
                         "(run a sweep)")
    if not met.any():
        raise ValueError(f"{indicator} {year}: the target ({target:g}) is met in none of the batch's {len(met)} "
                         "futures: there is no region of the inputs to find (sweep wider ranges)")
    xv = x[varying].to_numpy(float)
    boxes = peel(xv, met, alpha, min_mass)
    pick = choose(boxes, threshold)
    traj = pd.DataFrame([{"step": i, "coverage": b.coverage, "density": b.density, "mass": b.mass,
                          "restricted": sum(1 for j in range(len(varying))
                                            if b.low[j] > xv[:, j].min() or b.high[j] < xv[:, j].max()),
                          "chosen": i == pick} for i, b in enumerate(boxes)])
    b = boxes[pick]
    box = pd.DataFrame([{"input": c, "low": b.low[j], "high": b.high[j], "batch_low": xv[:, j].min(),
                         "batch_high": xv[:, j].max(),
                         "restricted": bool(b.low[j] > xv[:, j].min() or b.high[j] < xv[:, j].max())}
                        for j, c in enumerate(varying)]).sort_values("restricted", ascending=False, kind="stable")
    to = Path(to or out)
    to.mkdir(parents=True, exist_ok=True)
    traj.to_csv(to / "discover_trajectory.csv", index=False, float_format="%.5g")
    box.to_csv(to / "discover_box.csv", index=False, float_format="%.6g")
    from model.reports import charts  # (the chart libraries only when a chart is written: the CLI starts faster)
    (to / "discover.png").write_bytes(charts.to_png(chart(traj, indicator, year), "en"))
    return {"indicator": indicator, "year": year, "target": target, "cases": int(len(met)),
            "met": int(met.sum()), "coverage": b.coverage, "density": b.density, "mass": b.mass,
            "box": box, "trajectory": traj}


def write_docs(result: dict, out: str | Path, docs: Path = paths.DOCS) -> None:
    """Keep a batch's discovery with the documentation (shown in the app's "Om modellen"):
    docs/discover.csv (the box's restricted inputs) and docs/discover.json (what it is of)."""
    manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    result["box"][result["box"].restricted].to_csv(docs / "discover.csv", index=False, float_format="%.6g")
    meta = {k: result[k] for k in ("indicator", "year", "target", "cases", "met", "coverage", "density", "mass")}
    meta.update(batch_command=manifest.get("command"), batch_model=manifest.get("model", {}).get("fingerprint"),
                batch_scale=manifest["identity"]["scale"], batch_replications=manifest["identity"]["replications"])
    (docs / "discover.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def saved(docs: Path = paths.DOCS) -> tuple[pd.DataFrame, dict] | None:
    """The last kept discovery (``python -m model discover BATCH --write``), if any."""
    if not (docs / "discover.json").exists():
        return None
    return pd.read_csv(docs / "discover.csv"), json.loads((docs / "discover.json").read_text(encoding="utf-8"))


def chart(traj: pd.DataFrame, indicator: str, year: int) -> alt.Chart:
    """PRIM's trade-off: coverage against density along the peeling trajectory."""
    import altair as alt
    base = alt.Chart(traj).encode(x=alt.X("coverage:Q", scale=alt.Scale(domain=[0, 1])),
                                  y=alt.Y("density:Q", scale=alt.Scale(domain=[0, 1])))
    return (base.mark_line(point=True) + base.transform_filter("datum.chosen").mark_point(size=200, color="red")
            ).properties(width=360, height=300, title=f"PRIM: {indicator} target met in {year}")
