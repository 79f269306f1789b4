"""One way to vary a scenario (``Scenario.replace``), and every path that varies one keeps what it
is about: a scenario of the second profile (Eksempelby) varied by the app, a sweep, the
sensitivity analysis (Morris and Sobol points), the drivers, the goal-seek or the business case
is still Eksempelby's — its municipality, its plan's targets and status, its inputs — never
Viborg's. (The trials vary no given scenario: each starts from 2016 practice of the default
profile, as its study's population is Viborg's.)"""
from __future__ import annotations

import numpy as np
import pytest

from app_pages import state
from model.costs import business_case
from model.experiments import drivers, seek, sensitivity, sobol
from model.inputs import levers, municipalities, scenario, sweep
from model.sim import runner

from conftest import SCENARIOS, with_levers

OTHER = municipalities.load("eksempelby")


@pytest.fixture(scope="module")
def other_plan():
    text = (SCENARIOS / "plan-2017.toml").read_text(encoding="utf-8")
    return scenario.parse(text.replace('municipality = "viborg"', 'municipality = "eksempelby"'), where="other.toml")


def variations(base: scenario.Scenario, tmp_path) -> dict[str, list[scenario.Scenario]]:
    """``base`` varied by every path that varies a scenario, a few variants each."""
    (tmp_path / "other.toml").write_text(base.to_toml(), encoding="utf-8")
    (tmp_path / "sweep.toml").write_text('name = "s"\nbase = "other.toml"\n[levers]\ninternship_deadline_months = [2, 3]\n'
                                         '[assumptions]\nmatching_elasticity = [0.3]\n', encoding="utf-8")
    origin = state.scenario_origin(base, "upload")
    values = {k: base.lever(k, 2017) for k in base.lever_values} | {"internship_places": 900}
    _, morris = sensitivity.design(1, seed=1)
    prob, fs = sobol.problem()
    step = drivers.step_of(base, "internship_places")
    return {
        "app": [state.build(values, origin, lang)[0] for lang in ("da", "en")],
        "sweep": [e.scenario for e in sweep.expand(tmp_path / "sweep.toml")],
        "morris": [p.scenario for p in sensitivity.scenarios(morris[:3], base)],
        "sobol": [p.scenario for p in sensitivity.scenarios(sobol.design(prob, 2, 1)[:3], base, fs, method="sobol")],
        "drivers": [drivers.stepped(base, step)],
        "seek": [seek.candidate(base, {"internship_places": 700, "wage_subsidy_places": 250})],
        "business case": [business_case.practice_of(base), *business_case.variants(base).values()],
        "tests' with_levers": [with_levers(base, igu_uptake=0.05)],
    }


def test_every_path_that_varies_a_scenario_keeps_its_municipality_targets_and_inputs(other_plan, tmp_path):
    for path, varied in variations(other_plan, tmp_path).items():
        assert varied, path
        for sc in varied:
            assert sc.municipality == OTHER and sc.municipality.profile == "eksempelby", path
            assert sc.municipality.targets["long_term_unemployed"]["years"][2020] == 140, path
            assert sc.municipality.status_2016["long_term_unemployed"] == 189, path
            assert sc.inputs == other_plan.inputs, path
            assert 'municipality = "eksempelby"' in sc.to_toml(), path


def test_a_varied_scenario_is_judged_by_its_own_plan(other_plan):
    varied = seek.candidate(other_plan, {"internship_places": 700})
    results = runner.run_replications(varied, 1, seed=3, scale=0.05)
    s = runner.summary(results).set_index(["indicator", "year"])
    assert s.loc[("long_term_unemployed", 2020), "target"] == 140           # Viborg's: 220
    assert s.loc[("long_term_unemployed", 2016), "mean"] == 189             # the status: Viborg's 378
    assert results[0].municipality == OTHER


def test_replace_changes_only_what_it_names(plan):
    moved = plan.replace(levers={"internship_places": 700}, assumptions={"matching_elasticity": 0.3},
                         inputs={"refugees_per_year": {2018: 0}}, name="moved")
    assert moved.name == "moved" and moved.description == plan.description
    assert moved.lever("internship_places", 2019) == 700 and plan.lever("internship_places", 2019) != 700
    assert {k: v for k, v in moved.lever_values.items() if k != "internship_places"} == \
        {k: v for k, v in plan.lever_values.items() if k != "internship_places"}
    assert moved.assumption_values["matching_elasticity"] == 0.3
    assert moved.inputs["refugees_per_year"][2018] == 0
    assert moved.inputs["refugees_per_year"][2017] == plan.inputs["refugees_per_year"][2017]
    back = moved.replace(levers={"internship_places": None})                # back to 2016 practice
    assert back.lever("internship_places", 2019) == levers.LEVERS["internship_places"].practice_2016
    assert plan.replace().hash == plan.hash and plan.replace(name="x").to_toml() != plan.to_toml()


def test_replace_refuses_a_value_a_file_could_not_hold(plan):
    with pytest.raises(scenario.ScenarioError, match="internship_deadline_months"):
        plan.replace(levers={"internship_deadline_months": 99})
    with pytest.raises(scenario.ScenarioError, match="unknown field 'levers.no_such_lever'"):
        plan.replace(levers={"no_such_lever": 1})


def test_a_municipality_is_one_object_that_travels_by_its_name(other_plan):
    import pickle
    again = pickle.loads(pickle.dumps(other_plan))
    assert again.municipality is OTHER and again.hash == other_plan.hash
    assert pickle.loads(pickle.dumps(OTHER)) is OTHER
    assert np.isclose(sum(OTHER.population["age_shares"]), 1)
    with pytest.raises(ValueError, match="unknown municipality 'nowhere', known: eksempelby, viborg"):
        municipalities.load("nowhere")
