"""Another municipality is another profile: a run of the synthetic Eksempelby (half of Viborg's
counts, its own targets) uses its own population, targets and name everywhere, and nothing of
Viborg leaks into it."""
import numpy as np
import pandas as pd
import pytest

from model.experiments import batch
from model.inputs import municipalities, scenario
from model.reports import charts
from model.sim import runner

from conftest import SCENARIOS

OTHER = municipalities.load("eksempelby")
VIBORG = municipalities.load("viborg")


@pytest.fixture(scope="module")
def other_plan():
    text = (SCENARIOS / "plan-2017.toml").read_text(encoding="utf-8").replace('municipality = "viborg"',
                                                                              f'municipality = "{OTHER.profile}"')
    return scenario.parse(text)


@pytest.fixture(scope="module")
def runs(other_plan, plan):
    return (runner.run_replications(other_plan, 3, seed=4, scale=0.2),
            runner.run_replications(plan, 3, seed=4, scale=0.2))


def test_the_other_profile_has_its_own_targets():
    mine, viborg = OTHER.targets, VIBORG.targets
    assert mine["long_term_unemployed"]["years"][2020] == 140 != viborg["long_term_unemployed"]["years"][2020]


def test_its_population_is_its_own(runs):
    other, _ = runs
    july = runner.state_summary(other).query("month == '2016-07'")
    assert july["mean"].sum() == pytest.approx(OTHER.population["working_age"])


def test_its_summary_is_judged_against_its_own_targets_and_status(runs, other_plan):
    other, viborg = runs
    s = runner.summary(other).set_index(["indicator", "year"])
    mine = OTHER.targets
    for key, t in mine.items():
        for year, target in t["years"].items():
            assert s.loc[(key, year), "target"] == target, (key, year)
        if t["baseline"] is not None:
            assert s.loc[(key, 2016), "mean"] == t["baseline"], key
    # Half the people: counts about half of Viborg's (the same rules, the same shares).
    v = runner.summary(viborg).set_index(["indicator", "year"])
    ratio = s.loc[("youth_on_benefits", 2018), "mean"] / v.loc[("youth_on_benefits", 2018), "mean"]
    assert 0.4 < ratio < 0.6


def test_a_batch_judges_each_scenario_by_its_own_municipality(runs):
    other, viborg = runs
    yearly = pd.concat([batch.yearly_table(other[0], 0, "a"), batch.yearly_table(viborg[0], 0, "b")])
    s = batch.summarise(yearly, {"a": OTHER, "b": VIBORG}, scale=0.2).set_index(["scenario_id", "indicator", "year"])
    assert s.loc[("a", "long_term_unemployed", 2020), "target"] == 140
    assert s.loc[("b", "long_term_unemployed", 2020), "target"] == 220


def test_its_charts_name_it_and_not_viborg(runs, other_plan):
    other, _ = runs
    summary = runner.summary(other)
    stamp = charts.Stamp(other_plan.name, other_plan.hash, 4, 3, municipality=OTHER.name)
    for lang in ("da", "en"):
        text = str(charts.indicator_chart(summary, "long_term_unemployed", stamp, lang).to_dict())
        assert "Eksempelby Kommune" in text and "Viborg" not in text


def test_counts_scale_with_the_profile(runs):
    other, viborg = runs
    a, b = runner.municipality_values(other), runner.municipality_values(viborg)
    assert 0.35 < np.mean(a["long_term_unemployed"][:, 1:]) / np.mean(b["long_term_unemployed"][:, 1:]) < 0.65
