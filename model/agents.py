"""The Mesa engine: every citizen is a ``Citizen(mesa.Agent)`` inside ``BenefitModel``.

It is the readable reference: each agent holds its own attributes as arrays of length one and
calls the same rule functions as the fast engine, in the same monthly order (design.md §3).
The jobcenter's allocation of scarce places and the labour market's matching are model-level,
as in the real world. A test checks that both engines give the same distribution of outcomes.
"""
from __future__ import annotations

import mesa
import numpy as np

from . import calendar, indicators, jobcenter, population, rules
from .citizens import Citizens
from .engine import NS1, Context, RunResult
from .rules import STAY, YOUNG_MONTHS, Month
from .scenario import Scenario
from .states import Code, JOB_SEEKERS, N_STATES, State

S = Code  # state codes as plain ints (see states.Code)


# States with legal deadlines, and those that can ask the jobcenter for an offer. A citizen in
# another state skips those rules: they would find nothing to do.
CLOCK_STATES = {S.unemployment_insurance, S.sickness_benefit, S.education_benefit_obvious, S.education_benefit_ready,
                S.education_benefit_activity, S.integration_benefit, S.igu, S.resource_course}
ONE = np.zeros(1, np.int64)


class Citizen(mesa.Agent):
    """A working-age citizen of the municipality; ``c`` holds the attributes (length one)."""

    def __init__(self, model: "BenefitModel", c: Citizens):
        super().__init__(model)
        self.c = c
        self.u = np.zeros(1, np.float32)
        self.leaving = False
        self.settled = False

    @property
    def state(self) -> int:
        return int(self.c.state[0])

    def clocks(self, m: Month) -> None:
        """Demography and the legal deadlines of this month."""
        u = self.model.rng.random(1, dtype=np.float32)
        retire, exits, early, p_used = rules.leaves(self.c, m.t, u)
        self.leaving = bool(retire[0] or exits[0])
        self.u = (u - p_used) / (1.0 - p_used)
        self.forced = S.retired if early[0] else STAY
        if self.state in CLOCK_STATES:
            forced, extend = rules.forced_moves(self.c, m, self.model.rng.random(1, dtype=np.float32))
            if not early[0]:
                self.forced = int(forced[0])
            if extend[0] and not self.leaving:
                self.c.sdp_extended[0] = True
        self.settled = self.leaving or self.forced != STAY
        if self.c.offer[0]:
            rules.end_offers(self.c)

    def request(self, m: Month) -> tuple[int, int]:
        """What the citizen asks the jobcenter for this month: (kind, priority)."""
        if self.settled or self.c.offer[0] or not S.unemployment_insurance <= self.state <= S.resource_course:
            return 0, 0
        kind, prob, priority = jobcenter.requests(self.c, m)
        if kind[0] and not self.settled and (prob[0] >= 1.0 or self.model.rng.random() < prob[0]):
            return int(kind[0]), int(priority[0])
        return 0, 0

    def transition(self, m: Month, table: dict) -> tuple[int, int] | None:
        """The month's move, if any: (old state, new state)."""
        old = int(self.c.state[0])
        if self.leaving:
            return old, N_STATES
        if self.forced != STAY:
            new = self.forced
        else:
            keys = rules.row_key(self.c, m.t)
            mult = rules.multipliers(self.c, m) if S.education <= self.state <= S.flexjob else {}
            p = rules.exit_probability(table, keys, mult)
            if self.u[0] >= p[0]:
                return None
            dest = rules.choose_destination(table, keys, self.u, mult)
            new = int(rules.resolve(self.c, ONE, dest, m.t, self.model.rng.random(1))[0])
        rules.move(self.c, ONE, np.array([new], np.int8))
        return old, new

    def step(self) -> None:
        """Mesa's per-agent step: the competing-risk transition and the monthly clocks."""
        model = self.model
        move = self.transition(model.month, model.table)
        if move is not None:
            model.record(self, *move)
        if self.leaving:
            self.remove()
            return
        rules.end_month(self.c, benefit=S.unemployment_insurance <= self.state <= S.flexjob)


