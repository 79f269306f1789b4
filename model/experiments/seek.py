"""Goal-seek ("Hvad skal der til?"): the lever settings that meet the plan's targets in a given
share of simulated futures at the lowest cost 2017–2020 — the municipality's net cost with the
effort the levers take (caseworkers, company consultants, running offers, mentors, courses, IGU;
``costs.effort``), or the public total (``purse="public"``) — and the trade-off between cost and
the number of targets met (the Pareto front).

The search (optuna's multi-objective TPE; pymoo's NSGA-II found dearer answers in the same
number of evaluations when both were tried) moves each free lever on its grid of steps
(``levers.Lever.step``) within its allowed range, one value for every plan year 2017–2020. Two
objectives guide it: the mean cost, and the shortfall from the targets (how far each target's
probability quantile is from the target, relative to it, plus the missing share of futures), so
that a search far from every target still knows which way to go. Every candidate is simulated
with the same seeds (common random numbers): differences between candidates are the levers', not
chance's. Futures are spent where they decide: the candidates race on a few futures
(``RACE_FUTURES``), and the front and those near it are confirmed on all of them (the first futures
are the same ones: the futures come in chunks of the race's size). Because the winner is picked
among many on those seeds, its shares are flattered by the pick; the chosen settings (and the rest
of the front) are therefore run again on fresh seeds, and both numbers are reported. The answer
says which costs decide: how the cheapest setting's costs differ from those of every lever at its
helpful end.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import Executor, as_completed
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
COSTS = {"municipal": COST, "public": "public_net_dkk_2017_2020"}
CHECK_SEED_SALT = 11          # the fresh seeds: SeedSequence([seed, CHECK_SEED_SALT]), never the search's
MAX_ASKS_PER_EVALUATION = 5   # repeated grid points are answered from memory; this bounds the asking
RACE_FUTURES = 3              # futures per candidate in the race (and the size of a chunk of futures)
# The cost's parts the answer compares ("which costs decide"): (key, Danish, English, components).
PARTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("benefits", "ydelser og løntilskud", "benefits and wage subsidy",
     tuple(accounts.COMPONENTS[:accounts.COMPONENTS.index("integration_grants")])),
    ("grants", "integrationstilskud", "integration grants", ("integration_grants",)),
    ("casework", "sagsbehandling, der følger antallet på ydelse", "casework that follows the number on benefits",
     ("casework",)),
    ("staff", "sagsbehandleres ekstra samtaler og virksomhedskonsulenter",
     "caseworkers' extra talks and company consultants", ("effort_caseworkers", "effort_consultants")),
    ("activities", "drift af tilbud, mentorer, kurser og IGU", "running offers, mentors, courses and IGU",
     ("effort_offers", "effort_courses", "effort_igu")),
)


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
    parts: dict[str, float] = field(default_factory=dict)     # mean cost 2017–2020 by part (PARTS)
    futures: int = 0                                          # futures it was judged on

    @property
    def met(self) -> int:
        return sum(s >= self.probability - 1e-12 for s in self.shares.values())

    @property
    def shortfall(self) -> float:
        return float(sum(self.shortfalls.values()))

    def meets(self, key: str) -> bool:
        return self.shares[key] >= self.probability - 1e-12


def judge(values: dict[str, float], cost: np.ndarray, outcomes: dict[str, np.ndarray], targets: list[Target],
          probability: float, parts: dict[str, float] | None = None) -> Evaluation:
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
    return Evaluation(dict(values), float(np.mean(cost)), shares, means, short, probability, parts=dict(parts or {}),
                      futures=int(np.size(cost)))


def candidate(base: scenario.Scenario, values: dict[str, float], name: str | None = None,
              description: str | None = None) -> scenario.Scenario:
    """``base`` with the free levers set to ``values`` (one value for every plan year); its other
    levers, inputs, assumptions and municipality kept."""
    return base.replace(levers={k: levers.LEVERS[k].cast(v) for k, v in values.items()}, name=name or None,
                        description=description)


@dataclass(frozen=True)
class JobSummary:
    """What one job's futures tell the search (small: sent back from a worker): per future the cost
    2017–2020 of the purse, its parts (PARTS) and each target's value in the target year."""

    cost: np.ndarray                     # (futures,)
    parts: np.ndarray                    # (futures, len(PARTS))
    outcomes: dict[str, np.ndarray]      # target key -> (futures,)


