"""Simulated trials: the trial machinery measures what the model puts in, and nothing when
nobody is treated."""
import copy

import numpy as np
import pandas as pd
import pytest

from model.experiments import trials


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


def test_a_rare_outcome_gets_a_finite_interval_around_its_pooled_ratio():
    # Replications (rows) of control and treated arms (columns): one replication's control arm
    # has no event, as happens with a rare outcome; the pooled ratio and its interval stay finite.
    events = np.array([[0, 2], [3, 1], [2, 2]], float)
    exposure = np.array([[100, 100], [120, 110], [90, 100]], float)
    ratio, lower, upper = trials.rate_ratio(events, exposure)
    assert ratio == pytest.approx((5 / 310) / (5 / 310))
    assert lower < ratio < upper and np.isfinite([lower, upper]).all()
    assert np.log(upper / ratio) == pytest.approx(1.96 * np.sqrt(1 / 5 + 1 / 5))
    with pytest.raises(ValueError, match="event in each arm"):
        trials.rate_ratio(np.array([[0, 2]], float), np.array([[10, 10]], float))
