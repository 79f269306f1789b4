"""Calibration recovers known parameters and is reproducible from its seed."""
import pytest

from model import paths
from model.experiments import calibration
from model.inputs import params

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
    """Logic, not statistics (the recovery above is the full fit): two fits of a few steps at the
    smallest scale, from the same seed, take the same path to the same values."""
    targets = {k: v["target"] for k, v in recovered["targets"].items()}

    def fit():
        return calibration.calibrate(seed=3, reps=2, scale=calibration.MIN_SCALE, targets=targets, keys=KEYS,
                                     max_evaluations=3)
    a, b = fit(), fit()
    assert a["evaluations"] > len(KEYS) + 1 and a["parameters"] != a["start"]      # it took steps
    assert a == b


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """The model's data files in a folder of their own (the fit may write there)."""
    import shutil
    copy = tmp_path / "data"
    shutil.copytree(paths.DATA, copy)
    monkeypatch.setattr(paths, "DATA", copy)
    params.hazards.cache_clear()
    yield copy
    monkeypatch.undo()
    params.hazards.cache_clear()


def test_a_fit_is_written_to_its_own_file_and_the_sourced_hazards_stay_as_they_are(data_copy):
    sourced = (data_copy / "hazards.toml").read_bytes()
    kept = params.read_toml(data_copy / "fitted.toml")["values"]
    calibration.write_back({"parameters": {"dp_early_job": 0.2}, "targets": {"dp_stock_end_2016": {
        "target": 1400, "fitted": 1390, "error": -10}}, "cost": 0.01, "evaluations": 3, "seed": 1,
        "replications": 2, "scale": 0.3})
    assert (data_copy / "hazards.toml").read_bytes() == sourced
    fitted = params.read_toml(data_copy / "fitted.toml")
    assert fitted["values"] == {**kept, "dp_early_job": 0.2}
    assert fitted["record"]["target_dp_stock_end_2016"]["fitted"] == 1390
    # Every run now uses the fitted value in place of the starting value of hazards.toml.
    h = params.hazards()
    band = h.band_of[params.State.unemployment_insurance, 0]
    assert h.p[params.State.unemployment_insurance, band, :, params.D["employed"]].tolist() == [0.2, 0.2]


def test_a_fitted_value_for_no_calibrated_hazard_is_refused(data_copy):
    text = (data_copy / "fitted.toml").read_text(encoding="utf-8").replace("[values]\n", "[values]\nno_such_key = 0.1\n")
    (data_copy / "fitted.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="no_such_key: not a parameter of calibration.toml"):
        params.hazards()
