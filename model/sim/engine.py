"""The fast engine: the month (``model/sim/month.py``) over one array of citizen records holding a
whole chunk of replications (every citizen carries the number of its replication, and every
aggregate the rules need is kept per replication).

The rules are the compiled citizen rules both engines call. What makes this engine fast is whom
it applies them to each month: every citizen on a benefit (whose rules act every month), and of
everyone else (in work, education, pension or outside the labour force, with small and simple
hazards) only those who can have an event this month. Those are found by sampling: each is a
candidate with chance p_max, sampled by geometric gaps, and a candidate's uniform is drawn below
p_max — the same draw as a uniform for everyone, without touching those whose draw would be
above their hazard. p_max is at least the event chance of anyone in the rows searched with it:
the July 2016 citizens of each state are a block of rows, youngest first, so each block is
searched in three age groups (young; older; old enough for efterløn), each with its own p_max.
Reaching pension age is certain: those citizens are listed in advance by month. Their clocks
need no work in the months nothing happens to them (see ``citizens.py``).
"""
from __future__ import annotations

import os
import pickle
from collections import OrderedDict
from pathlib import Path

import numpy as np
from numba import njit

from model import calendar, fingerprint
from model.inputs import params
from model.inputs.municipalities import Municipality
from model.inputs.params import N_DEST, HazardTable
from model.inputs.scenario import Scenario
from model.sim import indicators, month, population, rules, warmstart
from model.sim.citizens import CITIZEN, MAX_REPLICATIONS, Citizens, words
from model.sim.context import (
    NS1,
    W_NEXT,
    Context,
    Month,
    P,
    RunResult,
    acc_costs,
    acc_effort,
    acc_flows,
    acc_measures,
    acc_size,
    acc_starts,
    clear_work,
    close_effort,
    new_work,
    work_list,
)
from model.sim.memory import prefetch
from model.sim.rng import geometric, stream, uniform
from model.states import GONE, IS_OTHER, N_STATES, OTHERS


@njit(cache=True, inline="always")
def event_bound(c, t, par, tab, bands) -> float:
    """An upper bound of the event chance this month of a citizen not on a benefit (the rules
    decide exactly later): leaving, early retirement, a transition (the base hazards' total: no
    effect raises the hazards of these states, tests/test_sampling.py)."""
    bound = rules.exit_chance(c, t, par) + tab[rules.row_key(c, t, par, bands), N_DEST]
    if c.early_at <= t + 1:
        bound += par[P.early_uptake]
    return bound


# Positions the candidates' search draws ahead of the rows it looks at (``candidates``). Part of the
# order of random draws (the gaps are drawn this far ahead of the uniforms): a change changes the
# results as a new seed would, and the saved trials and calibration record must be refreshed.
SEARCH_AHEAD = 8


@njit(cache=True, _nrt=False)
def candidates(pop, lo, hi, p, t, par, tab, bands, rng, ring, out) -> int:
    """Rows of citizens not on a benefit who may have an event this month (see the module
    docstring), searched in the row ranges ``lo[j]:hi[j]``, each with the chance ``p[j]`` (at
    least the event chance of anyone in it); each candidate's uniform (below its range's chance)
    is set. Returns how many rows were written to ``out``.

    The search runs ``ring.size`` positions ahead of the rows it looks at, asking for their
    records early (``memory.prefetch``): the rows lie far apart."""
    k = 0
    size = ring.size
    for j in range(lo.size):
        p_max = p[j]
        if hi[j] <= lo[j] or p_max <= 0.0:
            continue
        log_q = np.log1p(-p_max)
        pos = lo[j] - 1
        head = 0            # ring[head % size] is the next position to look at; ``ready`` are drawn
        ready = 0
        while True:
            while ready < size and pos < hi[j]:
                pos += geometric(rng, log_q)
                if pos < hi[j]:
                    ring[(head + ready) % size] = pos
                    prefetch(pop, pos)
                    ready += 1
            if ready == 0:
                break
            at = ring[head % size]
            head += 1
            ready -= 1
            c = pop[at]
            if c.state == GONE or not IS_OTHER[c.state] or c.pension_at <= t + 1:
                continue
            u = uniform(rng) * p_max
            if u < event_bound(c, t, par, tab, bands):
                c.u = u
                out[k] = at
                k += 1
    return k


AGE_KEY = 1 << 20      # per block in the age groups' search keys: more months than any age or date


