"""Engine speed: the plan scenario at Viborg scale, fast engine and Mesa agents engine, in one
process, beside a fixed reference workload measured in the same run (the machine is shared:
compare figures through the baseline, not across runs).

    python bench/bench_engine.py [--quick]

Prints a few readable lines and, as the last line, a JSON object with
fast_citizen_months_per_s (the monthly steps), fast_with_setup_citizen_months_per_s,
viborg_future_s (one full Viborg future 2016-07..2020-12 including its share of the set-up,
on one core), viborg_future_kept_s, agents_citizen_months_per_s, ratio and baseline_s. The fast
engine runs a chunk of replications at once (as the runner, the batches and the app do), from
fresh seeds: a future's July 2016 population is built for it and not kept, as in
``python -m model run`` and a batch of one scenario. ``viborg_future_kept_s``: the same with
the populations kept for reruns of the same seeds, as the app and the searches keep them (a
copy more, and fresh memory while the process's store fills). The agents engine runs one
replication for a few months (a whole run takes seconds per thousand citizens).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import BenefitModel, FastEngine, runner, scenario  # noqa: E402

PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "plan-2017.toml"
CHUNK = runner.CHUNK


def baseline() -> float:
    """A fixed workload (sorting 4 million numbers, best of three) as this machine's yardstick now."""
    x = np.random.default_rng(0).random(4_000_000)
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        np.sort(x)
        best = min(best, time.perf_counter() - t0)
    return best


def fast(sc, runs: int, keep: bool = False) -> tuple[float, float, float]:
    """Best of ``runs``: citizen-months per second of the monthly steps, the same with the
    set-up, and seconds per future with the set-up (populations kept if ``keep``)."""
    best, best_setup, future = 0.0, 0.0, np.inf
    for i in range(runs):
        t0 = time.perf_counter()
        eng = FastEngine(sc, seed=(1000 if keep else 100) + i, replications=CHUNK, keep_populations=keep)
        t1 = time.perf_counter()
        res = eng.run()
        t2 = time.perf_counter()
        cm = float(res.states[:, 1:].sum())      # citizen-months simulated (months after the status month)
        best = max(best, cm / (t2 - t1))
        best_setup = max(best_setup, cm / (t2 - t0))
        future = min(future, (t2 - t0) / CHUNK)
    return best, best_setup, future


def agents(sc, months: int) -> tuple[float, int]:
    model = BenefitModel(sc, seed=7)
    model.run(months=1)                           # warm-up month
    t0 = time.perf_counter()
    res = model.run(months=months)
    dt = time.perf_counter() - t0
    cm = float(res.states[0, 2:months + 2].sum())
    return cm / dt, len(model.agents)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="three fast chunks and two agents months")
    args = p.parse_args()
    sc = scenario.load(PLAN)
    FastEngine(sc, seed=1, scale=0.05, replications=2).run()          # warm-up: imports, compiled code
    base = baseline()
    f, f_setup, future = fast(sc, 3 if args.quick else 6)             # best of a few: the machine is shared
    kept = fast(sc, 3 if args.quick else 6, keep=True)[2]
    a, n_agents = agents(sc, 2 if args.quick else 4)
    print(f"baseline (sort 4 M numbers): {base * 1000:.0f} ms")
    print(f"fast engine:   {f / 1e6:6.1f} M citizen-months/s ({f_setup / 1e6:.1f} M with set-up), "
          f"{CHUNK} replications at a time, Viborg scale; one future {future:.3f} s "
          f"({kept:.3f} s with its population kept for reruns)")
    print(f"agents engine: {a / 1e6:6.3f} M citizen-months/s ({n_agents} Mesa agents)")
    print(f"ratio: {f / a:.0f}x")
    print(json.dumps({"fast_citizen_months_per_s": round(f), "fast_with_setup_citizen_months_per_s": round(f_setup),
                      "viborg_future_s": round(future, 4), "viborg_future_kept_s": round(kept, 4),
                      "agents_citizen_months_per_s": round(a),
                      "ratio": round(f / a, 1), "baseline_s": round(base, 4)}))


if __name__ == "__main__":
    main()
