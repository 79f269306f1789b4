"""The cost rules against public totals (2017): Viborg's gross spending per benefit group against
national spending scaled by Viborg's share of the national recipients, within the tolerances
stated in national.toml and justified in docs/model.md."""
from model.costs import plausibility as cp
from model.inputs import municipalities


def test_every_compared_group_is_within_its_tolerance():
    compared = [c for c in cp.compare(municipalities.load("viborg")) if c.ratio is not None]
    assert {c.group for c in compared} == {"unemployment_insurance", "cash_benefit", "disability_pension",
                                           "sickness_benefit"}
    for c in compared:
        assert c.within, f"{c.group}: ratio {c.ratio:.2f} outside {1 / c.tolerance:.2f}–{c.tolerance:.2f}"


def test_the_cash_group_against_actual_spending_is_within_25_percent():
    assert 0.8 <= cp.cash_cross_check(municipalities.load("viborg")) <= 1.25


def test_the_ratios_are_printed(capsys):
    assert cp.main([]) == 0
    out = capsys.readouterr().out
    for group in ("unemployment_insurance", "cash_benefit", "disability_pension", "sickness_benefit"):
        assert group in out
    assert "resource_course" in out and "not compared" in out
    assert "ratio" in out and "Cross-check" in out
