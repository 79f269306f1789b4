"""Batches for researchers: scenarios (and sweeps) × replications, in parallel, resumable, with
tidy results on disk.

Work is written against ``concurrent.futures.Executor``: locally a process pool (spawn) sized to
the cores, on a cluster a Dask executor. A job is a block of replications of one scenario from
one seed (``blocks``: seeds from the master seed through ``numpy.random.SeedSequence``, the
same for every scenario), so results are identical whatever runs them. A job always simulates
its whole block and keeps the futures asked for, so a future's numbers never depend on how many
the batch holds: a batch grows (a resume with more replications) to exactly the batch started
with that many. Each job's results are written by the worker into their own folder,
atomically (a temporary folder renamed), so an interrupted batch restarts with the same command
and does only the missing jobs.

A batch's identity is what determines its numbers: the scenarios' texts, the seed, the
replications, the scale, the engine and the fingerprint of the model's code and data
(``fingerprint.py``). A resume with another identity is refused (``BatchMismatch``), saying what
changed, so results of two models are never mixed; every worker also checks, before each job,
that it runs the model the batch was started with.

Faults: SIGINT or SIGTERM stop the batch within a second or so (queued jobs cancelled, local
workers terminated, jobs running on Dask workers told by a ``.stop`` marker to discard their
results, the manifest "interrupted" with the true counts, ``BatchInterrupted``);
local workers exit on their own when the batch's process dies; an unusable output folder is an
``OutputError`` before anything runs, and one that turns unwritable during the batch stops it
with an ``OutputError`` saying how far it got; a full disk stops the batch with the failed jobs
listed (``DiskFull``; a reserve file keeps room for the manifest). Workers that die are replaced
(``POOL_RESTARTS`` times; then only the jobs they were running are failed, the others not
started); a local worker stopped by a signal (SIGSTOP) is replaced after ``STOPPED_GRACE``
seconds; a batch in which no job finishes for long says so.

Every file the batch keeps for itself (temporary files and folders, the reserve, the stop marker,
the lock) is named ``.model-batch-*`` (``SCRATCH``), and clean-up removes nothing else: a user's
own files in the output folder are never touched. The folder is locked while a batch runs in it
(``LOCK``, an ``flock`` the system releases when the process ends, however it ends): a second
batch on the same folder is refused (``BatchBusy``), and the lock of a killed batch is taken over.

Growth: the last job of a scenario usually keeps only part of its block of futures; it also
keeps the whole block as simulated (``BLOCK``), so that a batch grown later builds the whole
block's files from it instead of simulating it again (the same numbers, file for file).

Output folder (every column described in docs/outputs.md and in the Parquet metadata, see
``outputs``)::

    manifest.json                       identity, versions, commit, model fingerprint, scenarios and
                                        hashes, seeds, jobs and their times, command, status, counts,
                                        failures, the scale and whether counts are scaled
    summary.parquet, summary.csv        scenario × indicator × year: mean, p05, p50, p95, target, share
                                        meeting it, lever and assumption values; counts for the whole
                                        municipality (÷ scale)
    scenarios.parquet                   scenario × year: lever and assumption values
    runs/<scenario id>/job-<first>/     per job, as simulated (counts at the batch's scale):
                                        indicators, yearly, states, flows, costs (.parquet), job.json
    panel/scenario_id=…/replication=…/  with ``panel``: one row per citizen and month
"""
from __future__ import annotations

import errno
import io
import json
import os
import platform
import shutil
import signal
import sys
import threading
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from model import calendar, fingerprint
from model.experiments import executors, outputs, progress, provenance
from model.inputs import scenario, sweep
from model.inputs.municipalities import Municipality
from model.inputs.municipalities import load as load_municipality
from model.inputs.scenario import ScenarioError
from model.sim import indicators, runner
from model.sim.context import RunResult

MAX_JOBS = 200_000                  # jobs of one batch (scenarios × replications / chunk)
NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}
SCRATCH = ".model-batch-"           # every file the batch keeps for itself; clean-up removes nothing else
RESERVE = SCRATCH + "reserve"       # room kept free for the last manifest on a full disk
STOP = SCRATCH + "stop"             # a stopped batch: jobs still running elsewhere (Dask) discard their results
LOCK = SCRATCH + "lock"             # held while a batch runs in the folder
TMP = SCRATCH + "tmp-"              # a file or job folder being written
BLOCK = SCRATCH + "block"           # in a job keeping part of its block: the whole block, for growth
POOL_RESTARTS = 3                   # local pools rebuilt after workers died (e.g. out of memory)
STOPPED_GRACE = 10.0                # seconds a local worker may stay stopped (SIGSTOP) before it is replaced
STALL_SECONDS = 120.0               # no job done for this long (or 10 × the slowest job): the batch says so


