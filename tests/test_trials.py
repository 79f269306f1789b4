"""Simulated trials: the trial machinery measures what the model puts in, and nothing when
nobody is treated."""
import copy

import pandas as pd

from model import trials


def spec(study, metric_start=""):
    return copy.deepcopy(next(s for s in trials.specs() if s["study"] == study and s["metric"].startswith(metric_start)))


def test_a_trial_with_nobody_treated_measures_no_effect():
    s = spec("BM-UNGE2014")
    s["levers"]["youth_education_push"] = 0.0
    r = trials.run(s, seed=3, replications=10, scale=0.4)
    assert abs(r["simulated"] - 1.0) < 0.1


def test_the_work_first_trial_recovers_the_models_effect_for_men():
    r = trials.run(spec("ARENDT2022", "job finding rate ratio, refugee men"), seed=2, replications=10, scale=0.4)
    assert abs(r["simulated"] - 1.4) < 0.15
    assert r["lower"] < r["simulated"] < r["upper"]


def test_every_trial_reports_the_studys_metric_beside_the_published_figure():
    specs = trials.specs()
    assert len(specs) >= 5
    for s in specs:
        assert s["study"] and s["metric"] and s["published"] > 0 and s["tolerance"] > 0
    df = pd.DataFrame([trials.run(s, seed=1, replications=3, scale=0.1) for s in specs[:2]], columns=trials.COLUMNS)
    assert list(df.columns) == ["lever", "study", "metric", "published", "simulated", "lower", "upper", "within_tolerance"]
    for (_, row), s in zip(df.iterrows(), specs[:2]):
        # The row is the study's: its published figure, a simulated value inside its interval, and
        # "within tolerance" exactly when the simulated value is within the study's tolerance.
        assert (row.study, row.metric, row.published) == (s["study"], s["metric"], s["published"])
        assert row.lower <= row.simulated <= row.upper
        assert bool(row.within_tolerance) == (abs(row.simulated - row.published) <= s["tolerance"])


def test_every_simulated_trial_lands_within_its_stated_tolerance():
    df = trials.run_all()          # the defaults of `python -m model trials`
    off = df[~df.within_tolerance]
    assert off.empty, off[["lever", "study", "published", "simulated"]].to_string()
    assert (abs(df.simulated - df.published) <= pd.Series([s["tolerance"] for s in trials.specs()])).all()