@njit(cache=True)
def age_blocks(pop, n, birth_key, early_key, start) -> int:
    """The blocks of the July 2016 citizens (rows 0..n-1: each replication's citizens of one state,
    youngest first): block b's rows are ``start[b]:start[b + 1]``; each row's keys, ordered across
    all blocks, by which ``searchsorted`` finds where a block's age groups begin. Returns the number
    of blocks."""
    b = -1
    for i in range(n):
        c = pop[i]
        if i == 0 or c.state != pop[i - 1].state or c.rep != pop[i - 1].rep:
            b += 1
            start[b] = i
        elif c.birth > pop[i - 1].birth or c.early_at > pop[i - 1].early_at:
            raise ValueError("the July 2016 citizens of each state must be youngest first")
        birth_key[i] = b * AGE_KEY - c.birth
        early_key[i] = b * AGE_KEY - c.early_at
    start[b + 1] = n
    return b + 1


@njit(cache=True, _nrt=False)
def select(rows, pop, mask, out) -> int:
    """Rows (of ``rows``) of citizens present in a state of ``mask``, written to ``out``."""
    k = 0
    for j in range(rows.size):
        st = pop[rows[j]].state
        if st != GONE and mask[st]:
            out[k] = rows[j]
            k += 1
    return k


@njit(cache=True)
def stocks(pop, n, reps):
    """Citizens per replication and state (GONE in the last column) of rows 0..n-1 (one pass over
    the records; reading two fields with numpy takes a pass for each)."""
    out = np.zeros((reps, NS1), np.int64)
    for i in range(n):
        c = pop[i]
        out[c.rep, c.state] += 1
    return out


@njit(cache=True)
def by_month(month, months):
    """Rows in order of ``month`` (0 <= month < months; rows of a month in row order, as a stable
    sort) and where each month's rows start: month m's are ``order[first[m]:first[m + 1]]``."""
    first = np.zeros(months + 1, np.int64)
    for i in range(month.size):
        first[month[i] + 1] += 1
    for m in range(months):
        first[m + 1] += first[m]
    order = np.empty(month.size, np.int64)
    at = first[:months].copy()
    for i in range(month.size):
        order[at[month[i]]] = i
        at[month[i]] += 1
    return order, first


_POPULATIONS: OrderedDict[tuple, Citizens] = OrderedDict()
# A process keeps at most this much of July 2016 populations, the least recently used going first:
# 64 of Viborg (4 MB each), the app's 30 futures of a lever change twice over. A population larger
# than a quarter of it (Viborg at scale 17 or more; scale 60: 230 MB) is not kept, and is built
# straight into the run's records.
POPULATION_CACHE_BYTES = 256 * 2**20


def initial_population(municipality: Municipality, scale: float, seed: int, hazards: HazardTable,
                       into: np.ndarray | None = None, keep: bool = True, warm: bool = True) -> Citizens:
    """The July 2016 population of one replication, in ``into`` (records of ``population.size``
    rows) if given: warm-started (``donors``) unless ``warm`` is False (the burn-in's own start).
    Kept within ``POPULATION_CACHE_BYTES``: it depends on no lever but the 2016 practice, so reruns
    of the same seeds with other levers start from it at once. With ``keep=False`` (no other run of
    this process will start from these seeds: a batch of one scenario) a population not already
    kept is built straight into ``into``."""
    key = (municipality, scale, seed, hazards.fingerprint(), warm)
    if key in _POPULATIONS:
        _POPULATIONS.move_to_end(key)
        return _copied(_POPULATIONS[key], into)
    deadline = int(params.lever_specs()["internship_deadline_months"]["practice_2016"])
    keep = keep and population.size(municipality, scale) * CITIZEN.itemsize <= POPULATION_CACHE_BYTES // 4
    built = population.build(np.random.default_rng(seed), municipality, scale, internship_deadline=deadline,
                             hazards=hazards, into=None if keep else into,
                             donors=donors(municipality, hazards) if warm else None)
    if not keep:
        return built
    _POPULATIONS[key] = built
    while sum(p.rec.nbytes for p in _POPULATIONS.values()) > POPULATION_CACHE_BYTES:
        _POPULATIONS.popitem(last=False)
    return _copied(built, into)


_DONORS: OrderedDict[tuple[Municipality, str], warmstart.Donors] = OrderedDict()
DONORS_KEPT = 4         # sets of donors a process keeps (a calibration tries many hazards: the last few)


