"""Goal-seek ("Hvad skal der til?"): the lever settings that meet the plan's targets in a given
share of simulated futures at the lowest municipal net cost 2017–2020, and the trade-off between
cost and the number of targets met (the Pareto front).

The search (optuna's multi-objective TPE; pymoo's NSGA-II found dearer answers in the same
number of evaluations when both were tried) moves each free lever on its grid of steps
(``levers.Lever.step``) within its allowed range, one value for every plan year 2017–2020. Two
objectives guide it: the mean cost, and the shortfall from the targets (how far each target's
probability quantile is from the target, relative to it, plus the missing share of futures), so
that a search far from every target still knows which way to go. Every candidate is simulated
with the same seeds (common random numbers): differences between candidates are the levers', not
chance's. Because the winner is picked among many on those seeds, its shares are flattered by the
pick; the chosen settings (and the rest of the front) are therefore run again on fresh seeds, and
both numbers are reported.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model import calendar
from model.costs import accounts
from model.experiments import provenance
from model.inputs import levers, scenario
from model.inputs.municipalities import Municipality
from model.reports import numbers
from model.sim import indicators, runner

COST = "municipal_net_dkk_2017_2020"
CHECK_SEED_SALT = 11          # the fresh seeds: SeedSequence([seed, CHECK_SEED_SALT]), never the search's
MAX_ASKS_PER_EVALUATION = 5   # repeated grid points are answered from memory; this bounds the asking


class SeekError(ValueError):
    """Bad seek input: one line naming the field and the allowed range."""


# ------------------------------------------------------------------------------------ targets

@dataclass(frozen=True)
class Target:
    """One plan target in one year."""

    key: str
    year: int
    value: float
    direction: str        # "below" or "above"
    kind: str             # "count" or "share"

    def label(self, lang: str) -> str:
        ind = indicators.INDICATORS[self.key]
        return ind.label_da if lang == "da" else ind.label_en

    def shown(self, value: float, lang: str) -> str:
        return numbers.fmt(value, self.kind, lang)


def plan_targets(municipality: Municipality, year: int, which: str = "all") -> list[Target]:
    """The municipality's plan's numeric targets for ``year``: all of them, or a comma list of
    indicator keys."""
    if year not in calendar.PLAN_YEARS:
        raise SeekError(f"--year {year}: no plan targets that year, allowed {calendar.PLAN_YEARS[0]}–"
                        f"{calendar.PLAN_YEARS[-1]}")
    known = {k: t for k, t in municipality.targets.items() if year in t["years"]}
    if which.strip() == "all":
        keys = list(known)
    else:
        keys = [k.strip() for k in which.split(",") if k.strip()]
        for k in keys:
            if k not in known:
                raise SeekError(f"--targets: {scenario.clip(repr(k), 60)} is not a target with a number in {year}; "
                                f"allowed: all or a comma list of {', '.join(known)}")
        if not keys:
            raise SeekError(f"--targets: empty; allowed: all or a comma list of {', '.join(known)}")
    return [Target(k, year, known[k]["years"][year], known[k]["direction"], indicators.INDICATORS[k].kind)
            for k in dict.fromkeys(keys)]


def check_probability(p: float) -> float:
    if not (isinstance(p, (int, float)) and math.isfinite(p) and 0 < p <= 1):
        raise SeekError(f"--probability {p}: allowed above 0 and at most 1 (e.g. 0.8 = met in 80 % of futures)")
    return float(p)


# ------------------------------------------------------------------------------------ the search space

def _fmt(lv: levers.Lever, x: float) -> str:
    return f"{int(x)}" if lv.kind == "int" else f"{x:g}"


def grid(key: str, lo: float, hi: float) -> np.ndarray:
    """The lever's values from ``lo`` to ``hi`` in its steps (``hi`` always included)."""
    lv = levers.LEVERS[key]
    n = int(math.floor((hi - lo) / lv.step + 1e-9))
    values = [round(lo + i * lv.step, 10) for i in range(n + 1)]
    if hi - values[-1] > 1e-9:
        values.append(hi)
    return np.array([lv.cast(v) for v in values], dtype=float)