class BenefitModel(mesa.Model):
    """The municipality's working-age population, month by month from 2016-07 to 2020-12."""

    def __init__(self, scenario: Scenario, seed: int, scale: float = 1.0):
        super().__init__(rng=int(seed))
        self.scenario = scenario
        self.seed = int(seed)
        self.scale = scale
        pop_rng = np.random.default_rng(self.rng.integers(2**63))
        initial = population.build(pop_rng, scenario.municipality, scale,
                                   internship_deadline=int(scenario.lever("internship_deadline_months", 2016)))
        initial.id[:] = np.arange(len(initial))
        for i in range(len(initial)):
            Citizen(self, initial.take(slice(i, i + 1)))
        self.newcomers, self.newcomer_rows = population.all_newcomers(scenario, scale, pop_rng)
        self.newcomers.id[:] = len(initial) + np.arange(len(self.newcomers))
        self.ctx = Context(scenario, scale, 1)
        self.t = 0
        T = calendar.N_MONTHS
        self.flows = np.zeros((T, NS1, NS1), np.int64)
        self.entrants = np.zeros((T, N_STATES), np.int64)
        self.starts = 0
        self.datacollector = mesa.DataCollector(model_reporters={
            **{name: (lambda m, i=i: m.current[i]) for i, name in enumerate(indicators.MEASURES)},
            **{f"stock_{s.name}": (lambda m, s=s: m.stock[s]) for s in State},
        })
        self._observe()

    def population(self) -> Citizens:
        """All citizens as one struct of arrays (for counting)."""
        cs = [a.c for a in self.agents]
        return Citizens(**{k: np.concatenate([getattr(c, k) for c in cs]) for k in Citizens.empty(0).names()})

    def _observe(self) -> None:
        c = self.population()
        self.current = indicators.measure(c, self.t)[0]
        self.current[indicators.M["youth_education_starts"]] = self.starts
        if self.t == 0:
            counts = np.bincount(c.state, minlength=NS1)
            m0 = self.ctx.month(0, counts[[int(s) for s in JOB_SEEKERS]].sum()[None], counts[S.resource_course][None],
                                np.zeros(1, np.int64))
            self.ctx.u0 = None                      # the first month sets the matching baseline again
            self.current[indicators.M["youth_education_starts"]] = rules.expected_education_starts(c, m0)[0]
        self.stock = np.bincount(c.state, minlength=NS1)[:N_STATES]
        self.datacollector.collect(self)

    def record(self, agent: Citizen, old: int, new: int) -> None:
        """Count a move (and a youth education start) for the accounting and indicators."""
        if old != new:
            self.flows[self.t + 1, old, new] += 1
        young = agent.c.birth[0] > self.t - YOUNG_MONTHS
        self.starts += int(indicators.youth_education_starts(np.array([old]), np.array([new]), np.array([young]),
                                                             np.zeros(1, np.int64))[0])

    def step(self) -> None:
        """One month, in the order of design.md §3."""
        t = self.t
        c = self.population()
        counts = np.bincount(c.state, minlength=NS1)
        rf = c.state == S.resource_course
        self.month = m = self.ctx.month(t, counts[[int(s) for s in JOB_SEEKERS]].sum()[None],
                                         counts[S.resource_course][None], np.array([np.count_nonzero(rf & (c.offer != 0))]))
        self.table = rules.month_table(m)
        agents = list(self.agents)
        for a in agents:
            a.clocks(m)
        busy = np.array([a.c.offer[0] for a in agents])
        # The jobcenter allocates the scarce places among the requests of the month.
        asks = [(a, *a.request(m)) for a in agents]
        asks = [x for x in asks if x[1]]
        if asks:
            kind = np.array([k for _, k, _ in asks], np.int8)
            prio = np.array([p for _, _, p in asks], np.int8)
            busy_ws = int(np.count_nonzero(busy == 3))
            busy_int = int(np.count_nonzero(busy)) - busy_ws
            cap_int, cap_ws = self.ctx.capacity(m)
            ok = jobcenter.allocate(kind, prio, self.rng.random(kind.size), np.zeros(kind.size, np.int64),
                                    np.array([cap_int - busy_int]), np.array([cap_ws - busy_ws]))
            for (a, k, _), granted in zip(asks, ok):
                if granted:
                    jobcenter.grant(a.c, ONE, np.array([k], np.int8), self.rng.random(1), m)
        self.starts = 0
        self.agents.shuffle_do("step")
        # The jobcenter's partial return to work and flex-job progression for the next month.
        sick = [a for a in self.agents if a.state in (S.sickness_benefit, S.job_clarification)]
        n_partial = sum(bool(a.c.partial[0]) for a in sick)
        p_switch = rules.partial_switch_probability(len(sick), n_partial, m.lever["partial_return_share"])
        for a in sick:
            if not a.c.partial[0] and self.rng.random() < p_switch:
                a.c.partial[0] = True
        p_flex = rules.flex_step_probability(m)
        for a in self.agents:
            if a.state == S.flexjob and a.c.flex_hours[0] <= 10 and self.rng.random() < p_flex:
                a.c.flex_hours[0] += 5
        # Newcomers of the next month.
        lo, hi = self.newcomer_rows[t + 1], self.newcomer_rows[t + 2]
        for i in range(lo, hi):
            new = self.newcomers.take(slice(i, i + 1))
            self.entrants[t + 1, new.state[0]] += 1
            Citizen(self, new)
        self.t += 1
        self._observe()

    def run(self, months: int | None = None) -> RunResult:
        """Run to 2020-12 (or ``months`` steps) and return the result in the fast engine's form."""
        steps = calendar.N_MONTHS - 1 if months is None else months
        for _ in range(steps):
            self.step()
        df = self.datacollector.get_model_vars_dataframe()
        T = calendar.N_MONTHS
        measures = np.full((1, T, len(indicators.MEASURES)), np.nan)
        states = np.zeros((1, T, N_STATES), np.int64)
        measures[0, :len(df)] = df[list(indicators.MEASURES)].to_numpy()
        states[0, :len(df)] = df[[f"stock_{s.name}" for s in State]].to_numpy()
        return RunResult(self.scenario.hash, self.seed, "agents", self.scale, states, measures,
                         self.flows[None, :, :N_STATES, :N_STATES].copy(), self.entrants[None].copy(),
                         self.flows[None, :, :N_STATES, N_STATES].copy())
