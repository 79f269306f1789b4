"""Reliability, round three: every case found by trying the project as a researcher would ends
with one clear line and its documented exit code within seconds (never a traceback, a hang or a
signal); clean-up removes only what a batch created; one batch at a time in a folder; a batch
says when a worker stalls; nothing is silently accepted; a grown batch reuses what it computed."""
import errno
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_batch_faults import descendants, wait_for

from model import cli
from model.cli import sensitivity as cli_sensitivity
from model.cli import summary as cli_summary
from model.experiments import batch, executors, sobol
from model.sim import runner

from conftest import ROOT, SCENARIOS, refused

PLAN = SCENARIOS / "plan-2017.toml"
BASELINE = SCENARIOS / "baseline-2016.toml"
MINE = {"notes.tmp": b"notes", ".reserve": b"mine", ".stop": b"mine", "manifest.json.tmp": b"draft",
        ".tmp-ideas": b"ideas", "summary.csv.tmp": b"x", ".probe-1": b"mine"}


def model(*argv, timeout=300, env=None, **kw):
    return subprocess.run([sys.executable, "-m", "model", *map(str, argv)], cwd=ROOT, capture_output=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, **{"text": True, **kw})


def one_line(r, code, says):
    """Exit ``code``, no traceback, the message on one line of standard error saying ``says``."""
    assert r.returncode == code, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and says in lines[0], r.stderr


