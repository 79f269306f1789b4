"""The command line's output contract."""
import io
import subprocess
import sys

import pandas as pd

from model.sim import indicators

from conftest import ROOT, SCENARIOS


def run(*args):
    r = subprocess.run([sys.executable, "-m", "model", "run", *args], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_csv_has_one_row_per_indicator_and_year():
    df = pd.read_csv(io.StringIO(run(str(SCENARIOS / "plan-2017.toml"), "--replications", "3", "--scale", "0.1",
                                     "--format", "csv")))
    assert list(df.columns) == ["indicator", "year", "mean", "p05", "p95", "target", "share_meeting_target"]
    assert len(df) == len(indicators.INDICATORS) * 5
    assert sorted(df.year.unique()) == [2016, 2017, 2018, 2019, 2020]
    target = df.set_index(["indicator", "year"]).target
    assert target["youth_on_benefits", 2020] == 900 and target["long_term_unemployed", 2020] == 220
    # No target in the status year or for goal 4: the share meeting it is empty there.
    assert df[df.year == 2016].share_meeting_target.isna().all()
    assert df[df.indicator == "refugees_self_supporting"].share_meeting_target.isna().all()
    assert df.share_meeting_target.dropna().between(0, 1).all()


def test_states_csv_has_every_state_and_month():
    df = pd.read_csv(io.StringIO(run(str(SCENARIOS / "baseline-2016.toml"), "--replications", "2", "--scale", "0.05",
                                     "--states", "--format", "csv")))
    assert list(df.columns) == ["month", "state", "mean", "p05", "p95"]
    assert df.month.iloc[0] == "2016-07" and df.month.iloc[-1] == "2020-12"
    assert df.state.nunique() == 18 and len(df) == 18 * 54


def test_readable_table_names_the_targets():
    out = run(str(SCENARIOS / "plan-2017.toml"), "--replications", "2", "--scale", "0.05")
    assert "Long-term unemployed" in out and "target" in out and "futures" in out
