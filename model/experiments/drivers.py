"""What drives each target: from a scenario's settings, the change in each target's value (in the
target year, 2020 by default) when each lever moves one step (``levers.Lever.step``) – towards the
plan where the scenario differs from it, else towards the bound in the direction the lever is
expected to help (``Lever.helps``), or back from that bound where it already sits there.

Both runs use the same seeds (paired futures), so the change is measured future by future: the
mean change and its 90 % band (5 % and 95 % quantiles over the paired futures). A lever works
against a target when a step in the direction it is expected to help moves the target away from
it, or a step the other way moves the target towards it, in more than 95 % of the paired futures
(the whole band on one side). Every change whose band excludes zero comes with its mechanism in
words (``reports.mechanisms``): how the lever acts, and how that moves the target towards the plan
or away from it. A capacity the scenario never fills says so: more places change nothing. That is
said only where the step changed nothing in any paired future (the same months, states and counts):
the places in use at a month's end are fewer than at its allocation (some leave an offer in the
month's moves), so a month-end peak below the capacity does not show that the places never ran out.
"""
from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import calendar
from model.experiments.seek import Target, plan_targets
from model.inputs import levers, scenario
from model.reports import mechanisms, numbers
from model.sim import runner

COLUMNS = ["target", "lever", "step_from", "step_to", "mean_change", "p05", "p95"]
# Capacity levers (a number of shared places the jobcenter offers).
CAPACITY = ("internship_places", "wage_subsidy_places")

# Short nouns for the sentences ("−18 langtidsledige kontanthjælpsmodtagere i 2020").
NOUNS = {
    "youth_to_education": ("i andelen af unge på ydelse, der går i uddannelse",
                           "in the share of young people on benefits starting education"),
    "long_term_unemployed": ("langtidsledige kontanthjælpsmodtagere", "long-term unemployed on cash benefit"),
    "youth_on_benefits": ("unge under 30 på midlertidig forsørgelse", "young people under 30 on temporary benefits"),
    "partial_return_share": ("i andelen af sygemeldte delvist raskmeldt",
                             "in the share of sick-listed on partial return to work"),
    "company_offer_share": ("i andelen af ledige og sygemeldte i virksomhedsrettet tilbud",
                            "in the share of unemployed and sick-listed in company offers"),
    "resource_course_company_share": ("i andelen af ressourceforløb i praktik eller løntilskud",
                                      "in the share of resource courses in internship or wage subsidy"),
    "refugees_self_supporting": ("i andelen af flygtninge i job eller uddannelse",
                                 "in the share of refugees in work or education"),
}


@dataclass(frozen=True)
class Step:
    """One step of one lever: its values per plan year before and after."""

    key: str
    before: dict[int, float]
    after: dict[int, float]
    helps: bool            # the step is in the direction the lever is expected to help

    def shown(self, year: int) -> tuple[float, float]:
        return self.before[year], self.after[year]


def step_of(sc: scenario.Scenario, key: str) -> Step | None:
    """The lever's step from the scenario's settings (None where its range leaves no room)."""
    lv = levers.LEVERS[key]
    before = {y: sc.lever(key, y) for y in calendar.PLAN_YEARS}
    plan = lv.plan or {}
    up = 1 if lv.helps == "up" else -1
    if plan and any(abs(before[y] - plan[y]) > 1e-12 for y in calendar.PLAN_YEARS):
        after = {y: before[y] + np.sign(plan[y] - before[y]) * min(lv.step, abs(plan[y] - before[y]))
                 for y in calendar.PLAN_YEARS}
    else:
        bound = lv.max if up > 0 else lv.min
        direction = -up if all(abs(before[y] - bound) < 1e-12 for y in calendar.PLAN_YEARS) else up
        after = {y: min(lv.max, max(lv.min, before[y] + direction * lv.step)) for y in calendar.PLAN_YEARS}
    after = {y: lv.cast(round(v, 10)) for y, v in after.items()}
    if after == before:
        return None
    moved = [np.sign(after[y] - before[y]) for y in calendar.PLAN_YEARS if after[y] != before[y]]
    return Step(key, before, after, helps=bool(moved[-1] == up))


def stepped(sc: scenario.Scenario, step: Step) -> scenario.Scenario:
    """The scenario with one lever moved by its step (per year where its years differ)."""
    row = step.after
    value = row[calendar.PLAN_YEARS[0]] if len(set(row.values())) == 1 else row
    return sc.replace(levers={step.key: value})