class BatchMismatch(ScenarioError):
    """The output folder holds another batch (other scenarios, seeds, scale or model)."""


class OutputError(Exception):
    """The output folder cannot be created or written (before anything ran, or since: the
    message says how far the batch got)."""


class BatchBusy(OutputError):
    """Another batch is running in the output folder (it holds the folder's lock)."""


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
    kept: int = 0                   # futures of the job kept (its first ones); 0 = all
    engine: str = "fast"
    panel: int = 0                  # citizen panel for futures below this number
    shared_seeds: bool = False      # other jobs of the batch start from the same July 2016 populations
    reuse: str = ""                 # an earlier job's folder holding this job's whole block (a grown batch)

    @property
    def folder(self) -> str:
        return job_folder(self.scenario_id, self.job.first, self.job.replications, self.kept)

    @property
    def futures(self) -> int:
        return self.kept or self.job.replications


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


monthly_table = outputs.monthly_table
state_table = outputs.state_table
yearly_table = outputs.yearly_table


def blocks(master_seed: int, replications: int, engine: str = "fast", scale: float = 1.0,
           chunk: int | None = None) -> list[tuple[runner.Job, int]]:
    """The jobs of a batch of ``replications`` futures: (job, futures kept). Every job simulates
    a whole block of ``chunk`` replications from its seed (``runner.jobs``), so a future's
    numbers depend on its number, the master seed and the chunk only, never on how many futures
    the batch holds: a batch grown from 10 to 20 futures equals a batch of 20 started anew. The
    last block keeps only the futures asked for."""
    size = chunk or runner.chunk_size(engine, scale)
    n = -(-replications // size)
    return [(j, min(size, replications - j.first)) for j in runner.jobs(master_seed, n * size, engine, scale, size)]


def job_folder(scenario_id: str, first: int, simulated: int, kept: int) -> str:
    """A job's folder: ``job-<first>`` holding the whole block, ``job-<first>-<last>`` a part."""
    name = f"job-{first:05d}" if kept in (0, simulated) else f"job-{first:05d}-{first + kept - 1:05d}"
    return f"runs/{scenario_id}/{name}"


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
    tmp = path.with_name(f"{TMP}{path.name}.{os.getpid()}")
    try:
        _write_bytes(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_json(path: Path, data: dict) -> None:
    _write_atomic(path, provenance.to_json(data))


def no_space(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in NO_SPACE


def not_writable(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in NOT_WRITABLE


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _kept(result, n: int):
    """The result's first ``n`` replications."""
    return replace(result, states=result.states[:n], measures=result.measures[:n], flows=result.flows[:n],
                   entrants=result.entrants[:n], leavers=result.leavers[:n], costs=result.costs[:n],
                   effort=result.effort[:n])


BLOCK_ARRAYS = ("states", "measures", "flows", "entrants", "leavers", "costs", "effort")


def block_bytes(result: RunResult) -> bytes:
    """A job's whole block as simulated, compressed (the same bytes for the same result)."""
    head = json.dumps({"scenario_hash": result.scenario_hash, "municipality": result.municipality.profile,
                       "seed": int(result.seed), "engine": result.engine, "scale": float(result.scale),
                       "scenario": result.scenario.to_toml(),
                       "scenario_where": str(result.scenario.path or result.scenario.name)}).encode("utf-8")
    buf = io.BytesIO()
    buf.write(len(head).to_bytes(8, "little") + head)
    for name in BLOCK_ARRAYS:
        np.save(buf, np.ascontiguousarray(getattr(result, name)), allow_pickle=False)
    return zlib.compress(buf.getvalue(), 6)


def block_result(data: bytes) -> RunResult:
    """The result ``block_bytes`` holds."""
    buf = io.BytesIO(zlib.decompress(data))
    n = int.from_bytes(buf.read(8), "little")
    head = json.loads(buf.read(n))
    arrays = {name: np.load(buf, allow_pickle=False) for name in BLOCK_ARRAYS}
    head["municipality"] = load_municipality(head["municipality"])
    head["scenario"] = scenario.parse(head["scenario"], head.pop("scenario_where"))   # prices the block's effort
    return RunResult(**head, **arrays)


def _reused(task: Task, out: Path) -> RunResult | None:
    """The job's whole block from an earlier job's folder (a grown batch), if it is there and
    the panel it needs is already written; None otherwise (the job is simulated)."""
    if not task.reuse:
        return None
    if task.panel > task.job.first and task.engine == "fast":
        needed = range(task.job.first, min(task.job.first + task.futures, task.panel))
        if not all((out / "panel" / f"scenario_id={task.scenario_id}" / f"replication={r}" / "part-0.parquet").exists()
                   for r in needed):
            return None
    try:
        result = block_result((out / task.reuse / BLOCK).read_bytes())
    except (OSError, ValueError, KeyError, TypeError, zlib.error, EOFError):
        return None
    if result.seed != task.job.seed or result.replications != task.job.replications:
        return None
    return result


def run_task(task: Task, out: str) -> dict:
    """Run one job and write its results atomically (in a worker process). The job's temporary
    folder is made first: a job that has one has started (``_started``)."""
    started, t0 = _now(), time.perf_counter()
    if task.model and fingerprint.combined(fingerprint.files()) != task.model:
        raise ModelChanged("the model's code or data changed after the batch started")
    final = Path(out) / task.folder
    tmp = final.parent / f"{TMP}{final.name}.{os.getpid()}.{time.monotonic_ns()}"
    tmp.mkdir(parents=True)
    try:
        sc = scenario.parse(task.toml, where=task.scenario_id)
        keep = task.futures
        recorder = None
        result = _reused(task, Path(out))
        reused = result is not None
        if not reused and task.panel > task.job.first and task.engine == "fast":
            from model.experiments import panel
            from model.sim.engine import FastEngine
            recorder = panel.Recorder(range(min(keep, task.panel - task.job.first)))
            result = FastEngine(sc, task.job.seed, scale=task.scale, replications=task.job.replications,
                                keep_populations=task.shared_seeds).run(observer=recorder)
        elif not reused:
            result = runner.run_job(sc, task.job, task.engine, task.scale, keep_populations=task.shared_seeds)
        files = outputs.job_files(_kept(result, keep), task.job.first, task.scenario_id, sc)
        if keep < task.job.replications:                     # a part of the block: keep the whole, for growth
            files[BLOCK] = block_bytes(result)
        if recorder is not None:                # each future's panel written whole before the job counts as done
            for q, df in recorder.tables(task.job.first):
                path = Path(out) / "panel" / f"scenario_id={task.scenario_id}" / f"replication={task.job.first + q}"
                path.mkdir(parents=True, exist_ok=True)
                _write_atomic(path / "part-0.parquet", panel.to_parquet(df))
        times = {"scenario_id": task.scenario_id, "first_replication": task.job.first, "futures": keep,
                 "seed": task.job.seed, "simulated": task.job.replications, "engine": task.engine,
                 "started": started, "host": platform.node(), "pid": os.getpid()}
        if reused:
            times["reused"] = task.reuse
        for name, data in files.items():
            _write_bytes(tmp / name, data)
        times.update(finished=_now(), seconds=round(time.perf_counter() - t0, 3))
        _write_bytes(tmp / "job.json", json.dumps(times, indent=1).encode("utf-8"))
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
    return times


def _started(out: Path, task: Task) -> bool:
    """Whether a worker has started the job (its temporary folder exists, or its results)."""
    final = out / task.folder
    return final.exists() or any(final.parent.glob(f"{TMP}{final.name}.*"))


# ---------------------------------------------------------------------------------------------
# Identity and the output folder.

def _text_hash(text: str) -> str:
    import hashlib
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


LAYOUT = 2                          # whole blocks per job (``blocks``); batches of layout 1 are not resumed


def _identity(expanded, replications: int, seed: int, scale: float, model: str, engine: str = "fast",
              chunk: int | None = None, panel: int = 0) -> dict:
    """What determines a batch's numbers; a resume must match it, but for more replications."""
    return {"layout": LAYOUT, "master_seed": seed, "replications": replications, "scale": scale, "engine": engine,
            "chunk": chunk or runner.chunk_size(engine, scale), "model": model, "panel": panel,
            "scenarios": {e.id: _text_hash(e.scenario.to_toml()) for e in sorted(expanded, key=lambda e: e.id)}}


def _differences(old: dict, new: dict, old_files: dict, new_files: dict) -> list[str]:
    """What differs between two batch identities, in words."""
    out = []
    if old.get("model") != new["model"]:
        out.append(f"another model ({fingerprint.changes(old_files, new_files)})")
    for key, label in (("master_seed", "seed"), ("scale", "scale"), ("engine", "engine"),
                       ("chunk", "replications per job"), ("panel", "panel futures"), ("layout", "layout")):
        if old.get(key) != new[key]:
            out.append(f"{label} {old.get(key)} (now {new[key]})")
    if (old.get("replications") or 0) > new["replications"]:
        out.append(f"replications {old.get('replications')} (now {new['replications']}: a batch can grow, "
                   "not shrink)")
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
    """Refuse a resume of another batch; more replications grow the batch."""
    was = old.get("identity") or {}
    same = {k: v for k, v in was.items() if k != "replications"} == {k: v for k, v in ident.items()
                                                                     if k != "replications"}
    if same and (was.get("replications") or 0) <= ident["replications"]:
        return
    what = _differences(was, ident, (old.get("model") or {}).get("files") or {}, files)
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
    """What an interrupted batch may have left: its temporary files and job folders, its probe
    and reserve files (and its stop marker). Only names of the batch's own (``SCRATCH``): a
    user's file in the folder is never one of them."""
    return [*out.glob(f"{TMP}*"), *out.glob(f"runs/*/{TMP}*"), *out.glob(f"panel/*/*/{TMP}*"),
            *out.glob(f"{SCRATCH}probe-*"), out / RESERVE, *([out / STOP] if stop else [])]


def _clean(out: Path, stop: bool = True) -> None:
    for p in _leftovers(out, stop):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass


def _make_folder(out: Path) -> None:
    """Create the output folder (and its parents); OutputError saying why it cannot be."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out}: is a file, not a folder; choose another --out") from None
    except NotADirectoryError:
        raise OutputError(f"{out}: a part of the path is a file, not a folder; choose another --out") from None
    except OSError as exc:
        raise _output_error(exc, out) from None
    if not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; choose another --out")


def _prepare(out: Path, reserve: int) -> None:
    """Prove the output folder writable, clean what an interrupted batch left and keep
    ``reserve`` bytes of room; OutputError or DiskFull otherwise."""
    _clean(out)
    probe = out / f"{SCRATCH}probe-{os.getpid()}"
    try:
        _write_bytes(probe, b"probe")
        probe.unlink()
        _write_bytes(out / RESERVE, bytes(reserve))
    except OSError as exc:
        _clean(out)
        raise _output_error(exc, out) from None


class _Lock:
    """The folder's lock while a batch runs in it: an ``flock`` on ``LOCK`` (released by the
    system when the process ends, however it ends), with who holds it written inside. A lock
    file left by a killed batch is taken over (``stale`` says whose it was)."""

    def __init__(self, out: Path):
        self.path = out / LOCK
        self.fd: int | None = None
        self.stale: dict | None = None

    def __enter__(self) -> _Lock:
        import fcntl
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            except OSError as exc:
                raise _output_error(exc, self.path.parent) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                os.close(fd)
                raise BatchBusy(f"{self.path.parent}: another batch is running in this folder ({holder}); wait for "
                                "it to end (or stop it), then rerun this command to resume, or choose another "
                                "--out") from None
            except OSError:                               # no locks on this file system: run without one
                pass
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except OSError:
                same = False
            if same:                                      # not a file its holder removed as we opened it
                break
            os.close(fd)
        self.fd = fd
        left = _holder_record(fd)
        if left:
            self.stale = left
        me = {"pid": os.getpid(), "host": platform.node(), "since": provenance.now(),
              "command": provenance.command_line()}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me).encode("utf-8"), 0)
        except OSError:
            pass
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)             # before unlocking: nobody takes a lock on a removed file
        except OSError:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
        os.close(self.fd)
        self.fd = None


def _holder_record(fd: int) -> dict | None:
    try:
        data = os.pread(fd, 4096, 0)
        record = json.loads(data) if data.strip() else None
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _holder(fd: int) -> str:
    r = _holder_record(fd) or {}
    if not r.get("pid"):
        return "its process is not known"
    return f"process {r['pid']} on {r.get('host') or 'this host'}, since {r.get('since') or '?'}"


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
              workers: int | None = None, scale: float = 1.0, progress: bool = True, engine: str = "fast",
              panel: int = 0, command: str | None = None) -> Outcome:
    """Run (or resume, or grow) a batch; see the module docstring for what it writes. Bad
    scenario or sweep files raise ScenarioError before anything is written."""
    runner.check_scale(scale)
    return run_scenarios(collect(paths), replications, seed, out, executor, workers, scale, progress,
                         engine=engine, panel=panel, command=command)


command_line = provenance.command_line


def _reusable(out: Path, task: Task) -> str:
    """An earlier job's folder that holds ``task``'s whole block (a batch grown past a part of a
    block), or ""."""
    if (out / task.folder).exists():
        return ""
    for folder in sorted((out / "runs" / task.scenario_id).glob(f"job-{task.job.first:05d}-*")):
        if folder.is_dir() and (folder / BLOCK).is_file():
            return str(folder.relative_to(out))
    return ""


def run_scenarios(expanded: list[sweep.Expanded], replications: int, seed: int, out: str | Path,
                  executor: Executor | None = None, workers: int | None = None, scale: float = 1.0,
                  progress: bool = True, engine: str = "fast", chunk: int | None = None, panel: int = 0,
                  command: str | None = None) -> Outcome:
    """Run (or resume, or grow) a batch of scenarios built in Python (as ``run_batch`` does for
    files). Returns the outcome (status "done" or "failed"); raises BatchMismatch, OutputError
    (BatchBusy), DiskFull or BatchInterrupted as the module docstring says. A resume with more
    ``replications`` grows the batch: the new futures are the next replications of the same
    master seed; the earlier ones are kept as they are."""
    out = Path(out)
    if engine not in runner.ENGINES:
        raise ScenarioError([f"engine = {engine!r}, allowed: {', '.join(runner.ENGINES)}"])
    if panel and engine != "fast":
        raise ScenarioError([f"panel = {panel}: the citizen panel needs the fast engine (engine = {engine})"])
    if not 0 <= panel <= replications:
        raise ScenarioError([f"panel = {panel}, allowed 0–{replications} (the futures of the batch)"])
    layout = blocks(seed, replications, engine, scale, chunk)
    size = chunk or runner.chunk_size(engine, scale)
    if len(layout) * len(expanded) > MAX_JOBS:
        raise ScenarioError([f"{len(layout) * len(expanded):,} jobs ({len(expanded)} scenarios × {len(layout)} jobs of "
                             f"up to {size} replications), allowed at most {MAX_JOBS:,}"])
    model = fingerprint.current()
    ident = _identity(expanded, replications, seed, scale, model["model"], engine, chunk, panel)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; choose another --out")
    _make_folder(out)
    with _Lock(out) as lock:
        if lock.stale:
            _say(f"note: {out}: a lock left by process {lock.stale.get('pid')} on {lock.stale.get('host')} "
                 f"(since {lock.stale.get('since')}), which ended without releasing it, is taken over")
        return _locked_run(expanded, replications, seed, out, executor, workers, scale, progress, engine, panel,
                           command, layout, model, ident)


def _say(text: str, bar: progress.Progress | None = None) -> None:
    """A remark during a batch, on standard error (above the bar, if there is one)."""
    if bar is not None:
        bar.say(text)
    else:
        print(text, file=sys.stderr, flush=True)


def _locked_run(expanded, replications, seed, out, executor, workers, scale, show, engine, panel, command, layout,
                model, ident) -> Outcome:
    old = _read_manifest(out)
    if old is not None:
        _check_same_batch(old, ident, model["files"], out)
    # Seed by seed, each seed's scenarios together: they start from the same July 2016 populations,
    # which a worker then keeps while it runs them. With one scenario no job shares its seed.
    tasks = [Task(e.id, e.scenario.to_toml(), j, scale, model["model"], kept, engine, panel, len(expanded) > 1)
             for j, kept in layout for e in expanded]
    now = provenance.now()
    head = provenance.header(command, model)
    manifest = {
        "identity": ident, **{k: head[k] for k in ("model_version", "git_commit", "model", "python", "packages")},
        "command": head["command"] or "(started from Python: model.batch.run_scenarios)",
        "cwd": head["cwd"],
        "started": (old or {}).get("started", now),
        "resumed": [*(old or {}).get("resumed", []), now] if old else [],
        "process": {"pid": os.getpid(), "host": head["host"]},   # a "running" batch whose process is gone was killed
        "count_rule": runner.count_rule(scale) + " in summary.*; runs/ hold the simulated counts",
        "counts": {"scale": scale, "summary_counts_scaled": True, "runs_counts_scaled": False},
        "scenarios": [{"id": e.id, "label": e.label, "name": e.scenario.name, "hash": e.scenario.hash,
                       "source": e.source, "toml": e.scenario.to_toml()} for e in expanded],
        "jobs": [{"seed": j.seed, "replications": j.replications, "first_replication": j.first, "kept": kept}
                 for j, kept in layout],
        "how_to_rerun": "replication r of a scenario: FastEngine(scenario, seed=job.seed, scale=scale, "
                        "replications=job.replications).run(), index r - job.first_replication (a job "
                        "simulates a whole block and keeps its first `kept` futures)",
        "jobs_total": len(tasks), "runs_total": replications * len(expanded),
        "status": "running", "failed": [],
    }
    text = json.dumps(manifest, default=str)
    with _StopSignals() as stop:                                # from here on a signal stops the batch cleanly
        _prepare(out, reserve=min(64 << 20, (1 << 20) + 4 * len(text) + 500 * len(tasks)))
        todo = [replace(t, reuse=_reusable(out, t)) for t in tasks if not (out / t.folder).exists()]
        outcome = Outcome(out, skipped=len(tasks) - len(todo))
        try:
            _write_json(out / "manifest.json", manifest)
        except OSError as exc:
            _clean(out)
            raise _output_error(exc, out) from None
        try:
            _run(todo, out, executor, workers, show, stop, outcome, model["files"],
                 done_runs=sum(t.futures for t in tasks) - sum(t.futures for t in todo))
        except Exception as exc:                                # unforeseen: say so in the manifest
            manifest.update(status="failed", error=repr(exc)[:500], finished=provenance.now())
            (out / RESERVE).unlink(missing_ok=True)
            try:
                _write_json(out / "manifest.json", manifest)
            except OSError:
                pass
            finally:
                _clean(out, stop=False)
            raise
        return _finish(out, tasks, manifest, outcome, stop.signum)


def _run(todo: list[Task], out: Path, executor: Executor | None, workers: int | None, show: bool,
         stop: _StopSignals, outcome: Outcome, files: dict, done_runs: int) -> None:
    """Run the jobs until all are done, a signal asks to stop, the disk is full or the folder
    turns unwritable. Workers that die are replaced; a stopped local worker is replaced after
    STOPPED_GRACE seconds; a batch in which no job finishes for long says so."""
    own = executor is None
    executor = executor or executors.pool(workers)
    bar = progress.Progress(done_runs + sum(t.futures for t in todo), "batch", "run", quiet=not show,
                            initial=done_runs)
    pending: dict[Future, tuple[Task, int]] = {}
    order = {id(t): i for i, t in enumerate(todo)}             # jobs resubmitted in their first order
    restarts = 0
    last_done, slowest, told = time.monotonic(), 0.0, 0.0
    stopped_since: dict[int, float] = {}

    def fail(task: Task, error: str) -> None:
        outcome.failed.append({"scenario_id": task.scenario_id, "seed": task.job.seed,
                               "first_replication": task.job.first, "error": error})
    try:
        for t in todo:
            if stop.signum is not None:
                break
            pending[executor.submit(run_task, t, str(out))] = (t, 1)
        halt = ""
        while pending and stop.signum is None and not halt:
            done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            broken = []
            for f in done:
                task, attempt = pending.pop(f)
                exc = f.exception()
                if exc is None:
                    outcome.done += 1
                    last_done = time.monotonic()
                    slowest = max(slowest, float((f.result() or {}).get("seconds") or 0))
                    bar.update(task.futures)
                elif own and isinstance(exc, BrokenProcessPool):
                    broken.append((task, attempt))
                elif no_space(exc):
                    fail(task, f"disk full: {exc.strerror or exc}")
                    halt = "disk_full"
                elif not_writable(exc):
                    fail(task, f"not writable: {exc.strerror or exc}")
                    halt = "not_writable"
                elif isinstance(exc, ModelChanged):
                    fail(task, f"{exc}: {fingerprint.changes(files, fingerprint.files())}")
                elif attempt == 1:                              # a failed run: retry once, then record
                    pending[executor.submit(run_task, task, str(out))] = (task, 2)
                else:
                    fail(task, repr(exc))
            now = time.monotonic()
            if own and not broken:                              # a stopped worker holds its job forever
                pids = executors.stopped(executor)
                stopped_since = {p: stopped_since.get(p, now) for p in pids}
                long = [p for p, t0 in stopped_since.items() if now - t0 >= STOPPED_GRACE]
                if long:
                    _say(f"worker process{'es' if len(long) > 1 else ''} {', '.join(map(str, long))} stopped "
                         f"(SIGSTOP?) for {STOPPED_GRACE:g} s: replaced, {'their' if len(long) > 1 else 'its'} "
                         "job run again", bar)
                    for p in long:
                        try:
                            os.kill(p, signal.SIGKILL)
                        except OSError:
                            pass
                    stopped_since = {}
            limit = max(STALL_SECONDS, 10 * slowest)
            if pending and now - last_done >= limit and now - told >= limit:
                told = now
                where = ("a local worker may be overloaded or swapping" if own else
                         "a worker may be stopped or overloaded; the scheduler gives its jobs to another worker "
                         "once it drops it")
                _say(f"no job has finished for {now - last_done:.0f} s ({len(pending)} pending; the slowest so far "
                     f"took {slowest:.0f} s): {where}", bar)
            if broken:                                          # workers died: a signal, or out of memory
                time.sleep(0.5)
                if stop.signum is not None:
                    break
                broken += [pending.pop(f) for f in list(pending)]
                broken.sort(key=lambda ta: order[id(ta[0])])
                executors.terminate(executor)
                restarts += 1
                if restarts > POOL_RESTARTS:                    # only the jobs that had started failed
                    for task, _ in broken:
                        if _started(out, task):
                            fail(task, "its worker process died repeatedly (out of memory? killed?)")
                    break
                executor = executors.pool(workers)
                last_done = time.monotonic()
                for task, attempt in broken:
                    pending[executor.submit(run_task, task, str(out))] = (task, attempt)
        if halt:
            outcome.status = halt
    finally:
        for f in pending:
            f.cancel()
        if own:
            executors.terminate(executor)
        elif pending:                                           # Dask: jobs may still run on the workers:
            try:                                                # they see the marker and discard their results
                _write_bytes(out / STOP, b"")
            except OSError:
                pass
            time.sleep(1.0)                                     # renames already under way end first
        bar.close()


def _finish(out: Path, tasks: list[Task], manifest: dict, outcome: Outcome, signum: int | None) -> Outcome:
    """Write the summary (when every job is done) and the final manifest with the true counts."""
    done = [t for t in tasks if (out / t.folder).exists()]
    if signum is not None:
        outcome.status = "interrupted"
    elif outcome.status not in ("disk_full", "not_writable"):
        outcome.status = "failed" if outcome.failed or len(done) < len(tasks) else "done"
    if outcome.status == "done":
        try:
            (out / RESERVE).unlink(missing_ok=True)
            _remove_grown_from(out, tasks)
            write_summary(out, manifest)
        except OSError as exc:
            if no_space(exc):
                outcome.status = "disk_full"
            elif not_writable(exc):
                outcome.status = "not_writable"
            else:
                raise
    outcome.not_started = len(tasks) - len(done) - len(outcome.failed)
    manifest.update(status=outcome.status, failed=outcome.failed, finished=provenance.now(),
                    jobs_done=len(done), runs_done=sum(t.futures for t in done),
                    jobs_not_started=outcome.not_started, job_times=_job_times(out, done))
    if outcome.status == "interrupted":
        manifest["interrupted_by"] = signal.Signals(signum).name
    try:
        (out / RESERVE).unlink(missing_ok=True)                 # room for the manifest on a full disk
        _write_json(out / "manifest.json", manifest)
    except OSError as exc:
        if no_space(exc):
            outcome.status = "disk_full"
        elif not_writable(exc):
            outcome.status = "not_writable"
        else:
            raise
    _clean(out, stop=False)                                     # the marker stays until the batch resumes
    if outcome.status == "interrupted":
        raise BatchInterrupted(signum, outcome)
    n = len(outcome.failed)
    counts = (f"{len(done)} of {len(tasks)} jobs done, {n} failed, {outcome.not_started} not run")
    if outcome.status == "disk_full":
        raise DiskFull(f"{out}: disk full (no space left on device); {counts}; free space and rerun the same "
                       "command to resume", outcome)
    if outcome.status == "not_writable":
        raise OutputError(f"{out}: became not writable while the batch ran (permission denied or read-only); "
                          f"{counts}; make it writable and rerun the same command to resume")
    return outcome


def _job_times(out: Path, done: list[Task]) -> list[dict]:
    """Start, end and duration of every job done (from each job's job.json)."""
    times = []
    for t in done:
        try:
            times.append(json.loads((out / t.folder / "job.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            times.append({"scenario_id": t.scenario_id, "first_replication": t.job.first, "started": None})
    return times


def _remove_grown_from(out: Path, tasks: list[Task]) -> None:
    """Remove the part-blocks of a batch that has grown past them (their futures are in the
    whole block now, with the same numbers)."""
    current = {out / t.folder for t in tasks}
    for sid in {t.scenario_id for t in tasks}:
        for folder in (out / "runs" / sid).glob("job-*"):
            if folder not in current:
                shutil.rmtree(folder, ignore_errors=True)


def folders(out: str | Path) -> list[Path]:
    """The job folders of the batch in ``out`` (as its manifest lists them; every job folder
    when there is no manifest)."""
    out = Path(out)
    try:
        m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return [out / job_folder(s["id"], j["first_replication"], j["replications"], j.get("kept", 0))
                for s in m["scenarios"] for j in m["jobs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return sorted(p for p in out.glob("runs/*/job-*") if p.is_dir())


def load(out: str | Path, kind: str = "yearly") -> pd.DataFrame:
    """A batch's results in one DataFrame: ``yearly`` (scenario × replication × year × indicator),
    ``indicators`` (monthly), ``states`` (monthly counts), ``flows`` or ``costs``, as simulated; or
    ``summary`` (counts for the whole municipality) or ``scenarios``. Months are timestamps."""
    out = Path(out)
    if kind in ("summary", "scenarios"):
        return pd.read_parquet(out / f"{kind}.parquet")
    files = [f / f"{kind}.parquet" for f in folders(out)]
    files = [f for f in files if f.exists()]
    if not files:
        raise FileNotFoundError(f"{out}: no {kind} results")
    df = pd.concat([_read(f) for f in files], ignore_index=True)
    if "month" in df:
        df["month"] = pd.to_datetime(df["month"])
    return df


def _read(path: Path) -> pd.DataFrame:
    """One result file; a damaged one is a ValueError naming it and what to do."""
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable result file ({type(exc).__name__}); delete its job folder "
                         f"({path.parent.name}) and rerun the batch command to compute it again") from None


def summarise(yearly: pd.DataFrame, municipalities: dict[str, Municipality], scale: float = 1.0) -> pd.DataFrame:
    """Scenario × indicator × year: mean, p05, p50, p95, the plan's target and the share of runs
    meeting it, each scenario judged by its own municipality's targets (``municipalities``:
    scenario id -> its municipality). Counts are divided by ``scale`` (for the whole municipality); a
    value undefined in any run leaves its row undefined (NaN), with ``undefined_runs`` saying in
    how many."""
    rows = []
    for (sid, key, year), g in yearly.groupby(["scenario_id", "indicator", "year"], sort=True):
        targets = municipalities[sid].targets
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
    """Write summary.parquet, summary.csv and scenarios.parquet (atomically) from the runs and
    the manifest: every row with its scenario's lever and assumption values, the scale and
    whether its counts are scaled."""
    out = Path(out)
    manifest = manifest or json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    scale = float(manifest["identity"]["scale"])
    expanded = [sweep.Expanded(s["id"], s["label"], scenario.parse(s["toml"], where=s["id"]), s.get("source", ""))
                for s in manifest["scenarios"]]
    municipalities = {e.id: e.scenario.municipality for e in expanded}
    df = summarise(load(out, "yearly"), municipalities, scale=scale)
    labels = {e.id: e.label for e in expanded}
    df.insert(1, "scenario", df.scenario_id.map(labels))
    df.insert(3, "kind", df.indicator.map(lambda k: indicators.INDICATORS[k].kind))
    df["scale"] = scale
    df["counts_scaled"] = True
    values = outputs.scenarios_table(expanded).drop(columns=["scenario"])
    df = df.merge(values, on=["scenario_id", "year"], how="left")
    _write_atomic(out / "summary.parquet", outputs.to_parquet(df, "summary.parquet"))
    _write_atomic(out / "summary.csv", df.to_csv(index=False).encode("utf-8"))
    _write_atomic(out / "scenarios.parquet", outputs.to_parquet(outputs.scenarios_table(expanded),
                                                                "scenarios.parquet"))
    return df
