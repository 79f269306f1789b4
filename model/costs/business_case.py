"""The business case of a scenario, lever by lever: what moving one lever from 2016 practice to the
scenario's value does to the municipality's net cost 2017–2020, to the number of people on
temporary benefits in December 2020 and to every plan indicator in 2020 — and all levers together.

Each variant keeps the scenario's inputs (refugees, labour demand) and assumptions and sets every
other lever at 2016 practice; all variants run with the same seeds as 2016 practice (common random
numbers), so a difference is the lever's effect, future by future, not chance. The one-at-a-time
effects need not add up to the effect of all levers together: levers share the jobcenter's places
and the same citizens (docs/model.md §4.6).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import calendar
from model.costs import accounts
from model.inputs import levers, scenario
from model.sim import indicators, runner
from model.states import TEMPORARY_BENEFIT

ALL = "all"
PRACTICE = "practice_2016"
COLUMNS = ["lever", "measure", "mean", "p05", "p95"]
END = calendar.PLAN_YEARS[-1]
NET = f"municipal_net_dkk_{calendar.PLAN_YEARS[0]}_{END}"
OFF = f"people_off_benefits_{END}"
PER_PERSON = f"municipal_net_dkk_per_person_off_benefits_{END}"
# Cost per person off benefits is shown only where every future moves at least this many people off
# temporary benefits: below it a ratio over a handful of people says nothing (a convention, derived).
MIN_OFF = 10


def indicator_measure(key: str) -> str:
    return f"{key}_{END}"


@dataclass(frozen=True)
class Outcome:
    """What the business case compares, per simulated future (whole-municipality numbers)."""

    net: np.ndarray                      # municipal net cost 2017–2020, DKK
    on_benefits: np.ndarray              # persons on temporary benefits in December 2020
    indicators: dict[str, np.ndarray]    # each plan indicator in 2020 (counts for the whole municipality)

    @classmethod
    def of(cls, results: list[runner.RunResult]) -> Outcome:
        scale = runner.scale_of(results)
        dec = calendar.year_end_index(END)
        stocks = np.concatenate([r.states[:, dec] for r in results])            # (reps, states)
        on = stocks[:, [int(s) for s in TEMPORARY_BENEFIT]].sum(axis=1) / scale
        year = calendar.REPORT_YEARS.index(END)
        values = {k: v[:, year] for k, v in runner.municipality_values(results).items()}
        return cls(accounts.municipal_net(results), on, values)


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


def rows(lever: str, moved: Outcome, practice: Outcome) -> list[dict]:
    """The change from 2016 practice to ``moved``, future by future: net cost (positive = the
    municipality pays more), people off temporary benefits (positive = fewer on benefits), the
    cost per person off where every future moves at least MIN_OFF people off, and each indicator."""
    if moved.net.shape != practice.net.shape:
        raise ValueError(f"outcomes of {moved.net.size} and {practice.net.size} futures compared")
    net = moved.net - practice.net
    off = practice.on_benefits - moved.on_benefits
    out = [_row(lever, NET, net), _row(lever, OFF, off)]
    if np.all(off >= MIN_OFF):          # the total change over the total people off; the band future by future
        out.append({**_row(lever, PER_PERSON, net / off), "mean": float(net.mean() / off.mean())})
    out += [_row(lever, indicator_measure(k), moved.indicators[k] - practice.indicators[k])
            for k in indicators.INDICATORS]
    return out


def table(outcomes: dict[str, Outcome], practice: Outcome) -> pd.DataFrame:
    """Rows of ``COLUMNS`` for every variant (levers in the plan's order, then ``ALL``)."""
    return pd.DataFrame([r for lever, o in outcomes.items() for r in rows(lever, o, practice)], columns=COLUMNS)


def run(sc: scenario.Scenario, replications: int, seed: int, scale: float = 1.0,
        progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """The business case of ``sc``: 2016 practice and every variant, same seeds; ValueError when
    the scenario moves no lever from 2016 practice."""
    todo = variants(sc)
    if len(todo) == 1:
        raise ValueError(f"{sc.name}: the scenario moves no lever from 2016 practice, so there is no business case "
                         "(set a lever in [levers] to a value other than its 2016 practice)")

    def outcome(s: scenario.Scenario, what: str) -> Outcome:
        if progress:
            progress(what)
        return Outcome.of(runner.run_replications(s, replications, seed, scale=scale))
    practice = outcome(practice_of(sc), PRACTICE)
    return table({k: outcome(s, k) for k, s in todo.items()}, practice)


def unused_capacity(df: pd.DataFrame) -> dict[str, int]:
    """Capacity levers (places) that changed nothing at all, in any future and any measure: the
    places in use never reached even the 2016 practice's number, which is then the bound the
    demand stayed under (the business case's words for "±0")."""
    out = {}
    for key in ("internship_places", "wage_subsidy_places"):
        rows = df[df.lever == key]
        if len(rows) and (rows[["mean", "p05", "p95"]].to_numpy() == 0).all():
            out[key] = int(levers.LEVERS[key].practice_2016)
    return out

