"""The legal deadlines, case by case (tests/situations.toml): one citizen, one month, the state
the law forces next month. In the style of PolicyEngine's YAML tests: the cases are data."""
import tomllib
from pathlib import Path

import pytest

from model.sim import situation
from model.sim.context import P
from model.states import State

T = 24                                                     # the month the cases happen in (2018-07)
CASES = tomllib.loads((Path(__file__).parent / "situations.toml").read_text(encoding="utf-8"))["case"]


def citizen(case: dict):
    age = case.get("age_months", case.get("age", 40) * 12)
    fields = {"birth": T - age, "mis": case.get("mis", 0), "educated": case.get("educated", True),
              "refugee": case.get("refugee", False), "sdp_extended": case.get("extended", False)}
    if "dp_months" in case:
        fields["dp_hist"] = (1 << case["dp_months"]) - 1
    if "sick_months" in case:
        fields["sdp_hist"] = (1 << case["sick_months"]) - 1
    if "arrived" in case:
        fields["arrival"] = T - case["arrived"]
    return situation.person(State[case["state"]], t=T, **fields)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_legal_deadline(baseline, case):
    m = situation.month(baseline, t=T)
    for slot, value in case.get("par", {}).items():
        m.par[P[slot]] = value
    forced = situation.deadline(citizen(case), m)
    assert (forced.name if forced is not None else "none") == case["expect"]


def test_the_cases_cover_every_deadline_rule():
    states = {c["state"] for c in CASES}
    assert {"unemployment_insurance", "sickness_benefit", "education_benefit_ready", "integration_benefit", "igu",
            "resource_course"} <= states
    assert {c["expect"] for c in CASES} >= {"none", "job_clarification", "outside_labour_force"}
