"""Calibration recovers known parameters and is reproducible from its seed."""
import pytest

from model import calibration, params

KEYS = ["dp_early_job", "dp_late_job", "job_loss"]
TRUE = {"dp_early_job": 0.22, "dp_late_job": 0.08, "job_loss": 0.0055}


@pytest.fixture(scope="module")
def recovered():
    sp = calibration.spec()
    parameters = [p for p in sp["parameter"] if p["key"] in KEYS]
    synthetic = calibration.simulate(TRUE, parameters, seed=3, reps=8, scale=0.4)   # "the world"
    targets = {k: synthetic[k] for k in ("dp_median_spell_weeks", "dp_long_term_share", "dp_stock_end_2016")}
    return calibration.calibrate(seed=3, reps=8, scale=0.4, targets=targets, keys=KEYS)


def test_calibration_recovers_known_hazards_within_10_percent(recovered):
    for key, true in TRUE.items():
        assert recovered["parameters"][key] == pytest.approx(true, rel=0.10), key


DATA_HAZARDS = params.hazards().fingerprint()


def test_calibration_leaves_the_model_as_it_was(recovered):
    assert params.hazards().fingerprint() == params.hazard_table().fingerprint() == DATA_HAZARDS


def test_calibrating_twice_from_the_same_seed_gives_the_same_values(recovered):
    targets = {k: v["target"] for k, v in recovered["targets"].items()}
    again = calibration.calibrate(seed=3, reps=8, scale=0.4, targets=targets, keys=KEYS)
    assert again["parameters"] == recovered["parameters"]