def summarise_job(sc: scenario.Scenario, job: runner.Job, scale: float, year: int, keys: tuple[str, ...],
                  purse: str) -> JobSummary:
    """Run one job of ``sc`` and keep what the search needs (runs in a worker process)."""
    results = [runner.run_job(sc, job, "fast", scale)]
    y = accounts.yearly(results)[..., accounts.PURSES[purse]].sum(axis=1)          # (futures, components)
    parts = np.stack([y[:, [accounts.COMPONENTS.index(c) for c in comps]].sum(axis=1) for _, _, _, comps in PARTS],
                     axis=1)
    j = calendar.REPORT_YEARS.index(year)
    v = runner.municipality_values(results)
    return JobSummary(y.sum(axis=1), parts, {k: v[k][:, j] for k in keys})


class Simulator:
    """Evaluates candidates with the real model: every candidate on the same seeds, on its first
    ``futures`` futures (the jobs come in chunks of ``race`` futures, so a candidate's first futures
    are the same whatever number is asked for); what a job has told is kept, so confirming a
    candidate on more futures runs only the jobs it has not run. ``on_job(futures)``, if set, is told
    each finished job's futures (a progress bar's steps)."""

    def __init__(self, base: scenario.Scenario, targets: list[Target], probability: float, replications: int,
                 seed: int, scale: float = 1.0, executor: Executor | None = None, race: int = RACE_FUTURES,
                 purse: str = "municipal"):
        if purse not in COSTS:
            raise SeekError(f"--purse {purse}: allowed {', '.join(COSTS)}")
        self.base, self.targets, self.probability = base, targets, probability
        self.replications, self.seed, self.scale, self.executor = replications, seed, scale, executor
        self.purse = purse
        self.race = max(1, min(race, replications, runner.CHUNK))
        self.jobs = runner.jobs(seed, replications, scale=scale, chunk=self.race)
        self.memory: dict[tuple, JobSummary] = {}
        self.simulated = 0                 # futures simulated so far
        self.on_job: Callable[[int], None] | None = None

    def jobs_of(self, seed: int | None, futures: int | None) -> list[runner.Job]:
        """The first jobs, holding the first ``futures`` futures (all: None), of ``seed`` (None: the search's)."""
        every = self.jobs if seed is None else runner.jobs(seed, self.replications, scale=self.scale, chunk=self.race)
        n = len(every) if futures is None else -(-min(futures, self.replications) // self.race)
        return every[:n]

    def run(self, batch: list[dict[str, float]], seed: int | None = None, futures: int | None = None) -> list[Evaluation]:
        """Evaluate a batch of candidates on their first ``futures`` futures (default all; the seeds of
        ``seed``, default the search's); the jobs not yet run run side by side on the executor."""
        todo = self.jobs_of(seed, futures)
        keys = tuple(t.key for t in self.targets)
        year = self.targets[0].year
        need = list(dict.fromkeys((tuple(v.items()), j) for v in batch for j in todo
                                  if (tuple(v.items()), j) not in self.memory))
        scenarios = {key: candidate(self.base, dict(key)) for key in dict.fromkeys(k for k, _ in need)}

        def args(key: tuple, job: runner.Job) -> tuple:
            return scenarios[key], job, self.scale, year, keys, self.purse
        if self.executor is None:
            for key, job in need:
                self._done(key, job, summarise_job(*args(key, job)))
        else:
            submitted = {self.executor.submit(summarise_job, *args(key, job)): (key, job) for key, job in need}
            for f in as_completed(submitted):
                self._done(*submitted[f], f.result())
        return [self.judge(v, [self.memory[(tuple(v.items()), j)] for j in todo]) for v in batch]

    def _done(self, key: tuple, job: runner.Job, summary: JobSummary) -> None:
        self.memory[(key, job)] = summary
        self.simulated += job.replications
        if self.on_job:
            self.on_job(job.replications)

    def judge(self, values: dict[str, float], summaries: list[JobSummary]) -> Evaluation:
        cost = np.concatenate([x.cost for x in summaries])
        parts = np.concatenate([x.parts for x in summaries]).mean(axis=0)
        outcomes = {t.key: np.concatenate([x.outcomes[t.key] for x in summaries]) for t in self.targets}
        return judge(values, cost, outcomes, self.targets, self.probability,
                     {k: float(x) for (k, *_), x in zip(PARTS, parts)})


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
    starts: list[dict[str, float]] = field(default_factory=list)  # the first candidates (start_points)
    purse: str = "municipal"
    race: int = 0                  # futures each candidate raced on before the front was confirmed (0: no race)

    def front(self) -> list[Evaluation]:
        """The front among the candidates judged on the most futures (after a race: those confirmed)."""
        most = max(e.futures for e in self.evaluations)
        return pareto_front([e for e in self.evaluations if e.futures == most])

    def helpful_end(self) -> Evaluation | None:
        """The candidate with every free lever at the end of its range where it is expected to help,
        judged on the most futures, if it was."""
        most = max(e.futures for e in self.evaluations)
        end = self.starts[-1] if self.starts else None
        return next((e for e in self.evaluations if e.values == end and e.futures == most), None)

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


def helpful_end(space: dict[str, np.ndarray]) -> dict[str, float]:
    """Every lever of ``space`` at the end of its range where it is expected to help the targets."""
    return {k: float(g[-1] if levers.LEVERS[k].helps == "up" else g[0]) for k, g in space.items()}


def start_points(base: scenario.Scenario, space: dict[str, np.ndarray]) -> list[dict[str, float]]:
    """The first candidates: the scenario's own settings (its target-year values, on the grid) and
    every free lever at the end of its range where it is expected to help the targets."""
    year = calendar.PLAN_YEARS[-1]
    own = {k: float(g[np.argmin(np.abs(g - base.lever(k, year)))]) for k, g in space.items()}
    most = helpful_end(space)
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
    return Outcome(done, space, targets, probability, asked, time.perf_counter() - t0, note, starts=list(starts or []))


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


def to_confirm(outcome: Outcome, limit: int) -> list[Evaluation]:
    """The raced candidates worth all the futures: the race's front, then the cheapest of those that
    meet as many targets as the front's best or one fewer, and the start points (the scenario's own
    settings and every lever at its helpful end, which the answer compares with), at most ``limit``."""
    front = pareto_front(outcome.evaluations)
    top = front[0].met
    near = sorted((e for e in outcome.evaluations if e.met >= top - 1), key=lambda e: (-e.met, e.cost, e.number))
    starts = [e for e in outcome.evaluations if e.values in outcome.starts]
    chosen: dict[int, Evaluation] = {}
    for e in [*starts, *front, *near]:
        if len(chosen) >= max(limit, len(starts)):
            break
        chosen.setdefault(e.number, e)
    return list(chosen.values())


def confirm(outcome: Outcome, sim: Simulator, chosen: list[Evaluation]) -> None:
    """Judge ``chosen`` on all the futures (the race's futures are their first), in place."""
    for e, full in zip(chosen, sim.run([e.values for e in chosen])):
        full.number = e.number
        outcome.evaluations[outcome.evaluations.index(e)] = full


# ------------------------------------------------------------------------------------ in words

WORDS = {
    "da": {
        "best": "Billigste indstilling, der når flest mål ({met} af {n}) i mindst {p} af fremtiderne: "
                "{cost} kr. {purse} 2017–2020 (gennemsnit).",
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
        "why": "Hvorfor ikke alle håndtag i den gode ende? Den indstilling når {met} af {n} mål og koster {cost} "
               "mio. kr. mere 2017–2020 end den billigste. Forskellen (alle i den gode ende − billigste) er {parts} – "
               "det, der afgør, er {decisive}.",
        "why_end": "Alle håndtag i den gode ende er også den billigste indstilling: mod scenariets egne indstillinger "
                   "er forskellen {parts} – besparelserne opvejer indsatsen.",
        "purse": {"municipal": "kommunens nettoudgift med indsatsen", "public": "den offentlige nettoudgift i alt "
                  "(kommune og stat) med indsatsen"},
        "cost_is": "Prisen er {purse} 2017–2020 (gennemsnit af fremtiderne).",
        "raced": "Alle {n} indstillinger blev prøvet på {race} fremtider; {k} af dem – fronten og dem tæt på den – blev "
                 "bekræftet på {reps} fremtider (de første {race} er de samme).",
    },
    "en": {
        "best": "Cheapest setting meeting the most targets ({met} of {n}) in at least {p} of futures: "
                "DKK {cost}, {purse} 2017–2020 (mean).",
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
        "why": "Why not every lever at its helpful end? That setting meets {met} of {n} targets and costs DKK {cost} "
               "million more 2017–2020 than the cheapest. The difference (all at the helpful end − cheapest) is "
               "{parts} – what decides is {decisive}.",
        "why_end": "Every lever at its helpful end is also the cheapest setting: against the scenario's own settings "
                   "the difference is {parts} – the savings outweigh the effort.",
        "purse": {"municipal": "the municipality's net cost with the effort", "public": "the public net cost in total "
                  "(municipality and state) with the effort"},
        "cost_is": "The cost is {purse} 2017–2020 (mean of the futures).",
        "raced": "All {n} settings were tried on {race} futures; {k} of them – the front and those near it – were "
                 "confirmed on {reps} futures (the first {race} are the same).",
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
    purse = {"da": {"municipal": "netto for kommunen med indsatsen", "public": "offentlig nettoudgift i alt"},
             "en": {"municipal": "municipal net cost with the effort", "public": "public net cost in total"}}
    lines = [w["best"].format(met=best.met, n=len(outcome.targets), p=_pct(outcome.probability, lang),
                              cost=numbers.fmt(best.cost, "count", lang), purse=purse[lang][outcome.purse]),
             w["levers"].format(levers=setting_words(best.values, lang))]
    for t in outcome.targets:
        lines.append(w["target"].format(label=t.label(lang), target=t.shown(t.value, lang), year=t.year,
                                        search=_pct(best.shares[t.key], lang),
                                        fresh=_pct(fresh.shares[t.key], lang) if fresh else "–",
                                        mean=t.shown(best.means[t.key], lang)))
    lines += [x.words(outcome, lang) for x in infeasible(outcome)]
    why = why_words(outcome, lang)
    if why:
        lines.append(why)
    most = max(e.futures for e in outcome.evaluations)
    raced = [e for e in outcome.evaluations if e.futures < most]
    if raced:
        lines.append(w["raced"].format(n=len(outcome.evaluations), race=min(e.futures for e in raced),
                                       k=len(outcome.evaluations) - len(raced), reps=most))
    lines.append(w["honest"])
    return lines


def _part_label(key: str, lang: str) -> str:
    return next(da if lang == "da" else en for k, da, en, _ in PARTS if k == key)


def why_words(outcome: Outcome, lang: str) -> str | None:
    """Which costs decide: the cheapest setting's costs 2017–2020 by part against those of every lever
    at its helpful end — or, where that is the cheapest, against the scenario's own settings — when
    the candidate compared with was judged on as many futures; None when it was not."""
    best, end = outcome.best(), outcome.helpful_end()
    if end is None or not best.parts or not end.parts:
        return None
    w = WORDS[lang]
    if end.number == best.number:
        most = max(e.futures for e in outcome.evaluations)
        own = next((e for e in outcome.evaluations if outcome.starts and e.values == outcome.starts[0]
                    and e.futures == most and e.number != best.number), None)
        if own is None:
            return None
        diff = {k: best.parts[k] - own.parts[k] for k, *_ in PARTS}
        return w["why_end"].format(parts=_parts_words(diff, lang))
    diff = {k: end.parts[k] - best.parts[k] for k, *_ in PARTS}
    dearer = [k for k in sorted(diff, key=lambda k: -diff[k]) if diff[k] >= 5e5]
    decisive = (" og " if lang == "da" else " and ").join(_part_label(k, lang) for k in dearer[:2]) or "–"
    return w["why"].format(met=end.met, n=len(outcome.targets), cost=numbers.fmt_mio(end.cost - best.cost, lang),
                           parts=_parts_words(diff, lang), decisive=decisive)


def _parts_words(diff: dict[str, float], lang: str) -> str:
    """'drift af tilbud … +85,2 mio. kr.; ydelser … −40,1 mio. kr.': the parts that differ, largest first."""
    ordered = [k for k in sorted(diff, key=lambda k: -abs(diff[k])) if abs(diff[k]) >= 5e5]
    return "; ".join(f"{_part_label(k, lang)} {numbers.fmt_mio(diff[k], lang, signed=True)} {numbers.MIO[lang]}"
                     for k in ordered) or "–"


# ------------------------------------------------------------------------------------ files

def front_table(outcome: Outcome, base: scenario.Scenario) -> pd.DataFrame:
    """One row per candidate on the front: every lever's value in the target year, the cost, each
    target's share of futures meeting it and mean, and the number of targets met."""
    year = outcome.targets[0].year
    rows = []
    for e in outcome.front():
        row = {"candidate": e.number}
        row.update({k: e.values.get(k, base.lever(k, year)) for k in levers.LEVERS})
        row[COSTS[outcome.purse]] = e.cost
        for k, *_ in PARTS:
            row[f"{k}_dkk_2017_2020"] = e.parts.get(k, float("nan"))
        row["futures"] = e.futures
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
                         f"{COSTS[outcome.purse]}_search": e.cost, f"{COSTS[outcome.purse]}_fresh": f.cost})
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
        "purse": outcome.purse, "cost": COSTS[outcome.purse],
        "futures": {"race": outcome.race or min(e.futures for e in outcome.evaluations),
                    "confirmed": max(e.futures for e in outcome.evaluations),
                    "candidates_confirmed": sum(e.futures == max(x.futures for x in outcome.evaluations)
                                                for e in outcome.evaluations)},
        "why_da": why_words(outcome, "da"), "why_en": why_words(outcome, "en"),
        "stopped_early": outcome.stopped_early, "search_seconds": round(outcome.seconds, 2),
        "infeasible": [{"target": x.key, "best_share": x.best_share, "best_mean": x.best_mean,
                        "words_da": x.words(outcome, "da"), "words_en": x.words(outcome, "en")}
                       for x in infeasible(outcome)],
    }
    provenance.write(paths["manifest.json"], manifest)
    return paths