def user_files(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in MINE.items():
        (folder / name).write_bytes(data)


def assert_user_files(folder: Path) -> None:
    assert {name: (folder / name).read_bytes() for name in MINE if (folder / name).exists()} == MINE


def workers_of(pid: int) -> set[int]:
    """The local pool's worker processes under ``pid`` (not multiprocessing's resource tracker)."""
    out = set()
    for p in descendants(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes():
                out.add(p)
        except OSError:
            pass
    return out


def running(out: Path, pids) -> int | None:
    """One of ``pids`` that is running a job of the batch in ``out`` (it has the job's temporary folder)."""
    for p in sorted(pids):
        if list(out.glob(f"runs/*/{batch.TMP}*.{p}.*")):
            return p
    return None


def long_batch(out, *extra, workers=2):
    """A batch of 2 scenarios × 4 jobs of about half a second each."""
    return [sys.executable, "-m", "model", "batch", str(PLAN), str(BASELINE), "--replications", "60", "--seed", "3",
            "--scale", "0.2", "--workers", str(workers), "--out", str(out), "--no-progress", *extra]


# ------------------------------------------------------------------ a user's files in the output folder

def test_a_users_files_survive_every_path_of_a_batch(tmp_path, monkeypatch):
    out = tmp_path / "mine"
    user_files(out)
    # done, then resumed (nothing to do), then grown
    batch.run_batch([PLAN], 2, 1, out, workers=1, scale=0.05, progress=False)
    assert_user_files(out)
    batch.run_batch([PLAN], 2, 1, out, workers=1, scale=0.05, progress=False)
    batch.run_batch([PLAN], 3, 1, out, workers=1, scale=0.05, progress=False)
    assert_user_files(out)
    # refused: another batch in the folder
    with pytest.raises(batch.BatchMismatch):
        batch.run_batch([PLAN], 3, 2, out, workers=1, scale=0.05, progress=False)
    assert_user_files(out)
    # a full disk while writing, then the resume
    full = tmp_path / "full"
    user_files(full)
    real = batch._write_bytes

    def no_room(path, data):
        if "runs" in Path(path).parts:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)
    monkeypatch.setattr(batch, "_write_bytes", no_room)
    with ThreadPoolExecutor(1) as pool, pytest.raises(batch.DiskFull):
        batch.run_batch([PLAN], 2, 1, full, executor=pool, scale=0.05, progress=False)
    assert_user_files(full)
    monkeypatch.undo()
    with ThreadPoolExecutor(1) as pool:
        batch.run_batch([PLAN], 2, 1, full, executor=pool, scale=0.05, progress=False)
    assert_user_files(full)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_a_users_files_survive_an_interrupted_or_killed_batch_and_its_resume(tmp_path, how):
    out = tmp_path / "mine"
    user_files(out)
    proc = subprocess.Popen(long_batch(out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: list(out.glob("runs/*/job-*")), 180), "no job finished"
    proc.send_signal(getattr(signal, how))
    proc.wait(timeout=60)
    assert "Traceback" not in proc.stderr.read()
    assert_user_files(out)
    r = subprocess.run(long_batch(out), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert_user_files(out)
    if how == "SIGKILL":                                      # the killed batch's lock was taken over
        assert "taken over" in r.stderr


def test_the_check_of_issue_27_a_users_notes_tmp_survives(tmp_path):
    out = tmp_path / "results" / "mine"
    out.mkdir(parents=True)
    (out / "notes.tmp").write_text("notes")
    r = model("batch", PLAN, "--replications", "1", "--scale", "0.05", "--workers", "1", "--no-progress", "--out", out)
    assert r.returncode == 0, r.stderr
    assert (out / "notes.tmp").read_text() == "notes"


# ------------------------------------------------------------------ one batch at a time in a folder

def test_a_second_batch_on_a_busy_folder_is_refused_in_one_line(tmp_path):
    out = tmp_path / "busy"
    proc = subprocess.Popen(long_batch(out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: (out / batch.LOCK).exists(), 120)
        t0 = time.monotonic()
        r = subprocess.run(long_batch(out), cwd=ROOT, capture_output=True, text=True, timeout=120)
        one_line(r, 3, f"another batch is running in this folder (process {proc.pid}")
        assert time.monotonic() - t0 < 60
        assert proc.poll() is None                            # the first goes on
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_a_stale_lock_is_taken_over(tmp_path, capsys):
    out = tmp_path / "stale"
    out.mkdir()
    (out / batch.LOCK).write_text(json.dumps({"pid": 2 ** 22 + 7, "host": "gone", "since": "2026-01-01T00:00:00"}))
    outcome = batch.run_batch([PLAN], 1, 1, out, workers=1, scale=0.05, progress=False)
    assert outcome.status == "done" and not (out / batch.LOCK).exists()
    assert "a lock left by process 4194311 on gone" in capsys.readouterr().err


# ------------------------------------------------------------------ Dask addresses that are not Dask

class Banner(threading.Thread):
    """A service that greets every connection with a banner (as SSH or SMTP do)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.sendall(b"SSH-2.0-OpenSSH_9.6 banner\r\n")
            time.sleep(30)
            conn.close()


@pytest.mark.parametrize("service", ["http", "banner"])
def test_a_scheduler_address_that_is_not_dask_is_one_line_within_seconds(tmp_path, service):
    if service == "http":
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
    else:
        server = Banner()
        server.start()
        port = server.port
    t0 = time.monotonic()
    r = model("batch", PLAN, "--scheduler", f"tcp://127.0.0.1:{port}", "--out", tmp_path / "o", timeout=120)
    took = time.monotonic() - t0
    one_line(r, 2, "not a Dask scheduler")
    assert took < 60 and not (tmp_path / "o").exists()
    if service == "banner":
        assert "SSH-2.0" in r.stderr


def test_the_probe_lets_a_real_scheduler_through_and_refuses_the_others_fast():
    from distributed import LocalCluster
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        executors.probe(cluster.scheduler_address, timeout=10)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    t0 = time.monotonic()
    with pytest.raises(OSError, match="no Dask greeting within 1 s"):
        executors.probe(f"tcp://127.0.0.1:{server.server_address[1]}", timeout=1)
    assert time.monotonic() - t0 < 5


# ------------------------------------------------------------------ stalled and killed workers

@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the workers")
def test_a_stopped_worker_is_replaced_and_said_and_the_batch_finishes(tmp_path):
    out = tmp_path / "stop"
    proc = subprocess.Popen(long_batch(out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    worker = None
    for _ in range(20):                                       # stop a worker in the middle of a job
        assert wait_for(lambda: running(out, workers_of(proc.pid)), 180), "no job started"
        worker = running(out, workers_of(proc.pid))
        os.kill(worker, signal.SIGSTOP)
        if running(out, [worker]):
            break
        os.kill(worker, signal.SIGCONT)
    try:
        _, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"worker process {worker} stopped (SIGSTOP?) for {batch.STOPPED_GRACE:g} s: replaced" in err
    assert json.loads((out / "manifest.json").read_text())["status"] == "done"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the workers")
def test_workers_killed_again_and_again_fail_only_the_jobs_they_ran(tmp_path):
    out = tmp_path / "killed"
    proc = subprocess.Popen(long_batch(out, workers=1), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    killed = set()
    try:
        for _ in range(batch.POOL_RESTARTS + 1):              # one more than the pool is rebuilt
            assert wait_for(lambda: running(out, workers_of(proc.pid) - killed), 180), "no job started"
            worker = running(out, workers_of(proc.pid) - killed)
            os.kill(worker, signal.SIGKILL)
            killed.add(worker)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1 and "Traceback" not in err, err
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "failed" and len(m["failed"]) == 1     # the one job every worker ran, not all 8
    assert m["jobs_done"] + len(m["failed"]) + m["jobs_not_started"] == m["jobs_total"] == 8
    assert "1 job failed" in err and "not run" in err


def test_an_output_folder_that_turns_read_only_stops_the_batch_at_once(tmp_path, monkeypatch):
    out = tmp_path / "ro"
    runs = []
    real_run = runner.run_job
    monkeypatch.setattr(runner, "run_job", lambda *a, **k: runs.append(1) or real_run(*a, **k))
    real = batch._write_bytes
    written = []

    def turns_read_only(path, data):
        if "runs" in Path(path).parts and path.name == "job.json":
            written.append(path)
            if len(written) > 1:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        real(path, data)
    monkeypatch.setattr(batch, "_write_bytes", turns_read_only)
    with ThreadPoolExecutor(1) as pool, pytest.raises(batch.OutputError, match="became not writable") as err:
        batch.run_batch([PLAN, BASELINE], 45, 1, out, executor=pool, scale=0.05, progress=False)
    assert "1 of 6 jobs done, 1 failed, 4 not run" in str(err.value)
    assert len(runs) <= 3                                     # not every remaining job computed first
    assert json.loads((out / "manifest.json").read_text())["status"] == "not_writable"


# ------------------------------------------------------------------ Ctrl-C and non-UTF-8 output

def test_ctrl_c_under_dask_local_prints_no_worker_tracebacks(tmp_path):
    out = tmp_path / "dask"
    proc = subprocess.Popen(long_batch(out, "--dask-local", "2"), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert wait_for(lambda: list(out.glob("runs/*/job-*")) or proc.poll() is not None, 300), "no job finished"
        os.killpg(proc.pid, signal.SIGINT)                    # as a terminal's Ctrl-C: the whole process group
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "rerun the same command to resume" in err


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_any_command_prints_to_a_non_utf8_output(encoding):
    env = {"PYTHONIOENCODING": encoding}
    for argv in (["run", PLAN, "--replications", "1", "--scale", "0.05", "--lang", "da"],
                 ["run", PLAN, "--dry-run", "--lang", "da"],
                 ["cost", PLAN, "--replications", "1", "--scale", "0.05", "--lang", "da"]):
        r = model(*argv, env=env, encoding=encoding)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert "—" not in r.stdout and (" - " in r.stdout or "-" in r.stdout)
    if encoding == "ascii":
        assert "Beskaeftigelsesplan" in model("run", PLAN, "--dry-run", "--lang", "da", env=env, encoding=encoding).stdout


# ------------------------------------------------------------------ silent acceptances refused

@pytest.mark.parametrize("axis, says", [
    ("[2.5]", "levers.internship_deadline_months = 2.5: must be a whole number, allowed 1–12"),
    ("{ from = 1, to = 6, steps = 4 }", "gives values that are not whole numbers"),
])
def test_a_sweep_refuses_a_fraction_on_a_whole_number_lever(tmp_path, axis, says):
    (tmp_path / "sweep.toml").write_text(f'name = "frac"\nbase = "{PLAN}"\n[levers]\n'
                                         f"internship_deadline_months = {axis}\n", encoding="utf-8")
    r = model("batch", tmp_path / "sweep.toml", "--replications", "1", "--scale", "0.05", "--out", tmp_path / "o")
    one_line(r, 2, says)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("argv, says", [
    (["--method", "morris", "--factors", "nope"], "--factors: is for --method sobol"),
    (["--samples", "4"], "--samples: is for --method sobol"),
    (["--method", "sobol", "--trajectories", "3"], "--trajectories: is for --method morris"),
    (["--method", "sobol", "--factors", "nope"], "factors: unknown nope"),
    (["--method", "sobol", "--factors", ""], "--factors: empty"),
    (["--method", "sobol", "--factors", "threat_men,threat_men"], "--factors: threat_men given twice"),
    (["--method", "sobol", "--factors", "threat_men,,igu_uptake"], "an empty name between commas"),
    (["--method", "sobol", "--samples", "6"], "allowed a power of two"),
    (["--method", "sobol", "--write"], "--write: keeps the Morris ranking"),
])
def test_sensitivity_refuses_what_its_method_would_ignore(capsys, tmp_path, argv, says):
    refused(capsys, ["sensitivity", *argv, "--out", str(tmp_path / "o")], says)
    assert not (tmp_path / "o").exists()


def test_sensitivity_into_a_file_or_a_read_only_folder_is_exit_3_in_one_line(capsys, tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("x")
    base = ["sensitivity", "--trajectories", "1", "--replications", "1", "--workers", "1", "--scale", "0.05"]
    assert cli.main([*base, "--out", str(tmp_path / "afile")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a part of the path is a file" in err
    assert cli.main([*base[:1], "--method", "sobol", "--samples", "2", "--factors", "threat_men", *base[3:],
                     "--out", str(tmp_path / "afile" / "x")]) == 3
    assert capsys.readouterr().err.count("\n") == 1

    def read_only(path, data):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
    monkeypatch.setattr(batch, "_write_bytes", read_only)
    assert cli.main([*base, "--out", str(tmp_path / "ro")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only file system" in err


def test_an_undefined_number_is_said_never_printed_as_nan():
    df = pd.DataFrame({"factor": ["a", "b"], "mu_star": [0.5, float("nan")], "rank": [1, 2]})
    text = cli_sensitivity.shown(df, 4)
    assert "nan" not in text.lower() and "undefined" in text
    summary = pd.DataFrame({"scenario": ["x"], "indicator": ["youth_to_education"], "year": [2020], "runs": [3],
                            "mean": [float("nan")], "p05": [float("nan")], "p95": [float("nan")],
                            "target": [0.3], "share_meeting_target": [float("nan")]})
    text = cli_summary.table(summary)
    assert "nan" not in text.lower() and "undefined" in text


def test_cost_versus_a_scenario_of_another_municipality_is_refused(capsys, tmp_path):
    other = tmp_path / "other.toml"
    other.write_text(PLAN.read_text(encoding="utf-8").replace('municipality = "viborg"', 'municipality = "eksempelby"'),
                     encoding="utf-8")
    assert 'municipality = "eksempelby"' in other.read_text(encoding="utf-8")
    refused(capsys, ["cost", str(PLAN), "--versus", str(other), "--replications", "1", "--scale", "0.05"],
            "a scenario of eksempelby, while")


def test_discover_on_a_folder_that_is_not_a_batch_is_one_line(tmp_path):
    seek_out = tmp_path / "seek"
    seek_out.mkdir()
    (seek_out / "manifest.json").write_text(json.dumps({"best": {"candidate": 1}, "targets": []}))
    one_line(model("discover", seek_out), 2, "not a batch folder: its manifest.json is a goal-seek's output")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "manifest.json").write_text("{ not json")
    one_line(model("discover", tmp_path / "broken"), 2, "not readable")
    one_line(model("discover", tmp_path / "nowhere"), 2, "not a batch folder (no manifest.json)")


# ------------------------------------------------------------------ honest statistics

def test_sobol_says_when_its_sample_is_too_small_and_what_would_do():
    table = pd.DataFrame({"indicator": ["x", "x", "y", "y"], "factor": ["a.p", "a.q", "a.p", "a.q"],
                          "S1": [1.23, -0.31, 0.60, 0.02], "S1_conf": [1.8, 0.9, 0.03, 0.02],
                          "ST": [2.09, 0.4, 0.65, 0.05], "ST_conf": [1.1, 0.5, 0.04, 0.01]})
    a = sobol.adequacy(table, samples=8, factors=2, replications=3)
    assert not a["x"]["enough"] and a["y"]["enough"]
    assert {(o["index"], o["factor"]) for o in a["x"]["outside_0_1"]} == {("S1", "a.p"), ("S1", "a.q"), ("ST", "a.p")}
    # ±1.8 to ±0.05: (1.8 / 0.05)² = 1296 times the sample, the next power of two of 8 × 1296
    assert a["x"]["samples_needed"] == 16384 and a["x"]["runs_needed"] == 16384 * 4 * 3
    words = sobol.adequacy_words({"adequacy": a}, "en")
    assert words[0].startswith("x: the sample is too small to read the indices: S1 of p 1.23")
    assert "outside 0–1" in words[0] and "intervals up to ±1.80" in words[0] and "--samples 16384" in words[0]
    assert words[1].startswith("y: the sample is large enough")
    assert "stikprøven er for lille" in sobol.adequacy_words({"adequacy": a}, "da")[0]


def test_sobol_on_the_ishigami_function_with_a_large_sample_is_said_large_enough():
    import numpy as np
    prob = {"num_vars": 3, "names": ["a.x1", "a.x2", "a.x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = sobol.design(prob, 4096, seed=1)
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    t = sobol.analyse(prob, y, seed=1)
    t.insert(0, "indicator", "ishigami")
    assert sobol.adequacy(t, 4096, 3, 1)["ishigami"]["enough"]
    small = sobol.analyse(prob, y[: 8 * 5], seed=1)
    small.insert(0, "indicator", "ishigami")
    assert not sobol.adequacy(small, 8, 3, 1)["ishigami"]["enough"]


# ------------------------------------------------------------------ growth reuses what was computed

def test_growing_a_batch_reuses_its_partial_block(tmp_path, monkeypatch):
    runs = []
    real_run = runner.run_job
    monkeypatch.setattr(runner, "run_job", lambda *a, **k: runs.append(a[1].first) or real_run(*a, **k))
    out = tmp_path / "grow"
    with ThreadPoolExecutor(1) as pool:
        batch.run_batch([PLAN], 10, 4, out, executor=pool, scale=0.05, progress=False)
        assert runs == [0]
        batch.run_batch([PLAN], 20, 4, out, executor=pool, scale=0.05, progress=False)
    assert runs == [0, 15]                                    # the block of futures 0–14 was not simulated again
    jobs = {j["first_replication"]: j for j in json.loads((out / "manifest.json").read_text())["job_times"]}
    assert jobs[0]["reused"].endswith("job-00000-00009") and "reused" not in jobs[15]
    fresh = tmp_path / "fresh"
    with ThreadPoolExecutor(1) as pool:
        batch.run_batch([PLAN], 20, 4, fresh, executor=pool, scale=0.05, progress=False)
    for kind in ("yearly", "states", "flows", "costs", "indicators"):
        pd.testing.assert_frame_equal(batch.load(out, kind), batch.load(fresh, kind))
    assert not list(out.glob("runs/*/job-00000-*"))          # the part is gone once the whole block is there


def test_a_block_reads_back_as_the_result_it_holds(plan):
    import numpy as np

    from model.sim.engine import FastEngine
    result = FastEngine(plan, 5, scale=0.05, replications=3).run()
    back = batch.block_result(batch.block_bytes(result))
    for name in batch.BLOCK_ARRAYS:
        assert np.array_equal(getattr(back, name), getattr(result, name))
    assert (back.seed, back.scale, back.engine, back.scenario_hash) == (result.seed, result.scale, result.engine,
                                                                         result.scenario_hash)
    assert batch.block_bytes(result) == batch.block_bytes(back)           # the same bytes for the same result


# ------------------------------------------------------------------ summary, Parquet, help

@pytest.fixture(scope="module")
def sweep_batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "sweep.toml").write_text(f'name = "small"\nbase = "{PLAN}"\n[levers]\n'
                                       "internship_deadline_months = [1, 6]\n", encoding="utf-8")
    out = folder / "out"
    batch.run_batch([folder / "sweep.toml"], 2, 1, out, workers=1, scale=0.05, progress=False, panel=1)
    return out


def test_summary_filters_and_fits_a_terminal(sweep_batch):
    full = model("summary", sweep_batch, env={"COLUMNS": "100"})
    assert full.returncode == 0 and max(len(x) for x in full.stdout.splitlines()[1:-1]) <= 100
    r = model("summary", sweep_batch, "--indicator", "long_term_unemployed", "--year", "2020", "--scenario",
              "deadline_months=1", env={"COLUMNS": "100"})
    assert r.returncode == 0, r.stderr
    rows = r.stdout.splitlines()
    assert len(rows) == 4 and "long_term_unemployed" in rows[2] and "2020" in rows[2] and rows[3] == "1 of 70 rows"
    csv = model("summary", sweep_batch, "--format", "csv", "--year", "2016")
    df = pd.read_csv(pd.io.common.StringIO(csv.stdout))
    assert set(df.year) == {2016} and "internship_deadline_months" in df.columns
    one_line(model("summary", sweep_batch, "--scenario", "nowhere"), 2, "--scenario 'nowhere': no scenario")
    one_line(model("summary", sweep_batch, "--indicator", "happiness"), 2, "'happiness' is not a plan indicator")


def test_every_parquet_file_describes_its_table_and_months_read_back_as_datetimes(sweep_batch):
    files = sorted(sweep_batch.rglob("*.parquet"))
    kinds = {f.name for f in files} | {"panel" for f in files if "panel" in f.parts}
    assert {"summary.parquet", "scenarios.parquet", "indicators.parquet", "yearly.parquet", "states.parquet",
            "flows.parquet", "costs.parquet", "panel"} <= kinds
    for f in files:
        meta = pq.read_schema(f).metadata or {}
        assert meta.get(b"description"), f
    for kind in ("indicators", "states", "flows"):
        df = pd.read_parquet(next(sweep_batch.glob(f"runs/*/job-*/{kind}.parquet")))
        assert pd.api.types.is_datetime64_any_dtype(df["month"]), kind
    panel = pd.read_parquet(sweep_batch / "panel")
    assert pd.api.types.is_datetime64_any_dtype(panel["month"])


def test_help_and_argument_errors_load_no_heavy_library():
    # numpy only for discover (PRIM's defaults), last: every other command's parser is built first.
    code = ("import sys\nfrom model import cli\nheavy = ('numpy', 'pandas', 'numba', 'pyarrow', 'pydantic', 'altair', "
            "'dask', 'scipy', 'mesa')\nfor c in sorted(cli.COMMANDS, key=lambda c: c == 'discover'):\n"
            "    cli.build_parser(c)\n    loaded = [m for m in heavy if m in sys.modules]\n"
            "    assert loaded == ([] if c != 'discover' else ['numpy']), (c, loaded)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    for argv in (["--help"], ["run", "--help"], ["batch", "x.toml", "--out", "o", "--seed", "-1"]):
        r = subprocess.run([sys.executable, "-X", "importtime", "-m", "model", *argv], cwd=ROOT, capture_output=True,
                           text=True, timeout=120)
        imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if "|" in line}
        assert not imported & {"numpy", "pandas", "numba"}, argv


# ------------------------------------------------------------------ one language rule

def test_every_command_that_speaks_answers_in_english_by_default():
    parser = cli.build_parser()
    for name, sub in parser._subparsers._group_actions[0].choices.items():
        lang = [a for a in sub._actions if "--lang" in a.option_strings]
        if lang:
            assert lang[0].default == "en" and set(lang[0].choices) == {"en", "da"}, name
    speaking = {"run", "cost", "business-case", "seek", "drivers", "discover", "sensitivity"}
    have = {n for n, s in parser._subparsers._group_actions[0].choices.items()
            if any("--lang" in a.option_strings for a in s._actions)}
    assert speaking <= have


def test_drivers_speak_english_by_default_and_danish_when_asked():
    base = ["drivers", PLAN, "--replications", "1", "--scale", "0.05", "--workers", "1", "--targets",
            "long_term_unemployed"]
    en, da = model(*base), model(*base, "--lang", "da")
    assert en.returncode == 0 and da.returncode == 0, en.stderr + da.stderr
    assert "Long-term unemployed on cash benefit" in en.stdout and "paired futures" in en.stdout
    assert "Langtidsledige kontanthjælpsmodtagere" in da.stdout and "parrede fremtider" in da.stdout


# ------------------------------------------------------------------ dry run

def test_a_dry_run_says_what_a_scenario_changes_in_words_and_as_a_table():
    from model.costs import business_case
    from model.inputs import scenario
    moved = len(business_case.moved_levers(scenario.load(PLAN)))     # the plan keeps the offer interval of 2016
    r = model("run", PLAN, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "dry run: nothing is simulated" in r.stdout and f"Levers changed from 2016 practice ({moved})" in r.stdout
    assert "Internship deadline (job-ready cash benefit and insured unemployed): 6 → 3 months" in r.stdout
    assert "can touch 1,920 citizens in July 2016 (unemployment insurance benefit; cash benefit, job-ready)" in r.stdout
    assert "Every lever the plan sets is as in the plan." in r.stdout
    assert "Per year" in r.stdout and "2016 practice" in r.stdout
    csv = pd.read_csv(pd.io.common.StringIO(model("run", PLAN, "--dry-run", "--format", "csv").stdout))
    deadline = csv[(csv.key == "internship_deadline_months")]
    assert list(deadline.year) == [2017, 2018, 2019, 2020] and deadline.differs_from_2016.all()
    assert not deadline.differs_from_plan.any() and (deadline.citizens_july_2016 == 1920).all()


def test_a_dry_run_of_a_scenario_that_changes_nothing_says_so(tmp_path):
    r = model("run", BASELINE, "--dry-run")
    assert r.returncode == 0 and "This scenario changes nothing" in r.stdout
    assert "Differ from the plan: Internship deadline 6 (plan 3)" in r.stdout
    refugees = tmp_path / "r.toml"
    refugees.write_text(BASELINE.read_text(encoding="utf-8").replace("2017 = 200", "2017 = 391"), encoding="utf-8")
    r = model("run", refugees, "--dry-run")
    assert "changes nothing" not in r.stdout and "Input Refugees housed per year: 2017: 391 (profile 200)" in r.stdout
    assert "Beskæftigelsesplan" not in model("run", BASELINE, "--dry-run", "--lang", "da").stdout
    assert "Scenariet ændrer intet" in model("run", BASELINE, "--dry-run", "--lang", "da").stdout


def test_every_lever_says_whom_it_can_touch():
    from model.inputs import levers, municipalities
    from model.reports import dry_run
    assert set(dry_run.reach()) == set(levers.LEVERS)
    viborg = municipalities.load("viborg")
    for key in levers.LEVERS:
        states, _ = dry_run.reached_states(key)
        assert states and dry_run.citizens(key, viborg) > 0, key
