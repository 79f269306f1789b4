"""The fast engine: the monthly step over the whole population as arrays (struct of arrays).

Order inside a month (design.md §3): demography and arrivals -> legal clocks and deadlines ->
the jobcenter allocates offers within capacity -> competing-risk transitions -> indicators.
The rule functions are the ones the Mesa agents engine calls too.

For speed the engine runs several replications at once (every citizen carries the number of
its replication, and every aggregate the rules need is kept per replication), and it holds
the benefit recipients apart from everyone else: the rest have small, simple hazards, so only
those among them who can have an event this month are drawn (see ``_candidates``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import calendar, indicators, jobcenter, population, rules
from .citizens import Citizens
from .rules import STAY, YOUNG_MONTHS, Month
from .scenario import Scenario
from .states import Code, JOB_SEEKERS, N_STATES

S = Code  # state codes as plain ints (see states.Code)
NS1 = N_STATES + 1
JOB_SEEKER_CODES = np.array([int(x) for x in JOB_SEEKERS])
OTHER_STATES = [S.employed, S.education, S.disability_pension, S.outside_labour_force, S.retired]


@dataclass
class RunResult:
    """The output of a run of one or more replications, each array with the replication first:
    monthly stocks per state and the indicator measures, plus the flows that make the
    accounting checkable."""

    scenario_hash: str
    seed: int
    engine: str
    scale: float
    states: np.ndarray            # (reps, months, N_STATES) stock per state
    measures: np.ndarray          # (reps, months, len(MEASURES))
    flows: np.ndarray             # (reps, months, N_STATES, N_STATES) moves into month t, from -> to
    entrants: np.ndarray          # (reps, months, N_STATES) newcomers by state
    leavers: np.ndarray           # (reps, months, N_STATES) reached pension age or exited, by last state

    @property
    def replications(self) -> int:
        return self.states.shape[0]

    def indicators(self, rep: int = 0) -> dict[str, dict[int, float]]:
        return indicators.yearly(self.measures[rep])


class Context:
    """Month contexts for a scenario: lever values by year, assumption values, matching."""

    def __init__(self, scenario: Scenario, scale: float, reps: int, trial: dict | None = None):
        self.trial = trial
        self.scenario = scenario
        self.scale = scale
        self.reps = reps
        self.u0: np.ndarray | None = None         # job seekers in the status month

    def month(self, t: int, job_seekers: np.ndarray, rf: np.ndarray, rf_company: np.ndarray) -> Month:
        """The context of month ``t``; aggregates are per replication."""
        year, cal_month = calendar.year_month(t + 1)
        sc = self.scenario
        lever = {k: v[year] for k, v in sc.lever_values.items()}
        a = sc.assumption_values
        js = np.maximum(np.asarray(job_seekers, float), 1.0)
        if self.u0 is None:
            self.u0 = js
        demand = sc.inputs["labour_demand"][year]
        target = lever["resource_course_company_share"]
        return Month(t=t, year=year, cal_month=cal_month, lever=lever, a=a, trial=self.trial,
                     job_tightness=(demand * self.u0 / js) ** a["matching_elasticity"],
                     rf_company_request=np.array([jobcenter.rf_request_probability(n, k, target)
                                                  for n, k in zip(rf, rf_company)]))

    def capacity(self, m: Month) -> tuple[int, int]:
        return (int(round(m.lever["internship_places"] * self.scale)),
                int(round(m.lever["wage_subsidy_places"] * self.scale)))


class Store:
    """A growable set of citizens (struct of arrays) of which the first ``n`` slots are in use;
    departed citizens keep their slot (state GONE) until the store is compacted."""

    def __init__(self, citizens: Citizens, spare: int):
        self.arrays = Citizens.empty(len(citizens) + spare)
        self.arrays.put(slice(0, len(citizens)), citizens)
        self.n = len(citizens)

    def view(self) -> Citizens:
        return Citizens(**{k: getattr(self.arrays, k)[:self.n] for k in self.arrays.names()})

    def append(self, new: Citizens) -> None:
        k = len(new)
        if k == 0:
            return
        if self.n + k > len(self.arrays.state):
            self.compact(room=k)
        self.arrays.put(slice(self.n, self.n + k), new)
        self.n += k

    def append_rows(self, src: Citizens, rows: np.ndarray) -> None:
        """Append the citizens ``src[rows]`` (copied field by field, without a temporary)."""
        k = rows.size
        self.reserve(k)
        for name in self.arrays.names():
            getattr(self.arrays, name)[self.n:self.n + k] = getattr(src, name)[rows]
        self.n += k

    def reserve(self, k: int) -> None:
        """Make room for ``k`` more citizens now (compacting), so that indices stay valid."""
        if self.n + k > len(self.arrays.state):
            self.compact(room=k)

    def truncate(self, n: int) -> None:
        self.n = n

    def compact(self, room: int = 0) -> None:
        c = self.view()
        kept = c.take(np.flatnonzero(c.state < N_STATES))
        size = max(len(self.arrays.state), len(kept) + room + 1024)
        self.arrays = Citizens.empty(size)
        self.arrays.put(slice(0, len(kept)), kept)
        self.n = len(kept)

    def gone(self) -> int:
        return int(np.count_nonzero(self.arrays.state[:self.n] == N_STATES))


def in_benefit(state: np.ndarray) -> np.ndarray:
    """States whose rules need the full treatment (benefits, IGU, flex-job: codes 2..14)."""
    return (state >= S.unemployment_insurance) & (state <= S.flexjob)


@lru_cache(maxsize=64)
def initial_population(municipality: str, scale: float, seed: int, deadline: int) -> Citizens:
    """The July 2016 population of one replication (cached: it depends on no lever but the
    2016 practice, so reruns of the same seeds with other levers start from it at once)."""
    return population.build(np.random.default_rng(seed), municipality, scale, internship_deadline=deadline)


class FastEngine:
    """Vectorised engine for ``replications`` replications of a scenario from one seed."""

    name = "fast"

    def __init__(self, scenario: Scenario, seed: int, scale: float = 1.0, replications: int = 1,
                 check: bool = False, trial: dict | None = None):
        self.check = check          # recount every stock from the citizens each month (tests)
        self.scenario = scenario
        self.seed = int(seed)
        self.scale = scale
        self.reps = int(replications)
        ss = np.random.SeedSequence(self.seed)
        pop_seeds = [int(s.generate_state(1)[0]) for s in ss.spawn(self.reps)]
        self.rng = np.random.default_rng(ss.generate_state(4))
        deadline = int(scenario.lever("internship_deadline_months", calendar.START_YEAR))
        parts, arrivals, rows = [], [], []
        for r, s in enumerate(pop_seeds):
            p = initial_population(scenario.municipality, scale, s, deadline).take(slice(None))
            p.rep[:] = r
            parts.append(p)
            new, starts = population.all_newcomers(scenario, scale, self.rng)
            new.rep[:] = r
            arrivals.append(new)
            rows.append(starts)
        initial = _concat(parts)
        # Newcomers of all replications, ordered by month: row ranges per month.
        month_of = np.concatenate([np.repeat(np.arange(calendar.N_MONTHS), np.diff(st)) for st in rows])
        order = np.argsort(month_of, kind="stable")
        self.arrivals = _concat(arrivals).take(order)
        initial.id[:] = np.arange(len(initial))
        self.arrivals.id[:] = len(initial) + np.arange(len(self.arrivals))
        self.arrival_rows = np.searchsorted(month_of[order], np.arange(calendar.N_MONTHS + 1))
        self.ctx = Context(scenario, scale, self.reps, trial)
        ben = in_benefit(initial.state)
        self.B = Store(initial.take(np.flatnonzero(ben)), spare=int(5000 * scale * self.reps) + 1024)
        self.R = Store(initial.take(np.flatnonzero(~ben)), spare=len(self.arrivals) + 1024)

    def run(self, observer=None) -> RunResult:
        """Run the months 2016-07 .. 2020-12. ``observer(t, citizens)``, if given, sees every
        month's population (benefit recipients and the others as two ``Citizens``; rows of
        departed citizens have the state code ``N_STATES``)."""
        T, reps = calendar.N_MONTHS, self.reps
        states = np.zeros((reps, T, N_STATES), np.int64)
        measures = np.zeros((reps, T, len(indicators.MEASURES)))
        flows = np.zeros((reps, T, NS1, NS1), np.int64)
        entrants = np.zeros((reps, T, N_STATES), np.int64)
        counts = self._counts()
        states[:, 0] = counts[:, :N_STATES]
        measures[:, 0] = self._measure(0)
        m0 = self.ctx.month(0, counts[:, JOB_SEEKER_CODES].sum(axis=1), counts[:, S.resource_course],
                            np.zeros(self.reps, np.int64))
        measures[:, 0, indicators.M["youth_education_starts"]] = rules.expected_education_starts(self.B.view(), m0)
        if observer:
            observer(0, (self.B.view(), self.R.view()))
        for t in range(T - 1):
            counts = self._step(t, counts, flows, entrants, measures)
            states[:, t + 1] = counts[:, :N_STATES]
            if observer:
                observer(t + 1, (self.B.view(), self.R.view()))
            if self.B.gone() > 0.1 * self.B.n:
                self.B.compact()
            if self.R.gone() > 0.1 * self.R.n:
                self.R.compact()
        return RunResult(self.scenario.hash, self.seed, self.name, self.scale, states, measures,
                         flows[:, :, :N_STATES, :N_STATES].copy(), entrants,
                         flows[:, :, :N_STATES, N_STATES].copy())

    def _counts(self) -> np.ndarray:
        """Stock per replication and state (GONE in the last column)."""
        out = np.zeros(self.reps * NS1, np.int64)
        for c in (self.B.view(), self.R.view()):
            out += np.bincount(c.rep.astype(np.int64) * NS1 + c.state, minlength=self.reps * NS1)
        return out.reshape(self.reps, NS1)

    def _measure(self, t: int) -> np.ndarray:
        return (indicators.measure(self.B.view(), t, self.reps) +
                indicators.measure(self.R.view(), t, self.reps, benefit=False))

    def _candidates(self, c: Citizens, table: dict, t: int, flows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Citizens not on benefits who may have an event this month, with their uniforms.

        Their hazards are small and need no legal clocks, so each is a candidate with
        probability p_max (at least anyone's event probability), sampled by geometric gaps,
        and gets a uniform below p_max: the same draw as a uniform for everyone, without
        touching those whose draw would be above their hazard. Reaching pension age is
        certain: those citizens leave here, without a draw."""
        rng = self.rng
        n = len(c)
        p_max = rules.max_leave_probability(table, OTHER_STATES)
        pos = np.cumsum(rng.geometric(p_max, size=int(n * p_max * 1.3) + 64)) - 1
        while pos[-1] < n:
            more = np.cumsum(rng.geometric(p_max, size=int(n * p_max * 0.3) + 64)) + pos[-1]
            pos = np.concatenate([pos, more])
        retiring = np.flatnonzero((c.pension_at <= t + 1) & (c.state < N_STATES))
        np.add.at(flows[:, t + 1, :, N_STATES], (c.rep[retiring], c.state[retiring]), 1)
        c.state[retiring] = N_STATES
        cand = pos[pos < n]
        st = c.state[cand]
        cand, st = cand[st < N_STATES], st[st < N_STATES]
        u = rng.random(cand.size, dtype=np.float32) * np.float32(p_max)
        # Keep those whose draw is below an upper bound of their own event probability (the
        # rules decide exactly later): leaving, early retirement, a transition.
        b = rules.base_tables()
        birth = c.birth[cand]
        young = birth > t - YOUNG_MONTHS
        bound = np.where(birth > t + 1 - YOUNG_MONTHS - 12, b["exit_young"], b["exit_older"])
        bound += (c.early_at[cand] <= t + 1) * rules.params.rules()["retirement"]["early_retirement_uptake"]
        keys = ((c.rep[cand].astype(np.int64) * NS1 + st) * b["n_bands"]) * 2 + young
        bound += table["total"][keys]
        keep = u < bound
        return cand[keep], u[keep]

    def _transitions(self, c: Citizens, m: Month, table: dict, t: int, u: np.ndarray,
                     flows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One month for the citizens ``c``: demography, legal clocks, the jobcenter's offers,
        competing-risk transitions. Returns (moved rows, youth education starts per rep)."""
        rng = self.rng
        retire, exits, early, p_used = rules.leaves(c, t, u)
        gone = retire | exits
        u -= p_used
        u /= 1.0 - p_used                              # the rest of u, uniform again
        settled = gone | early | (c.state >= N_STATES)    # departed rows stay departed
        groups = rules.Groups(c.state)
        # The deadlines draw their own uniforms: a draw that decided "not now" (no IGU start,
        # sick pay extended) must not decide the month's transition as well.
        uf = np.ones(len(c), np.float32)
        clock = np.concatenate([groups.rows(st) for st in rules.DEADLINE_STATES])
        uf[clock] = rng.random(clock.size, dtype=np.float32)
        forced, extend = rules.forced_moves(c, m, uf, groups)
        c.sdp_extended |= extend & ~settled
        forced[early] = S.retired
        forced[gone] = STAY
        fidx = np.flatnonzero(forced != STAY)
        settled[fidx] = True
        rules.end_offers(c)
        self._offers(c, m, settled, groups)

        keys = rules.row_key(c, t)
        mult = rules.multipliers(c, m, groups)
        p_exit = rules.exit_probability(table, keys, mult)
        movers = np.flatnonzero(u < p_exit)
        movers = movers[~settled[movers]]
        rows = {k: x[movers] for k, x in mult.items()}
        dest = rules.choose_destination(table, keys[movers], u[movers], rows)
        new_state = rules.resolve(c, movers, dest, t, rng.random(movers.size))

        idx = np.concatenate([fidx, movers])
        new = np.concatenate([forced[fidx], new_state]).astype(np.int8)
        old = c.state[idx]
        starts = indicators.youth_education_starts(old, new, c.birth[idx] > t - YOUNG_MONTHS, c.rep[idx], self.reps)
        rules.move(c, idx, new)
        gidx = np.flatnonzero(gone)
        code = (c.rep[np.concatenate([idx, gidx])].astype(np.int64) * NS1 + np.concatenate([old, c.state[gidx]])) * NS1 + \
            np.concatenate([new, np.full(gidx.size, N_STATES, np.int8)])
        c.state[gidx] = N_STATES
        flows[:, t + 1] += np.bincount(code, minlength=self.reps * NS1 * NS1).reshape(self.reps, NS1, NS1)
        return idx, starts

    def _offers(self, c: Citizens, m: Month, settled: np.ndarray, groups: rules.Groups) -> None:
        """The jobcenter grants offers within the capacity of places, per replication."""
        rng = self.rng
        kind, prob, priority = jobcenter.requests(c, m, groups)
        ask = np.flatnonzero(kind)
        ask = ask[((prob[ask] >= 1.0) | (rng.random(ask.size) < prob[ask])) & ~settled[ask]]
        busy_int, busy_ws = jobcenter.occupied(c, self.reps)
        cap_int, cap_ws = self.ctx.capacity(m)
        ok = jobcenter.allocate(kind[ask], priority[ask], rng.random(ask.size), c.rep[ask],
                                cap_int - busy_int, cap_ws - busy_ws)
        ask = ask[ok]
        jobcenter.grant(c, ask, kind[ask], rng.random(ask.size), m)

    def _step(self, t: int, counts: np.ndarray, flows: np.ndarray, entrants: np.ndarray,
              measures: np.ndarray) -> np.ndarray:
        reps = self.reps
        B, R = self.B.view(), self.R.view()
        rf = B.state == S.resource_course
        rf_co = np.bincount(B.rep[rf & (B.offer != 0)], minlength=reps)
        m = self.ctx.month(t, counts[:, JOB_SEEKER_CODES].sum(axis=1), counts[:, S.resource_course], rf_co)
        table = rules.month_table(m)

        # The others' candidates join the benefit recipients for this month's rules.
        cand, u_cand = self._candidates(R, table, t, flows)
        self.B.reserve(cand.size)
        nb = self.B.n
        self.B.append_rows(R, cand)
        R.state[cand] = N_STATES
        W = self.B.view()
        u = np.concatenate([self.rng.random(nb, dtype=np.float32), u_cand])
        moved, starts = self._transitions(W, m, table, t, u, flows)
        np.einsum("rii->ri", flows[:, t + 1])[:] = 0   # a new spell in the same state is no move

        # Afterwards everyone not on a benefit lives with the others: candidates go back to
        # their slots, benefit recipients who left benefits are appended.
        tail = np.arange(nb, len(W))
        ben = in_benefit(W.state[tail])
        back = tail[~ben]
        for name in R.names():
            getattr(R, name)[cand[back - nb]] = getattr(W, name)[back]
        stay = W.take(tail[ben])
        out = np.flatnonzero(~in_benefit(W.state[:nb]) & (W.state[:nb] < N_STATES))
        self.R.append_rows(W, out)
        W.state[out] = N_STATES
        self.B.truncate(nb)
        self.B.append(stay)
        B, R = self.B.view(), self.R.view()
        rules.end_month(B)
        rules.end_month(R, benefit=False)

        # The jobcenter's partial return to work and flex-job progression for month t+1.
        rng = self.rng
        sick = np.flatnonzero((B.state == S.sickness_benefit) | (B.state == S.job_clarification))
        n_sick = np.bincount(B.rep[sick], minlength=reps)
        n_partial = np.bincount(B.rep[sick[B.partial[sick]]], minlength=reps)
        p_switch = np.array([rules.partial_switch_probability(a, b, m.lever["partial_return_share"])
                             for a, b in zip(n_sick, n_partial)])
        cand = sick[~B.partial[sick]]
        B.partial[cand[rng.random(cand.size) < p_switch[B.rep[cand]]]] = True
        fj = np.flatnonzero((B.state == S.flexjob) & (B.flex_hours <= 10))
        B.flex_hours[fj[rng.random(fj.size) < rules.flex_step_probability(m)]] += 5

        # Arrivals of month t+1, then the month's indicators.
        new = self.arrivals.take(slice(self.arrival_rows[t + 1], self.arrival_rows[t + 2]))
        np.add.at(entrants[:, t + 1], (new.rep, new.state), 1)
        ben = in_benefit(new.state)
        self.B.append(new.take(ben))
        self.R.append(new.take(~ben))
        measures[:, t + 1] = self._measure(t + 1)
        measures[:, t + 1, indicators.M["youth_education_starts"]] = starts
        # Stocks follow from the recorded flows; with check=True they are recounted as well.
        f = flows[:, t + 1]
        new_counts = counts + f.sum(axis=1) - f.sum(axis=2)
        new_counts[:, :N_STATES] += entrants[:, t + 1]
        if self.check:
            recount = self._counts()
            if not np.array_equal(recount[:, :N_STATES], new_counts[:, :N_STATES]):
                raise AssertionError(f"month {t + 1}: stocks do not follow from the flows")
        return new_counts


def _concat(parts: list[Citizens]) -> Citizens:
    out = parts[0]
    for p in parts[1:]:
        out = out.concat(p)
    return out
