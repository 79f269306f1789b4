"""Batch speed: runs of the plan scenario at Viborg scale with 1 and with 2 worker processes, in
one run of this benchmark, and the parent's memory as the batch grows.

    python bench/bench_batch.py [--runs 200]

Prints readable lines and, last, a JSON object with the wall times, runs per second, the ratio
of 1-worker to 2-worker wall time, the same ratio for the jobs alone (from the first job's start
to the last one's end: without starting the workers and writing the summary, a fixed cost that
weighs less in a larger batch), how much longer a job takes when two run at once (each
worker's first job left out: it loads the compiled code), and the parent's peak memory after
half and all the runs.

Beside them, measured in the same run, the machine's own limit for two processes: the same
fixed work done by one process alone and by two at once, as a ratio of throughput (2.0 = two
processes do twice the work in the same time). Once for work that needs only the processor (a
Python loop), once for work bound by memory (reading 64-byte records at random rows of 64 MB,
as the months read the citizens' records): the two cores share the memory and its caches.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from model import batch  # noqa: E402

PLAN = Path(__file__).resolve().parents[1] / "scenarios" / "plan-2017.toml"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(runs: int, workers: int, out: Path) -> float:
    t0 = time.perf_counter()
    outcome = batch.run_batch([PLAN], runs, seed=11, out=out, workers=workers, progress=False)
    assert not outcome.failed, outcome.failed
    return time.perf_counter() - t0


def _processor_work() -> None:
    x = 0
    for i in range(6_000_000):
        x = (x * 1103515245 + i) & 0xFFFFFFFF


def _memory_work(data: tuple[np.ndarray, np.ndarray]) -> None:
    records, rows = data
    for _ in range(12):
        records[rows, 0].sum()


def _timed(kind: str, start, times) -> None:
    """In a process of its own: prepare, wait for the others, time the work."""
    if kind == "memory":
        data = (np.ones((1 << 20, 8), np.uint64), np.random.default_rng(0).integers(0, 1 << 20, 1 << 20))
        work = lambda: _memory_work(data)   # noqa: E731
    else:
        work = _processor_work
    start.wait()
    t0 = time.perf_counter()
    work()
    times.put(time.perf_counter() - t0)


def machine_ratio(kind: str, repeats: int = 3) -> float:
    """Throughput of two processes at once over one alone, for the same work (medians)."""
    ctx = multiprocessing.get_context("spawn")

    def slowest(n: int) -> float:
        start, times = ctx.Barrier(n), ctx.Queue()
        procs = [ctx.Process(target=_timed, args=(kind, start, times)) for _ in range(n)]
        for p in procs:
            p.start()
        out = max(times.get() for _ in procs)
        for p in procs:
            p.join()
        return out
    alone, pair = zip(*((slowest(1), slowest(2)) for _ in range(repeats)))
    return 2 * statistics.median(alone) / statistics.median(pair)


def jobs_of(out: Path) -> list[dict]:
    """The batch's jobs as they recorded themselves (job.json), in the order they started."""
    return sorted((json.loads(f.read_text()) for f in out.rglob("job.json")), key=lambda j: j["started"])


def job_seconds(jobs: list[dict]) -> list[float]:
    """Each job's own seconds, each worker's first job left out."""
    firsts = {j["pid"]: j["started"] for j in reversed(jobs)}
    return [j["seconds"] for j in jobs if firsts[j["pid"]] != j["started"]]


def jobs_span(jobs: list[dict]) -> float:
    """Seconds from the first job's start to the last job's end."""
    start = min(datetime.fromisoformat(j["started"]) for j in jobs)
    end = max(datetime.fromisoformat(j["finished"]) for j in jobs)
    return (end - start).total_seconds()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=200)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        half = timed(args.runs // 2, 2, tmp / "half")
        mem_half = peak_mb()
        t2 = timed(args.runs, 2, tmp / "w2")
        mem_full = peak_mb()
        t1 = timed(args.runs, 1, tmp / "w1")
        w1, w2 = jobs_of(tmp / "w1"), jobs_of(tmp / "w2")
        jobs1, jobs2 = jobs_span(w1), jobs_span(w2)
        slowdown = statistics.median(job_seconds(w2)) / statistics.median(job_seconds(w1))
        same = batch.load(tmp / "w1", "yearly").sort_values(["replication", "year", "indicator"]).reset_index(drop=True) \
            .equals(batch.load(tmp / "w2", "yearly").sort_values(["replication", "year", "indicator"])
                    .reset_index(drop=True))
    print(f"{args.runs} runs of the plan scenario at Viborg scale: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s, "
          f"ratio {t1 / t2:.2f}; {args.runs / t2:.1f} runs/s with 2 workers; identical results: {same}")
    print(f"the jobs alone (first start to last end): 1 worker {jobs1:.1f} s, 2 workers {jobs2:.1f} s, "
          f"ratio {jobs1 / jobs2:.2f}; fixed cost of a batch {t1 - jobs1:.1f} s (1 worker), {t2 - jobs2:.1f} s (2)")
    print(f"a job takes {slowdown:.3f}× as long with 2 workers as with 1 (median, each worker's first job left out)")
    processor, memory = machine_ratio("processor"), machine_ratio("memory")
    print(f"this machine, two processes vs one on the same work: {processor:.2f}× for processor-bound work, "
          f"{memory:.2f}× for memory-bound work (random rows of 64 MB)")
    print(f"parent peak memory: {mem_half:.0f} MB after {args.runs // 2} runs ({half:.1f} s), "
          f"{mem_full:.0f} MB after {args.runs}")
    print(json.dumps({"runs": args.runs, "seconds_1_worker": round(t1, 2), "seconds_2_workers": round(t2, 2),
                      "ratio_1_to_2_workers": round(t1 / t2, 2), "runs_per_s_2_workers": round(args.runs / t2, 2),
                      "jobs_seconds_1_worker": round(jobs1, 2), "jobs_seconds_2_workers": round(jobs2, 2),
                      "jobs_ratio_1_to_2_workers": round(jobs1 / jobs2, 2),
                      "job_slowdown_2_workers": round(slowdown, 3),
                      "machine_ratio_processor_bound": round(processor, 2),
                      "machine_ratio_memory_bound": round(memory, 2),
                      "runs_per_s_1_worker": round(args.runs / t1, 2), "identical": same,
                      "parent_peak_mb_half": round(mem_half), "parent_peak_mb_full": round(mem_full)}))


if __name__ == "__main__":
    main()
