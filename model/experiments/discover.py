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
numpy version (``prim.py``) keeps the dependency list short. The box comes with words: its
coverage and density, the inputs it pins to a single value of the sweep, and whether the batch
is large enough to trust it (``words``).
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model import paths
from model.experiments import batch, outputs
from model.experiments.prim import ALPHA, MIN_BOX_CASES, MIN_MASS, MIN_VALUES, THRESHOLD, choose, peel
from model.inputs import scenario
from model.sim import indicators

if TYPE_CHECKING:                      # altair is imported when a chart is drawn (the CLI starts faster)
    import altair as alt


class NotABatch(ValueError):
    """The folder holds no batch (another command's output, or none)."""


def manifest_of(out: str | Path) -> dict:
    """A batch folder's manifest; NotABatch saying what the folder is instead."""
    path = Path(out) / "manifest.json"
    if not path.is_file():
        raise NotABatch(f"{out}: not a batch folder (no manifest.json); allowed: a folder written by "
                        "python -m model batch")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotABatch(f"{path}: not readable ({type(exc).__name__}); allowed: a folder written by "
                        "python -m model batch") from None
    if not (isinstance(manifest, dict) and isinstance(manifest.get("scenarios"), list)
            and isinstance(manifest.get("identity"), dict) and "scale" in manifest["identity"]):
        what = ("a goal-seek's output (front.csv, best.toml)" if isinstance(manifest, dict) and "best" in manifest
                else "another command's output")
        raise NotABatch(f"{out}: not a batch folder: its manifest.json is {what}; allowed: a folder written by "
                        "python -m model batch")
    jobs = manifest.get("jobs")
    if not (isinstance(jobs, list) and jobs and all(isinstance(j, dict) and isinstance(j.get("first_replication"), int)
                                                    and isinstance(j.get("replications"), int) for j in jobs)):
        # without its list of jobs the folder's results cannot be told from leftovers: refuse, never guess
        raise NotABatch(f"{path}: damaged (its list of jobs is missing or malformed); rerun the batch command that "
                        "made it to write it again")
    return manifest


def cases(out: str | Path, indicator: str, year: int) -> tuple[pd.DataFrame, np.ndarray, float]:
    """The batch's futures as inputs (lever and assumption values) and whether the target is met;
    futures with the indicator undefined are left out. Returns (inputs, met, target)."""
    if indicator not in indicators.INDICATORS:
        raise ValueError(f"indicator = {indicator!r}, allowed: {', '.join(indicators.INDICATORS)}")
    manifest = manifest_of(out)
    try:
        places = {scenario.parse(s["toml"], where=s["id"]).municipality for s in manifest["scenarios"]}
        scale = float(manifest["identity"]["scale"])
    except (KeyError, TypeError, ValueError) as exc:
        raise NotABatch(f"{out}: its manifest.json is damaged ({type(exc).__name__} in its scenarios or scale); rerun "
                        "the batch command that made it to write it again") from None
    if len(places) != 1:
        raise ValueError(f"{out}: the batch holds scenarios of {len(places)} municipalities "
                         f"({', '.join(sorted(m.profile for m in places))}); discover needs one set of targets")
    target = places.pop().targets.get(indicator, {})
    if year not in target.get("years", {}):
        years = sorted(target.get("years", {}))
        raise ValueError(f"year = {year}: the plan sets no target for {indicator} then; "
                         f"allowed: {', '.join(map(str, years)) or 'none'}")
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
    values = {c: int(x[c].nunique()) for c in varying}
    box["values_in_batch"] = box["input"].map(values)
    box["pinned"] = box.restricted & (box.low == box.high)
    to = Path(to or out)
    to.mkdir(parents=True, exist_ok=True)
    traj.to_csv(to / "discover_trajectory.csv", index=False, float_format="%.5g")
    box.to_csv(to / "discover_box.csv", index=False, float_format="%.6g")
    from model.reports import charts  # (the chart libraries only when a chart is written: the CLI starts faster)
    (to / "discover.png").write_bytes(charts.to_png(chart(traj, indicator, year), "en"))
    in_box = int(b.inside.sum())
    few = [r.input for r in box.itertuples() if r.restricted and r.values_in_batch < MIN_VALUES]
    return {"indicator": indicator, "year": year, "target": target, "cases": int(len(met)),
            "met": int(met.sum()), "coverage": b.coverage, "density": b.density, "mass": b.mass,
            "cases_in_box": in_box, "pinned": [r.input for r in box.itertuples() if r.pinned],
            "few_values": few, "enough": in_box >= MIN_BOX_CASES and not few,
            "cases_needed": int(math.ceil(MIN_BOX_CASES / max(b.mass, 1e-9))),
            "box": box, "trajectory": traj}


def words(r: dict, lang: str = "en") -> list[str]:
    """The box in words: its coverage and density, what it rests on and whether the batch is large
    enough to trust it (with what would do)."""
    da = lang == "da"

    def pct(x: float) -> str:
        return f"{100 * x:.0f} %"
    lines = [(f"Boksen rummer {pct(r['coverage'])} af de fremtider, der når målet (dækning), og i {pct(r['density'])} "
              f"af fremtiderne i boksen nås målet (tæthed); den rummer {r['cases_in_box']} af {r['cases']} fremtider "
              f"({pct(r['mass'])})." if da else
              f"The box holds {pct(r['coverage'])} of the futures that meet the target (coverage), and "
              f"{pct(r['density'])} of the futures in it meet the target (density); it holds {r['cases_in_box']} of "
              f"{r['cases']} futures ({pct(r['mass'])}).")]
    if r["coverage"] < 0.5:
        lines.append("Målet nås også ofte uden for boksen: den forklarer kun en del af succeserne." if da else
                     "The target is also often met outside the box: it explains only part of the successes.")
    box = r["box"].set_index("input")
    for key in r["pinned"]:
        v = box.loc[key, "low"]
        lines.append(f"Boksen låser {key} til den ene værdi {v:g} (af {box.loc[key, 'values_in_batch']} i kørslen): "
                     "kørslen kan ikke sige, hvor langt omkring den målet stadig nås." if da else
                     f"The box pins {key} to the single value {v:g} (of {box.loc[key, 'values_in_batch']} in the batch): "
                     "the batch cannot say how far around it the target is still met.")
    if r["enough"]:
        lines.append(f"Stikprøven er stor nok: boksen hviler på {r['cases_in_box']} fremtider, og hvert input, den "
                     f"begrænser, har mindst {MIN_VALUES} værdier i kørslen." if da else
                     f"The sample is large enough: the box rests on {r['cases_in_box']} futures, and every input it "
                     f"restricts has at least {MIN_VALUES} values in the batch.")
        return lines
    need = []
    if r["cases_in_box"] < MIN_BOX_CASES:
        need.append(f"boksen hviler kun på {r['cases_in_box']} fremtider; omkring {r['cases_needed']:,} i alt ville "
                    f"give {MIN_BOX_CASES} i en boks af den størrelse" if da else
                    f"the box rests on only {r['cases_in_box']} futures; about {r['cases_needed']:,} in all would put "
                    f"{MIN_BOX_CASES} in a box of its size")
    if r["few_values"]:
        listed = ", ".join(r["few_values"])
        need.append(f"sweep {listed} med mindst {MIN_VALUES} værdier" if da else
                    f"sweep {listed} with at least {MIN_VALUES} values")
    lines.append(("Stikprøven er for lille til at stole på boksen: " if da else
                  "The sample is too small to trust the box: ") + "; ".join(need) + ".")
    return lines


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
