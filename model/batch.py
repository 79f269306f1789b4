"""Batches for researchers: scenarios (and sweeps) × replications, in parallel, resumable, with
tidy results on disk.

Work is written against ``concurrent.futures.Executor``: locally a process pool (spawn) sized to
the cores, on a cluster a Dask executor. A job is a chunk of replications of one scenario from
one seed (``runner.jobs``: seeds from the master seed through ``numpy.random.SeedSequence``, the
same for every scenario), so results are identical whatever runs them. Each job's results are
written by the worker into their own folder, atomically (a temporary folder renamed), so an
interrupted batch restarts with the same command and does only the missing jobs.

A batch's identity is what determines its numbers: the scenarios' texts, the seed, the
replications, the scale, the engine and the fingerprint of the model's code and data
(``fingerprint.py``). A resume with another identity is refused (``BatchMismatch``), saying what
changed, so results of two models are never mixed; every worker also checks, before each job,
that it runs the model the batch was started with.

Faults: SIGINT or SIGTERM stop the batch within a second or so (queued jobs cancelled, local
workers terminated, jobs running on Dask workers told by a ``.stop`` marker to discard their
results, the manifest "interrupted" with the true counts, ``BatchInterrupted``);
local workers exit on their own when the batch's process dies; an unusable output folder is an
``OutputError`` before anything runs; a full disk stops the batch with the failed jobs listed
(``DiskFull``; a reserve file keeps room for the manifest). Temporary files of an interrupted
batch are removed when it is resumed.

Output folder::

    manifest.json                       identity, versions, commit, model fingerprint, scenarios and
                                        hashes, seeds, jobs, times, status, counts, failures
    summary.parquet, summary.csv        scenario × indicator × year: mean, p05, p50, p95, target, share
                                        meeting it; counts for the whole municipality (÷ scale)
    runs/<scenario id>/job-<first>/     per job, as simulated (counts at the batch's scale):
                                        indicators.parquet (replication × month × indicator),
                                        states.parquet (replication × month × state), yearly.parquet
"""
from __future__ import annotations

import errno
import io
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__, calendar, fingerprint, indicators, params, runner, scenario, sweep
from .scenario import ScenarioError
from .states import State

ROOT = Path(__file__).resolve().parents[1]
MAX_JOBS = 200_000                  # jobs of one batch (scenarios × replications / chunk)
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
RESERVE = ".reserve"                # room kept free for the last manifest on a full disk
STOP = ".stop"                      # a stopped batch: jobs still running elsewhere (Dask) discard their results
POOL_RESTARTS = 3                   # local pools rebuilt after workers died (e.g. out of memory)


class BatchMismatch(ScenarioError):
    """The output folder holds another batch (other scenarios, seeds, scale or model)."""


class OutputError(Exception):
    """The output folder cannot be created or written; nothing was run."""


class DiskFull(Exception):
    """The disk filled while the batch wrote; ``outcome`` lists the failed jobs."""

    def __init__(self, message: str, outcome: Outcome | None = None):
        super().__init__(message)
        self.outcome = outcome


class BatchInterrupted(KeyboardInterrupt):
    """The batch stopped on SIGINT or SIGTERM; rerun the same command to resume."""

    def __init__(self, signum: int, outcome: Outcome):
        super().__init__(signum)
        self.signum = signum
        self.outcome = outcome


class ModelChanged(RuntimeError):
    """A worker's model code or data is not the model the batch was started with."""


@dataclass(frozen=True)
class Task:
    scenario_id: str
    toml: str
    job: runner.Job
    scale: float
    model: str = ""                 # the model fingerprint the batch runs; "" = do not check

    @property
    def folder(self) -> str:
        return f"runs/{self.scenario_id}/job-{self.job.first:05d}"


@dataclass
class Outcome:
    out: Path
    done: int = 0
    skipped: int = 0
    failed: list[dict] = field(default_factory=list)
    status: str = "running"
    not_started: int = 0


