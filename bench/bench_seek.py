"""Speed of the goal-seek on the whole municipality, beside the engine measured in the same run.

    python bench/bench_seek.py [EVALUATIONS] [REPLICATIONS]      (default 40 and 30)

Measures, at scale 1 on the plan scenario: one evaluation's replications in this process (the
engine), then a seek of EVALUATIONS settings × REPLICATIONS futures on two worker processes (as
``python -m model seek`` and the app run it), with the time to the first answer meeting as many
targets as the final answer's search found, and the fresh-seed check. Prints readable lines and,
last, a JSON object with the figures and the time projected for 400 evaluations.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import runner, scenario  # noqa: E402
from model import seek as goal  # noqa: E402

PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "plan-2017.toml"


def main() -> None:
    evaluations = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    sc = scenario.load(PLAN)
    runner.run_replications(sc, 1, 1, scale=0.05)                       # compile / load the cache
    t0 = time.perf_counter()
    runner.run_replications(sc, reps, 1, scale=1.0)
    engine_s = time.perf_counter() - t0
    print(f"engine: {reps} futures of the plan at scale 1 in {engine_s:.2f} s (one process)")

    targets = goal.plan_targets(sc.municipality, 2020)
    space = goal.search_space()
    stamps: list[tuple[float, int, int]] = []
    t0 = time.perf_counter()

    def progress(done, total, best):
        stamps.append((time.perf_counter() - t0, done, best.met))
    executor = goal.executor_for(2)
    try:
        executor.submit(runner.run_replications, sc, 1, 1, "fast", 0.05).result()      # workers warm
        executor.submit(runner.run_replications, sc, 1, 1, "fast", 0.05).result()
        t0 = time.perf_counter()
        outcome, sim = goal.run(sc, targets, 0.8, space, evaluations, reps, 1, 1.0, executor, batch=2,
                                progress=progress, check=False)
        search_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        goal.recheck(outcome, sim, goal.fresh_seed(1))
        check_s = time.perf_counter() - t1
    finally:
        executor.shutdown()
    best = outcome.best()
    first = next(s for s, _, met in stamps if met >= best.met)
    per_eval = search_s / len(outcome.evaluations)
    print(f"seek: {len(outcome.evaluations)} settings × {reps} futures in {search_s:.1f} s "
          f"({per_eval:.2f} s per setting on 2 workers); first answer with {best.met} of {len(targets)} targets "
          f"after {first:.1f} s; fresh-seed check of {len(outcome.front())} settings in {check_s:.1f} s")
    print(f"projected for 400 settings: {400 * per_eval / 60:.1f} min")
    print(json.dumps({"cores": os.cpu_count(), "load_1min": os.getloadavg()[0], "replications": reps,
                      "engine_s_per_evaluation_one_process": round(engine_s, 3),
                      "evaluations": len(outcome.evaluations), "search_s": round(search_s, 1),
                      "s_per_evaluation_2_workers": round(per_eval, 3), "first_answer_s": round(first, 1),
                      "check_s": round(check_s, 1), "projected_400_min": round(400 * per_eval / 60, 1),
                      "best_targets_met": best.met, "targets": len(targets)}))


if __name__ == "__main__":
    main()
