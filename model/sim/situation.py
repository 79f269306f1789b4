"""One citizen in one month: the compiled rules applied to a single person, to read and test
the rules case by case (the situation tests), without running a whole municipality."""
from __future__ import annotations

import numpy as np

from model.inputs.scenario import Scenario
from model.sim import cost_rules, rules
from model.sim.citizens import Citizens
from model.sim.context import NS1, Context, Month, acc_size, new_work
from model.sim.rng import stream
from model.states import State


def person(state: State, t: int = 12, **fields) -> Citizens:
    """One citizen in ``state`` in month ``t``, aged 25 unless ``birth`` is given; other fields
    as ``Citizens.set`` takes them (clocks per month: ``mis``, ``since_offer``, ``dp_hist``...)."""
    c = Citizens.empty(1, t)
    c.set(**{"state": state, "birth": t - 25 * 12, "mis": 0, "pension_at": 10_000, "early_at": 10_000, **fields})
    return c


def month(scenario: Scenario, t: int = 12, job_seekers: int = 3000, resource_course: int = 400,
          resource_course_company: int = 45, status_job_seekers: int | None = None) -> Month:
    """The month's context for a municipality of one replication with these stocks (job seekers
    are counted as dagpenge recipients; only their number matters, against the status month's:
    ``status_job_seekers``, the same unless given)."""
    def counts(seekers: int) -> np.ndarray:
        out = np.zeros((1, NS1), np.int64)
        out[0, State.unemployment_insurance] = seekers
        out[0, State.resource_course] = resource_course
        return out
    ctx = Context(scenario, 1.0, 1)
    rf_company = np.array([resource_course_company])
    ctx.month(0, counts(job_seekers if status_job_seekers is None else status_job_seekers), rf_company)
    return ctx.month(t, counts(job_seekers), rf_company)


def multipliers(c: Citizens, m: Month) -> dict[str, float]:
    """The hazard multipliers the levers and effects give this citizen, by destination."""
    return dict(zip(rules.MULTIPLIED, rules.multipliers(c.rec[0], m.t, m.par)))


def deadline(c: Citizens, m: Month, seed: int = 1) -> State | None:
    """The move a legal deadline forces on this citizen this month (None: none); the
    citizen's record is updated as the rule updates it (e.g. sick pay extended)."""
    rec = c.rec
    rec["forced"] = rules.STAY
    rules.deadlines(0, m.t, rec, m.par, m.tab, m.bands, np.zeros(acc_size(1)), stream(seed), cost_rules.tables_array(),
                    new_work(1, 1))
    forced = int(rec["forced"][0])
    return None if forced == rules.STAY else State(forced)