def parse_range(text: str) -> tuple[str, float, float]:
    """'internship_places=200:1500' -> ('internship_places', 200, 1500), within the lever's bounds."""
    key, sep, span = text.partition("=")
    key = key.strip()
    if not sep or key not in levers.LEVERS:
        allowed = ", ".join(levers.LEVERS)
        raise SeekError(f"--range {scenario.clip(repr(text), 80)}: write LEVER=LOW:HIGH with a lever of {allowed}")
    lv = levers.LEVERS[key]
    lo_text, colon, hi_text = span.partition(":")
    try:
        lo, hi = float(lo_text), float(hi_text) if colon else float(lo_text)
    except ValueError:
        raise SeekError(f"--range {key}={scenario.clip(span, 40)}: write LOW:HIGH, allowed {lv.allowed()}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lv.min <= lo <= hi <= lv.max):
        raise SeekError(f"--range {key}={scenario.clip(span, 40)}: outside the lever's bounds or LOW above HIGH, "
                        f"allowed {lv.allowed()}")
    if lv.kind == "int" and not (lo.is_integer() and hi.is_integer()):
        raise SeekError(f"--range {key}={scenario.clip(span, 40)}: whole numbers, allowed {lv.allowed()}")
    return key, lo, hi


def search_space(free: list[str] | None = None, ranges: dict[str, tuple[float, float]] | None = None
                 ) -> dict[str, np.ndarray]:
    """The grid of every lever that may move: ``free`` (default: every lever) within ``ranges``
    (default: the lever's bounds). A lever given a range is free."""
    ranges = ranges or {}
    keys = list(levers.LEVERS) if free is None else list(free)
    for k in keys:
        if k not in levers.LEVERS:
            raise SeekError(f"--levers: {scenario.clip(repr(k), 60)} is not a lever; allowed: all or a comma list of "
                            f"{', '.join(levers.LEVERS)}")
    keys += [k for k in ranges if k not in keys]
    if not keys:
        raise SeekError(f"--levers: none; allowed: all or a comma list of {', '.join(levers.LEVERS)}")
    out = {}
    for k in levers.LEVERS:                      # in the data file's order
        if k in keys:
            lv = levers.LEVERS[k]
            lo, hi = ranges.get(k, (lv.min, lv.max))
            out[k] = grid(k, lo, hi)
    return out


def parse_levers(text: str) -> list[str] | None:
    if text.strip() == "all":
        return None
    return [k.strip() for k in text.split(",") if k.strip()]


# ------------------------------------------------------------------------------------ evaluations

@dataclass
class Evaluation:
    """One candidate: its free levers' values, mean cost and, per target, the share of futures
    meeting it, the mean and how far it is from the target at the probability (shortfall)."""

    values: dict[str, float]
    cost: float
    shares: dict[str, float]
    means: dict[str, float]
    shortfalls: dict[str, float]
    probability: float
    number: int = 0

    @property
    def met(self) -> int:
        return sum(s >= self.probability - 1e-12 for s in self.shares.values())

    @property
    def shortfall(self) -> float:
        return float(sum(self.shortfalls.values()))

    def meets(self, key: str) -> bool:
        return self.shares[key] >= self.probability - 1e-12


def judge(values: dict[str, float], cost: np.ndarray, outcomes: dict[str, np.ndarray], targets: list[Target],
          probability: float) -> Evaluation:
    """An evaluation from each future's cost and each target's value per future. A value undefined
    in a future (nobody in the denominator) does not meet the target there, and leaves the mean
    undefined."""
    shares, means, short = {}, {}, {}
    for t in targets:
        x = np.asarray(outcomes[t.key], dtype=float)
        defined = np.isfinite(x)
        shares[t.key] = float(np.mean(indicators.meets(np.where(defined, x, np.nan), t.value, t.direction) & defined))
        means[t.key] = float(np.mean(x)) if defined.all() else float("nan")
        if defined.any():
            xs = x[defined]
            q = np.quantile(xs, probability if t.direction == "below" else 1 - probability)
            gap = (q - t.value) if t.direction == "below" else (t.value - q)
            rel = max(0.0, float(gap) / abs(t.value)) if t.value else max(0.0, float(gap))
        else:
            rel = 1.0
        short[t.key] = rel + max(0.0, probability - shares[t.key])
    return Evaluation(dict(values), float(np.mean(cost)), shares, means, short, probability)


def candidate(base: scenario.Scenario, values: dict[str, float], name: str | None = None,
              description: str | None = None) -> scenario.Scenario:
    """``base`` with the free levers set to ``values`` (one value for every plan year); its other
    levers, inputs, assumptions and municipality kept."""
    return base.replace(levers={k: levers.LEVERS[k].cast(v) for k, v in values.items()}, name=name or None,
                        description=description)


class Simulator:
    """Evaluates candidates with the real model: every candidate on the same seeds."""

    def __init__(self, base: scenario.Scenario, targets: list[Target], probability: float, replications: int,
                 seed: int, scale: float = 1.0, executor: Executor | None = None):
        self.base, self.targets, self.probability = base, targets, probability
        self.replications, self.seed, self.scale, self.executor = replications, seed, scale, executor
        self.jobs = runner.jobs(seed, replications, scale=scale)

    def run(self, batch: list[dict[str, float]], seed: int | None = None) -> list[Evaluation]:
        """Evaluate a batch of candidates (their jobs run side by side on the executor)."""
        todo = self.jobs if seed is None else runner.jobs(seed, self.replications, scale=self.scale)
        scenarios = [candidate(self.base, v) for v in batch]
        if self.executor is None:
            results = [[runner.run_job(sc, j, scale=self.scale) for j in todo] for sc in scenarios]
        else:
            futures = [[self.executor.submit(runner.run_job, sc, j, "fast", self.scale) for j in todo]
                       for sc in scenarios]
            results = [[f.result() for f in fs] for fs in futures]
        return [self.judge(v, r) for v, r in zip(batch, results)]

    def judge(self, values: dict[str, float], results: list) -> Evaluation:
        j = calendar.REPORT_YEARS.index(self.targets[0].year)
        v = runner.municipality_values(results)
        return judge(values, accounts.municipal_net(results), {t.key: v[t.key][:, j] for t in self.targets},
                     self.targets, self.probability)


# ------------------------------------------------------------------------------------ the search

@dataclass
class Outcome:
    """What a search found: every distinct candidate evaluated, in order."""

    evaluations: list[Evaluation]
    space: dict[str, np.ndarray]
    targets: list[Target]
    probability: float
    asked: int
    seconds: float
    stopped_early: str = ""
    checks: dict[int, Evaluation] = field(default_factory=dict)    # candidate number -> fresh-seed evaluation

    def front(self) -> list[Evaluation]:
        return pareto_front(self.evaluations)

    def best(self) -> Evaluation:
        return self.front()[0]


def pareto_front(evals: list[Evaluation]) -> list[Evaluation]:
    """The candidates no other beats on both cost and number of targets met: for each number met,
    the cheapest, kept only if cheaper than every candidate meeting more. Most targets first."""
    out: list[Evaluation] = []
    for e in sorted(evals, key=lambda e: (-e.met, e.cost, e.shortfall, e.number)):
        if not out or e.cost < out[-1].cost and e.met < out[-1].met:
            out.append(e)
    return out


def start_points(base: scenario.Scenario, space: dict[str, np.ndarray]) -> list[dict[str, float]]:
    """The first candidates: the scenario's own settings (its target-year values, on the grid) and
    every free lever at the end of its range where it is expected to help the targets."""
    year = calendar.PLAN_YEARS[-1]
    own = {k: float(g[np.argmin(np.abs(g - base.lever(k, year)))]) for k, g in space.items()}
    most = {k: float(g[-1] if levers.LEVERS[k].helps == "up" else g[0]) for k, g in space.items()}
    return [own] if own == most else [own, most]


def search(evaluate: Callable[[list[dict[str, float]]], list[Evaluation]], space: dict[str, np.ndarray],
           targets: list[Target], probability: float, evaluations: int, seed: int = 1, batch: int = 2,
           starts: list[dict[str, float]] | None = None,
           progress: Callable[[int, int, Evaluation | None], None] | None = None) -> Outcome:
    """Search ``space`` with ``evaluations`` simulated candidates (``evaluate`` simulates a batch).
    A grid point asked again is answered from memory and not counted; the search stops early when
    every grid point has been simulated."""
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=True, n_startup_trials=min(10, max(2, evaluations // 4)))
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler)
    for s in starts or []:
        study.enqueue_trial({k: int(np.argmin(np.abs(space[k] - v))) for k, v in s.items()})
    size = math.prod(len(g) for g in space.values())
    seen: dict[tuple, Evaluation] = {}
    done: list[Evaluation] = []
    asked, t0, note = 0, time.perf_counter(), ""
    while len(done) < evaluations:
        if len(seen) >= size:
            note = "every grid point simulated"
            break
        if asked >= MAX_ASKS_PER_EVALUATION * evaluations:
            note = "the search kept asking for settings already simulated"
            break
        trials, todo = [], []
        while len(todo) < min(batch, evaluations - len(done)) and asked < MAX_ASKS_PER_EVALUATION * evaluations:
            tr = study.ask()
            asked += 1
            values = {k: float(g[tr.suggest_int(k, 0, len(g) - 1)]) for k, g in space.items()}
            key = tuple(values.values())
            if key in seen or any(tuple(v.values()) == key for _, v in todo):
                trials.append((tr, key))
                continue
            todo.append((tr, values))
        if todo:
            for (tr, values), e in zip(todo, evaluate([v for _, v in todo])):
                e.number = len(done) + 1
                seen[tuple(values.values())] = e
                done.append(e)
                study.tell(tr, [e.cost, e.shortfall])
                if progress:
                    progress(len(done), evaluations, pareto_front(done)[0])
        for tr, key in trials:                      # repeats: the remembered answer
            e = seen.get(key)
            if e is None:                           # a repeat within the batch just simulated
                e = next(x for x in done if tuple(x.values.values()) == key)
            study.tell(tr, [e.cost, e.shortfall])
    return Outcome(done, space, targets, probability, asked, time.perf_counter() - t0, note)


def fresh_seed(seed: int) -> int:
    """The master seed of the re-check: never one the search used."""
    return int(np.random.SeedSequence([seed, CHECK_SEED_SALT]).generate_state(1)[0])


def recheck(outcome: Outcome, sim: Simulator, seed: int) -> None:
    """Run every candidate of the front again on fresh seeds (``seed``): the reported shares are
    then not flattered by the search's pick."""
    front = outcome.front()
    for e, fresh in zip(front, sim.run([e.values for e in front], seed=seed)):
        fresh.number = e.number
        outcome.checks[e.number] = fresh


# ------------------------------------------------------------------------------------ in words

WORDS = {
    "da": {
        "best": "Billigste indstilling, der når flest mål ({met} af {n}) i mindst {p} af fremtiderne: "
                "{cost} kr. netto for kommunen 2017–2020 (gennemsnit).",
        "target": "{label}: mål {target} i {year} nået i {search} af fremtiderne i søgningen og {fresh} "
                  "ved kontrollen på nye frø (gennemsnit {mean}).",
        "infeasible": "{label}: mål {target} i {year} nås ikke i mindst {p} af fremtiderne med nogen af de "
                      "{n} afprøvede indstillinger inden for de tilladte grænser. Bedst fundet: nået i {best} "
                      "af fremtiderne; bedste gennemsnit {mean}.",
        "bounds": " Ved grænsen sad: {levers}.",
        "no_bounds": " Ingen håndtag sad ved deres grænse.",
        "at_min": "{label} ved sit minimum ({value})", "at_max": "{label} ved sit maksimum ({value})",
        "honest": "Andelene i søgningen er målt på de samme frø, som valget blev truffet på, og er derfor lidt "
                  "for gode; kontrollen på nye frø er det ærlige tal.",
        "levers": "Indstillingen: {levers}.",
    },
    "en": {
        "best": "Cheapest setting meeting the most targets ({met} of {n}) in at least {p} of futures: "
                "DKK {cost} municipal net cost 2017–2020 (mean).",
        "target": "{label}: target {target} in {year} met in {search} of futures in the search and {fresh} "
                  "in the check on fresh seeds (mean {mean}).",
        "infeasible": "{label}: target {target} in {year} is not met in at least {p} of futures by any of the "
                      "{n} settings tried within the allowed ranges. Best found: met in {best} of futures; "
                      "best mean {mean}.",
        "bounds": " At their bounds sat: {levers}.",
        "no_bounds": " No lever sat at its bound.",
        "at_min": "{label} at its minimum ({value})", "at_max": "{label} at its maximum ({value})",
        "honest": "The shares in the search are measured on the seeds the choice was made on, and so are a "
                  "little flattering; the check on fresh seeds is the honest number.",
        "levers": "The setting: {levers}.",
    },
}


def _pct(x: float, lang: str) -> str:
    return numbers.fmt(x, "share", lang, 0)


def _short(lv: levers.Lever, lang: str) -> str:
    return lv.label(lang).split(" (")[0]


def setting_words(values: dict[str, float], lang: str) -> str:
    return "; ".join(f"{_short(levers.LEVERS[k], lang)} {numbers.fmt_value(v, levers.LEVERS[k].unit_en, lang)}"
                     + ("" if levers.LEVERS[k].unit_en.startswith("share") else f" {levers.LEVERS[k].unit(lang)}")
                     for k, v in values.items())


def at_bounds(values: dict[str, float], space: dict[str, np.ndarray], lang: str) -> list[str]:
    """The levers of a setting that sit at an end of their allowed range, in words."""
    w, out = WORDS[lang], []
    for k, v in values.items():
        g, lv = space[k], levers.LEVERS[k]
        if len(g) < 2:
            continue
        value = numbers.fmt_value(v, lv.unit_en, lang)
        if v == g[0]:
            out.append(w["at_min"].format(label=_short(lv, lang), value=value))
        elif v == g[-1]:
            out.append(w["at_max"].format(label=_short(lv, lang), value=value))
    return out


@dataclass(frozen=True)
class Infeasible:
    """A target no candidate met at the probability: the best share and mean found, and the
    levers at their bounds in the candidate that came closest."""

    key: str
    best_share: float
    best_mean: float
    closest: dict[str, float]

    def words(self, outcome: Outcome, lang: str) -> str:
        w = WORDS[lang]
        t = next(x for x in outcome.targets if x.key == self.key)
        text = w["infeasible"].format(label=t.label(lang), target=t.shown(t.value, lang), year=t.year,
                                      p=_pct(outcome.probability, lang), n=len(outcome.evaluations),
                                      best=_pct(self.best_share, lang), mean=t.shown(self.best_mean, lang))
        bounds = at_bounds(self.closest, outcome.space, lang)
        return text + (w["bounds"].format(levers="; ".join(bounds)) if bounds else w["no_bounds"])


def infeasible(outcome: Outcome) -> list[Infeasible]:
    """Every target that no candidate met at the probability (never silently dropped)."""
    out = []
    for t in outcome.targets:
        if any(e.meets(t.key) for e in outcome.evaluations):
            continue
        closest = min(outcome.evaluations, key=lambda e: (-e.shares[t.key], e.shortfalls[t.key]))
        means = [e.means[t.key] for e in outcome.evaluations if np.isfinite(e.means[t.key])]
        best_mean = (min(means) if t.direction == "below" else max(means)) if means else float("nan")
        out.append(Infeasible(t.key, max(e.shares[t.key] for e in outcome.evaluations), best_mean, closest.values))
    return out


def report(outcome: Outcome, lang: str) -> list[str]:
    """The answer in the planner's words: the best setting, each target with both probabilities,
    the infeasible targets, and why two numbers."""
    w, best = WORDS[lang], outcome.best()
    fresh = outcome.checks.get(best.number)
    lines = [w["best"].format(met=best.met, n=len(outcome.targets), p=_pct(outcome.probability, lang),
                              cost=numbers.fmt(best.cost, "count", lang)),
             w["levers"].format(levers=setting_words(best.values, lang))]
    for t in outcome.targets:
        lines.append(w["target"].format(label=t.label(lang), target=t.shown(t.value, lang), year=t.year,
                                        search=_pct(best.shares[t.key], lang),
                                        fresh=_pct(fresh.shares[t.key], lang) if fresh else "–",
                                        mean=t.shown(best.means[t.key], lang)))
    lines += [x.words(outcome, lang) for x in infeasible(outcome)]
    lines.append(w["honest"])
    return lines


# ------------------------------------------------------------------------------------ files

def front_table(outcome: Outcome, base: scenario.Scenario) -> pd.DataFrame:
    """One row per candidate on the front: every lever's value in the target year, the cost, each
    target's share of futures meeting it and mean, and the number of targets met."""
    year = outcome.targets[0].year
    rows = []
    for e in outcome.front():
        row = {"candidate": e.number}
        row.update({k: e.values.get(k, base.lever(k, year)) for k in levers.LEVERS})
        row[COST] = e.cost
        for t in outcome.targets:
            row[f"{t.key}_share"] = e.shares[t.key]
        for t in outcome.targets:
            row[f"{t.key}_mean"] = e.means[t.key]
        row["targets_met"] = e.met
        rows.append(row)
    return pd.DataFrame(rows)


def check_table(outcome: Outcome) -> pd.DataFrame:
    """The fresh-seed check: per front candidate and target, the share and mean in the search and
    on fresh seeds, and the cost both ways."""
    rows = []
    for e in outcome.front():
        f = outcome.checks.get(e.number)
        if f is None:
            continue
        for t in outcome.targets:
            rows.append({"candidate": e.number, "target": t.key, "year": t.year, "target_value": t.value,
                         "direction": t.direction, "share_search": e.shares[t.key], "share_fresh": f.shares[t.key],
                         "mean_search": e.means[t.key], "mean_fresh": f.means[t.key],
                         "met_search": e.meets(t.key), "met_fresh": f.meets(t.key),
                         f"{COST}_search": e.cost, f"{COST}_fresh": f.cost})
    return pd.DataFrame(rows)


def best_scenario(outcome: Outcome, base: scenario.Scenario, command: str) -> scenario.Scenario:
    """The cheapest setting meeting the most targets as a scenario file that ``run`` accepts."""
    best = outcome.best()
    fresh = outcome.checks.get(best.number)
    n, p = len(outcome.targets), _pct(outcome.probability, "en")
    fresh_da = f"; ved kontrol på nye frø {fresh.met} af {n}" if fresh else ""
    fresh_en = f"; {fresh.met} of {n} in the check on fresh seeds" if fresh else ""
    command = provenance.shown(command)
    description = (f"Fundet af goal-seek (`{command}`) ud fra «{base.name}»: den billigste indstilling, der i "
                   f"søgningen nåede flest mål ({best.met} af {n} i mindst {_pct(outcome.probability, 'da')} af "
                   f"fremtiderne){fresh_da}. "
                   f"Found by goal-seek from «{base.name}»: the cheapest setting that met the most targets in the "
                   f"search ({best.met} of {n} in at least {p} of futures){fresh_en}.")
    name = f"Goal-seek: {best.met} af {n} mål {outcome.targets[0].year} (fra {base.name})"
    return candidate(base, best.values, name=scenario.clip(name, 200), description=scenario.clip(description, 5000))


def write(out: str | Path, outcome: Outcome, base: scenario.Scenario, settings: dict) -> dict[str, Path]:
    """front.csv, best.toml, check.csv, summary.md and manifest.json in ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in ("front.csv", "best.toml", "check.csv", "summary.md", "manifest.json")}
    front_table(outcome, base).to_csv(paths["front.csv"], index=False, float_format="%.6g")
    best = best_scenario(outcome, base, settings.get("command", "seek"))
    paths["best.toml"].write_text(best.to_toml(), encoding="utf-8")
    check_table(outcome).to_csv(paths["check.csv"], index=False, float_format="%.6g")
    md = []
    for lang, head in (("da", "## Hvad skal der til?"), ("en", "## What would it take?")):
        md += [head, "", *(f"- {x}" for x in report(outcome, lang)), ""]
    paths["summary.md"].write_text("\n".join(md), encoding="utf-8")
    manifest = {
        **provenance.header(settings.get("command")),
        **{k: v for k, v in settings.items() if k != "command"},
        "scenario": {"name": base.name, "path": base.path, "hash": base.hash},
        "best": {"candidate": outcome.best().number, "values": outcome.best().values, "scenario_hash": best.hash},
        "targets": [asdict(t) for t in outcome.targets],
        "ranges": {k: [float(g[0]), float(g[-1])] for k, g in outcome.space.items()},
        "steps": {k: levers.LEVERS[k].step for k in outcome.space},
        "evaluations_simulated": len(outcome.evaluations), "asked": outcome.asked,
        "stopped_early": outcome.stopped_early, "search_seconds": round(outcome.seconds, 2),
        "infeasible": [{"target": x.key, "best_share": x.best_share, "best_mean": x.best_mean,
                        "words_da": x.words(outcome, "da"), "words_en": x.words(outcome, "en")}
                       for x in infeasible(outcome)],
    }
    provenance.write(paths["manifest.json"], manifest)
    return paths


def run(base: scenario.Scenario, targets: list[Target], probability: float, space: dict[str, np.ndarray],
        evaluations: int, replications: int, seed: int, scale: float = 1.0, executor: Executor | None = None,
        batch: int = 2, progress=None, check: bool = True) -> tuple[Outcome, Simulator]:
    """Search with the real model, then re-check the front on fresh seeds."""
    sim = Simulator(base, targets, probability, replications, seed, scale, executor)
    outcome = search(sim.run, space, targets, probability, evaluations, seed=seed, batch=batch,
                     starts=start_points(base, space), progress=progress)
    if check:
        recheck(outcome, sim, fresh_seed(seed))
    return outcome, sim
