"""Where the cash-benefit stock goes: the national follow-up of the April 2016 stock (19 and 30
months later, data/followup.toml) against the model's July 2016 stock followed the same way."""
import pytest

from model.experiments import calibration


def test_the_follow_up_shares_follow_from_the_published_counts():
    f = calibration.followup()
    t = {k: v["value"] for k, v in calibration.followup_targets().items()}
    m19 = f["months_19"]
    assert m19["still"] + m19["employment"] + m19["education"] + m19["self_support"] + m19["other_benefit"] == \
        pytest.approx(f["cohort"], rel=0.001)                  # the published table adds up
    at19 = [t[f"followup_{k}_19m"] for k in ("still", "employment", "education", "self_support", "other_benefit")]
    assert sum(at19) == pytest.approx(1.0, abs=0.002)          # the published counts are rounded to 100
    assert t["followup_still_19m"] == pytest.approx(0.618, abs=0.001)      # 97,500 of 162,200 less "andet"
    assert t["followup_still_30m"] < t["followup_still_19m"]
    assert t["followup_employment_or_education_30m"] == pytest.approx(0.254, abs=0.001)


def test_every_follow_up_target_is_a_calibration_target_with_its_source():
    keys = {t["key"]: t for t in calibration.spec()["target"]}
    for k, v in calibration.followup_targets().items():
        assert keys[k]["value"] == v["value"] and "src:" in keys[k]["source"]


@pytest.fixture(scope="module")
def simulated():
    return calibration.simulate({}, [], seed=1, reps=16, scale=0.3)


@pytest.mark.parametrize("key", sorted(calibration.followup_targets()))
def test_the_model_matches_the_national_follow_up_within_tolerance(simulated, key):
    target = calibration.followup_targets()[key]
    assert simulated[key] == pytest.approx(target["value"], abs=target["tolerance"]), key


def test_the_calibration_record_lists_the_follow_up_beside_the_simulated_values():
    text = (calibration.paths.DATA / "fitted.toml").read_text(encoding="utf-8").split("[record]")[1]
    for key in calibration.followup_targets():
        assert f"target_{key} = {{ target = " in text and "fitted = " in text
