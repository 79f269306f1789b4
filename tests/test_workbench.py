"""The researcher's workbench: outputs that describe themselves (and a data dictionary that
matches them), flows that reproduce the stocks, a citizen panel that adds up to them, batches
that grow to exactly what a fresh batch gives, and a manifest whose command re-runs as written."""
import json
import shlex
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from model.experiments import batch, outputs, panel
from model.inputs import scenario

from conftest import ROOT, SCENARIOS

PLAN = SCENARIOS / "plan-2017.toml"
SCALE = 0.05


def run(out, replications, **kw):
    return batch.run_batch([PLAN], replications, 4, out, workers=1, scale=SCALE, progress=False, **kw)


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A batch of 3 futures grown to 17 (two jobs, the second part of a block), and the 3 first."""
    out = tmp_path_factory.mktemp("grown")
    run(out, 3, panel=2)
    first = {k: batch.load(out, k) for k in ("yearly", "states", "flows")}
    before = json.loads((out / "manifest.json").read_text())
    run(out, 17, panel=2)
    return out, first, before


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("fresh")
    run(out, 17, panel=2)
    return out


def result_files(out: Path) -> dict[str, bytes]:
    """Every result file of a batch folder (not the manifest or the jobs' times)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in ("manifest.json", "job.json")}


def test_growing_a_batch_equals_a_fresh_batch_file_for_file(grown, fresh):
    out, _, _ = grown
    a, b = result_files(out), result_files(fresh)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert batch.load(out, "summary").runs.eq(17).all()


def test_growing_keeps_the_earlier_futures_as_they_were(grown):
    out, first, before = grown
    for kind, df in first.items():
        now = batch.load(out, kind)
        now = now[now.replication < 3].reset_index(drop=True)
        pd.testing.assert_frame_equal(now, df.reset_index(drop=True))
    after = json.loads((out / "manifest.json").read_text())
    assert after["started"] == before["started"] and len(after["resumed"]) == 1
    assert [j["seed"] for j in after["jobs"]][:1] == [j["seed"] for j in before["jobs"]]
    assert after["runs_done"] == after["runs_total"] == 17


def test_a_batch_cannot_shrink(grown):
    out, _, _ = grown
    with pytest.raises(batch.BatchMismatch, match="can grow, not shrink"):
        run(out, 5, panel=2)


def test_every_job_says_when_it_started_and_ended(grown):
    m = json.loads((grown[0] / "manifest.json").read_text())
    times = m["job_times"]
    assert len(times) == m["jobs_total"] == 2
    for t in times:
        assert t["started"] <= t["finished"] and t["seconds"] > 0


def test_the_manifest_command_reruns_as_written(tmp_path):
    r = subprocess.run([*shlex.split(f"{Path(__import__('sys').executable)} -m model batch"), str(PLAN),
                        "--replications", "2", "--scale", str(SCALE), "--workers", "1", "--out", str(tmp_path)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path / "manifest.json").read_text())
    again = subprocess.run(m["command"], shell=True, cwd=m["cwd"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "0 jobs run, 1 already done" in again.stderr


def test_flows_reproduce_every_months_stocks_from_the_stored_files_alone(fresh):
    states = batch.load(fresh, "states").pivot_table(index=["replication", "month"], columns="state",
                                                     values="count", aggfunc="sum")
    flows = batch.load(fresh, "flows")
    change = pd.concat([
        flows[flows.flow != "leaver"].groupby(["replication", "month", "to_state"])["count"].sum()
        .rename_axis(index={"to_state": "state"}),
        -flows[flows.flow != "entrant"].groupby(["replication", "month", "from_state"])["count"].sum()
        .rename_axis(index={"from_state": "state"}),
    ]).groupby(["replication", "month", "state"]).sum().unstack(fill_value=0)
    change = change.reindex(index=states.index, columns=states.columns, fill_value=0)
    for rep, s in states.groupby(level="replication"):
        s = s.droplevel(0)
        expected = s.shift(1).iloc[1:] + change.loc[rep].iloc[1:]
        pd.testing.assert_frame_equal(s.iloc[1:].astype(float), expected.astype(float))
    assert len(flows) and (flows["count"] > 0).all()                       # compact: only non-zero flows


def test_the_panel_of_a_future_matches_its_stocks(fresh):
    sid = json.loads((fresh / "manifest.json").read_text())["scenarios"][0]["id"]
    states = batch.load(fresh, "states")
    for rep in (0, 1):
        p = panel.read(fresh, sid, rep)
        assert set(p.replication.astype(int)) == {rep}
        counted = p.groupby(["month", "state"], observed=False).size().rename("count")
        stocks = states[states.replication == rep].set_index(["month", "state"])["count"]
        assert counted.reindex(stocks.index, fill_value=0).to_numpy().tolist() == stocks.to_numpy().tolist()
    assert sorted(int(d.name.split("=")[1]) for d in (fresh / "panel" / f"scenario_id={sid}").iterdir()) == [0, 1]


def test_the_data_dictionary_is_current_and_matches_every_file(fresh):
    assert (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8") == outputs.markdown(), \
        "docs/outputs.md is stale: python -m model.experiments.outputs > docs/outputs.md"
    dictionary = outputs.dictionary()
    files = list(fresh.rglob("*.parquet"))
    kinds = {("panel" if "panel" in f.parts else f.name) for f in files}
    assert kinds == set(outputs.FILES)
    for f in files:
        kind = "panel" if "panel" in f.parts else f.name
        schema = pq.read_schema(f)
        expected = [c for c in outputs.columns_of(kind) if not (kind == "panel" and c in panel.PARTITIONS)]
        assert schema.names == expected, f
        for field in schema:
            meta = {k.decode(): v.decode() for k, v in field.metadata.items()}
            assert meta == {"unit": dictionary[field.name].unit, "description": dictionary[field.name].description}
        doc = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
        assert all(f"`{c}`" in doc for c in schema.names)


def test_rows_carry_dates_lever_and_assumption_values_and_the_scale(fresh):
    yearly = batch.load(fresh, "yearly")
    monthly = batch.load(fresh, "indicators")
    summary = batch.load(fresh, "summary")
    plan = scenario.load(PLAN)
    assert pq.read_schema(next(fresh.rglob("indicators.parquet"))).field("month").type == "timestamp[ms]"
    assert pd.api.types.is_datetime64_any_dtype(pd.read_parquet(next(fresh.rglob("indicators.parquet"))).month)
    assert monthly.month.min() == pd.Timestamp("2016-07-01") and monthly.month.max() == pd.Timestamp("2020-12-01")
    for df in (yearly, summary):
        for year in (2016, 2017, 2020):
            rows = df[df.year == year]
            assert (rows.internship_deadline_months == plan.lever_values["internship_deadline_months"][year]).all()
            assert (rows.assumption_matching_elasticity == plan.assumption_values["matching_elasticity"]).all()
    assert set(monthly.indicator) == set(yearly.indicator) == set(summary.indicator)
    assert (summary.scale == SCALE).all() and summary.counts_scaled.all() and not yearly.counts_scaled.any()
    m = json.loads((fresh / "manifest.json").read_text())
    assert m["counts"] == {"scale": SCALE, "summary_counts_scaled": True, "runs_counts_scaled": False}
    # the summary's counts are the runs' divided by the scale
    y = yearly[(yearly.indicator == "youth_on_benefits") & (yearly.year == 2019)].value
    s = summary[(summary.indicator == "youth_on_benefits") & (summary.year == 2019)]["mean"].iloc[0]
    assert s == pytest.approx(y.mean() / SCALE)


def test_monthly_indicators_at_year_end_equal_the_yearly_ones(fresh):
    monthly = batch.load(fresh, "indicators")
    yearly = batch.load(fresh, "yearly")
    dec = monthly[monthly.month == pd.Timestamp("2019-12-01")].set_index(["replication", "indicator"]).value
    y19 = yearly[yearly.year == 2019].set_index(["replication", "indicator"]).value
    stocks = [k for k in y19.index.get_level_values(1).unique() if k != "youth_to_education"]
    pd.testing.assert_series_equal(dec.loc[:, stocks].sort_index(), y19.loc[:, stocks].sort_index(), check_names=False)


def test_costs_per_year_component_and_measure_are_written(fresh):
    c = batch.load(fresh, "costs")
    assert set(c.measure) == {"gross_dkk", "state_refusion_dkk", "municipal_net_dkk", "state_net_dkk", "public_net_dkk"}
    assert {"effort_caseworkers", "effort_offers", "casework"} <= set(c.component)     # the effort priced too
    wide = c.pivot_table(index=["replication", "year", "component"], columns="measure", values="dkk")
    assert np.allclose(wide.gross_dkk, wide.state_refusion_dkk + wide.municipal_net_dkk)
    assert np.allclose(wide.public_net_dkk, wide.municipal_net_dkk + wide.state_net_dkk)


def test_a_batch_runs_the_agents_engine(tmp_path):
    batch.run_batch([PLAN], 1, 4, tmp_path, workers=1, scale=SCALE, progress=False, engine="agents")
    m = json.loads((tmp_path / "manifest.json").read_text())
    assert m["identity"]["engine"] == "agents" and m["status"] == "done"
    assert batch.load(tmp_path, "summary").runs.eq(1).all()


def test_a_panel_with_the_agents_engine_is_refused(tmp_path):
    with pytest.raises(scenario.ScenarioError, match="panel"):
        batch.run_batch([PLAN], 1, 4, tmp_path, scale=SCALE, progress=False, engine="agents", panel=1)
    assert not (tmp_path / "manifest.json").exists()


@pytest.mark.parametrize("argv, says", [
    (["batch", str(PLAN), "--replications", "2", "--panel", "3", "--scale", "0.05"], "panel = 3, allowed 0–2"),
    (["batch", str(PLAN), "--replications", "2", "--engine", "agents", "--panel", "1", "--scale", "0.05"],
     "needs the fast engine"),
    (["discover", "."], "not a batch folder"),
])
def test_a_bad_panel_or_discovery_request_is_one_line_and_exit_2(argv, says, tmp_path):
    import sys
    if argv[0] == "batch":
        argv = [*argv, "--out", str(tmp_path / "b")]
    r = subprocess.run([sys.executable, "-m", "model", *argv], cwd=ROOT if argv[0] == "batch" else tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and says in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "b").exists()
