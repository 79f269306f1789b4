"""The Mesa engine: every citizen is a ``Citizen(mesa.Agent)`` inside ``BenefitModel``.

It is the readable reference. Each agent owns one row of the model's citizen records and applies
the compiled citizen rules to it itself, in the month's declared order (``model/sim/month.py``) —
the same functions the fast engine applies to its rows. The jobcenter's allocation of scarce
places and its follow-up act on all citizens at once, as in the real world; the matching of job
seekers to vacancies is in the month's context. A test checks that both engines give the same
distribution of outcomes.
"""
from __future__ import annotations

import mesa
import numpy as np

from model import calendar
from model.inputs import params
from model.inputs.params import N_DEST
from model.inputs.scenario import Scenario
from model.sim import engine, indicators, month, population, rules
from model.sim.citizens import Citizens
from model.sim.context import (
    NS1,
    W_DUE,
    W_REQUESTS,
    Context,
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
from model.sim.rng import stream
from model.states import GONE, N_STATES, State


class Citizen(mesa.Agent):
    """A working-age citizen of the municipality; its attributes are row ``row`` of the
    model's records (``model.pop``)."""

    def __init__(self, model: BenefitModel, row: int):
        super().__init__(model)
        self.row = row

    @property
    def record(self) -> np.void:
        return self.model.pop[self.row]

    @property
    def state(self) -> State | None:
        code = int(self.model.pop["state"][self.row])
        return None if code == GONE else State(code)

    def act(self, phases) -> None:
        """Apply the month's citizen phases (compiled rules, joined by ``month.Step.compiled``)
        to this citizen."""
        m = self.model
        phases(self.row, m.t, m.pop, m.par, m.tab, m.bands, m.acc, m.draws, m.ct, m.work)


class BenefitModel(mesa.Model):
    """The municipality's working-age population, month by month from 2016-07 to 2020-12."""

    def __init__(self, scenario: Scenario, seed: int, scale: float = 1.0):
        super().__init__(rng=int(seed))
        self.scenario = scenario
        self.seed = int(seed)
        self.scale = scale
        pop_rng = np.random.default_rng(self.rng.integers(2**63))
        self.draws = stream(int(self.rng.integers(2**63)))      # the rules' uniform draws
        deadline = int(scenario.lever("internship_deadline_months", calendar.START_YEAR))
        initial = population.build(pop_rng, scenario.municipality, scale, internship_deadline=deadline,
                                   donors=engine.donors(scenario.municipality, params.hazards())).rec
        newcomers = population.all_newcomers(scenario, scale, pop_rng)
        self.pop, self.n_initial, self.newcomers, self.newcomer_rows = population.assemble(
            [initial], [(newcomers[0].rec, newcomers[1])])
        self.agent_of = {row: Citizen(self, row) for row in range(self.n_initial)}
        self.ctx = Context(scenario, scale, 1)
        self.ct = self.ctx.ct
        T = calendar.N_MONTHS
        self.entrants = np.zeros((T, N_STATES), np.int64)
        self.acc = np.zeros(acc_size(1))
        self.work = new_work(1, len(self.pop))
        self.flows = acc_flows(self.acc, 1)[0]
        self.measures = acc_measures(self.acc, 1)[0]         # (months, MEASURES), counted into acc
        self.effort = acc_effort(self.acc, 1)[0]             # (months, EFFORT), counted into acc
        self.counts = self._stocks()
        self.par, self.tab, self.bands = self.ctx.par, np.zeros((1, N_DEST + 1)), self.ctx.bands   # counting draws no hazard
        self.t = -1                                               # the status month: counted as at the end of month -1
        self._count(self.rows())
        rules.count_others(self.rows(), 0, self.pop, self.par, self.acc)
        self.t = 0
        self.measures[0, indicators.M["youth_education_starts"]] = self.ctx.status_education_starts(self.pop)[0]
        self.datacollector = mesa.DataCollector(model_reporters={
            **{name: (lambda m, i=i: m.measures[m.t, i]) for i, name in enumerate(indicators.MEASURES)},
            **{f"stock_{s.name}": (lambda m, s=s: m.counts[0, s]) for s in State},
        })
        self.datacollector.collect(self)
        self.loop = month.Loop({month.CITIZEN: self._citizens, month.JOBCENTER: self._jobcenter,
                                month.ARRIVALS: self._arrivals, month.MUNICIPALITY: self._municipality})

    def rows(self) -> np.ndarray:
        """The rows of the citizens present."""
        return np.fromiter(self.agent_of, np.int64, len(self.agent_of))

    def citizens(self) -> Citizens:
        """All citizens present, read at the current month."""
        rows = self.rows()
        return Citizens(self.pop[rows], self.t, rows)

    def step(self) -> None:
        """One month, phase by phase in the declared order."""
        t = self.t
        m = self.ctx.month(t, self.counts, self.measures[t:t + 1, indicators.M["resource_course_company"]],
                           self.effort[t - 1:t] if t else None)
        m.record(self.effort[t:t + 1])
        self.par, self.tab, self.bands = m.par, m.tab, m.bands
        clear_work(self.work)
        self.loop.run()
        for row in self.rows()[self.pop["state"][self.rows()] == GONE]:
            self.agent_of.pop(int(row)).remove()
        f = self.flows[t + 1].astype(np.int64)[None]
        self.measures[t + 1, indicators.M["youth_education_starts"]] = acc_starts(self.acc, 1)[0, t + 1]
        self.counts = self.counts + f.sum(axis=1) - f.sum(axis=2)
        self.counts[0, :N_STATES] += self.entrants[t + 1]
        self.t += 1
        self.datacollector.collect(self)

    # How this model runs each scope of the month (``month.Loop``), in month ``self.t``.

    def _citizens(self, step: month.Step) -> None:
        """Each agent applies the citizen phases to itself, in random order; or those who waited
        for the jobcenter, in its order."""
        if step.only is None:
            self.agents.shuffle_do("act", step.compiled()[0])
        else:
            for row in work_list(self.work, step.only):
                self.agent_of[int(row)].act(step.compiled()[0])

    def _jobcenter(self, step: month.Step) -> None:
        for which in (W_REQUESTS, W_DUE):      # the jobcenter goes through its register in order
            work_list(self.work, which).sort()
        step.phases[0].fn(self.t, self.pop, self.par, self.draws, self.acc, self.work)

    def _arrivals(self, step: month.Step) -> None:
        self._count(self._arrive(self.t + 1))

    def _municipality(self, step: month.Step) -> None:
        step.phases[0].fn(self.rows(), self.t + 1, self.pop, self.par, self.acc)

    def _arrive(self, t: int) -> list[int]:
        """The newcomers of month ``t`` become citizens (agents); returns their rows."""
        lo, hi = self.newcomer_rows[t], self.newcomer_rows[t + 1]
        rows = []
        for k, new in enumerate(self.newcomers[lo:hi]):
            row = self.n_initial + lo + k
            self.pop[row] = new
            self.entrants[t, new["state"]] += 1
            self.agent_of[row] = Citizen(self, row)
            rows.append(row)
        return rows

    def _count(self, rows) -> None:
        """Next month's indicator counts of these citizens on a benefit (the counts phase, each
        agent on its own): newcomers, and everyone in the status month."""
        counts = month.counting()[0]
        for row in rows:
            self.agent_of[int(row)].act(counts)

    def _stocks(self) -> np.ndarray:
        return np.bincount(self.pop["state"][self.rows()], minlength=NS1)[None].astype(np.int64)

    def run(self, months: int | None = None) -> RunResult:
        """Run to 2020-12 (or ``months`` steps) and return the result in the fast engine's form."""
        steps = calendar.N_MONTHS - 1 if months is None else months
        for _ in range(steps):
            self.step()
        rules.settle(self.rows(), self.t + 1, self.pop, self.ctx.par, self.acc, self.ct)
        close_effort(self.effort[None])
        df = self.datacollector.get_model_vars_dataframe()
        T = calendar.N_MONTHS
        measures = np.full((1, T, len(indicators.MEASURES)), np.nan)
        states = np.zeros((1, T, N_STATES), np.int64)
        measures[0, :len(df)] = df[list(indicators.MEASURES)].to_numpy()
        states[0, :len(df)] = df[[f"stock_{s.name}" for s in State]].to_numpy()
        flows = self.flows.astype(np.int64)
        return RunResult(self.scenario.hash, self.scenario.municipality, self.seed, "agents", self.scale, states, measures,
                         flows[None, :, :N_STATES, :N_STATES].copy(), self.entrants[None].copy(),
                         flows[None, :, :N_STATES, N_STATES].copy(), acc_costs(self.acc, 1).copy(),
                         self.effort[None].copy(), self.scenario)