@dataclass
class Drivers:
    """Each target's change per lever step, per paired future."""

    table: pd.DataFrame            # COLUMNS plus kind, direction, helps, against, uncertain
    targets: list[Target]
    steps: dict[str, Step]
    replications: int
    seed: int
    scale: float
    # per capacity lever stepped: the most places the scenario offers in a plan year (whole
    # municipality), and whether they ran out (the step changed something in some paired future)
    capacity: dict[str, tuple[float, bool]] | None = None


def capacity_use(sc: scenario.Scenario, base: list[runner.RunResult],
                 stepped: dict[str, list[runner.RunResult]]) -> dict[str, tuple[float, bool]]:
    """For each capacity lever stepped: the most places the scenario offers in a plan year (whole
    municipality) and whether they ever ran out, i.e. whether the step changed anything in some
    paired future. If the places never ran out, demand stayed below them in every month and more
    places change nothing; if the step changed anything, some request was refused for want of a place."""
    out = {}
    for key in CAPACITY:
        if key not in stepped:
            continue
        offered = max(sc.lever(key, y) for y in calendar.PLAN_YEARS)
        changed = any(not (np.array_equal(a.states, b.states) and np.array_equal(a.measures, b.measures))
                      for a, b in zip(base, stepped[key]))
        out[key] = (float(offered), changed)
    return out


