"""Speed of the cost rules as the engine will call them: per citizen, inside a compiled loop.

    python bench/bench_costs.py

A synthetic population of 60,000 citizens (80 % without a benefit, 10 % in an offer) is run
through ``month_cost`` (accumulated per component) and ``clock_step`` for every month of the
window. Prints readable lines and, last, a JSON object with ns_per_citizen_month for each (best
of a few runs, after compilation).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import calendar, citizens, states  # noqa: E402
from model import cost_rules as cr  # noqa: E402

N = 60_000
N_STATES = states.N_STATES
NO_ARRIVAL = citizens.NO_ARRIVAL


@njit
def costs(t, state, offer, birth, weeks, mis, partial, flex, arrival, totals):
    for m in range(t.year_of_month.shape[0]):
        year = t.year_of_month[m]
        for i in range(state.shape[0]):
            s = state[i]
            r = cr.month_cost(t, s, offer[i], year, m - birth[i], weeks[i], mis[i], partial[i], flex[i],
                              False, m - arrival[i], False)
            totals[year, s, 0] += r[0]
            totals[year, s, 1] += r[1]
            totals[year, s, 2] += r[2]
            totals[year, N_STATES, 0] += r[3]
            totals[year, N_STATES, 1] += r[4]
            totals[year, N_STATES, 2] += r[5]


@njit
def clock(t, state, offer, mis, weeks, hist):
    for m in range(t.year_of_month.shape[0]):
        year = t.year_of_month[m]
        for i in range(state.shape[0]):
            w, h = cr.clock_step(t, state[i], offer[i], year, mis[i], weeks[i], hist[i])
            weeks[i] = w
            hist[i] = h


def main() -> None:
    t = cr.cost_tables()
    rng = np.random.default_rng(1)
    state = np.where(rng.random(N) < 0.8, 0, rng.integers(0, N_STATES, N)).astype(np.int8)
    offer = np.where(rng.random(N) < 0.1, rng.integers(1, 4, N), 0).astype(np.int8)
    birth = (-rng.integers(16 * 12, 64 * 12, N)).astype(np.int32)
    weeks = (rng.random(N) * 100).astype(np.float32)
    mis = rng.integers(0, 40, N).astype(np.int16)
    partial = rng.random(N) < 0.2
    flex = rng.integers(0, 37, N).astype(np.int8)
    arrival = np.full(N, NO_ARRIVAL, np.int32)
    totals = np.zeros((cr.N_YEARS, N_STATES + 1, 3))
    hist = np.zeros(N, np.uint64)
    cm = N * calendar.N_MONTHS
    costs(t, state, offer, birth, weeks, mis, partial, flex, arrival, totals)      # compile
    clock(t, state, offer, mis, weeks.copy(), hist.copy())
    best_cost = best_clock = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        costs(t, state, offer, birth, weeks, mis, partial, flex, arrival, totals)
        best_cost = min(best_cost, time.perf_counter() - t0)
        w, h = weeks.copy(), hist.copy()
        t0 = time.perf_counter()
        clock(t, state, offer, mis, w, h)
        best_clock = min(best_clock, time.perf_counter() - t0)
    result = {"month_cost_ns_per_citizen_month": round(best_cost / cm * 1e9, 2),
              "clock_step_ns_per_citizen_month": round(best_clock / cm * 1e9, 2)}
    print(f"cost rules: {N:,} citizens × {calendar.N_MONTHS} months")
    print(f"  month_cost: {result['month_cost_ns_per_citizen_month']} ns per citizen-month")
    print(f"  clock_step: {result['clock_step_ns_per_citizen_month']} ns per citizen-month")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
