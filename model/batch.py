"""Batches for researchers: scenarios (and sweeps) × replications, in parallel, resumable, with
tidy results on disk.

Work is written against ``concurrent.futures.Executor``: locally a process pool (spawn) sized to
the cores, on a cluster a Dask executor. A job is a chunk of replications of one scenario from
one seed (``runner.jobs``: seeds from the master seed through ``numpy.random.SeedSequence``, the
same for every scenario), so results are identical whatever runs them. Each job's results are
written by the worker into their own folder, atomically (a temporary folder renamed), so an
interrupted batch restarts with the same command and does only the missing jobs.

Output folder::

    manifest.json                       versions, commit, scenarios and hashes, seeds, jobs, times, failures
    summary.parquet, summary.csv        scenario × indicator × year: mean, p05, p50, p95, target, share meeting it
    runs/<scenario id>/job-<first>/     per job: indicators.parquet (replication × month × indicator),
                                        states.parquet (replication × month × state), yearly.parquet
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__, calendar, indicators, runner, scenario, sweep
from .scenario import ScenarioError
from .states import State

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Task:
    scenario_id: str
    toml: str
    job: runner.Job
    scale: float

    @property
    def folder(self) -> str:
        return f"runs/{self.scenario_id}/job-{self.job.first:05d}"


@dataclass
class Outcome:
    out: Path
    done: int = 0
    skipped: int = 0
    failed: list[dict] = field(default_factory=list)


def collect(paths: list[str | Path]) -> list[sweep.Expanded]:
    """The scenarios of scenario and sweep files, validated; one ScenarioError lists every problem."""
    problems, out = [], []
    for p in paths:
        try:
            if sweep.is_sweep(p):
                out += sweep.expand(p)
            else:
                sc = scenario.load(p)
                out.append(sweep.Expanded(id=sc.hash, label=sc.name, scenario=sc, source=str(p)))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    ids = [e.id for e in out]
    return [e for i, e in enumerate(out) if e.id not in ids[:i]]          # a scenario given twice runs once


def monthly_table(result, first: int, scenario_id: str) -> pd.DataFrame:
    """Tidy monthly indicators: replication × month × indicator."""
    M = indicators.M
    rows = []
    months = np.array(calendar.MONTH_LABELS)
    for q in range(result.replications):
        m = result.measures[q]
        values = {
            "youth_on_benefits": m[:, M["youth_on_benefits"]],
            "long_term_unemployed": m[:, M["long_term_unemployed"]],
            "partial_return_share": m[:, M["sick_partial"]] / np.maximum(m[:, M["sick_total"]], 1),
            "company_offer_share": m[:, M["company_offers"]] / np.maximum(m[:, M["unemployed_and_sick"]], 1),
            "resource_course_company_share": m[:, M["resource_course_company"]] / np.maximum(m[:, M["resource_course"]], 1),
            "refugees_self_supporting": m[:, M["refugees_self_supporting"]] / np.maximum(m[:, M["refugees_total"]], 1),
            "youth_education_starts": m[:, M["youth_education_starts"]],
        }
        for name, v in values.items():
            rows.append(pd.DataFrame({"replication": first + q, "month": months, "indicator": name, "value": v}))
    df = pd.concat(rows, ignore_index=True)
    df.insert(0, "scenario_id", scenario_id)
    return df


def state_table(result, first: int, scenario_id: str) -> pd.DataFrame:
    reps, T, S = result.states.shape
    return pd.DataFrame({
        "scenario_id": scenario_id,
        "replication": np.repeat(np.arange(first, first + reps), T * S),
        "month": np.tile(np.repeat(calendar.MONTH_LABELS, S), reps),
        "state": np.tile([s.name for s in State], reps * T),
        "count": result.states.reshape(-1),
    })


def yearly_table(result, first: int, scenario_id: str) -> pd.DataFrame:
    rows = [{"scenario_id": scenario_id, "replication": first + q, "year": y, "indicator": k, "value": v}
            for q in range(result.replications) for k, by_year in result.indicators(q).items() for y, v in by_year.items()]
    return pd.DataFrame(rows)


def run_task(task: Task, out: str) -> dict:
    """Run one job and write its results atomically (in a worker process)."""
    t0 = time.perf_counter()
    sc = scenario.parse(task.toml, where=task.scenario_id)
    result = runner.run_job(sc, task.job, "fast", task.scale)
    final = Path(out) / task.folder
    tmp = final.parent / f".tmp-{final.name}-{os.getpid()}-{time.monotonic_ns()}"
    tmp.mkdir(parents=True)
    monthly_table(result, task.job.first, task.scenario_id).to_parquet(tmp / "indicators.parquet", index=False)
    state_table(result, task.job.first, task.scenario_id).to_parquet(tmp / "states.parquet", index=False)
    yearly_table(result, task.job.first, task.scenario_id).to_parquet(tmp / "yearly.parquet", index=False)
    try:
        os.rename(tmp, final)                       # atomic: the job is there whole, or not at all
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)      # another worker finished the same job first
    return {"scenario_id": task.scenario_id, "first": task.job.first, "seconds": time.perf_counter() - t0}


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=5).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _packages() -> dict[str, str]:
    out = {}
    for name in ("numpy", "pandas", "pyarrow", "mesa", "pydantic", "dask", "distributed"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _identity(expanded, replications: int, seed: int, scale: float) -> dict:
    return {"master_seed": seed, "replications": replications, "scale": scale, "engine": "fast",
            "chunk": runner.CHUNK, "scenario_ids": sorted(e.id for e in expanded)}


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def local_executor(workers: int | None = None) -> Executor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(workers or os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"))


def dask_executor(scheduler: str | None = None, local_workers: int | None = None):
    """A Dask executor for a cluster (``scheduler`` address) or a local cluster; returns
    (executor, close)."""
    from dask.distributed import Client, LocalCluster
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=local_workers or 2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)

    def close():
        client.close()
        if cluster is not None:
            cluster.close()
    return client.get_executor(pure=False), close


def run_batch(paths: list[str | Path], replications: int, seed: int, out: str | Path, executor: Executor | None = None,
              workers: int | None = None, scale: float = 1.0, progress: bool = True) -> Outcome:
    """Run (or resume) a batch; see the module docstring for what it writes. Bad scenario or
    sweep files raise ScenarioError before anything is written."""
    return run_scenarios(collect(paths), replications, seed, out, executor, workers, scale, progress)


def run_scenarios(expanded: list[sweep.Expanded], replications: int, seed: int, out: str | Path,
                  executor: Executor | None = None, workers: int | None = None, scale: float = 1.0,
                  progress: bool = True) -> Outcome:
    """Run (or resume) a batch of scenarios built in Python (as ``run_batch`` does for files)."""
    out = Path(out)
    ident = _identity(expanded, replications, seed, scale)
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if old.get("identity") != ident:
            raise ScenarioError([f"{out}: holds another batch (other scenarios, seed, replications or scale); "
                                 "resume it with its own command or choose another --out"])
    out.mkdir(parents=True, exist_ok=True)
    for tmp in out.glob("runs/*/.tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)      # half-written jobs of an interrupted batch
    jobs = runner.jobs(seed, replications)
    tasks = [Task(e.id, e.scenario.to_toml(), j, scale) for e in expanded for j in jobs]
    todo = [t for t in tasks if not (out / t.folder).exists()]
    outcome = Outcome(out, skipped=len(tasks) - len(todo))
    manifest = {
        "identity": ident, "model_version": __version__, "git_commit": _git_commit(),
        "python": platform.python_version(), "packages": _packages(),
        "command": " ".join(sys.argv), "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "scenarios": [{"id": e.id, "label": e.label, "name": e.scenario.name, "hash": e.scenario.hash,
                       "source": e.source, "toml": e.scenario.to_toml()} for e in expanded],
        "jobs": [{"seed": j.seed, "replications": j.replications, "first_replication": j.first} for j in jobs],
        "how_to_rerun": "replication r of a scenario: FastEngine(scenario, seed=job.seed, scale=scale, "
                        "replications=job.replications).run(), index r - job.first_replication",
        "runs_total": len(tasks) * 0 + sum(j.replications for j in jobs) * len(expanded),
        "status": "running", "failed": [],
    }
    _write_json(manifest_path, manifest)
    own = executor is None
    executor = executor or local_executor(workers)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=sum(t.job.replications for t in tasks), initial=sum(t.job.replications for t in tasks if t not in todo),
                   unit="run", desc="batch", file=sys.stderr, dynamic_ncols=True)
    try:
        futures = {executor.submit(run_task, t, str(out)): (t, 1) for t in todo}
        while futures:
            done = next(as_completed(futures))
            task, attempt = futures.pop(done)
            try:
                done.result()
                outcome.done += 1
                if bar:
                    bar.update(task.job.replications)
            except Exception as exc:                              # a failed run: retry once, then record
                if attempt == 1:
                    futures[executor.submit(run_task, task, str(out))] = (task, 2)
                else:
                    outcome.failed.append({"scenario_id": task.scenario_id, "seed": task.job.seed,
                                           "first_replication": task.job.first, "error": repr(exc)})
        manifest["status"] = "failed" if outcome.failed else "done"
    except KeyboardInterrupt:
        manifest["status"] = "interrupted"
        raise
    finally:
        if bar:
            bar.close()
        if own:
            executor.shutdown(wait=manifest["status"] != "interrupted", cancel_futures=True)
        manifest["failed"] = outcome.failed
        manifest["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        manifest["runs_done"] = sum(t.job.replications for t in tasks if (out / t.folder).exists())
        _write_json(manifest_path, manifest)
    if not outcome.failed:
        write_summary(out)
    return outcome


def load(out: str | Path, kind: str = "yearly") -> pd.DataFrame:
    """A batch's results in one DataFrame: ``yearly`` (scenario × replication × year × indicator),
    ``indicators`` (monthly) or ``states`` (monthly counts), or ``summary``."""
    out = Path(out)
    if kind == "summary":
        return pd.read_parquet(out / "summary.parquet")
    files = sorted(out.glob(f"runs/*/job-*/{kind}.parquet"))
    if not files:
        raise FileNotFoundError(f"{out}: no {kind} results")
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def summarise(yearly: pd.DataFrame, municipality: str = "viborg") -> pd.DataFrame:
    """Scenario × indicator × year: mean, p05, p50, p95, the plan's target and the share of runs
    meeting it."""
    targets = indicators.targets(municipality)
    rows = []
    for (sid, key, year), g in yearly.groupby(["scenario_id", "indicator", "year"], sort=True):
        x = g["value"].to_numpy(float)
        x = x[np.isfinite(x)]
        tgt = targets.get(key, {})
        target = tgt.get("years", {}).get(int(year))
        rows.append({"scenario_id": sid, "indicator": key, "year": int(year), "runs": int(x.size),
                     "mean": float(x.mean()) if x.size else np.nan,
                     "p05": float(np.quantile(x, 0.05)) if x.size else np.nan,
                     "p50": float(np.quantile(x, 0.5)) if x.size else np.nan,
                     "p95": float(np.quantile(x, 0.95)) if x.size else np.nan,
                     "target": target if target is not None else np.nan,
                     "share_meeting_target": float(np.mean(indicators.meets(x, target, tgt["direction"])))
                     if target is not None and x.size else np.nan})
    return pd.DataFrame(rows)


def write_summary(out: str | Path) -> pd.DataFrame:
    out = Path(out)
    df = summarise(load(out, "yearly"))
    labels = {s["id"]: s["label"] for s in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenarios"]}
    df.insert(1, "scenario", df.scenario_id.map(labels))
    df.to_parquet(out / "summary.parquet", index=False)
    df.to_csv(out / "summary.csv", index=False)
    return df