def confirm_limit(evaluations: int) -> int:
    """How many raced candidates are confirmed on all the futures: a sixth of them, at least 6."""
    return max(6, -(-evaluations // 6))


def run(base: scenario.Scenario, targets: list[Target], probability: float, space: dict[str, np.ndarray],
        evaluations: int, replications: int, seed: int, scale: float = 1.0, executor: Executor | None = None,
        batch: int = 2, progress=None, check: bool = True, race: int = RACE_FUTURES,
        purse: str = "municipal") -> tuple[Outcome, Simulator]:
    """Race every candidate on ``race`` futures, confirm the front and those near it on all
    ``replications`` (``confirm_limit``), then re-check the front on fresh seeds. ``progress(done,
    total, best)`` is told the futures simulated, the futures planned — the plan allows for the
    most the stages can need and shrinks as they turn out to need less, so the bar never goes back
    — and the best candidate so far."""
    sim = Simulator(base, targets, probability, replications, seed, scale, executor, race=race, purse=purse)
    limit = confirm_limit(evaluations) if sim.race < replications else 0
    check_most = min(len(targets) + 1, limit or evaluations) * replications if check else 0
    state = {"total": evaluations * sim.race + limit * (replications - sim.race) + check_most, "best": None}

    def tell(_: int = 0) -> None:
        if progress and state["best"] is not None:
            progress(sim.simulated, max(state["total"], sim.simulated), state["best"])
    sim.on_job = tell
    outcome = search(lambda b: sim.run(b, futures=sim.race), space, targets, probability, evaluations, seed=seed,
                     batch=batch, starts=start_points(base, space),
                     progress=lambda done, total, best: state.update(best=best))
    outcome.purse, outcome.race = purse, sim.race if limit else 0
    if limit:
        chosen = to_confirm(outcome, limit)
        state["total"] = sim.simulated + sum(replications - e.futures for e in chosen) + check_most
        confirm(outcome, sim, chosen)
    state["best"] = outcome.best()
    state["total"] = sim.simulated + (len(outcome.front()) * replications if check else 0)
    if check:
        recheck(outcome, sim, fresh_seed(seed))
    state["total"] = sim.simulated
    tell()
    return outcome, sim
