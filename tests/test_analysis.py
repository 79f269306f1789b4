"""Analysis beyond screening: Sobol indices that find the known indices of an analytic function
within their intervals, and PRIM scenario discovery that finds a planted box; both commands run
on real batches."""
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Ishigami

from model.experiments import discover, sobol

from conftest import ROOT, SCENARIOS

ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def ishigami_indices(a: float = 7.0, b: float = 0.1):
    """The Ishigami function's analytic first-order and total indices (Sobol' & Levitan 1999)."""
    v = a ** 2 / 8 + b * np.pi ** 4 / 5 + b ** 2 * np.pi ** 8 / 18 + 0.5
    v1, v2, v13 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2, a ** 2 / 8, b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    return np.array([v1, v2, 0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_sobol_gives_the_ishigami_functions_known_indices_within_their_intervals():
    s1, st = ishigami_indices()
    x = sobol.design(ISHIGAMI, 4096, seed=1)
    t = sobol.analyse(ISHIGAMI, Ishigami.evaluate(x), seed=1)
    assert (np.abs(t.S1 - s1) <= t.S1_conf).all(), t
    assert (np.abs(t.ST - st) <= t.ST_conf).all(), t
    assert (t.S1_conf < 0.05).all() and (t.ST_conf < 0.05).all()           # intervals narrow enough to mean it


def test_sobol_intervals_narrow_as_the_samples_grow():
    x = sobol.design(ISHIGAMI, 1024, seed=2)
    c = sobol.convergence(ISHIGAMI, Ishigami.evaluate(x), seed=2)
    assert sorted(c.samples.unique()) == [256, 512, 1024]
    width = c.groupby("samples").ST_conf.mean()
    assert width[1024] < width[256]


def test_sobol_samples_must_be_a_power_of_two():
    with pytest.raises(ValueError, match="power of two"):
        sobol.design(ISHIGAMI, 6, seed=1)


def planted(n=3000, noise=0.05, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 5))
    inside = (x[:, 0] >= 0.2) & (x[:, 0] <= 0.6) & (x[:, 1] >= 0.5)
    return x, np.where(rng.random(n) < noise, ~inside, inside).astype(int)


def test_prim_finds_a_planted_box():
    x, y = planted()
    boxes = discover.peel(x, y)
    b = boxes[discover.choose(boxes, 0.8)]
    assert b.low[0] == pytest.approx(0.2, abs=0.03) and b.high[0] == pytest.approx(0.6, abs=0.03)
    assert b.low[1] == pytest.approx(0.5, abs=0.03) and b.high[1] == pytest.approx(1.0, abs=0.03)
    assert (b.low[2:] < 0.03).all() and (b.high[2:] > 0.97).all()          # the other inputs left free
    assert b.density > 0.85 and b.coverage > 0.75


def test_prim_restricts_nothing_when_the_target_is_met_everywhere_alike():
    rng = np.random.default_rng(4)
    x = rng.random((2000, 3))
    y = (rng.random(2000) < 0.5).astype(int)
    boxes = discover.peel(x, y)
    b = boxes[discover.choose(boxes, 0.95)]
    assert b.density < 0.7                                                 # no box of certain success invented


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """A real batch over a small sweep: the internship deadline and the matching elasticity."""
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "sweep.toml").write_text(
        f'name = "small"\nbase = "{SCENARIOS / "plan-2017.toml"}"\n'
        "[levers]\ninternship_deadline_months = [1, 6, 12]\n"
        "[assumptions]\nmatching_elasticity = [0.2, 0.6]\n", encoding="utf-8")
    out = folder / "out"
    r = subprocess.run([sys.executable, "-m", "model", "batch", str(folder / "sweep.toml"), "--replications", "3",
                        "--scale", "0.05", "--workers", "1", "--out", str(out)], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return out


def test_discover_writes_the_box_its_trajectory_and_a_chart_for_a_batch(swept):
    # A target the sweep meets in some futures and not in others: the plan's 220 long-term
    # unemployed in 2020, which the model comes close to.
    r = subprocess.run([sys.executable, "-m", "model", "discover", str(swept), "--indicator", "long_term_unemployed",
                        "--year", "2020", "--threshold", "0.6"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert "coverage" in r.stdout and "density" in r.stdout
    box = pd.read_csv(swept / "discover_box.csv")
    assert set(box.input) == {"internship_deadline_months", "assumption_matching_elasticity"}
    traj = pd.read_csv(swept / "discover_trajectory.csv")
    assert traj.chosen.sum() == 1 and traj.coverage.iloc[0] == 1.0
    assert (swept / "discover.png").read_bytes()[:4] == b"\x89PNG"


def test_discover_refuses_a_year_without_a_target_in_one_line(swept):
    r = subprocess.run([sys.executable, "-m", "model", "discover", str(swept), "--indicator", "youth_on_benefits",
                        "--year", "2031"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "year = 2031" in r.stderr


def test_sensitivity_sobol_runs_through_the_batch_runner(tmp_path):
    r = subprocess.run([sys.executable, "-m", "model", "sensitivity", "--method", "sobol", "--samples", "2",
                        "--factors", "matching_elasticity,internship_deadline_months", "--replications", "1",
                        "--scale", "0.05", "--workers", "1", "--out", str(tmp_path)], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(tmp_path / "sobol.csv")
    assert list(t.columns) == sobol.COLUMNS
    assert set(t.factor) == {"assumptions.matching_elasticity", "levers.internship_deadline_months"}
    assert (tmp_path / "sobol_convergence.csv").exists() and (tmp_path / "sobol.png").exists()


def test_a_kept_discovery_is_shown_on_the_about_page_in_both_languages(swept, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from app_pages import about
    r = discover.run(swept, "long_term_unemployed", 2020, threshold=0.6, to=tmp_path)
    discover.write_docs(r, swept, docs=tmp_path)
    kept = discover.saved(tmp_path)
    assert kept is not None and kept[1]["cases"] == r["cases"] and "batch" in kept[1]["batch_command"]
    monkeypatch.setattr(about, "DISCOVERED", kept)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["reps"] = 2
    at.run()
    at.session_state["tab"] = "Om modellen"
    at.run()
    for lang, words in (("da", "scenarieopdagelse"), ("en", "scenario discovery")):
        if lang == "en":
            at.radio(key="lang").set_value("en").run()
        assert not at.exception
        assert any(words in h.value for h in at.subheader), [h.value for h in at.subheader]
        assert any(f"{r['met']} " in m.value and str(r["cases"]) in m.value for m in at.markdown)


def test_discover_refuses_a_target_met_in_no_future_of_the_batch(swept):
    # The plan's 25 % of unemployed and sick-listed in company offers in 2020: far above what the sweep's
    # levers reach (about 15 %; the plan's own levers give about 16 %). (The young on benefits, once
    # used here, now come down to the plan's 900 in a future of this small, noisy sweep.)
    r = subprocess.run([sys.executable, "-m", "model", "discover", str(swept), "--indicator", "company_offer_share",
                        "--year", "2020"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "met in none of the batch's 18 futures" in r.stderr