def collect(paths: list[str | Path]) -> list[sweep.Expanded]:
    """The scenarios of scenario and sweep files, validated; one ScenarioError lists every problem."""
    problems, more, out = [], 0, []
    for p in paths:
        try:
            if sweep.is_sweep(p):
                out += sweep.expand(p)
            else:
                sc = scenario.load(p)
                out.append(sweep.Expanded(id=sc.hash, label=sc.name, scenario=sc, source=str(p)))
        except ScenarioError as exc:
            shown = [x for x in exc.problems if not x.startswith("... and ")]
            problems += shown
            more += len(exc.problems) - len(shown)
    if problems:
        raise ScenarioError(problems, more=more)
    ids = set()
    unique = []
    for e in out:                                            # a scenario given twice runs once
        if e.id not in ids:
            ids.add(e.id)
            unique.append(e)
    return unique


def monthly_table(result, first: int, scenario_id: str) -> pd.DataFrame:
    """Tidy monthly indicators: replication × month × indicator (as simulated)."""
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


# ---------------------------------------------------------------------------------------------
# Writing: every file through one function, every folder and manifest atomically.

def _write_bytes(path: Path, data: bytes) -> None:
    """Write a whole file (the one place results reach the disk)."""
    with open(path, "wb") as f:
        f.write(data)


