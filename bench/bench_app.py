"""App speed through Streamlit's AppTest, with the engine's own time measured beside it in the
same run (the machine is shared):

- first page: from starting the app to the first page with its charts (the two workers start
  and warm up, then the plan and 2016 practice run: 30 futures each, full Viborg);
- lever change: from pressing "Kør simulation" with a moved lever to the updated page
  (30 futures of full Viborg; median of a few changes);
- slider step: moving a lever without running (AppTest reruns the whole script, an upper
  bound: in the browser only the sidebar reruns);
- engine: the same 30 futures on the app's two warm workers without the app, and in one process;
  the app's overhead is the lever change minus the engine on the workers.

    python bench/bench_app.py [--changes 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from app_pages import runs  # noqa: E402
from model import runner, scenario, worker  # noqa: E402


def engine_on_workers(sc: scenario.Scenario, seed: int, reps: int) -> float:
    """30 futures on the app's worker pool, chunked as the app chunks them, nothing else."""
    t0 = time.perf_counter()
    futures = [runs.pool().submit(worker.run_chunk, sc.to_toml(), job) for job in worker.jobs(seed, reps)]
    wait(futures)
    results = [f.result() for f in futures]
    runner.summary(results)
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--changes", type=int, default=3)
    args = p.parse_args()
    t0 = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    first = time.perf_counter() - t0
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) >= 7
    sc = scenario.load(ROOT / "scenarios" / "plan-2017.toml")
    steps, times, engine, inside = [], [], [], []
    for i in range(args.changes):        # app and engine alternate, so both see the same machine load
        t0 = time.perf_counter()
        at.slider(key="internship_deadline_months").set_value(4 + i).run()
        steps.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.button(key="run").click().run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
        inside.append(at.session_state["last_compute_s"])      # the run's chunks on the workers
        engine.append(engine_on_workers(sc, 99 + i, 30))
    on_workers = statistics.median(engine)
    t0 = time.perf_counter()
    runner.run_replications(sc, 30, seed=99)
    one_process = time.perf_counter() - t0
    med, step = statistics.median(times), statistics.median(steps)
    overhead = statistics.median(t - e for t, e in zip(times, inside))
    print(f"first page {first:.2f} s; lever change to updated page: median {med:.2f} s over {len(times)} changes "
          f"({', '.join(f'{x:.2f}' for x in times)}); slider step {step:.3f} s; the engine alone, 30 futures on "
          f"the app's 2 workers: {on_workers:.2f} s, in one process: {one_process:.2f} s; app overhead (lever change "
          f"minus its own run on the workers): median {overhead:.2f} s")
    print(json.dumps({"first_page_s": round(first, 2), "lever_change_median_s": round(med, 2),
                      "lever_change_s": [round(x, 2) for x in times], "slider_step_median_s": round(step, 3),
                      "engine_30_two_workers_s": round(on_workers, 2), "engine_s": [round(x, 2) for x in engine],
                      "run_on_workers_in_app_s": [round(x, 2) for x in inside], "app_overhead_s": round(overhead, 2),
                      "engine_30_runs_one_process_s": round(one_process, 2),
                      "ratio_to_engine": round(med / on_workers, 2)}))


if __name__ == "__main__":
    main()