def donors(municipality: Municipality, hazards: HazardTable) -> warmstart.Donors:
    """The warm start's donors (``warmstart``): the last month of a burn-in of the municipality
    under 2016 practice with these hazards, from the simple build. Computed once per process for
    each municipality and set of hazards (about the time of two futures); those of the data's own
    hazards are also kept on disk for the next process."""
    key = (municipality, hazards.fingerprint())
    if key not in _DONORS:
        on_disk = hazards.fingerprint() == params.hazards().fingerprint()
        path = _donor_file(municipality, hazards)
        got = _read_donors(path) if on_disk else None
        if got is None:
            got = _burn_in(municipality, hazards)
            if on_disk:
                _write_donors(path, got)
        _DONORS[key] = got
    _DONORS.move_to_end(key)
    while len(_DONORS) > DONORS_KEPT:
        _DONORS.popitem(last=False)
    return _DONORS[key]


def _burn_in(municipality: Municipality, hazards: HazardTable) -> warmstart.Donors:
    """Run the burn-in and take its last month's citizens as donors."""
    got: list[warmstart.Donors] = []

    def last_month(t: int, stores) -> None:
        if t == warmstart.BURN_IN_MONTHS:
            got.append(warmstart.donors_of(stores[0], t))
    FastEngine(warmstart.burn_in_scenario(municipality), warmstart.DONOR_SEED, scale=1.0,
               replications=warmstart.DONOR_REPLICATIONS, hazards=hazards, keep_populations=False, warm=False,
               dated_rules=False, start=warmstart.before_2016).run(observer=last_month, months=warmstart.BURN_IN_MONTHS)
    return got[0]


