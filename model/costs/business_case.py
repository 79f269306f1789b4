"""The business case of a scenario, lever by lever: what moving one lever from 2016 practice to the
scenario's value does to the municipality's costs 2017–2020 — the effort it takes (caseworkers'
extra talks, company consultants, running offers, mentors, courses, IGU: ``costs.effort``), what it
saves on benefits, refusion, grants and the casework that follows the number on benefits, the net,
the month it pays back and the cost per person fewer on temporary benefits — and to every plan
indicator in 2020; and all levers together.

Each variant keeps the scenario's inputs (refugees, labour demand, capacity) and assumptions and
sets every other lever at 2016 practice; all variants run with the same seeds as 2016 practice
(common random numbers), so a difference is the lever's effect, future by future, not chance. The
one-at-a-time effects need not add up to the effect of all levers together: levers share the
jobcenter's places and the same citizens (docs/model.md §4.6).

**Payback month**: the first month from January 2017 in which the cumulative saving since January
2017 covers the cumulative effort cost (the cumulative change in the municipality's net cost is at
or below zero) and keeps covering it to December 2020, counted in months after December 2016 (1 =
January 2017, 48 = December 2020); none ("not by 2020") where it does not cover it in December 2020.
The ``mean`` row is the payback month of the futures' mean curves, its band the 5 % and 95 %
quantiles of the futures' own payback months (empty where more than 5 % of futures do not pay back
by 2020).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import calendar
from model.costs import accounts, effort
from model.inputs import assumptions, levers, scenario
from model.sim import indicators, runner
from model.states import TEMPORARY_BENEFIT

ALL = "all"
PRACTICE = "practice_2016"
COLUMNS = ["lever", "measure", "mean", "p05", "p95"]
FIRST, END = calendar.PLAN_YEARS[0], calendar.PLAN_YEARS[-1]
SPAN = f"{FIRST}_{END}"
NET = f"municipal_net_dkk_{SPAN}"
OFF = f"people_off_benefits_{END}"
PER_PERSON = f"municipal_net_dkk_per_person_off_benefits_{END}"
EFFORT = f"effort_cost_dkk_{SPAN}"
SAVINGS = f"savings_dkk_{SPAN}"
STATE_NET = f"state_net_dkk_{SPAN}"
PUBLIC_NET = f"public_net_dkk_{SPAN}"
PUBLIC_EFFORT = f"public_effort_cost_dkk_{SPAN}"
PAYBACK = "payback_month"
CASEWORKERS = f"caseworkers_fte_{END}"
CONSULTANTS = f"company_consultants_fte_{END}"
# Cost per person off benefits is shown only where every future moves at least this many people off
# temporary benefits: below it a ratio over a handful of people says nothing (a convention, derived).
MIN_OFF = 10
# The months the business case follows: January 2017 to December 2020 (payback month 1 .. 48).
MONTHS = np.flatnonzero(np.asarray(calendar.YEAR_OF) >= FIRST)
N_MONTHS = MONTHS.size
PURSES = ("municipal", "state", "public")


def indicator_measure(key: str) -> str:
    return f"{key}_{END}"


def per_year(measure: str, year: int) -> str:
    """The name of a yearly measure: ``effort_cost_dkk_2018``, ``savings_dkk_2018``, ..."""
    return f"{measure}_{year}"


@dataclass(frozen=True)
class Outcome:
    """What the business case compares, per simulated future (whole-municipality numbers): the
    municipality's net cost 2017–2020 (effort included), people on temporary benefits in December
    2020, each plan indicator in 2020, month by month from January 2017 the effort's cost and every
    other cost by purse (``monthly``: (futures, months, 2 [effort, the rest], PURSES)), the staff the
    work needs per year (``staff``: resource -> (futures, REPORT_YEARS)), and what re-pricing the
    effort needs (the run's quantities, the other costs and the scenario)."""

    net: np.ndarray                      # municipal net cost 2017–2020, DKK
    on_benefits: np.ndarray              # persons on temporary benefits in December 2020
    indicators: dict[str, np.ndarray]    # each plan indicator in 2020 (counts for the whole municipality)
    monthly: np.ndarray | None = None
    staff: dict[str, np.ndarray] | None = None
    quantities: dict[str, np.ndarray] | None = None
    benefits: np.ndarray | None = None   # every cost but the effort: (futures, all months, accounts.MEASURES)
    scenario: scenario.Scenario | None = None
    capacity_notes: tuple = ()           # (resource, year, need, cap) where the scenario asks for more than its cap

    @classmethod
    def of(cls, results: list[runner.RunResult], priced: effort.Priced | None = None) -> Outcome:
        """The outcome of ``results`` (one scenario's futures); ``priced``: their effort, if already priced."""
        scale = runner.scale_of(results)
        dec = calendar.year_end_index(END)
        stocks = np.concatenate([r.states[:, dec] for r in results])            # (reps, states)
        on = stocks[:, [int(s) for s in TEMPORARY_BENEFIT]].sum(axis=1) / scale
        year = calendar.REPORT_YEARS.index(END)
        values = {k: v[:, year] for k, v in runner.municipality_values(results).items()}
        q = effort.quantities(results)
        sc = effort.scenario_of(results)
        priced = priced or effort.price(q, sc)
        m = accounts.monthly(results, priced)
        benefits = np.delete(m, accounts.PRICED, axis=2).sum(axis=2)          # (reps, months, MEASURES)
        out = cls(0.0, on, values, None, {r: effort.staff_by_year(priced, r)["need"] for r in effort.STAFF},
                  q, benefits, sc, tuple(effort.over_capacity(priced, sc)))
        return out.repriced(priced)

    def repriced(self, priced: effort.Priced) -> Outcome:
        """This outcome with the effort priced as ``priced`` (other unit costs, same futures)."""
        p = accounts.with_purses(priced.costs, grants=None)[:, MONTHS]    # (reps, months, priced comps, MEASURES)
        cols = [accounts.PURSES[x] for x in PURSES]
        levers_ = [effort.COMPONENTS.index(c) for c in effort.EFFORT_COMPONENTS]
        casework = [effort.COMPONENTS.index("casework")]
        monthly = np.stack([p[:, :, levers_][..., cols].sum(axis=2),
                            p[:, :, casework][..., cols].sum(axis=2) + self.benefits[:, MONTHS][..., cols]],
                           axis=2)                                         # (reps, months, 2, purses)
        net = monthly[..., 0].sum(axis=(1, 2))
        return Outcome(net, self.on_benefits, self.indicators, monthly, self.staff, self.quantities, self.benefits,
                       self.scenario, self.capacity_notes)

    def with_unit_costs(self, values: dict[str, float]) -> Outcome:
        """This outcome with the effort priced at other unit costs (no new simulation)."""
        return self.repriced(effort.price(self.quantities, self.scenario, values))


# ---------------------------------------------------------------- the variants

def practice_of(sc: scenario.Scenario) -> scenario.Scenario:
    """The scenario with every lever at 2016 practice (its municipality, inputs and assumptions kept)."""
    return _with({}, sc, f"{sc.name} · {PRACTICE}")


def moved_levers(sc: scenario.Scenario) -> list[str]:
    """The levers whose value in some plan year differs from 2016 practice, in the plan's order."""
    practice = levers.practice_2016()
    return [k for k in levers.LEVERS
            if any(sc.lever(k, y) != practice[k][y] for y in calendar.PLAN_YEARS)]


def variants(sc: scenario.Scenario) -> dict[str, scenario.Scenario]:
    """One scenario per moved lever (that lever at the scenario's value, the rest at 2016
    practice), and ``ALL``: the scenario itself."""
    out = {k: _with({k: {y: sc.lever(k, y) for y in calendar.PLAN_YEARS}}, sc, f"{sc.name} · {k}")
           for k in moved_levers(sc)}
    out[ALL] = sc
    return out


def _with(lever_values: dict, sc: scenario.Scenario, name: str) -> scenario.Scenario:
    """``sc`` (municipality, inputs, assumptions) with only ``lever_values`` set, every other lever
    back at 2016 practice."""
    return sc.replace(levers={**dict.fromkeys(levers.LEVERS), **lever_values}, name=scenario.clip(name, 200))


# ---------------------------------------------------------------- the table

def _row(lever: str, measure: str, x: np.ndarray) -> dict:
    return {"lever": lever, "measure": measure, "mean": float(np.mean(x)),
            "p05": float(np.quantile(x, 0.05)), "p95": float(np.quantile(x, 0.95))}


def payback(cum_net: np.ndarray) -> np.ndarray:
    """The payback month of cumulative net-cost changes (…, months from January 2017): the first
    month (1-based) from which the cumulative change stays at or below zero to the last month; inf
    where it is above zero at the end. (A curve that dips below zero by chance and comes back has
    not paid back at its dip.)"""
    paid = cum_net <= 0
    stays = np.flip(np.cumprod(np.flip(paid, axis=-1), axis=-1), axis=-1).astype(bool)   # paid from here on
    first = np.argmax(stays, axis=-1) + 1.0
    return np.where(paid[..., -1], first, np.inf)


def _payback_row(lever: str, change: np.ndarray) -> dict:
    """The payback month of monthly net changes (futures, months): of the mean curve, and the
    futures' 5 % and 95 % quantiles (NaN where beyond December 2020)."""
    each = payback(np.cumsum(change, axis=1))
    mean = float(payback(np.cumsum(change.mean(axis=0))))
    q05, q95 = (float(np.quantile(each, p, method="inverted_cdf")) for p in (0.05, 0.95))
    fin = lambda x: x if math.isfinite(x) else float("nan")            # noqa: E731
    return {"lever": lever, "measure": PAYBACK, "mean": fin(mean), "p05": fin(q05), "p95": fin(q95)}


def rows(lever: str, moved: Outcome, practice: Outcome) -> list[dict]:
    """The change from 2016 practice to ``moved``, future by future: the municipality's net cost
    (positive = it pays more), the effort's cost and the savings (the change in every other cost,
    positive = saved), both per year and 2017–2020, the state's and the public net, the payback month,
    people off temporary benefits (positive = fewer on benefits), the cost per person off where every
    future moves at least MIN_OFF people off, the staff the work needs in 2020 and each indicator."""
    if moved.net.shape != practice.net.shape:
        raise ValueError(f"outcomes of {moved.net.size} and {practice.net.size} futures compared")
    d = moved.monthly - practice.monthly                       # (reps, months, [effort, rest], purses)
    muni = PURSES.index("municipal")
    effort_m, rest_m = d[:, :, 0, muni], d[:, :, 1, muni]
    net = moved.net - practice.net
    off = practice.on_benefits - moved.on_benefits
    out = [_row(lever, NET, net), _row(lever, EFFORT, effort_m.sum(axis=1)), _row(lever, SAVINGS, -rest_m.sum(axis=1))]
    year_of = np.asarray(calendar.YEAR_OF)[MONTHS]
    for y in calendar.PLAN_YEARS:
        months = year_of == y
        out += [_row(lever, per_year("effort_cost_dkk", y), effort_m[:, months].sum(axis=1)),
                _row(lever, per_year("savings_dkk", y), -rest_m[:, months].sum(axis=1)),
                _row(lever, per_year("municipal_net_dkk", y), (effort_m + rest_m)[:, months].sum(axis=1))]
    out += [_payback_row(lever, effort_m + rest_m),
            _row(lever, STATE_NET, d[:, :, :, PURSES.index("state")].sum(axis=(1, 2))),
            _row(lever, PUBLIC_NET, d[:, :, :, PURSES.index("public")].sum(axis=(1, 2))),
            _row(lever, PUBLIC_EFFORT, d[:, :, 0, PURSES.index("public")].sum(axis=1)),
            _row(lever, OFF, off)]
    if np.all(off >= MIN_OFF):          # the total change over the total people off; the band future by future
        out.append({**_row(lever, PER_PERSON, net / off), "mean": float(net.mean() / off.mean())})
    if moved.staff is not None and practice.staff is not None:
        j = calendar.REPORT_YEARS.index(END)
        out += [_row(lever, CASEWORKERS, moved.staff["caseworker"][:, j] - practice.staff["caseworker"][:, j]),
                _row(lever, CONSULTANTS, moved.staff["consultant"][:, j] - practice.staff["consultant"][:, j])]
    out += [_row(lever, indicator_measure(k), moved.indicators[k] - practice.indicators[k])
            for k in indicators.INDICATORS]
    return out


def table(outcomes: dict[str, Outcome], practice: Outcome) -> pd.DataFrame:
    """Rows of ``COLUMNS`` for every variant (levers in the plan's order, then ``ALL``)."""
    return pd.DataFrame([r for lever, o in outcomes.items() for r in rows(lever, o, practice)], columns=COLUMNS)


def cumulative(moved: Outcome, practice: Outcome) -> pd.DataFrame:
    """Month by month from January 2017 the cumulative effort cost, saving and net change of the
    municipality (mean and 90 % band over futures): what the payback chart draws."""
    d = moved.monthly - practice.monthly
    muni = PURSES.index("municipal")
    series = {"effort": np.cumsum(d[:, :, 0, muni], axis=1), "savings": -np.cumsum(d[:, :, 1, muni], axis=1)}
    series["net"] = series["effort"] - series["savings"]
    rows_ = []
    for k, m in enumerate(MONTHS):
        row = {"month": k + 1, "label": calendar.label(int(m))}
        for name, x in series.items():
            row[name] = float(x[:, k].mean())
            row[f"{name}_p05"], row[f"{name}_p95"] = (float(v) for v in np.quantile(x[:, k], [0.05, 0.95]))
        rows_.append(row)
    return pd.DataFrame(rows_)


def run_outcomes(sc: scenario.Scenario, replications: int, seed: int, scale: float = 1.0,
                 progress: Callable[[str], None] | None = None) -> tuple[dict[str, Outcome], Outcome]:
    """2016 practice and every variant of ``sc`` simulated on the same seeds; ValueError when the
    scenario moves no lever from 2016 practice."""
    todo = variants(sc)
    if len(todo) == 1:
        raise ValueError(f"{sc.name}: the scenario moves no lever from 2016 practice, so there is no business case "
                         "(set a lever in [levers] to a value other than its 2016 practice)")

    def outcome(s: scenario.Scenario, what: str) -> Outcome:
        if progress:
            progress(what)
        return Outcome.of(runner.run_replications(s, replications, seed, scale=scale))
    practice = outcome(practice_of(sc), PRACTICE)
    return {k: outcome(s, k) for k, s in todo.items()}, practice


def run(sc: scenario.Scenario, replications: int, seed: int, scale: float = 1.0,
        progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """The business case of ``sc``: 2016 practice and every variant, same seeds; ValueError when
    the scenario moves no lever from 2016 practice."""
    outcomes, practice = run_outcomes(sc, replications, seed, scale, progress)
    return table(outcomes, practice)


# ---------------------------------------------------------------- which assumptions decide

SENSITIVITY_COLUMNS = ["factor", "family", "low", "high", "net_low", "net_high", "payback_low", "payback_high"]


def _result(moved: Outcome, practice: Outcome) -> tuple[float, float]:
    """(mean net change 2017–2020, payback month of the mean curve or NaN) of all levers together."""
    d = moved.monthly - practice.monthly
    change = d[:, :, :, PURSES.index("municipal")].sum(axis=2)
    months = float(payback(np.cumsum(change.mean(axis=0))))
    return float((moved.net - practice.net).mean()), months if math.isfinite(months) else float("nan")


def sensitivity(sc: scenario.Scenario, replications: int, seed: int, scale: float = 1.0,
                effects: list[str] | None = None, moved: Outcome | None = None, practice: Outcome | None = None,
                progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Which assumptions decide whether the scenario pays: the net change 2017–2020 of all levers
    together and its payback month with each assumption at the low and at the high end of its range
    (one at a time, the rest as in the scenario). Unit costs are re-priced on the same futures (no
    new simulation); the effect sizes in ``effects`` (default none; "all" for every one) are
    simulated again, scenario and 2016 practice on the same seeds. Rows sorted by how far apart the
    two ends' net changes are (largest first); the base result is in ``attrs["base"]``."""
    if moved is None or practice is None:
        practice = Outcome.of(runner.run_replications(practice_of(sc), replications, seed, scale=scale))
        moved = Outcome.of(runner.run_replications(sc, replications, seed, scale=scale))
    base = _result(moved, practice)
    out = []
    for key, a in assumptions.UNIT_COSTS.items():
        if a.low == a.high:
            continue
        ends = []
        for v in (a.low, a.high):
            values = {**sc.assumption_values, key: v}
            ends.append(_result(moved.with_unit_costs(values), practice.with_unit_costs(values)))
        out.append({"factor": key, "family": assumptions.UNIT_COST, "low": a.low, "high": a.high,
                    "net_low": ends[0][0], "net_high": ends[1][0], "payback_low": ends[0][1], "payback_high": ends[1][1]})
    keys = list(assumptions.EFFECTS) if effects == ["all"] else (effects or [])
    for key in keys:
        a = assumptions.EFFECTS[key]
        ends = []
        for v in (a.low, a.high):
            if progress:
                progress(f"{key} = {v:g}")
            s = _with_assumption(sc, key, v)
            p = Outcome.of(runner.run_replications(practice_of(s), replications, seed, scale=scale))
            m = Outcome.of(runner.run_replications(s, replications, seed, scale=scale))
            ends.append(_result(m, p))
        out.append({"factor": key, "family": assumptions.EFFECT, "low": a.low, "high": a.high,
                    "net_low": ends[0][0], "net_high": ends[1][0], "payback_low": ends[0][1], "payback_high": ends[1][1]})
    df = pd.DataFrame(out, columns=SENSITIVITY_COLUMNS)
    df = df.reindex((df.net_high - df.net_low).abs().sort_values(ascending=False).index).reset_index(drop=True)
    df.attrs["base"] = {"net": base[0], "payback": base[1]}
    return df


def _with_assumption(sc: scenario.Scenario, key: str, value: float) -> scenario.Scenario:
    return sc.replace(assumptions={key: value}, name=scenario.clip(f"{sc.name} · {key} = {value:g}", 200))


def unused_capacity(df: pd.DataFrame) -> dict[str, int]:
    """Capacity levers (places) that changed no flow at all, in any future: the savings, the people
    off benefits and every indicator are exactly those of 2016 practice, since the places in use
    never reached even the 2016 practice's number, which is then the bound the demand stayed under
    (the business case's words for "±0"). Only the effort of keeping the extra places open moves."""
    flows = {SAVINGS, OFF, *(per_year("savings_dkk", y) for y in calendar.PLAN_YEARS),
             *(indicator_measure(k) for k in indicators.INDICATORS)}
    out = {}
    for key in ("internship_places", "wage_subsidy_places"):
        rows = df[(df.lever == key) & df.measure.isin(flows)]
        if len(rows) and (rows[["mean", "p05", "p95"]].to_numpy() == 0).all():
            out[key] = int(levers.LEVERS[key].practice_2016)
    return out

