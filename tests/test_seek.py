"""Goal-seek and drivers: a search with a known answer, infeasible targets said plainly, the front,
the fresh-seed check reproduced by the written scenario, the drivers' signs, and the command line's
contract and bad arguments."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.experiments import drivers
from model.experiments import seek as goal
from model.inputs import levers, scenario
from model.sim import runner

from conftest import SCENARIOS, with_levers

ROOT = Path(__file__).resolve().parents[1]
PLAN = str(SCENARIOS / "plan-2017.toml")
LTU = goal.Target("long_term_unemployed", 2020, 220.0, "below", "count")
FUTURES = 20


def threshold_evaluator(threshold: float, targets=(LTU,), probability=0.8, extra_cost=None):
    """A synthetic model: the target is met exactly when internship places reach ``threshold``;
    cost is the places (plus any other lever's value times ``extra_cost``)."""
    def evaluate(batch):
        out = []
        for values in batch:
            x = values["internship_places"]
            outcome = np.full(FUTURES, 220.0 + (threshold - x) / 10)          # at or below 220 from the threshold on
            cost = np.full(FUTURES, x + sum((extra_cost or {}).get(k, 0) * v for k, v in values.items()))
            out.append(goal.judge(values, cost, {t.key: outcome for t in targets}, list(targets), probability))
        return out
    return evaluate


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_search_finds_a_known_threshold_within_one_step(seed):
    space = goal.search_space(["internship_places"])
    outcome = goal.search(threshold_evaluator(1234), space, [LTU], 0.8, evaluations=40, seed=seed)
    best = outcome.best()
    assert best.met == 1
    assert 1250 <= best.values["internship_places"] <= 1250 + levers.LEVERS["internship_places"].step


def test_a_costly_lever_that_does_not_help_is_left_at_its_cheapest():
    space = goal.search_space(["internship_places", "wage_subsidy_places"])
    outcome = goal.search(threshold_evaluator(1234, extra_cost={"wage_subsidy_places": 1.0}), space, [LTU], 0.8,
                          evaluations=120, seed=1)
    best = outcome.best()
    assert best.met == 1 and 1250 <= best.values["internship_places"] <= 1300
    assert best.values["wage_subsidy_places"] <= 50 + 2 * levers.LEVERS["wage_subsidy_places"].step


def test_a_small_space_is_searched_whole_and_said_so():
    space = goal.search_space(["internship_places"], {"internship_places": (1000, 1200)})
    assert list(space["internship_places"]) == [1000, 1050, 1100, 1150, 1200]
    outcome = goal.search(threshold_evaluator(1234), space, [LTU], 0.8, evaluations=50, seed=1)
    assert len(outcome.evaluations) == 5 and outcome.stopped_early == "every grid point simulated"


def test_an_unreachable_target_is_reported_with_best_share_mean_and_the_levers_at_their_bounds():
    space = goal.search_space(["internship_places"])
    outcome = goal.search(threshold_evaluator(5000), space, [LTU], 0.8, evaluations=15, seed=1,
                          starts=goal.start_points(scenario.load(PLAN), space))
    bad = goal.infeasible(outcome)
    assert [x.key for x in bad] == ["long_term_unemployed"]
    assert bad[0].best_share == 0.0
    assert bad[0].best_mean == pytest.approx(220 + (5000 - 3000) / 10)        # the most places allowed
    da, en = bad[0].words(outcome, "da"), bad[0].words(outcome, "en")
    assert "nås ikke" in da and "Pladser i virksomhedspraktik og nytteindsats ved sit maksimum (3.000)" in da
    assert "is not met" in en and "at its maximum (3,000)" in en
    assert any("nås ikke" in line for line in goal.report(outcome, "da"))


def test_why_says_which_costs_make_every_lever_at_its_end_dearer():
    space = {"internship_places": goal.grid("internship_places", 200, 400)}
    parts = lambda staff, benefits: {"benefits": benefits, "grants": 0.0, "casework": 0.0, "staff": staff,   # noqa: E731
                                     "activities": 0.0}
    cheap = goal.Evaluation({"internship_places": 300.0}, 100e6, {"long_term_unemployed": 1.0}, {}, {}, 0.8, 1,
                            parts(10e6, 90e6), futures=4)
    end = goal.Evaluation({"internship_places": 400.0}, 120e6, {"long_term_unemployed": 1.0}, {}, {}, 0.8, 2,
                          parts(40e6, 80e6), futures=4)
    outcome = goal.Outcome([cheap, end], space, [LTU], 0.8, 2, 0.0, starts=[{"internship_places": 300.0},
                                                                          goal.helpful_end(space)])
    assert outcome.best() is cheap and outcome.helpful_end() is end
    words = goal.why_words(outcome, "en")
    assert "costs DKK 20.0 million more" in words and "caseworkers' extra talks and company consultants +30.0" in words
    assert "benefits and wage subsidy −10.0" in words and words.endswith("what decides is caseworkers' extra talks and "
                                                                          "company consultants.")


def test_the_front_keeps_the_cheapest_for_each_number_of_targets_met():
    targets = [LTU, goal.Target("youth_on_benefits", 2020, 900.0, "below", "count")]

    def ev(n, cost, met):
        shares = {"long_term_unemployed": 1.0 if met >= 1 else 0.0, "youth_on_benefits": 1.0 if met >= 2 else 0.0}
        return goal.Evaluation({"internship_places": n}, cost, shares, {}, {k: 0.0 for k in shares}, 0.8, number=n)
    evals = [ev(1, 10, 0), ev(2, 30, 1), ev(3, 20, 1), ev(4, 50, 2), ev(5, 60, 2), ev(6, 5, 0)]
    front = goal.pareto_front(evals)
    assert [(e.number, e.met) for e in front] == [(4, 2), (3, 1), (6, 0)]
    assert all(len(t.key) for t in targets)


def test_judge_counts_an_undefined_future_as_not_meeting_and_leaves_the_mean_undefined():
    x = np.array([100.0, 100.0, np.nan, 100.0, 100.0])
    e = goal.judge({}, np.zeros(5), {"long_term_unemployed": x}, [LTU], 0.8)
    assert e.shares["long_term_unemployed"] == pytest.approx(0.8)
    assert np.isnan(e.means["long_term_unemployed"])


# ---------------------------------------------------------------- the real model, the whole command

@pytest.fixture(scope="module")
def seek_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("seek")
    cmd = [sys.executable, "-m", "model", "seek", PLAN, "--targets", "long_term_unemployed,youth_on_benefits",
           "--levers", "internship_deadline_months,youth_education_push", "--range", "internship_deadline_months=2:4",
           "--evaluations", "8", "--replications", "4", "--scale", "0.2", "--workers", "1", "--no-progress",
           "--lang", "da", "--out", str(out)]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return out, r


def test_seek_writes_front_best_check_and_manifest(seek_run):
    out, r = seek_run
    front = pd.read_csv(out / "front.csv")
    for col in [*levers.LEVERS, goal.COST, "long_term_unemployed_share", "youth_on_benefits_share", "targets_met"]:
        assert col in front.columns, col
    assert front.targets_met.is_monotonic_decreasing and front[goal.COST].is_monotonic_decreasing
    assert front.internship_deadline_months.between(2, 4).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"]["check_master"] != manifest["seeds"]["search_master"]
    assert manifest["model"]["fingerprint"] and manifest["packages"]["optuna"] and manifest["git_commit"] is not None
    assert manifest["command"].endswith(f"--out {out}") and "seek" in manifest["command"]
    assert manifest["ranges"]["internship_deadline_months"] == [2, 4]
    best = scenario.load(out / "best.toml")
    assert "goal-seek" in best.description.lower() and "Goal-seek" in best.name
    assert r.stdout.startswith("Billigste indstilling") and "netto for kommunen med indsatsen" in r.stdout
    assert manifest["purse"] == "municipal" and manifest["futures"] == {
        "race": 3, "confirmed": 4, "candidates_confirmed": manifest["futures"]["candidates_confirmed"]}
    assert 2 <= manifest["futures"]["candidates_confirmed"] <= 6
    assert (front.futures == 4).all()                      # the front is judged on every future
    for part in ("benefits", "casework", "staff", "activities"):
        assert front[f"{part}_dkk_2017_2020"].notna().all()
    assert manifest["why_da"] and ("Hvorfor ikke alle håndtag" in r.stdout or "også den billigste" in r.stdout)
    assert "blev prøvet på 3 fremtider" in r.stdout


def test_an_infeasible_target_is_said_in_both_languages_not_dropped(seek_run):
    out, r = seek_run
    manifest = json.loads((out / "manifest.json").read_text())
    bad = {x["target"]: x for x in manifest["infeasible"]}
    assert "youth_on_benefits" in bad                    # 900 is out of reach with these two levers
    assert "nås ikke" in bad["youth_on_benefits"]["words_da"] and "is not met" in bad["youth_on_benefits"]["words_en"]
    summary = (out / "summary.md").read_text()
    assert "nås ikke" in summary and "is not met" in summary
    assert "nås ikke" in r.stdout


def test_best_toml_on_the_check_seeds_reproduces_the_fresh_check(seek_run):
    out, _ = seek_run
    manifest = json.loads((out / "manifest.json").read_text())
    check = pd.read_csv(out / "check.csv")
    mine = check[check.candidate == manifest["best"]["candidate"]].set_index("target")
    best = scenario.load(out / "best.toml")
    results = runner.run_replications(best, 4, manifest["seeds"]["check_master"], scale=0.2,
                                      chunk=manifest["seeds"]["chunk"])
    summary = runner.summary(results).set_index(["indicator", "year"])
    for key, row in mine.iterrows():
        assert summary.loc[(key, 2020), "share_meeting_target"] == pytest.approx(row.share_fresh)
        assert summary.loc[(key, 2020), "mean"] == pytest.approx(row.mean_fresh, rel=1e-9)


def test_best_toml_runs_with_the_run_command(seek_run):
    out, _ = seek_run
    r = subprocess.run([sys.executable, "-m", "model", "run", str(out / "best.toml"), "--replications", "2",
                        "--seed", "5", "--scale", "0.1", "--format", "csv"], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("indicator,year,mean")


# ---------------------------------------------------------------- drivers

def test_more_internship_places_where_they_are_scarce_raise_the_share_in_company_offers(plan):
    sc = with_levers(plan, internship_places=200)
    d = drivers.measure(sc, replications=6, seed=3, scale=1.0, keys=["internship_places"])
    row = d.table[d.table.target == "company_offer_share"].iloc[0]
    assert (row.step_from, row.step_to) == (200, 250)                 # no plan value: towards more places
    assert row.p05 > 0 and not row.against
    text = drivers.sentence(row, 2020, "da")
    assert text.startswith("Pladser i virksomhedspraktik og nytteindsats 200 → 250 pladser: +")
    assert "procentpoint" in text and "væk fra målet" not in text
    assert "Mekanisme: flere praktik- og nyttepladser" in text and text.endswith("flere er i virksomhedsrettet tilbud ad gangen.")


def test_a_step_moves_towards_the_plan_or_else_towards_the_helpful_bound(plan, baseline):
    assert drivers.step_of(baseline, "internship_deadline_months").after[2020] == 5       # 6 → towards the plan's 3
    assert drivers.step_of(plan, "internship_deadline_months").after[2020] == 2           # at the plan: towards 1
    at_min = with_levers(plan, internship_deadline_months=1)
    s = drivers.step_of(at_min, "internship_deadline_months")
    assert s.after[2020] == 2 and not s.helps                                             # at its bound: back
    s = drivers.step_of(plan, "partial_return_assessments")                                # per year, each moved
    assert [s.after[y] for y in (2017, 2020)] == [220, 260]


def test_a_lever_against_the_target_is_said_so_with_its_mechanism():
    row = {"target": "long_term_unemployed", "lever": "refugee_work_first_share", "step_from": 0.9,
           "step_to": 1.0, "mean_change": 30.0, "p05": 12.0, "p95": 48.0, "kind": "count", "direction": "below",
           "helps": True, "against": True, "uncertain": False}
    da = drivers.sentence(row, 2020, "da")
    assert da.startswith("Flygtninge i dansk kombineret med job 90 % → 100 %: +30 langtidsledige "
                         "kontanthjælpsmodtagere i 2020 (+12 … +48) – håndtaget trækker her væk fra målet. Mekanisme:")
    assert "pladser, som langtidsledige kontanthjælpsmodtagere ellers fik, går til dem" in da
    en = drivers.sentence(row, 2020, "en")
    assert "the lever pulls away from the target here. Mechanism:" in en and "places the long-term unemployed" in en


@pytest.mark.parametrize("p05, p95, direction, helps, against", [
    (12, 48, "below", True, True),          # more effort, more long-term unemployed
    (-48, -12, "below", True, False),       # more effort, fewer
    (-48, -12, "below", False, True),       # less effort, fewer
    (12, 48, "below", False, False),        # less effort, more: as expected
    (-0.03, -0.01, "above", False, False),  # less push, lower education share: as expected
    (-0.03, -0.01, "above", True, True),
    (-5, 5, "below", True, False),          # the band includes 0: nothing said
])
def test_works_against_reads_the_whole_band_and_the_direction_of_the_step(p05, p95, direction, helps, against):
    assert drivers.works_against(p05, p95, direction, helps) is against


def test_less_effort_doing_worse_is_not_called_against_the_target():
    row = {"target": "youth_to_education", "lever": "youth_education_push", "step_from": 1.0, "step_to": 0.9,
           "mean_change": -0.017, "p05": -0.033, "p95": -0.007, "kind": "share", "direction": "above",
           "helps": False, "against": False, "uncertain": False}
    text = drivers.sentence(row, 2020, "da")
    assert text == ("Uddannelsesindsats for unge 100 % → 90 %: −1,7 procentpoint i andelen af unge på ydelse, der "
                    "går i uddannelse i 2020 (−3,3 … −0,7). Mekanisme: unge på uddannelseshjælp starter oftere "
                    "uddannelse og falder sjældnere fra; flere unge på ydelse starter uddannelse.")


def test_drivers_csv_has_exactly_the_agreed_columns():
    r = subprocess.run([sys.executable, "-m", "model", "drivers", PLAN, "--replications", "2", "--scale", "0.1",
                        "--workers", "1", "--format", "csv"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "target,lever,step_from,step_to,mean_change,p05,p95"
    assert len(lines) > 6 * 10


# ---------------------------------------------------------------- bad input: one line, exit 2

@pytest.mark.parametrize("args, words", [
    (["--targets", "happiness"], "--targets: 'happiness' is not a target with a number in 2020; allowed: all or"),
    (["--probability", "1.5"], "allowed above 0 and at most 1"),
    (["--probability", "0"], "allowed above 0 and at most 1"),
    (["--range", "internship_places=0:1500"], "--range internship_places=0:1500: outside the lever's bounds"
                                              " or LOW above HIGH, allowed 200–3000"),
    (["--range", "places=1:2"], "write LEVER=LOW:HIGH with a lever of"),
    (["--range", "internship_deadline_months=2.5:4"], "whole numbers, allowed 1–12"),
    (["--levers", "magic"], "--levers: 'magic' is not a lever"),
    (["--year", "2016"], "--year: '2016': no plan targets that year, allowed 2017–2020"),
    (["--evaluations", "0"], "allowed 1 or more"),
    (["--purse", "state"], "--purse: invalid choice: 'state'"),
])
def test_bad_seek_arguments_are_one_line_naming_the_field_and_range(args, words, tmp_path):
    r = subprocess.run([sys.executable, "-m", "model", "seek", PLAN, "--out", str(tmp_path / "x"), *args],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], r.stderr
    assert not (tmp_path / "x" / "front.csv").exists()


@pytest.mark.parametrize("args, words", [
    (["--targets", "long_term"], "--targets: 'long_term' is not a target with a number in 2020"),
    (["--year", "2021"], "--year: '2021': no plan targets that year, allowed 2017–2020"),
])
def test_bad_drivers_arguments_are_one_line_with_exit_2(args, words):
    r = subprocess.run([sys.executable, "-m", "model", "drivers", PLAN, "--replications", "1", "--workers", "1",
                        *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], r.stderr


def test_every_lever_declares_a_step_within_its_range_and_the_direction_it_helps():
    for key, lv in levers.LEVERS.items():
        assert 0 < lv.step <= (lv.max - lv.min) / 4, key
        assert lv.kind != "int" or float(lv.step).is_integer(), key
        assert lv.helps in ("up", "down"), key
        g = goal.grid(key, lv.min, lv.max)
        assert g[0] == lv.min and g[-1] == lv.max and (np.diff(g) > 0).all(), key