def _read_donors(path: Path) -> warmstart.Donors | None:
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def _write_donors(path: Path, got: warmstart.Donors) -> None:
    """Kept for the next process: written whole, then renamed (a reader never sees half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(got, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass


def _donor_file(municipality: Municipality, hazards: HazardTable) -> Path:
    """Where a process keeps the donors for the next: beside the compiled rules (a folder per
    version of the code), named by the data files' fingerprint and the hazards'."""
    data = fingerprint.combined(fingerprint.files(patterns=("data/**/*.toml",)))
    return Path(os.environ["NUMBA_CACHE_DIR"]) / "donors" / f"{municipality.profile}-{data}-{hazards.fingerprint()}.pickle"


def _copied(kept: Citizens, into: np.ndarray | None) -> Citizens:
    """A kept population, or its copy in ``into`` (a plain copy of the bytes)."""
    if into is None:
        return kept
    words(into)[:] = words(kept.rec)
    return Citizens(into, kept.t)


class FastEngine:
    """``replications`` replications of a scenario from one seed, in one array of citizens."""

    name = "fast"

    def __init__(self, scenario: Scenario, seed: int, scale: float = 1.0, replications: int = 1,
                 check: bool = False, trial: dict | None = None, hazards: HazardTable | None = None,
                 keep_populations: bool = True, warm: bool = True, dated_rules: bool = True, start=None):
        self.check = check          # recount every stock from the citizens each month (tests)
        self.scenario = scenario
        self.seed = int(seed)
        self.scale = scale
        self.reps = int(replications)
        if not 1 <= self.reps <= MAX_REPLICATIONS:
            raise ValueError(f"replications = {self.reps}, allowed 1–{MAX_REPLICATIONS} in one engine "
                             "(the runner splits more into chunks)")
        hazards = hazards or params.hazards()
        ss = np.random.SeedSequence(self.seed)
        pop_seeds = [int(s.generate_state(1)[0]) for s in ss.spawn(self.reps)]
        arrivals_rng = np.random.default_rng(ss.generate_state(4))
        self.rng = stream(np.random.SeedSequence(ss.generate_state(4)))
        arrivals = []
        for r in range(self.reps):
            new, starts = population.all_newcomers(scenario, scale, arrivals_rng)
            new.rec["rep"] = r
            arrivals.append((new.rec, starts))
        sizes = [population.size(scenario.municipality, scale)] * self.reps
        self.pop, self.n, self.newcomers, self.newcomer_rows = population.run_records(sizes, arrivals)
        for r, (s, block) in enumerate(zip(pop_seeds, population.blocks(self.pop, sizes))):
            initial_population(scenario.municipality, scale, s, hazards, into=block, keep=keep_populations, warm=warm)
            block["rep"] = r
        if start is not None:           # a change to the July 2016 records before anything is derived from them
            start(self.pop[:self.n])
        self.n0 = self.n
        # The July 2016 citizens of each state (of each replication) are a block of rows, youngest
        # first (population.build): the blocks' age groups, which bound the chances of those not
        # on a benefit, are found by searching these keys (see _age_groups).
        self.birth_key, self.early_key = np.empty(self.n, np.int64), np.empty(self.n, np.int64)
        self.block_start = np.empty(self.n + 1, np.int64)
        n_blocks = age_blocks(self.pop, self.n, self.birth_key, self.early_key, self.block_start)
        self.block_start = self.block_start[:n_blocks + 1].copy()
        self.block_rep = self.pop["rep"][self.block_start[:-1]].astype(np.int64)
        self.ctx = Context(scenario, scale, self.reps, trial, hazards, dated_rules)
        self.benefit = np.zeros(0, np.int64)
        # Who reaches pension age in which month (certain events, listed in advance).
        pension = np.concatenate([self.pop["pension_at"][:self.n], self.newcomers["pension_at"]])
        self.retire_order, self.retire_rows = by_month(np.clip(pension, 1, calendar.N_MONTHS + 1), calendar.N_MONTHS + 2)
        refugees = np.concatenate([self.pop["refugee"][:self.n], self.newcomers["refugee"]])
        self.refugees = np.flatnonzero(refugees)
        self.scratch = np.empty(len(self.pop), np.int64)
        self.ring = np.empty(SEARCH_AHEAD, np.int64)

    def view(self, t: int) -> Citizens:
        """Everyone who has been in the population by month ``t`` (departed: state GONE)."""
        return Citizens(self.pop[:self.n], t)

    def run(self, observer=None, months: int | None = None) -> RunResult:
        """Run the months 2016-07 .. 2020-12 (only the first ``months`` moves if given: a burn-in).
        ``observer(t, citizens)``, if given, sees every month's population (a one-element tuple of
        ``Citizens`` read at month t)."""
        T, reps = calendar.N_MONTHS, self.reps
        states = np.zeros((reps, T, N_STATES), np.int64)
        self.entrants = entrants = np.zeros((reps, T, N_STATES), np.int64)
        self.acc = acc = np.zeros(acc_size(reps))
        flows, starts, measures = acc_flows(acc, reps), acc_starts(acc, reps), acc_measures(acc, reps)
        effort = acc_effort(acc, reps)
        self.work = work = new_work(reps, len(self.pop))
        ct = self.ctx.ct
        counts = self._counts()
        states[:, 0] = counts[:, :N_STATES]
        self.benefit = self._status_month(acc, work)
        status_starts = self.ctx.status_education_starts(self.pop[self.benefit])   # (only benefit recipients count)
        if observer:
            observer(0, (self.view(0),))
        loop = month.Loop({month.CITIZEN: self._citizens, month.JOBCENTER: self._jobcenter,
                           month.ARRIVALS: self._arrivals, month.MUNICIPALITY: self._municipality})
        for t in range(T - 1 if months is None else min(months, T - 1)):
            self.t = t
            self.m = self.ctx.month(t, counts, measures[:, t, indicators.M["resource_course_company"]],
                                    effort[:, t - 1] if t else None)
            self.m.record(effort[:, t])
            self.rows = self._rows(t, self.m)
            clear_work(work)
            loop.run()
            self.benefit = work_list(work, W_NEXT).copy()
            f = flows[:, t + 1].astype(np.int64)
            counts = counts + f.sum(axis=1) - f.sum(axis=2)
            counts[:, :N_STATES] += entrants[:, t + 1]
            states[:, t + 1] = counts[:, :N_STATES]
            if self.check:
                recount = self._counts()
                if not np.array_equal(recount[:, :N_STATES], counts[:, :N_STATES]):
                    raise AssertionError(f"month {t + 1}: stocks do not follow from the flows")
            if observer:
                observer(t + 1, (self.view(t + 1),))
        rules.settle(rules.may_cost(self.pop[:self.n], ct), T, self.pop, self.ctx.par, acc, ct)
        close_effort(effort)
        flows = flows.astype(np.int64)
        measures = measures.copy()
        measures[:, 1:, indicators.M["youth_education_starts"]] = starts[:, 1:]
        measures[:, 0, indicators.M["youth_education_starts"]] = status_starts
        return RunResult(self.scenario.hash, self.scenario.municipality, self.seed, self.name, self.scale, states, measures,
                         flows[:, :, :N_STATES, :N_STATES].copy(), entrants, flows[:, :, :N_STATES, N_STATES].copy(),
                         acc_costs(acc, reps).copy(), effort.copy(), self.scenario)

    # How this engine runs each scope of the month (``month.Loop``), in month ``self.t`` of context ``self.m``.

    def _citizens(self, step: month.Step) -> None:
        """Citizen phases over this month's rows (or the work list the step is for), row by row."""
        m = self.m
        who = self.rows if step.only is None else work_list(self.work, step.only)
        step.compiled()[1](who, self.t, self.pop, m.par, m.tab, m.bands, self.acc, self.rng, self.ctx.ct, self.work)

    def _jobcenter(self, step: month.Step) -> None:
        step.phases[0].fn(self.t, self.pop, self.m.par, self.rng, self.acc, self.work)

    def _arrivals(self, step: month.Step) -> None:
        self._arrive(self.t, self.m, self.acc, self.work, self.entrants)

    def _municipality(self, step: month.Step) -> None:
        """A phase over the municipality's citizens not visited every month: of those, only the
        refugees count for anything (the indicators' counts)."""
        step.phases[0].fn(self.refugees[self.refugees < self.n], self.t + 1, self.pop, self.m.par, self.acc)

    def _rows(self, t: int, m: Month) -> np.ndarray:
        """This month's citizens for the rules: everyone on a benefit, the others who may have
        an event, and the others reaching pension age."""
        pop = self.pop
        lo, hi, p = self._age_groups(t, m)
        buf = self.scratch
        k = candidates(pop, lo, hi, p, t, m.par, m.tab, m.bands, self.rng, self.ring, buf)
        due = self.retire_order[self.retire_rows[t + 1]:self.retire_rows[t + 2]]
        due = due[due < self.n]
        j = select(due, pop, IS_OTHER, buf[k:])
        return np.concatenate([self.benefit, buf[:k + j]])

    def _age_groups(self, t: int, m: Month) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where to search for candidates among those not on a benefit this month: row ranges
        (lo, hi) and for each the chance p, at least the event chance of anyone in it. Per
        replication its July 2016 citizens in three age groups (young; older; old enough for
        efterløn, who may also retire early), then every newcomer who has arrived."""
        par, reps = m.par, self.reps
        tab = m.tab[:, N_DEST].reshape(reps, NS1, -1, 2)[:, [int(s) for s in OTHERS]]
        leaving = max(par[P.exit_young], par[P.exit_older])
        young = tab[..., 1].max(axis=(1, 2)) + leaving
        older = tab[..., 0].max(axis=(1, 2)) + leaving
        early = older + par[P.early_uptake]
        base = np.arange(self.block_rep.size, dtype=np.int64) * AGE_KEY
        first_older = np.searchsorted(self.birth_key, base + int(par[P.young_months]) - t)       # birth > t - young_months first
        first_early = np.maximum(np.searchsorted(self.early_key, base - (t + 1)), first_older)  # early_at <= t + 1 last
        r = self.block_rep
        lo = np.concatenate([self.block_start[:-1], first_older, first_early, [self.n0]])
        hi = np.concatenate([first_older, first_early, self.block_start[1:], [self.n]])
        p = np.concatenate([young[r], older[r], early[r], [max(young.max(), early.max())]])
        return lo, hi, np.minimum(p, 0.999)

    def _arrive(self, t: int, m: Month, acc: np.ndarray, work: np.ndarray, entrants: np.ndarray) -> None:
        """The newcomers of month ``t + 1`` take their rows; those on a benefit are counted and
        listed (the counts phase)."""
        lo, hi = self.newcomer_rows[t + 1], self.newcomer_rows[t + 2]
        if hi > lo:
            new = self.newcomers[lo:hi]
            at = np.arange(self.n, self.n + (hi - lo))
            words(self.pop[self.n:self.n + (hi - lo)])[:] = words(new)
            self.n += hi - lo
            np.add.at(entrants[:, t + 1], (new["rep"], new["state"]), 1)
            month.counting()[1](at, t, self.pop, m.par, m.tab, m.bands, acc, self.rng, self.ctx.ct, work)

    def _status_month(self, acc: np.ndarray, work: np.ndarray) -> np.ndarray:
        """The status month's counts of everyone (the counts phase as at the end of month -1,
        then those not on a benefit); returns the rows of those on a benefit."""
        rows, par, no_hazards = np.arange(self.n), self.ctx.par, np.zeros((1, N_DEST + 1))   # counting draws no hazard
        clear_work(work)
        month.counting()[1](rows, -1, self.pop, par, no_hazards, self.ctx.bands, acc, self.rng, self.ctx.ct, work)
        rules.count_others(rows, 0, self.pop, par, acc)
        return work_list(work, W_NEXT).copy()

    def _counts(self) -> np.ndarray:
        """Stock per replication and state (GONE in the last column)."""
        return stocks(self.pop, self.n, self.reps)