def _parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole, or leave it as it was (no temporary file left)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        _write_bytes(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_json(path: Path, data: dict) -> None:
    _write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8"))


def no_space(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in NO_SPACE


def run_task(task: Task, out: str) -> dict:
    """Run one job and write its results atomically (in a worker process)."""
    t0 = time.perf_counter()
    if task.model and fingerprint.combined(fingerprint.files()) != task.model:
        raise ModelChanged("the model's code or data changed after the batch started")
    sc = scenario.parse(task.toml, where=task.scenario_id)
    result = runner.run_job(sc, task.job, "fast", task.scale)
    files = {"indicators.parquet": _parquet(monthly_table(result, task.job.first, task.scenario_id)),
             "states.parquet": _parquet(state_table(result, task.job.first, task.scenario_id)),
             "yearly.parquet": _parquet(yearly_table(result, task.job.first, task.scenario_id))}
    final = Path(out) / task.folder
    tmp = final.parent / f".tmp-{final.name}-{os.getpid()}-{time.monotonic_ns()}"
    try:
        tmp.mkdir(parents=True)
        for name, data in files.items():
            _write_bytes(tmp / name, data)
        if (Path(out) / STOP).exists():
            raise RuntimeError("the batch was stopped; this job's results are discarded")
        try:
            os.rename(tmp, final)                   # atomic: the job is there whole, or not at all
        except OSError:
            if not final.is_dir():
                raise
            shutil.rmtree(tmp, ignore_errors=True)  # another worker finished the same job first
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {"scenario_id": task.scenario_id, "first": task.job.first, "seconds": time.perf_counter() - t0}


# ---------------------------------------------------------------------------------------------
# Identity and the output folder.

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


def _text_hash(text: str) -> str:
    import hashlib
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _identity(expanded, replications: int, seed: int, scale: float, model: str) -> dict:
    """What determines a batch's numbers; a resume must match it exactly."""
    return {"master_seed": seed, "replications": replications, "scale": scale, "engine": "fast",
            "chunk": runner.chunk_size("fast", scale), "model": model,
            "scenarios": {e.id: _text_hash(e.scenario.to_toml()) for e in sorted(expanded, key=lambda e: e.id)}}


def _differences(old: dict, new: dict, old_files: dict, new_files: dict) -> list[str]:
    """What differs between two batch identities, in words."""
    out = []
    if old.get("model") != new["model"]:
        out.append(f"another model ({fingerprint.changes(old_files, new_files)})")
    for key, label in (("master_seed", "seed"), ("replications", "replications"), ("scale", "scale"),
                       ("engine", "engine"), ("chunk", "replications per job")):
        if old.get(key) != new[key]:
            out.append(f"{label} {old.get(key)} (now {new[key]})")
    a, b = old.get("scenarios") or {}, new["scenarios"]
    if a != b:
        added, removed = len(b.keys() - a.keys()), len(a.keys() - b.keys())
        changed = sum(1 for k in a.keys() & b.keys() if a[k] != b[k])
        out.append(f"other scenarios ({added} added, {removed} removed, {changed} with another text)")
    return out or ["a batch written by another version of this tool"]


def _read_manifest(out: Path) -> dict | None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; choose another --out")
    path = out / "manifest.json"
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BatchMismatch([f"{path}: not a readable manifest; choose another --out or delete {out}"]) from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _check_same_batch(old: dict, ident: dict, files: dict, out: Path) -> None:
    if old.get("identity") == ident:
        return
    what = _differences(old.get("identity") or {}, ident, (old.get("model") or {}).get("files") or {}, files)
    raise BatchMismatch([f"{out}: holds another batch: {'; '.join(what)}. Its results would be mixed with "
                         f"this one's: resume it with its own command and model, or start anew with another "
                         f"--out (or delete {out})"])


def _output_error(exc: OSError, path: Path) -> Exception:
    """An OSError met while preparing or writing the output folder, as one line."""
    if exc.errno in NO_SPACE:
        return DiskFull(f"{path}: disk full (no space left on device); free space and rerun the same command")
    reason = {errno.EACCES: "not writable (permission denied)", errno.EPERM: "not writable (operation not permitted)",
              errno.EROFS: "on a read-only file system", errno.ENOTDIR: "a part of the path is a file, not a folder",
              errno.EEXIST: "is a file, not a folder", errno.ENAMETOOLONG: "name too long",
              errno.ELOOP: "a loop of symbolic links"}.get(exc.errno, exc.strerror or str(exc))
    return OutputError(f"{path}: {reason}; choose another --out")


def _leftovers(out: Path, stop: bool = True) -> list[Path]:
    """Temporary files and folders an interrupted batch may have left (and its stop marker)."""
    return [*out.glob("runs/*/.tmp-*"), *out.glob("*.tmp"), *out.glob(".probe-*"), out / RESERVE,
            *([out / STOP] if stop else [])]


def _clean(out: Path, stop: bool = True) -> None:
    for p in _leftovers(out, stop):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass


def _prepare(out: Path, reserve: int) -> None:
    """Create the output folder, prove it writable, clean what an interrupted batch left and
    keep ``reserve`` bytes of room; OutputError or DiskFull otherwise."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out}: is a file, not a folder; choose another --out") from None
    except NotADirectoryError:
        raise OutputError(f"{out}: a part of the path is a file, not a folder; choose another --out") from None
    except OSError as exc:
        raise _output_error(exc, out) from None
    _clean(out)
    probe = out / f".probe-{os.getpid()}"
    try:
        _write_bytes(probe, b"probe")
        probe.unlink()
        _write_bytes(out / RESERVE, bytes(reserve))
    except OSError as exc:
        _clean(out)
        raise _output_error(exc, out) from None


# ---------------------------------------------------------------------------------------------
# Executors.

def _worker_init() -> None:
    """In each local worker: leave SIGINT to the batch's process (which stops the batch) and
    exit when that process is gone (killed with SIGKILL, say), within half a second."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def local_executor(workers: int | None = None) -> Executor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(workers or os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init)


def _terminate(executor: Executor) -> None:
    """Stop a local pool now: queued jobs cancelled, running workers terminated and reaped."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        p.terminate()
    for p in processes:
        p.join(5)
        if p.is_alive():
            p.kill()
            p.join(2)


def dask_executor(scheduler: str | None = None, local_workers: int | None = None, timeout: float = 10):
    """A Dask executor for a cluster (``scheduler`` address) or a local cluster; returns
    (executor, close). An unreachable scheduler is an OSError after ``timeout`` seconds."""
    from dask.distributed import Client, LocalCluster
    if scheduler:
        _probe(scheduler, timeout)
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise OSError(f"Dask scheduler {scheduler}: not reachable within {timeout:g} s "
                          f"({type(exc).__name__})") from None
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


def _probe(address: str, timeout: float) -> None:
    """Fail at once (OSError) when a TCP scheduler refuses connections or its host is unknown,
    rather than after Dask's retries."""
    import socket
    from urllib.parse import urlsplit
    if "://" in address and not address.startswith(("tcp://", "tls://")):
        return
    try:
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        host, port = parts.hostname, parts.port
    except ValueError:
        raise OSError(f"Dask scheduler {address}: not an address like tcp://host:8786") from None
    if not host or not port:
        raise OSError(f"Dask scheduler {address}: not an address like tcp://host:8786")
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        raise OSError(f"Dask scheduler {address}: not reachable ({exc.strerror or type(exc).__name__})") from None


class _StopSignals:
    """While a batch runs (in the main thread), SIGINT and SIGTERM ask it to stop; the loop
    checks ``signum`` at least four times a second."""

    def __init__(self):
        self.signum: int | None = None
        self.previous: dict = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.signum is None:
            self.signum = signum

    def __exit__(self, *exc) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


# ---------------------------------------------------------------------------------------------
# The batch.

def run_batch(paths: list[str | Path], replications: int, seed: int, out: str | Path, executor: Executor | None = None,
              workers: int | None = None, scale: float = 1.0, progress: bool = True) -> Outcome:
    """Run (or resume) a batch; see the module docstring for what it writes. Bad scenario or
    sweep files raise ScenarioError before anything is written."""
    runner.check_scale(scale)
    return run_scenarios(collect(paths), replications, seed, out, executor, workers, scale, progress)


def run_scenarios(expanded: list[sweep.Expanded], replications: int, seed: int, out: str | Path,
                  executor: Executor | None = None, workers: int | None = None, scale: float = 1.0,
                  progress: bool = True) -> Outcome:
    """Run (or resume) a batch of scenarios built in Python (as ``run_batch`` does for files).
    Returns the outcome (status "done" or "failed"); raises BatchMismatch, OutputError,
    DiskFull or BatchInterrupted as the module docstring says."""
    out = Path(out)
    jobs = runner.jobs(seed, replications, "fast", scale)
    if len(jobs) * len(expanded) > MAX_JOBS:
        raise ScenarioError([f"{len(jobs) * len(expanded):,} jobs ({len(expanded)} scenarios × {len(jobs)} jobs of "
                             f"up to {runner.chunk_size('fast', scale)} replications), allowed at most {MAX_JOBS:,}"])
    model = fingerprint.current()
    ident = _identity(expanded, replications, seed, scale, model["model"])
    old = _read_manifest(out)
    if old is not None:
        _check_same_batch(old, ident, model["files"], out)
    tasks = [Task(e.id, e.scenario.to_toml(), j, scale, model["model"]) for e in expanded for j in jobs]
    manifest = {
        "identity": ident, "model_version": __version__, "git_commit": _git_commit(),
        "model": {"fingerprint": model["model"], "files": model["files"]},
        "python": platform.python_version(), "packages": _packages(),
        "command": " ".join(sys.argv), "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "process": {"pid": os.getpid(), "host": platform.node()},   # a "running" batch whose process is gone was killed
        "count_rule": runner.count_rule(scale) + " in summary.*; runs/ hold the simulated counts",
        "scenarios": [{"id": e.id, "label": e.label, "name": e.scenario.name, "hash": e.scenario.hash,
                       "source": e.source, "toml": e.scenario.to_toml()} for e in expanded],
        "jobs": [{"seed": j.seed, "replications": j.replications, "first_replication": j.first} for j in jobs],
        "how_to_rerun": "replication r of a scenario: FastEngine(scenario, seed=job.seed, scale=scale, "
                        "replications=job.replications).run(), index r - job.first_replication",
        "jobs_total": len(tasks), "runs_total": sum(j.replications for j in jobs) * len(expanded),
        "status": "running", "failed": [],
    }
    text = json.dumps(manifest, default=str)
    with _StopSignals() as stop:                                # from here on a signal stops the batch cleanly
        _prepare(out, reserve=min(64 << 20, (1 << 20) + 4 * len(text) + 300 * len(tasks)))
        todo = [t for t in tasks if not (out / t.folder).exists()]
        outcome = Outcome(out, skipped=len(tasks) - len(todo))
        try:
            _write_json(out / "manifest.json", manifest)
        except OSError as exc:
            _clean(out)
            raise _output_error(exc, out) from None
        try:
            _run(todo, out, executor, workers, progress, stop, outcome, model["files"],
                 done_runs=sum(t.job.replications for t in tasks) - sum(t.job.replications for t in todo))
        except Exception as exc:                                # unforeseen: say so in the manifest
            manifest.update(status="failed", error=repr(exc)[:500],
                            finished=datetime.now(UTC).isoformat(timespec="seconds"))
            (out / RESERVE).unlink(missing_ok=True)
            try:
                _write_json(out / "manifest.json", manifest)
            finally:
                _clean(out, stop=False)
            raise
        return _finish(out, tasks, manifest, outcome, stop.signum)


def _run(todo: list[Task], out: Path, executor: Executor | None, workers: int | None, progress: bool,
         stop: _StopSignals, outcome: Outcome, files: dict, done_runs: int) -> None:
    """Run the jobs until all are done, a signal asks to stop or the disk is full."""
    own = executor is None
    executor = executor or local_executor(workers)
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=done_runs + sum(t.job.replications for t in todo), initial=done_runs, unit="run",
                   desc="batch", file=sys.stderr, dynamic_ncols=True)
    pending: dict[Future, tuple[Task, int]] = {}
    restarts = 0

    def fail(task: Task, error: str) -> None:
        outcome.failed.append({"scenario_id": task.scenario_id, "seed": task.job.seed,
                               "first_replication": task.job.first, "error": error})
    try:
        for t in todo:
            if stop.signum is not None:
                break
            pending[executor.submit(run_task, t, str(out))] = (t, 1)
        disk_full = False
        while pending and stop.signum is None and not disk_full:
            done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            broken = []
            for f in done:
                task, attempt = pending.pop(f)
                exc = f.exception()
                if exc is None:
                    outcome.done += 1
                    if bar:
                        bar.update(task.job.replications)
                elif own and isinstance(exc, BrokenProcessPool):
                    broken.append((task, attempt))
                elif no_space(exc):
                    fail(task, f"disk full: {exc.strerror or exc}")
                    disk_full = True
                elif isinstance(exc, ModelChanged):
                    fail(task, f"{exc}: {fingerprint.changes(files, fingerprint.files())}")
                elif attempt == 1:                              # a failed run: retry once, then record
                    pending[executor.submit(run_task, task, str(out))] = (task, 2)
                else:
                    fail(task, repr(exc))
            if broken:                                          # workers died: a signal, or out of memory
                time.sleep(0.5)
                if stop.signum is not None:
                    break
                broken += [pending.pop(f) for f in list(pending)]
                _terminate(executor)
                restarts += 1
                if restarts > POOL_RESTARTS:
                    for task, _ in broken:
                        fail(task, "worker processes died repeatedly (out of memory?)")
                    break
                executor = local_executor(workers)
                for task, attempt in broken:
                    pending[executor.submit(run_task, task, str(out))] = (task, attempt)
        if disk_full:
            outcome.status = "disk_full"
    finally:
        for f in pending:
            f.cancel()
        if own:
            _terminate(executor)
        elif pending:                                           # Dask: jobs may still run on the workers:
            try:                                                # they see the marker and discard their results
                _write_bytes(out / STOP, b"")
            except OSError:
                pass
            time.sleep(1.0)                                     # renames already under way end first
        if bar:
            bar.close()


def _finish(out: Path, tasks: list[Task], manifest: dict, outcome: Outcome, signum: int | None) -> Outcome:
    """Write the summary (when every job is done) and the final manifest with the true counts."""
    done = [t for t in tasks if (out / t.folder).exists()]
    if signum is not None:
        outcome.status = "interrupted"
    elif outcome.status != "disk_full":
        outcome.status = "failed" if outcome.failed or len(done) < len(tasks) else "done"
    if outcome.status == "done":
        try:
            (out / RESERVE).unlink(missing_ok=True)
            write_summary(out, manifest)
        except OSError as exc:
            if not no_space(exc):
                raise
            outcome.status = "disk_full"
    outcome.not_started = len(tasks) - len(done) - len(outcome.failed)
    manifest.update(status=outcome.status, failed=outcome.failed,
                    finished=datetime.now(UTC).isoformat(timespec="seconds"),
                    jobs_done=len(done), runs_done=sum(t.job.replications for t in done),
                    jobs_not_started=outcome.not_started)
    if outcome.status == "interrupted":
        manifest["interrupted_by"] = signal.Signals(signum).name
    (out / RESERVE).unlink(missing_ok=True)                     # room for the manifest on a full disk
    try:
        _write_json(out / "manifest.json", manifest)
    except OSError as exc:
        if not no_space(exc):
            raise
        outcome.status = "disk_full"
    _clean(out, stop=False)                                     # the marker stays until the batch resumes
    if outcome.status == "interrupted":
        raise BatchInterrupted(signum, outcome)
    if outcome.status == "disk_full":
        n = len(outcome.failed)
        raise DiskFull(f"{out}: disk full (no space left on device); {n} job{'s' if n != 1 else ''} failed, "
                       f"{outcome.not_started} not run; free space and rerun the same command to resume", outcome)
    return outcome


def load(out: str | Path, kind: str = "yearly") -> pd.DataFrame:
    """A batch's results in one DataFrame: ``yearly`` (scenario × replication × year × indicator),
    ``indicators`` (monthly) or ``states`` (monthly counts), as simulated; or ``summary`` (counts
    for the whole municipality)."""
    out = Path(out)
    if kind == "summary":
        return pd.read_parquet(out / "summary.parquet")
    files = sorted(out.glob(f"runs/*/job-*/{kind}.parquet"))
    if not files:
        raise FileNotFoundError(f"{out}: no {kind} results")
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def summarise(yearly: pd.DataFrame, municipalities: dict[str, str], scale: float = 1.0) -> pd.DataFrame:
    """Scenario × indicator × year: mean, p05, p50, p95, the plan's target and the share of runs
    meeting it, each scenario judged by its own municipality's targets (``municipalities``:
    scenario id -> profile name). Counts are divided by ``scale`` (for the whole municipality); a
    value undefined in any run leaves its row undefined (NaN), with ``undefined_runs`` saying in
    how many."""
    rows = []
    for (sid, key, year), g in yearly.groupby(["scenario_id", "indicator", "year"], sort=True):
        targets = indicators.targets(municipalities[sid])
        x = g["value"].to_numpy(float)
        if indicators.INDICATORS[key].kind == "count":
            x = x / scale
        tgt = targets.get(key, {})
        if int(year) == calendar.START_YEAR:
            x = indicators.status_values(key, x, tgt)
        undefined = int((~np.isfinite(x)).sum())
        ok = undefined == 0 and x.size > 0
        target = tgt.get("years", {}).get(int(year))
        rows.append({"scenario_id": sid, "indicator": key, "year": int(year), "runs": int(x.size),
                     "undefined_runs": undefined,
                     "mean": float(x.mean()) if ok else np.nan,
                     "p05": float(np.quantile(x, 0.05)) if ok else np.nan,
                     "p50": float(np.quantile(x, 0.5)) if ok else np.nan,
                     "p95": float(np.quantile(x, 0.95)) if ok else np.nan,
                     "target": target if target is not None else np.nan,
                     "share_meeting_target": float(np.mean(indicators.meets(x, target, tgt["direction"])))
                     if target is not None and ok else np.nan})
    return pd.DataFrame(rows)


def write_summary(out: str | Path, manifest: dict | None = None) -> pd.DataFrame:
    """Write summary.parquet and summary.csv (atomically) from the runs and the manifest."""
    out = Path(out)
    manifest = manifest or json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    scale = float(manifest["identity"]["scale"])
    municipalities = {s["id"]: tomllib.loads(s["toml"]).get("municipality", params.DEFAULT_MUNICIPALITY)
                      for s in manifest["scenarios"]}
    df = summarise(load(out, "yearly"), municipalities, scale=scale)
    labels = {s["id"]: s["label"] for s in manifest["scenarios"]}
    df.insert(1, "scenario", df.scenario_id.map(labels))
    df["scale"] = scale
    _write_atomic(out / "summary.parquet", _parquet(df))
    _write_atomic(out / "summary.csv", df.to_csv(index=False).encode("utf-8"))
    return df
