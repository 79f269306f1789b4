"""Batches under faults: a signal stops a batch within seconds with a true manifest and the resume
equals the uninterrupted batch; workers die with their parent; a resume with another model is
refused; an unusable output folder or a full disk is a one-line error with its own exit code,
leaving a consistent manifest and no temporary files."""
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from test_batch import results as batch_results
from test_batch import same

from model import cli, fingerprint
from model.experiments import batch
from model.sim import runner

from conftest import ROOT, SCENARIOS

PATHS = [SCENARIOS / "plan-2017.toml", SCENARIOS / "baseline-2016.toml"]
REPS, SCALE = 60, 0.2                   # 2 scenarios × 4 jobs of about half a second each


def command(out, *extra):
    return [sys.executable, "-m", "model", "batch", *map(str, PATHS), "--replications", str(REPS), "--seed", "3",
            "--scale", str(SCALE), "--workers", "2", "--out", str(out), "--no-progress", *extra]


def results(out):
    """Every table of a batch, the summary too, in a fixed order."""
    summary = batch.load(out, "summary")
    return {**batch_results(out), "summary": summary.sort_values(list(summary.columns)).reset_index(drop=True)}


def job_folders(out):
    return sorted(p.relative_to(out) for p in out.glob("runs/*/job-*"))


