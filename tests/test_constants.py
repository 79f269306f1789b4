"""Every number in the rule modules comes from the data files (rules.toml, the municipality
profile, hazards, levers): the modules hold no numeric literal beyond 0, 1, 12 (months in a year)
and the few listed here with the reason each is code, not data. A rate, limit or age written into
code makes this test fail; move it into model/data with its source instead."""
import ast
from pathlib import Path

import pytest

import model

ANYWHERE = {0, 1, -1, 12}     # nothing, one, "none", months in a year

EXPLAINED = {
    "sim/rules": {
        0.5: "TRIAL_SPLIT: a simulated trial treats half of the citizens (rank below one half)",
        2: "two rows per state and band (young, older); request kinds are codes 0..3",
        3: "request kinds are codes 0..3; three cost measures (gross, refusion, net) per component",
        16: "width of the 16-month bit histories (sick pay, unemployment)",
        64: "width of the 64-month dagpenge bit history",
        0xFFFF: "mask of the 16-month bit histories",
        0.99: "cap on a month's total exit chance (numerical: a hazard row must leave room to stay)",
        1e-9: "guard against dividing by a zero fade span",
    },
    "sim/jobcenter": {
        2: "priority tier codes 0..2 (named PRIORITY_*)",
        3: "three priority tiers",
        4096.0: "WAIT_SPAN: room in the sort key for the months waited",
    },
    "sim/population": {
        0.004: "floor on the monthly exit of absorbing states so spell ages spread over years (numerical)",
        240: "spells already spent are drawn from at most 20 years (array length)",
        2: "newcomer kind code (0 entrant, 1 immigrant, 2 refugee)",
        3: "three newcomer kinds (array shape)",
        13: "calendar months: 13 - July = the months of 2016 in the window",
        0xFFFF: "mask of the 16-month bit histories",
        1024: "BUCKETS: the survival CDF's search index (a speed setting; the draws are exact)",
    },
    "sim/indicators": {
        2015: "the plan's Mål 4 counts refugees arrived since January 2015 (the plan's definition)",
        16: "width of the 16-month unemployment bit history",
        0xFFFF: "mask of the 16-month bit history",
    },
    "experiments/calibration": {
        0.1: "MIN_SCALE: below it the simulated objective is noise (measured, see the comment)",
        8: "default replications per evaluation (tool setting)",
        16: "default replications of calibrate --check (tool setting)",
        0.3: "default scale and finite-difference step of the fit (tool settings)",
        150: "default maximum evaluations (tool setting)",
        60: "months of dagpenge spells tallied (array length)",
        36: "refugees measured 36 months after arrival (the target's definition)",
        2: "(employed, all) tally pair; refugee years plural",
        5: "digits of fitted values written back",
        2016: "targets measured at the end of 2016 (their definition)",
        2017: "targets measured in 2017 (their definition)",
        0.5: "median spell: first month with survival below one half",
        1e-9: "guard against dividing by zero",
        52: "weeks in a year (the target is in weeks)",
        1e-4: "least-squares tolerance (tool setting)",
        1e-6: "least-squares tolerance (tool setting)",
        19: "the national cash-benefit follow-up measures 19 months after the stock month (its definition)",
        30: "the national cash-benefit follow-up measures 30 months after the stock month (its definition)",
    },
}


def literals(text: str) -> dict[float, list[int]]:
    """Numeric literals of Python source: value -> line numbers."""
    tree = ast.parse(text)
    found: dict[float, list[int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            found.setdefault(node.value, []).append(node.lineno)
    return found


@pytest.mark.parametrize("module", sorted(EXPLAINED))
def test_rule_modules_hold_no_unexplained_numbers(module):
    text = (Path(model.__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    unexplained = {v: lines for v, lines in literals(text).items()
                   if v not in ANYWHERE and v not in EXPLAINED[module]}
    assert not unexplained, f"model/{module}.py: numbers in code (value: lines) {unexplained}; move them to model/data"


def test_the_check_finds_a_rate_written_into_code():
    code = "def f(x):\n    return x * 0.37 if x > 30 else x + 1\n"
    assert {v for v in literals(code) if v not in ANYWHERE} == {0.37, 30}
