"""App speed through Streamlit's AppTest: time to the first page, and from a lever change to
the updated charts with 30 replications of the full Viborg population (median of a few
changes). The machine is shared: the figures are reported beside the fast engine's own time
for the same 30 replications, measured in the same run.

    python bench/bench_app.py [--changes 3]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from model import runner, scenario  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--changes", type=int, default=3)
    args = p.parse_args()
    t0 = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600).run()
    first = time.perf_counter() - t0
    assert not at.exception, at.exception
    times = []
    for i in range(args.changes):
        at.slider(key="internship_deadline_months").set_value(4 + i).run()
        t0 = time.perf_counter()
        at.button(key="run").click().run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    sc = scenario.load(ROOT / "scenarios" / "plan-2017.toml")
    t0 = time.perf_counter()
    runner.run_replications(sc, 30, seed=99)
    engine_only = time.perf_counter() - t0
    med = statistics.median(times)
    print(f"first page {first:.1f} s; lever change to updated charts: median {med:.1f} s over {len(times)} changes "
          f"({', '.join(f'{x:.1f}' for x in times)}); the engine alone, 30 futures in one process: {engine_only:.1f} s")
    print(json.dumps({"first_page_s": round(first, 2), "lever_change_median_s": round(med, 2),
                      "lever_change_s": [round(x, 2) for x in times], "engine_30_runs_one_process_s": round(engine_only, 2),
                      "ratio_to_engine": round(med / engine_only, 2)}))


if __name__ == "__main__":
    main()
