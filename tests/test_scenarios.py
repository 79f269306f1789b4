"""The shipped scenario files load, round-trip and hash stably."""
from model.inputs import levers, scenario

from conftest import SCENARIOS


def test_shipped_scenarios_load():
    names = {p.name for p in scenario.available()}
    assert {"baseline-2016.toml", "plan-2017.toml", "refugees-391.toml"} <= names
    for p in scenario.available():
        scenario.load(p)


def test_baseline_is_2016_practice_and_plan_sets_the_plans_levers():
    base = scenario.load(SCENARIOS / "baseline-2016.toml")
    plan = scenario.load(SCENARIOS / "plan-2017.toml")
    assert base.lever_values == levers.practice_2016()
    for key, lever in levers.LEVERS.items():
        if lever.plan:
            assert {y: plan.lever(key, y) for y in lever.plan} == lever.plan, key
    assert plan.lever("internship_deadline_months", 2016) == 6       # 2016 is always 2016 practice
    assert scenario.load(SCENARIOS / "refugees-391.toml").inputs["refugees_per_year"][2017] == 391


def test_toml_round_trip_keeps_the_hash():
    plan = scenario.load(SCENARIOS / "plan-2017.toml")
    again = scenario.parse(plan.to_toml())
    assert again.hash == plan.hash and again.lever_values == plan.lever_values


def test_hash_changes_with_any_lever():
    plan = scenario.load(SCENARIOS / "plan-2017.toml")
    other = plan.replace(levers={"internship_deadline_months": 4})
    assert other.hash != plan.hash
    assert plan.replace(name="x", description="y").hash == plan.hash        # the name is not what is simulated
