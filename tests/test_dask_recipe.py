"""The Dask recipe of docs/batches.md, as written: a scheduler and workers started with Dask's own
commands, a batch sent to the scheduler's address, results in a folder the workers write to,
the same results as the local process pool."""
import socket
import subprocess
import sys
import time
from pathlib import Path

from test_batch import results, same

from model.experiments import batch

from conftest import ROOT, SCENARIOS

PLAN = SCENARIOS / "plan-2017.toml"
DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_documented_dask_recipe_gives_the_process_pools_results(tmp_path):
    recipe = (ROOT / "docs" / "batches.md").read_text(encoding="utf-8")
    assert "dask scheduler" in recipe and "dask worker" in recipe and "--scheduler tcp://" in recipe
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        procs.append(subprocess.Popen([str(DASK), "worker", address, "--nworkers", "2", "--nthreads", "1",
                                       "--no-dashboard"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        cmd = [sys.executable, "-m", "model", "batch", str(PLAN), "--replications", "17", "--seed", "5",
               "--scale", "0.05", "--scheduler", address, "--out", str(tmp_path / "dask")]
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    batch.run_batch([PLAN], 17, 5, tmp_path / "pool", workers=2, scale=0.05, progress=False)
    same(results(tmp_path / "pool"), results(tmp_path / "dask"))
