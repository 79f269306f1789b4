"""``python -m model cost`` and ``python -m model business-case``: the column contracts, the
accounting in what they print, the difference with the same seeds, and bad input as one line with
exit code 2 (a bad argument, a scenario with no business case, a broken rate file)."""
import io
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from model import cli
from model.costs import accounts, business_case
from model.inputs import assumptions, levers, rates, scenario
from model.sim import indicators

from conftest import ROOT, SCENARIOS, rates_from, refused

PLAN = str(SCENARIOS / "plan-2017.toml")
PRACTICE = str(SCENARIOS / "baseline-2016.toml")


def csv_of(capsys, argv) -> pd.DataFrame:
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    return pd.read_csv(io.StringIO(out))



def test_the_plans_cost_as_the_acceptance_check_runs_it():
    """The command exactly as documented: whole municipality, 3 futures."""
    out = subprocess.run([sys.executable, "-m", "model", "cost", PLAN, "--replications", "3", "--seed", "1",
                          "--format", "csv"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    df = pd.read_csv(io.StringIO(out.stdout))
    assert list(df.columns) == ["year", "component", "measure", "mean", "p05", "p95"]
    assert sorted(df.year.unique()) == [2017, 2018, 2019, 2020]
    assert set(df.measure) == {"gross_dkk", "state_refusion_dkk", "municipal_net_dkk", "state_net_dkk", "public_net_dkk"}
    assert set(df.component) <= {*accounts.COMPONENTS, "total"} and "total" in set(df.component)
    assert {"casework", "effort_caseworkers", "effort_consultants", "effort_offers"} <= set(df.component)
    total = df[df.component == "total"].pivot(index="year", columns="measure", values="mean")
    assert 0.6e9 <= total.loc[2017, "municipal_net_dkk"] <= 2.0e9
    for year, m in total.iterrows():                                  # gross = refusion + net (CSV keeps 6 digits)
        assert m.gross_dkk == pytest.approx(m.state_refusion_dkk + m.municipal_net_dkk, rel=1e-5), year
        assert m.public_net_dkk == pytest.approx(m.municipal_net_dkk + m.state_net_dkk, rel=1e-5), year
    for (year, measure), rows in df.groupby(["year", "measure"]):     # the components add up to the total
        parts = rows[rows.component != "total"]["mean"].sum()
        assert parts == pytest.approx(rows[rows.component == "total"]["mean"].item(), rel=1e-4), (year, measure)


def test_versus_prints_the_difference_with_the_same_seeds(capsys):
    args = ["--replications", "2", "--seed", "3", "--scale", "0.2", "--format", "csv"]
    diff = csv_of(capsys, ["cost", PLAN, "--versus", PRACTICE, *args])
    assert list(diff.columns) == ["year", "component", "measure", "mean", "p05", "p95"]
    assert set(diff.measure) == {f"{m}_diff" for m in accounts.MEASURES}
    plan, practice = csv_of(capsys, ["cost", PLAN, *args]), csv_of(capsys, ["cost", PRACTICE, *args])
    key = ["year", "component", "measure"]
    plan["measure"] += "_diff"
    practice["measure"] += "_diff"
    both = diff.merge(plan, on=key, suffixes=("", "_a"), how="left").merge(practice, on=key, suffixes=("", "_b"),
                                                                          how="left")
    expected = both.mean_a.fillna(0) - both.mean_b.fillna(0)          # a mean of differences = difference of means
    rounding = 1e-5 * (both.mean_a.abs().fillna(0) + both.mean_b.abs().fillna(0)) + 1   # CSV keeps 6 digits
    assert ((both["mean"] - expected).abs() <= rounding).all()
    same = csv_of(capsys, ["cost", PLAN, "--versus", PLAN, *args])
    assert (same[["mean", "p05", "p95"]] == 0).all().all()


def test_the_readable_cost_table_is_in_millions_with_danish_labels(capsys):
    assert cli.main(["cost", PLAN, "--replications", "1", "--scale", "0.1", "--lang", "da"]) == 0
    out = capsys.readouterr().out
    assert "Kommunal nettoudgift, mio. kr." in out and "Statslig refusion" in out and "I alt" in out
    assert "Førtidspension" in out and "Tilbud (løntilskud)" in out and "Indsats: virksomhedskonsulenter" in out
    assert "før beskæftigelsestilskud" in out and "Statens nettoudgift" in out and "Offentlig nettoudgift i alt" in out
    assert "Årsværk, som arbejdet kræver" in out and "ansat i 2016: 125" in out
    assert not re.search(r"\bnan\b", out, re.IGNORECASE)


def test_the_business_case_has_a_row_per_moved_lever_and_measure(capsys):
    df = csv_of(capsys, ["business-case", PLAN, "--replications", "2", "--seed", "1", "--scale", "0.2",
                         "--format", "csv"])
    assert list(df.columns) == ["lever", "measure", "mean", "p05", "p95"]
    net = df[df.measure == "municipal_net_dkk_2017_2020"]
    assert net.lever.nunique() >= 8
    assert set(df.lever) == {*business_case.moved_levers(scenario.load(PLAN)), "all"}
    assert set(df.lever) - {"all"} <= set(levers.LEVERS)
    yearly = {f"{m}_{y}" for m in ("effort_cost_dkk", "savings_dkk", "municipal_net_dkk") for y in range(2017, 2021)}
    every = {"municipal_net_dkk_2017_2020", "people_off_benefits_2020", "effort_cost_dkk_2017_2020",
             "savings_dkk_2017_2020", "payback_month", "state_net_dkk_2017_2020", "public_net_dkk_2017_2020",
             "public_effort_cost_dkk_2017_2020", "caseworkers_fte_2020", "company_consultants_fte_2020", *yearly}
    for lever, rows in df.groupby("lever"):
        measures = set(rows.measure)
        assert every <= measures, (lever, every - measures)
        assert {f"{k}_2020" for k in indicators.INDICATORS} <= measures, lever
        assert measures <= {*every, "municipal_net_dkk_per_person_off_benefits_2020",
                            *(f"{k}_2020" for k in indicators.INDICATORS)}
    plain = df[df.measure != "payback_month"]
    assert not plain[["mean", "p05", "p95"]].isna().any().any()
    assert (plain.p05 <= plain.p95).all()
    payback = df[df.measure == "payback_month"].set_index("lever")
    assert payback["mean"].dropna().between(1, 48).all()
    assert df.set_index(["lever", "measure"]).loc[("internship_places", "effort_cost_dkk_2017_2020"), "mean"] > 0


def test_the_readable_business_case_names_the_levers_and_when_they_pay_back(capsys, tmp_path):
    chart = tmp_path / "payback.png"
    assert cli.main(["business-case", PLAN, "--replications", "1", "--scale", "0.1", "--lang", "da",
                     "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "Alle håndtag samlet" in out and levers.LEVERS["internship_deadline_months"].label_da in out
    assert "mio. kr." in out and not re.search(r"\bnan\b", out, re.IGNORECASE)
    assert "Tjent hjem" in out and "Indsats 2017–2020" in out and "Besparelse 2017–2020" in out
    assert re.search(r"(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december) "
                     r"20(17|18|19|20)|ikke inden 2020", out)
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_which_unit_costs_decide_is_measured_on_the_same_futures(capsys):
    df = csv_of(capsys, ["business-case", PLAN, "--replications", "1", "--scale", "0.1", "--format", "csv",
                         "--sensitivity", "unit-costs"])
    assert list(df.columns) == business_case.SENSITIVITY_COLUMNS
    assert set(df.factor) == {k for k, a in assumptions.UNIT_COSTS.items() if a.low < a.high}
    spread = (df.net_high - df.net_low).abs()
    assert list(spread) == sorted(spread, reverse=True) and spread.iloc[0] > 0
    dearer = df.set_index("factor").loc["consultant_fte_cost"]
    assert dearer.net_high > dearer.net_low                # dearer consultants: the levers cost more


@pytest.mark.parametrize("argv,says", [
    (["cost", PLAN, "--replications", "0"], "--replications: 0, allowed 1 or more (at most 1,000)"),
    (["cost", PLAN, "--replications", "1001"], "at most 1,000"),
    (["cost", PLAN, "--seed", "-1"], "--seed: -1, allowed 0 or more"),
    (["cost", PLAN, "--scale", "0.01"], "--scale: 0.01, allowed 0.05–60"),
    (["cost", PLAN, "--format", "xml"], "--format: invalid choice"),
    (["cost", PLAN, "--lang", "de"], "--lang: invalid choice"),
    (["cost", PLAN, "--versus", "no/such.toml"], "no/such.toml: no such scenario file"),
    (["cost", "no/such.toml"], "no/such.toml: no such scenario file"),
    (["business-case", PLAN, "--replications", "x"], "'x' is not a whole number"),
    (["business-case", PLAN, "--scale", "61"], "--scale: 61, allowed 0.05–60"),
    (["business-case", PLAN, "--versus", PRACTICE], "unrecognized arguments: --versus"),
    (["business-case", PRACTICE, "--replications", "1"], "moves no lever from 2016 practice"),
    (["business-case", PLAN, "--sensitivity", "everything"], "--sensitivity: invalid choice"),
    (["business-case", PLAN, "--replications", "1", "--scale", "0.1", "--chart", "x.gif"], "--chart x.gif: allowed"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, says):
    refused(capsys, argv, says)


@pytest.fixture
def broken_rates(tmp_path, monkeypatch):
    """The model's rate files with a negative dagpenge rate, in place of the real ones."""
    d = tmp_path / "rates"
    shutil.copytree(rates.RATES_DIR, d)
    p = d / "benefits.toml"
    text = p.read_text(encoding="utf-8")
    start = text.index("[rates.dagpenge_max]")
    head, tail = text[:start], text[start:]
    p.write_text(head + tail.replace("2017 = ", "2017 = -", 1), encoding="utf-8")
    yield from rates_from(monkeypatch, d)


@pytest.mark.parametrize("command", ["cost", "business-case"])
def test_a_broken_rate_file_is_one_line_naming_file_field_and_value(capsys, broken_rates, command):
    err = refused(capsys, [command, PLAN, "--replications", "1", "--scale", "0.1"], "benefits.toml, line")
    assert "dagpenge_max" in err and "2017 = -" in err
