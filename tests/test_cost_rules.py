"""The cost rules, one citizen at a time: the situations in cost_cases.toml (the staircase, the
reset after 52 weeks of self-support within 3 years, wage subsidy and flex-job not resetting it,
the sick-pay employer period, dagpenge co-financing, ...) and the accounting identity."""
import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest

from model.sim import cost_rules as cr
from model.sim.citizens import Offer
from model.states import State

CASES = tomllib.loads((Path(__file__).parent / "cost_cases.toml").read_text(encoding="utf-8"))
T = cr.cost_tables()


def _cost(case: dict) -> dict[str, float]:
    out = cr.month_cost(
        T, int(State[case["state"]]), getattr(Offer, case.get("offer", "none")), case["year"] - cr.FIRST_YEAR,
        int(case["age"] * 12), float(case["weeks_on_benefits"]), case.get("months_in_state", 3),
        case.get("partial", False), float(case.get("flex_hours", 0)), case.get("old_pension", False),
        case.get("refugee_months", -1), case.get("entered_work", False))
    names = ("gross", "refusion", "net", "offers_gross", "offers_refusion", "offers_net",
             "grants_gross", "grants_refusion", "grants_net")
    return dict(zip(names, out))


@pytest.mark.parametrize("case", CASES["case"], ids=[c["name"] for c in CASES["case"]])
def test_a_month_costs_what_the_rules_say(case):
    got = _cost(case)
    for key in ("gross", "refusion", "net", "offers_gross", "offers_refusion", "offers_net",
                "grants_gross", "grants_net"):
        if key in case:
            assert got[key] == pytest.approx(case[key], rel=1e-6, abs=1e-3), key
    if "refusion_share" in case:
        assert got["refusion"] / got["gross"] == pytest.approx(case["refusion_share"]), "refusion share"
    if "net_share" in case:
        assert got["net"] / got["gross"] == pytest.approx(case["net_share"]), "net share"


def _run_clock(case: dict) -> float:
    weeks, hist = float(case.get("start_weeks", 0)), np.uint64(0)
    previous = None
    mis = 0
    for item in case["months"]:
        name, n = item[0], item[1]
        offer = getattr(Offer, item[2]) if len(item) > 2 else Offer.none
        for _ in range(n):
            mis = mis + 1 if name == previous else 0
            previous = name
            weeks, hist = cr.clock_step(T, int(State[name]), offer, 1, mis, weeks, hist)
    return weeks


@pytest.mark.parametrize("case", CASES["clock"], ids=[c["name"] for c in CASES["clock"]])
def test_the_refusion_clock(case):
    assert _run_clock(case) == pytest.approx(case["weeks"], abs=1e-6)


def test_a_long_spell_walks_down_the_staircase_month_by_month():
    weeks, hist = 0.0, np.uint64(0)
    shares = []
    for month in range(14):
        g, r, n = cr.benefit_cost(T, int(State.cash_benefit_activity), Offer.none, 1, 40 * 12, weeks, month,
                                  False, 0.0, False)
        shares.append(round(r / g, 2))
        weeks, hist = cr.clock_step(T, int(State.cash_benefit_activity), Offer.none, 1, month, weeks, hist)
    assert shares == [0.8] + [0.4] * 5 + [0.3] * 6 + [0.2] * 2


def test_after_the_reset_the_state_refunds_80_percent_again():
    weeks, hist = 0.0, np.uint64(0)
    for state, months in (("cash_benefit_activity", 24), ("employed", 12)):
        for m in range(months):
            weeks, hist = cr.clock_step(T, int(State[state]), Offer.none, 1, m, weeks, hist)
    g, r, _ = cr.benefit_cost(T, int(State.cash_benefit_jobready), Offer.none, 1, 40 * 12, weeks, 0, False, 0.0, False)
    assert r / g == pytest.approx(0.8)


def test_every_month_adds_up_gross_equals_refusion_plus_net():
    """Accounting, per component: gross = state refusion + municipal net, and the refusion is a
    share of the gross — over every state, offer, year, age band, clock step and flag."""
    offers = [v for k, v in vars(Offer).items() if not k.startswith("_") and isinstance(v, int)]
    for s, o, y, age, weeks, partial, old, mis in itertools.product(
            State, offers, range(cr.N_YEARS), (20, 27, 45), (0.0, 10.0, 30.0, 60.0), (False, True),
            (False, True), (0, 5)):
        out = cr.month_cost(T, int(s), o, y, age * 12, weeks, mis, partial, 12.0, old, 20, True)
        for g, r, n in (out[0:3], out[3:6], out[6:9]):
            assert g == pytest.approx(r + n, abs=1e-9)
        assert 0.0 <= out[1] <= out[0] and 0.0 <= out[4] <= out[3]
        assert out[6] <= 0.0 and out[7] == 0.0


def test_the_tables_are_built_by_state_name():
    """A benefit's rate sits at its state's code whatever the code is."""
    y = 2017 - cr.FIRST_YEAR
    assert T.gross[y, State.unemployment_insurance, 2] == pytest.approx(0.9 * 18399)
    assert T.kind[State.flexjob] == cr.KIND_FLEX and T.kind[State.sickness_benefit] == cr.KIND_SICK
    assert not T.covered[State.igu] and T.covered[State.flexjob]
    assert T.wage_subsidy_offer == Offer.wage_subsidy
    assert T.reset_months == 12 and T.window_months == 36


def test_the_initial_clock_counts_the_current_spell_back_to_july_2014():
    wpm = T.weeks_per_month
    assert cr.initial_weeks(T, int(State.cash_benefit_activity), 5) == pytest.approx(5 * wpm)
    assert cr.initial_weeks(T, int(State.cash_benefit_activity), 60) == pytest.approx(24 * wpm)
    assert cr.initial_weeks(T, int(State.employed), 60) == 0.0


def test_pensions_awarded_before_july_2014_keep_the_old_financing():
    assert cr.pension_awarded_before_reform(T, 0, 25)          # awarded 2014-06
    assert not cr.pension_awarded_before_reform(T, 0, 24)      # awarded 2014-07
    assert not cr.pension_awarded_before_reform(T, 30, 10)     # awarded in the simulation
