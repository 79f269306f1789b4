"""Batches: identical results whatever the executor, resumable after a kill, sweeps that expand
as written, clear errors that write nothing, and a manifest that names everything."""
import json
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from model.experiments import batch
from model.inputs import scenario, sweep
from model.sim.engine import FastEngine

from conftest import ROOT, SCENARIOS

PATHS = [SCENARIOS / "plan-2017.toml", SCENARIOS / "baseline-2016.toml"]
SCALE = 0.05


def results(out):
    parts = {kind: batch.load(out, kind) for kind in ("yearly", "indicators", "states")}
    return {k: v.sort_values(list(v.columns)).reset_index(drop=True) for k, v in parts.items()}


def same(a, b):
    for kind in a:
        pd.testing.assert_frame_equal(a[kind], b[kind])


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    out = tmp_path_factory.mktemp("w1")
    batch.run_batch(PATHS, 17, seed=5, out=out, workers=1, scale=SCALE, progress=False)
    return out


def test_two_workers_give_identical_results(one_worker, tmp_path):
    batch.run_batch(PATHS, 17, seed=5, out=tmp_path, workers=2, scale=SCALE, progress=False)
    same(results(one_worker), results(tmp_path))


def test_a_dask_local_cluster_gives_identical_results(one_worker, tmp_path):
    executor, close = batch.dask_executor(local_workers=2)
    try:
        batch.run_batch(PATHS, 17, seed=5, out=tmp_path, executor=executor, scale=SCALE, progress=False)
    finally:
        close()
    same(results(one_worker), results(tmp_path))


def test_a_worker_keeps_july_2016_populations_only_for_jobs_that_share_their_seeds(tmp_path, monkeypatch):
    """Jobs go seed by seed. In a batch of one scenario no other job starts from a job's
    populations: none is kept. In a sweep every scenario starts from the same ones: each is built
    once, kept, and the next scenario on those seeds starts from it, with the same results."""
    from concurrent.futures import ThreadPoolExecutor

    from model.inputs import municipalities, params
    from model.sim import engine, population
    monkeypatch.setattr(engine, "_POPULATIONS", type(engine._POPULATIONS)())
    engine.donors(municipalities.load(municipalities.DEFAULT), params.hazards())     # the warm start's burn-in, built once before
    built = []
    build = population.build
    monkeypatch.setattr(population, "build", lambda *a, **k: built.append(1) or build(*a, **k))
    futures = 17                                                # 2 jobs of 15 simulated replications
    with ThreadPoolExecutor(1) as one_at_a_time:
        batch.run_batch(PATHS[:1], futures, seed=5, out=tmp_path / "one", executor=one_at_a_time, scale=SCALE,
                        progress=False)
        assert (len(built), len(engine._POPULATIONS)) == (30, 0)
        built.clear()
        batch.run_batch(PATHS, futures, seed=5, out=tmp_path / "sweep", executor=one_at_a_time, scale=SCALE,
                        progress=False)
    assert len(built) == 30 and len(engine._POPULATIONS) == 30     # not 60: the second scenario reused them
    m = json.loads((tmp_path / "sweep" / "manifest.json").read_text())
    plan, baseline = (s["id"] for s in m["scenarios"])
    assert [(j["first_replication"], j["scenario_id"]) for j in sorted(m["job_times"], key=lambda j: j["started"])] \
        == [(0, plan), (0, baseline), (15, plan), (15, baseline)]
    in_sweep = results(tmp_path / "sweep")
    same(results(tmp_path / "one"), {k: v[v.scenario_id == plan].reset_index(drop=True) for k, v in in_sweep.items()})


