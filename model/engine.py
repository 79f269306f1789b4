"""The fast engine: the monthly step over the whole population as arrays (struct of arrays).

Order inside a month (design.md §3): demography and arrivals -> legal clocks and deadlines ->
the jobcenter allocates offers within capacity -> competing-risk transitions -> indicators.
The rule functions are the ones the Mesa agents engine calls too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import calendar, indicators, jobcenter, population, rules
from .citizens import Citizens
from .rules import STAY, YOUNG_MONTHS, Month
from .scenario import Scenario
from .states import JOB_SEEKERS, N_STATES, State

S = State
NS1 = N_STATES + 1
JOB_SEEKER_CODES = np.array([int(x) for x in JOB_SEEKERS])


@dataclass
class RunResult:
    """One run's output: monthly counts per state and the indicator measures, plus the flows
    that make the accounting checkable."""

    scenario_hash: str
    seed: int
    engine: str
    scale: float
    states: np.ndarray            # (months, N_STATES) stock per state
    measures: np.ndarray          # (months, len(MEASURES))
    flows: np.ndarray             # (months, N_STATES, N_STATES) moves into month t, from -> to
    entrants: np.ndarray          # (months, N_STATES) newcomers by state
    leavers: np.ndarray           # (months, N_STATES) retired at pension age or exited, by last state
    extras: dict = field(default_factory=dict)

    def indicators(self) -> dict[str, dict[int, float]]:
        return indicators.yearly(self.measures)


class Context:
    """Month contexts for a scenario: lever values by year, assumption values, matching."""

    def __init__(self, scenario: Scenario, scale: float):
        self.scenario = scenario
        self.scale = scale
        self.u0: float | None = None

    def month(self, t: int, job_seekers: int, rf: tuple[int, int]) -> Month:
        year, cal_month = calendar.year_month(t + 1)
        sc = self.scenario
        lever = {k: v[year] for k, v in sc.lever_values.items()}
        a = sc.assumption_values
        if self.u0 is None:
            self.u0 = max(job_seekers, 1)
        demand = sc.inputs["labour_demand"][year]
        tight = (demand * self.u0 / max(job_seekers, 1)) ** a["matching_elasticity"]
        return Month(t=t, year=year, cal_month=cal_month, lever=lever, a=a, job_tightness=tight,
                     rf_company_request=jobcenter.rf_request_probability(rf[0], rf[1], lever["resource_course_company_share"]))

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

    def compact(self, room: int = 0) -> None:
        c = self.view()
        kept = c.take(np.flatnonzero(c.state < N_STATES))
        size = max(len(self.arrays.state), len(kept) + room + 512)
        self.arrays = Citizens.empty(size)
        self.arrays.put(slice(0, len(kept)), kept)
        self.n = len(kept)

    def gone(self) -> int:
        return int(np.count_nonzero(self.arrays.state[:self.n] == N_STATES))


R_STATES = [S.employed, S.education, S.disability_pension, S.outside_labour_force, S.retired]


def in_benefit(state: np.ndarray) -> np.ndarray:
    """States whose rules need the full treatment (benefits, IGU, flex-job: codes 2..14)."""
    return (state >= S.unemployment_insurance) & (state <= S.flexjob)


class FastEngine:
    """Vectorised engine. For speed the benefit recipients (codes 2..14) and everyone else are
    held in two stores; citizens change store when they change group. The same rules apply."""

    name = "fast"

    def __init__(self, scenario: Scenario, seed: int, scale: float = 1.0):
        self.scenario = scenario
        self.seed = int(seed)
        self.scale = scale
        self.rng = np.random.default_rng(self.seed)
        initial = population.build(self.rng, scenario.municipality, scale,
                                   internship_deadline=scenario.lever("internship_deadline_months", 2016))
        self.arrivals, self.arrival_rows = population.all_newcomers(scenario, scale, self.rng)
        self.ctx = Context(scenario, scale)
        ben = in_benefit(initial.state)
        self.B = Store(initial.take(np.flatnonzero(ben)), spare=int(4000 * scale) + 256)
        self.R = Store(initial.take(np.flatnonzero(~ben)), spare=len(self.arrivals) + 256)

    def run(self) -> RunResult:
        T = calendar.N_MONTHS
        states = np.zeros((T, N_STATES), np.int64)
        measures = np.zeros((T, len(indicators.MEASURES)))
        flows = np.zeros((T, NS1, NS1), np.int64)
        entrants = np.zeros((T, N_STATES), np.int64)
        B, R = self.B.view(), self.R.view()
        counts = np.bincount(B.state, minlength=NS1) + np.bincount(R.state, minlength=NS1)
        states[0] = counts[:N_STATES]
        measures[0] = indicators.measure(B, 0) + indicators.measure(R, 0, benefit=False)
        for t in range(T - 1):
            counts = self._step(t, counts, flows, entrants, measures)
            states[t + 1] = counts[:N_STATES]
            if self.B.gone() > 0.1 * self.B.n:
                self.B.compact()
            if self.R.gone() > 0.1 * self.R.n:
                self.R.compact()
        return RunResult(self.scenario.hash, self.seed, self.name, self.scale, states, measures,
                         flows[:, :N_STATES, :N_STATES].copy(), entrants, flows[:, :N_STATES, N_STATES].copy())

    def _others(self, c: Citizens, m: Month, table: dict, t: int, flows: np.ndarray) -> tuple[np.ndarray, int]:
        """One month for the citizens not on benefits. Their hazards are small and need no
        legal clocks, so only those who can have an event are drawn: each citizen is a
        candidate with probability p_max (at least anyone's event probability), sampled by
        geometric gaps, and gets a uniform below p_max; this is the same draw as a uniform for
        everyone, without touching those whose draw would be above their hazard."""
        rng = self.rng
        n = len(c)
        p_max = rules.max_leave_probability(table, R_STATES)
        gaps = rng.geometric(p_max, size=int(n * p_max * 1.3) + 64)
        pos = np.cumsum(gaps) - 1
        while pos[-1] < n:
            more = np.cumsum(rng.geometric(p_max, size=int(n * p_max * 0.3) + 64)) + pos[-1]
            pos = np.concatenate([pos, more])
        cand = pos[pos < n]
        cand = cand[(c.state[cand] < N_STATES) & (c.pension_at[cand] > t + 1)]
        # Reaching pension age is certain: those citizens leave without a draw.
        retiring = np.flatnonzero((c.pension_at <= t + 1) & (c.state < N_STATES))
        flows[t + 1, :, N_STATES] += np.bincount(c.state[retiring], minlength=NS1)
        c.state[retiring] = N_STATES
        sub = c.take(cand)
        u = rng.random(cand.size, dtype=np.float32) * np.float32(p_max)
        moved, starts = self._transitions(sub, m, table, t, False, flows, u)
        c.put(cand, sub)
        return cand[moved], starts

    def _transitions(self, c: Citizens, m: Month, table: dict, t: int, benefit: bool,
                     flows: np.ndarray, u: np.ndarray | None = None) -> tuple[np.ndarray, int]:
        """One month for the citizens of one store: demography, (benefit store: legal clocks and
        the jobcenter's offers), competing-risk transitions. Returns (moved rows, youth starts)."""
        rng = self.rng
        if u is None:
            u = rng.random(len(c), dtype=np.float32)
        retire, exits, early, p_used = rules.leaves(c, t, u)
        gone = retire | exits
        u -= p_used
        u /= 1.0 - p_used                              # the rest of u, uniform again
        settled = gone | early
        fidx = np.flatnonzero(early)
        fnew = np.full(fidx.size, S.retired, np.int64)
        if benefit:
            forced, extend = rules.forced_moves(c, m, u)
            c.sdp_extended |= extend & ~settled
            sel = np.flatnonzero((forced != STAY) & ~settled)
            fidx, fnew = np.concatenate([fidx, sel]), np.concatenate([fnew, forced[sel]])
            settled[sel] = True
            rules.end_offers(c)
            self._offers(c, m, settled)
        keys = rules.row_key(c, t)
        mult = rules.multipliers(c, m, benefit)
        p_exit = rules.exit_probability(table, keys, mult)
        movers = np.flatnonzero(u < p_exit)
        movers = movers[~settled[movers]]
        rows = {k: rules.dense(x, movers) for k, x in mult.items() if x[0].size}
        dest = rules.choose_destination(table, keys[movers], u[movers], rows)
        new_state = rules.resolve(c, movers, dest, t, rng.random(movers.size))
        idx = np.concatenate([fidx, movers])
        new = np.concatenate([fnew, new_state]).astype(np.int8)
        old = c.state[idx]
        starts = indicators.youth_education_starts(old, new, c.birth[idx] > t - YOUNG_MONTHS)
        rules.move(c, idx, new)
        gidx = np.flatnonzero(gone)
        old = np.concatenate([old, c.state[gidx]])
        c.state[gidx] = N_STATES
        code = old.astype(np.int64) * NS1 + np.concatenate([new, np.full(gidx.size, N_STATES, np.int8)])
        flows[t + 1] += np.bincount(code, minlength=NS1 * NS1).reshape(NS1, NS1)
        return idx, starts

    def _offers(self, c: Citizens, m: Month, settled: np.ndarray) -> None:
        """The jobcenter grants offers within the capacity of places."""
        rng = self.rng
        kind, prob, priority = jobcenter.requests(c, m)
        ask = np.flatnonzero(kind)
        ask = ask[((prob[ask] >= 1.0) | (rng.random(ask.size) < prob[ask])) & ~settled[ask]]
        busy_int, busy_ws = jobcenter.occupied(c.offer)
        cap_int, cap_ws = self.ctx.capacity(m)
        ok = jobcenter.allocate(kind[ask], priority[ask], rng.random(ask.size), cap_int - busy_int, cap_ws - busy_ws)
        ask = ask[ok]
        jobcenter.grant(c, ask, kind[ask], rng.random(ask.size), m)

    def _step(self, t: int, counts: np.ndarray, flows: np.ndarray, entrants: np.ndarray,
              measures: np.ndarray) -> np.ndarray:
        B, R = self.B.view(), self.R.view()
        rf_co = int(np.count_nonzero((B.state == S.resource_course) & (B.offer != 0)))
        m = self.ctx.month(t, int(counts[JOB_SEEKER_CODES].sum()), (int(counts[S.resource_course]), rf_co))
        table = rules.month_table(m)

        moved_r, starts_r = self._others(R, m, table, t, flows)
        moved_b, starts_b = self._transitions(B, m, table, t, True, flows)
        np.fill_diagonal(flows[t + 1], 0)              # a new spell in the same state is no move

        # Citizens who changed group change store.
        to_b = moved_r[in_benefit(R.state[moved_r])]
        to_r = moved_b[(B.state[moved_b] < N_STATES) & ~in_benefit(B.state[moved_b])]
        into_b, into_r = R.take(to_b), B.take(to_r)
        R.state[to_b] = N_STATES
        B.state[to_r] = N_STATES
        self.B.append(into_b)
        self.R.append(into_r)
        B, R = self.B.view(), self.R.view()
        rules.end_month(B)
        rules.end_month(R, benefit=False)

        # The jobcenter's partial return to work and flex-job progression for month t+1.
        rng = self.rng
        sick = np.flatnonzero((B.state == S.sickness_benefit) | (B.state == S.job_clarification))
        p_switch = rules.partial_switch_probability(sick.size, int(B.partial[sick].sum()), m.lever["partial_return_share"])
        cand = sick[~B.partial[sick]]
        B.partial[cand[rng.random(cand.size) < p_switch]] = True
        fj = np.flatnonzero((B.state == S.flexjob) & (B.flex_hours <= 10))
        B.flex_hours[fj[rng.random(fj.size) < rules.flex_step_probability(m)]] += 5

        # Arrivals of month t+1, then the month's indicators.
        lo, hi = self.arrival_rows[t + 1], self.arrival_rows[t + 2]
        new = self.arrivals.take(slice(lo, hi))
        entrants[t + 1] = np.bincount(new.state, minlength=NS1)[:N_STATES]
        ben = in_benefit(new.state)
        self.B.append(new.take(ben))
        self.R.append(new.take(~ben))
        B, R = self.B.view(), self.R.view()
        measures[t + 1] = indicators.measure(B, t + 1) + indicators.measure(R, t + 1, benefit=False)
        measures[t + 1, indicators.M["youth_education_starts"]] = starts_r + starts_b
        return np.bincount(B.state, minlength=NS1) + np.bincount(R.state, minlength=NS1)