def leftovers(out):
    return [*out.glob("runs/*/.tmp-*"), *out.glob("*.tmp"), *out.glob(".reserve"), *out.glob(".probe-*")]


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    out = tmp_path_factory.mktemp("whole")
    batch.run_batch(PATHS, REPS, 3, out, workers=2, scale=SCALE, progress=False)
    return results(out)


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_to_the_parent_stops_the_batch_within_seconds_and_the_resume_is_exact(tmp_path, uninterrupted, signum):
    proc = subprocess.Popen(command(tmp_path), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: job_folders(tmp_path), 120), "no job finished"
    proc.send_signal(signum)
    try:
        proc.wait(timeout=10)                                     # stops within 10 s
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the batch did not stop within 10 s")
    assert proc.returncode == 128 + signum
    assert "rerun the same command to resume" in proc.stderr.read()
    manifest_file = tmp_path / "manifest.json"
    m = json.loads(manifest_file.read_text())
    folders = job_folders(tmp_path)
    assert m["status"] == "interrupted" and m["interrupted_by"] == signal.Signals(signum).name
    assert m["jobs_done"] == len(folders) < m["jobs_total"] and m["jobs_not_started"] > 0
    assert m["runs_done"] == len(folders) * runner.CHUNK
    time.sleep(2)                                                 # nothing finishes after the manifest says so
    assert job_folders(tmp_path) == folders and not leftovers(tmp_path)
    assert all(os.stat(tmp_path / f).st_mtime <= os.stat(manifest_file).st_mtime for f in folders)
    r = subprocess.run(command(tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"{len(folders)} already done" in r.stderr
    same(uninterrupted, results(tmp_path))


def descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                continue
            out.update(kids)
            todo += kids
    return out


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the workers")
def test_workers_exit_on_their_own_when_the_parent_is_killed(tmp_path):
    proc = subprocess.Popen(command(tmp_path), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert wait_for(lambda: len(descendants(proc.pid)) >= 2 and job_folders(tmp_path), 120), "no workers seen"
    children = descendants(proc.pid)
    proc.kill()                                                   # SIGKILL: no handler runs in the parent
    proc.wait(timeout=10)
    assert wait_for(lambda: not [p for p in children if alive(p)], 10), "workers outlived their parent by 10 s"


@pytest.fixture(scope="module")
def resumed_copy(tmp_path_factory):
    """A copy of the model package, run from its own folder, whose batch resumed once with the same
    model. (Compiled once: numba caches by a source file's folder, so every copy compiles anew; a
    refused resume runs nothing and compiles nothing.)"""
    copy = tmp_path_factory.mktemp("copy")
    shutil.copytree(ROOT / "model", copy / "model", ignore=shutil.ignore_patterns("__pycache__"))
    out = copy / "out"
    assert run_copy(copy, out).returncode == 0
    (out / "summary.parquet").unlink()
    assert run_copy(copy, out).returncode == 0                    # the same model resumes
    return copy


def run_copy(copy, out):
    env = {**os.environ, "PYTHONPATH": str(copy)}
    return subprocess.run([sys.executable, "-m", "model", "batch", str(PATHS[0]), "--replications", "2", "--scale",
                           "0.05", "--workers", "1", "--out", str(out), "--no-progress"],
                          cwd=copy, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("change,named", [
    ("data", "data changed: model/data/hazards.toml"),
    ("code", "code changed: model/sim/rules.py"),
])
def test_a_resume_after_the_model_changed_is_refused_saying_what_changed(resumed_copy, tmp_path, change, named):
    project_copy = tmp_path / "copy"
    shutil.copytree(resumed_copy, project_copy)
    out = project_copy / "out"
    if change == "data":
        hazards = project_copy / "model" / "data" / "hazards.toml"
        hazards.write_text(hazards.read_text().replace("= 0.", "= 0.011", 1))
    else:
        with open(project_copy / "model" / "sim" / "rules.py", "a") as f:
            f.write("\n# changed\n")
    before = sorted(p for p in out.rglob("*"))
    r = run_copy(project_copy, out)
    assert r.returncode == 2
    (line,) = r.stderr.splitlines()
    assert named in line and "another --out" in line
    assert sorted(p for p in out.rglob("*")) == before
    assert json.loads((out / "manifest.json").read_text())["status"] == "done"


def test_a_worker_running_another_model_refuses_the_job(tmp_path, plan):
    task = batch.Task("x", plan.to_toml(), runner.jobs(1, 1)[0], 0.05, model="0" * 16)
    with pytest.raises(batch.ModelChanged):
        batch.run_task(task, str(tmp_path))
    assert not list(tmp_path.rglob("*"))
    ok = batch.Task("x", plan.to_toml(), runner.jobs(1, 1)[0], 0.05, model=fingerprint.current()["model"])
    batch.run_task(ok, str(tmp_path))
    assert job_folders(tmp_path) == [Path("runs/x/job-00000")]


# ----- output faults -------------------------------------------------------------------------

def cli_batch(out, *extra):
    return subprocess.run([sys.executable, "-m", "model", "batch", str(PATHS[0]), "--replications", "2", "--scale",
                           "0.05", "--workers", "1", "--out", str(out), "--no-progress", *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_an_out_that_is_a_file_is_exit_3_with_one_line(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    for out, says in ((f, "is a file, not a folder"), (f / "sub", "a part of the path is a file")):
        r = cli_batch(out)
        assert r.returncode == 3 and r.stderr.count("\n") == 1 and says in r.stderr, r.stderr
    assert f.read_text() == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; see the simulated case below")
def test_an_unwritable_out_is_exit_3_with_one_line(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        for out in (ro, ro / "sub"):
            r = cli_batch(out)
            assert r.returncode == 3 and r.stderr.count("\n") == 1 and "permission denied" in r.stderr, r.stderr
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("code,says", [(errno.EROFS, "read-only file system"), (errno.EACCES, "permission denied")])
def test_a_read_only_or_unwritable_out_is_refused_before_anything_runs(tmp_path, monkeypatch, code, says):
    def refuse(path, data):
        raise OSError(code, os.strerror(code), str(path))
    monkeypatch.setattr(batch, "_write_bytes", refuse)
    with pytest.raises(batch.OutputError, match=says):
        batch.run_batch(PATHS[:1], 2, 1, tmp_path / "out", workers=1, scale=0.05, progress=False)
    assert list((tmp_path / "out").iterdir()) == []


class FullDisk:
    """A disk under ``root`` with room for ``free`` bytes of results beyond what the batch wrote
    before its first job: a write that would pass it fails with ENOSPC, and removing files frees
    room (sizes are the real files' sizes)."""

    def __init__(self, root: Path, free: int):
        self.root, self.free, self.capacity, self.real = root, free, None, batch._write_bytes

    def used(self) -> int:
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())

    def __call__(self, path: Path, data: bytes) -> None:
        if self.capacity is None and "runs" in Path(path).parts:
            self.capacity = self.used() + self.free
        if self.capacity is not None and self.used() + len(data) > self.capacity:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        self.real(path, data)


def test_a_full_disk_stops_the_batch_lists_the_failed_jobs_and_resumes_exactly(tmp_path, monkeypatch):
    """In this process (threads), so that the simulated disk is the one the jobs write to."""
    reference = tmp_path / "reference"
    with ThreadPoolExecutor(1) as pool:
        batch.run_batch(PATHS, 60, 3, reference, executor=pool, scale=0.1, progress=False)
    job = sum(p.stat().st_size for p in reference.glob("runs/*/job-00000/*")) // 2
    out = tmp_path / "out"
    disk = FullDisk(out, free=int(3.5 * job))                     # room for about 3 jobs
    monkeypatch.setattr(batch, "_write_bytes", disk)
    with ThreadPoolExecutor(1) as pool, pytest.raises(batch.DiskFull) as err:
        batch.run_batch(PATHS, 60, 3, out, executor=pool, scale=0.1, progress=False)
    failed = err.value.outcome.failed
    assert failed and all("disk full" in f["error"] for f in failed)
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "disk_full" and m["failed"] == failed
    assert m["jobs_done"] == len(job_folders(out)) >= 1 and m["jobs_not_started"] > 0
    assert not leftovers(out) and not (out / "summary.parquet").exists()
    monkeypatch.undo()                                            # space freed: the same command resumes
    with ThreadPoolExecutor(1) as pool:
        batch.run_batch(PATHS, 60, 3, out, executor=pool, scale=0.1, progress=False)
    same(results(reference), results(out))


def test_the_command_line_lists_the_failed_jobs_on_a_full_disk(monkeypatch, capsys):
    outcome = batch.Outcome(Path("o"), done=2, failed=[{"scenario_id": "abc", "seed": 7, "first_replication": 15,
                                                       "error": "disk full: No space left on device"}], not_started=3)

    def full(*args, **kwargs):
        raise batch.DiskFull("o: disk full (no space left on device); 1 job failed, 3 not run; free space and rerun "
                             "the same command to resume", outcome)
    monkeypatch.setattr(batch, "run_batch", full)
    assert cli.main(["batch", "x.toml", "--out", "o"]) == cli.EXIT_DISK_FULL == 4
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("error: o: disk full") and lines[1].startswith("failed: scenario abc seed 7")


def test_temporary_files_of_an_interrupted_batch_are_removed_on_the_next_start(tmp_path):
    batch.run_batch(PATHS[:1], 2, 1, tmp_path, workers=1, scale=0.05, progress=False)
    (tmp_path / "summary.parquet").unlink()
    sid = next(tmp_path.glob("runs/*")).name
    (tmp_path / "runs" / sid / ".tmp-job-00000-1-2").mkdir()
    (tmp_path / "runs" / sid / ".tmp-job-00000-1-2" / "states.parquet").write_bytes(b"half")
    (tmp_path / "manifest.json.tmp").write_bytes(b"")
    (tmp_path / ".reserve").write_bytes(bytes(10))
    batch.run_batch(PATHS[:1], 2, 1, tmp_path, workers=1, scale=0.05, progress=False)
    assert not leftovers(tmp_path) and (tmp_path / "summary.parquet").exists()