def test_killed_batch_resumes_to_the_same_results_without_duplicates(one_worker, tmp_path):
    cmd = [sys.executable, "-m", "model", "batch", *map(str, PATHS), "--replications", "17", "--seed", "5",
           "--workers", "1", "--scale", str(SCALE), "--out", str(tmp_path), "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and not list(tmp_path.glob("runs/*/job-*")):
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)                       # part-way: at least one job done, others not
    proc.wait(timeout=60)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] in ("interrupted", "done")
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    same(results(one_worker), results(tmp_path))
    yearly = batch.load(tmp_path, "yearly")
    assert not yearly.duplicated(["scenario_id", "replication", "year", "indicator"]).any()
    assert not list(tmp_path.glob("runs/*/.tmp-*"))


def test_manifest_names_every_scenario_seed_and_version_to_rerun_a_run(one_worker):
    m = json.loads((one_worker / "manifest.json").read_text())
    assert m["model_version"] and m["python"] and "numpy" in m["packages"] and m["status"] == "done"
    assert m["runs_done"] == m["runs_total"] == 34
    assert {s["hash"] for s in m["scenarios"]} == {scenario.load(p).hash for p in PATHS}
    # Rerun replication 16 of the first scenario from the manifest alone.
    sc_entry = m["scenarios"][0]
    job = next(j for j in m["jobs"] if j["first_replication"] <= 16 < j["first_replication"] + j["replications"])
    sc = scenario.parse(sc_entry["toml"])
    assert sc.hash == sc_entry["hash"]
    again = FastEngine(sc, job["seed"], scale=m["identity"]["scale"], replications=job["replications"]).run()
    stored = batch.load(one_worker, "yearly")
    stored = stored[(stored.scenario_id == sc_entry["id"]) & (stored.replication == 16)]
    value = stored[(stored.indicator == "youth_on_benefits") & (stored.year == 2019)].value.iloc[0]
    assert again.indicators(16 - job["first_replication"])["youth_on_benefits"][2019] == value


def test_summary_per_scenario_indicator_and_year(one_worker):
    s = batch.load(one_worker, "summary")
    assert {"scenario", "indicator", "year", "mean", "p05", "p50", "p95", "target", "share_meeting_target"} <= set(s.columns)
    assert len(s) == 2 * 7 * 5
    assert (s.p05 <= s.p50).all() and (s.p50 <= s.p95 + 1e-12).all()
    out = subprocess.run([sys.executable, "-m", "model", "summary", str(one_worker)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and "youth_on_benefits" in out.stdout


def test_a_sweep_expands_to_the_expected_scenarios():
    expanded = sweep.expand(SCENARIOS / "sweeps" / "deadline-places.toml")
    assert len(expanded) == 3 * 3 * 4
    deadlines = sorted({e.scenario.lever("internship_deadline_months", 2018) for e in expanded})
    places = sorted({e.scenario.lever("internship_places", 2018) for e in expanded})
    assert deadlines == [2, 3, 6] and places == [800, 1100, 1400]
    elasticities = [e.scenario.assumption_values["matching_elasticity"] for e in expanded]
    assert all(0.2 <= x <= 0.6 for x in elasticities)
    assert len({e.id for e in expanded}) == len(expanded)
    assert [e.id for e in sweep.expand(SCENARIOS / "sweeps" / "deadline-places.toml")] == [e.id for e in expanded]


def test_latin_hypercube_puts_one_point_in_each_slice():
    pts = sweep.latin_hypercube([(0, 1), (10, 20)], 10, seed=3)
    assert sorted(np.floor(pts[:, 0] * 10).astype(int)) == list(range(10))
    assert sorted(np.floor(pts[:, 1] - 10).astype(int)) == list(range(10))


def test_a_bad_sweep_gives_clear_errors_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'base = "{SCENARIOS / "plan-2017.toml"}"\n[levers]\ninternship_deadline_months = [1, 30]\n'
                   'internship_dedline = [2]\n[sample]\npoints = 0\n', encoding="utf-8")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "model", "batch", str(bad), "--replications", "2", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "line 3" in r.stderr and "30 out of range, allowed 1–12" in r.stderr
    assert "line 4" in r.stderr and "internship_dedline" in r.stderr
    assert "sample.points = 0" in r.stderr
    assert not out.exists()