def measure(sc: scenario.Scenario, year: int = calendar.END_YEAR, replications: int = 30, seed: int = 1,
            scale: float = 1.0, executor: Executor | None = None, which: str = "all",
            progress=None, keys: list[str] | None = None) -> Drivers:
    """Run the scenario and each lever's step (``keys``: these levers only) on the same seeds; the
    paired changes per target."""
    targets = plan_targets(sc.municipality, year, which)
    steps = {k: s for k in (keys or levers.LEVERS) if (s := step_of(sc, k)) is not None}
    runs = [sc] + [stepped(sc, s) for s in steps.values()]
    todo = runner.jobs(seed, replications, scale=scale)
    if executor is None:
        results = []
        for i, x in enumerate(runs):
            results.append([runner.run_job(x, j, scale=scale) for j in todo])
            if progress:
                progress(i + 1, len(runs))
    else:
        futures = [[executor.submit(runner.run_job, x, j, "fast", scale) for j in todo] for x in runs]
        results = []
        for i, fs in enumerate(futures):
            results.append([f.result() for f in fs])
            if progress:
                progress(i + 1, len(runs))
    j = calendar.REPORT_YEARS.index(year)
    values = [runner.municipality_values(r) for r in results]
    rows = []
    for t in targets:
        base = values[0][t.key][:, j]
        for s, v in zip(steps.values(), values[1:]):
            d = v[t.key][:, j] - base
            if not np.isfinite(d).all():
                mean = p05 = p95 = float("nan")
            else:
                mean, p05, p95 = float(d.mean()), float(np.quantile(d, 0.05)), float(np.quantile(d, 0.95))
            a, b = s.shown(year)
            rows.append({"target": t.key, "lever": s.key, "step_from": a, "step_to": b, "mean_change": mean,
                         "p05": p05, "p95": p95, "kind": t.kind, "direction": t.direction, "helps": s.helps,
                         "against": bool(np.isfinite(mean) and works_against(p05, p95, t.direction, s.helps)),
                         "uncertain": bool(not np.isfinite(mean) or p05 <= 0 <= p95)})
    table = pd.DataFrame(rows)
    if len(table):
        table["order"] = table.mean_change.abs()
        table = (table.sort_values(["target", "order"], ascending=[True, False], kind="stable")
                 .drop(columns="order"))
        order = {t.key: i for i, t in enumerate(targets)}
        table = table.sort_values("target", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return Drivers(table, targets, steps, replications, seed, scale,
                   capacity_use(sc, results[0], dict(zip(steps, results[1:]))))


def works_against(p05: float, p95: float, direction: str, helps: bool) -> bool:
    """Whether a step's whole band says the lever works against the target: a step in the direction
    the lever is expected to help moves the target away from it, or a step the other way towards it."""
    worse = p05 > 0 if direction == "below" else p95 < 0
    better = p95 < 0 if direction == "below" else p05 > 0
    return worse if helps else better


def _change(x: float, kind: str, lang: str) -> str:
    if not np.isfinite(x):
        return "–"
    if kind == "share":
        v = round(100 * x, 1)
        text = numbers._localise(f"{abs(v):.1f}", lang)
    else:
        v = round(x)
        text = numbers._localise(f"{abs(v):,.0f}", lang)
    sign = "+" if v > 0 else ("−" if v < 0 else "±")
    return f"{sign}{text}"


def sentence(row, year: int, lang: str = "da", capacity: dict[str, tuple[float, bool]] | None = None) -> str:
    """'Frist for virksomhedspraktik 3 → 2 måneder: −18 langtidsledige kontanthjælpsmodtagere i 2020
    (−25 … −11)', what the band says, and the mechanism where the band excludes zero; for a capacity
    never filled (``capacity``), that more places change nothing."""
    lv = levers.LEVERS[row["lever"]]
    label = lv.label(lang).split(" (")[0]
    value = lambda v: numbers.fmt_value(v, lv.unit_en, lang)  # noqa: E731
    unit = "" if lv.unit_en.startswith("share") else f" {lv.unit(lang)}"
    offered, binds = (capacity or {}).get(row["lever"], (0.0, True))
    if not binds:
        n = numbers.fmt(float(offered), "count", lang)
        return (f"{label} {value(row['step_from'])} → {value(row['step_to'])}{unit}: efterspørgslen er under {n} "
                f"pladser; flere pladser ændrer intet." if lang == "da" else
                f"{label} {value(row['step_from'])} → {value(row['step_to'])}{unit}: demand stays below {n} places; "
                f"more places change nothing.")
    noun = NOUNS[row["target"]][0 if lang == "da" else 1]
    pp = (" procentpoint" if lang == "da" else " percentage points") if row["kind"] == "share" else ""
    band = f"({_change(row['p05'], row['kind'], lang)} … {_change(row['p95'], row['kind'], lang)})"
    where = "i" if lang == "da" else "in"
    text = (f"{label} {value(row['step_from'])} → {value(row['step_to'])}{unit}: "
            f"{_change(row['mean_change'], row['kind'], lang)}{pp} {noun} {where} {year} {band}")
    if not np.isfinite(row["mean_change"]):
        return text + (" – udefineret i nogle fremtider." if lang == "da" else " – undefined in some futures.")
    if row["p05"] == 0 == row["p95"]:
        return text + (" – ingen ændring i nogen fremtid." if lang == "da" else " – no change in any future.")
    if row["uncertain"]:
        return text + (" – ingen sikker effekt (båndet rummer 0)." if lang == "da" else
                       " – no clear effect (the band includes 0).")
    towards = (row["mean_change"] < 0) == (row["direction"] == "below")
    why = mechanisms.sentence(row["lever"], row["target"], towards == bool(row["helps"]), lang)
    if row["against"]:
        return text + (" – håndtaget trækker her væk fra målet. " if lang == "da" else
                       " – the lever pulls away from the target here. ") + why
    return text + ". " + why


def sentences(d: Drivers, lang: str = "da") -> dict[str, list[str]]:
    """Per target, a sentence per lever, the largest changes first."""
    out: dict[str, list[str]] = {t.key: [] for t in d.targets}
    year = d.targets[0].year if d.targets else calendar.END_YEAR
    for _, row in d.table.iterrows():
        out[row["target"]].append(sentence(row, year, lang, d.capacity))
    return out


def csv_table(d: Drivers) -> pd.DataFrame:
    return d.table[COLUMNS]


def command(args) -> int:
    """``python -m model drivers``: the CSV (exact columns) or the sentences per target."""
    import sys

    from model.experiments.seek import SeekError, executor_for
    try:
        sc = scenario.load(args.scenario)
        executor = executor_for(args.workers)
        try:
            d = measure(sc, args.year, args.replications, args.seed, args.scale, executor, args.targets)
        finally:
            if executor is not None:
                executor.shutdown(cancel_futures=True)
    except SeekError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "csv":
        csv_table(d).to_csv(sys.stdout, index=False, float_format="%.6g")
        return 0
    print(f"{sc.name} — {args.replications} paired futures, seed {args.seed}; {runner.count_rule(args.scale)}")
    for t in d.targets:
        print()
        print(f"{t.label(args.lang)} ({args.year})")
        for line in sentences(d, args.lang)[t.key]:
            print(f"  {line}")
    return 0
