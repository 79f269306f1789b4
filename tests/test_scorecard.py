"""The scorecard: the model's number of each compared measure, the band a figure is held against,
and the command end to end (import, then score)."""
import datetime as dt
import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from model import paths
from model.experiments import scorecard
from model.inputs import actuals, measures, municipalities, scenario
from model.reports import charts, council, reality
from model.sim import runner
from model.states import State

from conftest import ROOT, SCENARIOS, refused

FILES = ROOT / "tests" / "actuals"
SCALE, REPS = 0.1, 3


@pytest.fixture(scope="module")
def results(baseline):
    return runner.run_replications(baseline, REPS, 1, scale=SCALE, keep_populations=False)


@pytest.fixture(scope="module")
def band(results):
    return scorecard.bands(results)


def test_persons_in_the_month_are_those_there_at_its_start_or_end_or_who_left(results):
    """Persons in month t (Jobindsats' Antal personer) = stock at t−1 + everyone who came in during t;
    the same persons are those there at t's end, those who moved on and those who left the
    population: counted along the other side of the flows, the two agree."""
    m = measures.measures()["sickness_benefit.persons"]
    persons = scorecard._monthly(results, m) * SCALE
    s = int(State.sickness_benefit)
    r = results[0]
    out = r.flows[:, :, s, :].sum(axis=2) - r.flows[:, :, s, s] + r.leavers[:, :, s]
    other_side = r.states[:, :, s] + out
    assert np.isnan(persons[:, 0]).all()                                 # the status month has no month before
    np.testing.assert_allclose(persons[: r.replications, 1:], other_side[:, 1:])
    assert (persons[:, 1:] >= r.states[:, 1:, s]).all() and (persons[:, 1:] >= r.states[:, :-1, s]).all()


def test_the_band_of_an_indicator_in_december_is_the_summary_s(results, band):
    summary = runner.summary(results).set_index(["indicator", "year"])
    row = band[(band.measure == "long_term_unemployed.month_end") & (band["first"] == dt.date(2018, 12, 1))].iloc[0]
    s = summary.loc[("long_term_unemployed", 2018)]
    assert row["mean"] == pytest.approx(s["mean"]) and row.p05 == pytest.approx(s.p05)
    row = band[(band.measure == "youth_to_education.year_share") & (band["first"] == dt.date(2019, 1, 1))].iloc[0]
    assert row.months == 12 and row.p95 == pytest.approx(summary.loc[("youth_to_education", 2019)].p95)


def test_only_figures_the_model_counts_the_same_way_are_scored(band):
    near = band[(band.measure == "sickness_benefit.persons") & (band["first"] == dt.date(2017, 1, 1))].iloc[0]
    rows = [("sickness_benefit.persons", dt.date(2017, 1, 1), 1, near["mean"]),       # inside
            ("sickness_benefit.persons", dt.date(2017, 2, 1), 1, 10 * near["mean"]),   # far above
            ("sickness_benefit.persons", dt.date(2017, 3, 1), 1, np.nan),              # suppressed
            ("sickness_benefit.persons", dt.date(2017, 1, 1), 3, near["mean"]),        # a quarter of persons
            ("sickness_benefit.persons", dt.date(2016, 7, 1), 1, near["mean"]),        # no month before
            ("sickness_benefit.full_time", dt.date(2017, 1, 1), 1, 0.8 * near["mean"]),
            ("youth_on_benefits.month_end", dt.date(2016, 7, 1), 1, 1343.0)]           # the status month
    actual = pd.DataFrame([{"measure": k, "municipality": "viborg", "period": p, "months": n, "value": v,
                            "unit": measures.measures()[k].unit, "source": "test", "retrieved": dt.date(2026, 1, 1),
                            "note": "", "file": "t"} for k, p, n, v in rows])
    table, left = scorecard.score(actual, band)
    assert table[scorecard.COLUMNS].period.tolist() == ["2017-01", "2017-02", "2016-07"]
    assert table.inside_band.tolist()[:2] == [True, False] and table.status.tolist() == [False, False, True]
    why = sorted((x.measure, x.figures, x.reason) for x in left)
    assert [w[:2] for w in why] == [("sickness_benefit.full_time", 1)] + [("sickness_benefit.persons", 1)] * 3
    assert why[0][2].startswith("not compared: the model knows who is on a benefit, not how much of it is paid")
    assert why[1][2] == "counted per months in the model; the figure covers another period"
    assert why[2][2] == "outside the simulated months (2016-07–2020-12), or the model's number is undefined there"
    assert why[3][2] == "suppressed or empty in the source (missing, not zero)"
    text = reality.summary_text(table, left, "en")
    assert "1 of 2 actual figures inside the model's 5–95 % band" in text
    assert "outside the band: 1 above, 0 below (the model runs low)" in text
    assert "status month 2016-07: the model starts from the plan's figure" in text


def test_a_year_s_sentence_says_band_and_target():
    assert reality.sentence(2018, "count", 1250, 1180, 1320, 1150, False, "da") == \
        "I 2018 lå den faktiske værdi (1.250) inden for modellens bånd (1.180 – 1.320); målet (1.150) blev ikke nået."
    assert reality.sentence(2019, "share", 0.31, 0.22, 0.27, 0.28, True, "en") == \
        ("In 2019 the actual value (31.0 %) lay above the model's band (22.0 % – 27.0 %); "
         "the target (28 %) was met.")
    assert reality.sentence(2020, "count", np.nan, 1, 2, 3, None, "da") == \
        "For 2020 er der ingen faktisk værdi indlæst."


def test_year_table_reads_a_stock_in_december(results):
    summary = runner.summary(results)
    actual = pd.DataFrame([{"measure": "youth_on_benefits.month_end", "municipality": "viborg",
                            "period": dt.date(2018, 12, 1), "months": 1, "value": 5000.0, "unit": "persons",
                            "source": "a status report", "retrieved": dt.date(2019, 2, 1), "note": "", "file": "t"}])
    t = reality.year_table(summary, actual, municipalities.load("viborg"), "da").set_index(["indicator", "year"])
    row = t.loc[("youth_on_benefits", 2018)]
    assert row.actual == 5000 and row.inside is False and row.met is False and row.source == "a status report"
    assert row.sentence.startswith("I 2018 lå den faktiske værdi (5.000) over modellens bånd")
    assert t.loc[("youth_on_benefits", 2017)].sentence == "For 2017 er der ingen faktisk værdi indlæst."


def test_scorecard_command_end_to_end(tmp_path, capsys):
    from model import cli
    act = tmp_path / "act"
    assert cli.main(["actuals", "import", str(FILES / "Y07A02.json"), str(FILES / "tidy.csv"),
                     "--municipality", "viborg", "--out", str(act), "--retrieved", "2026-12-07"]) == 0
    capsys.readouterr()
    args = ["scorecard", str(SCENARIOS / "baseline-2016.toml"), "--actuals", str(act), "--replications", str(REPS),
            "--seed", "1", "--scale", str(SCALE), "--quiet"]
    assert cli.main(args + ["--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "measure,period,actual,mean,p05,p95,inside_band"
    d = pd.read_csv(io.StringIO(out))
    # Figures compared: persons in 2017-01, -02, -04 (March suppressed), the status month's young, the
    # share in August 2016, resource courses in August 2016 (sickness_benefit.month_end is empty).
    assert sorted(d.measure.unique()) == ["partial_return_share.share", "resource_course.month_end",
                                          "sickness_benefit.persons", "youth_on_benefits.month_end"]
    assert len(d) == 6 and set(d.actual.round()) >= {1490, 1500, 1512, 1343, 399}
    assert (d.inside_band.astype(str).str.lower() == ((d.p05 <= d.actual) & (d.actual <= d.p95)).map(
        {True: "true", False: "false"})).all()
    assert cli.main(args) == 0
    text = capsys.readouterr().out
    assert "Sickness benefit, persons in the month [sickness_benefit.persons]" in text
    assert "of 3 actual figures inside the model's 5–95 % band (a well-calibrated model catches about 90 %)" in text
    assert "Not compared:" in text and "sickness_benefit.full_time" in text


def test_scorecard_refuses_another_municipality_s_figures(tmp_path, capsys):
    act = tmp_path / "act"
    actuals.write(actuals.read([FILES / "tidy.csv"], "viborg").table, act)
    other = tmp_path / "other.toml"
    other.write_text((SCENARIOS / "baseline-2016.toml").read_text(encoding="utf-8").replace(
        'municipality = "viborg"', 'municipality = "eksempelby"'), encoding="utf-8")
    assert scenario.load(other).municipality.profile == "eksempelby"
    refused(capsys, ["scorecard", str(other), "--actuals", str(act), "--replications", "2", "--scale", "0.1"],
            "figures of Viborg Kommune, not of Eksempelby Kommune")
    refused(capsys, ["scorecard", str(SCENARIOS / "baseline-2016.toml"), "--actuals", str(tmp_path / "none"),
                     "--replications", "2"], "holds no actuals.parquet")


def test_the_council_pack_gains_the_view_when_figures_are_loaded(results, band, baseline):
    summary, states, flows = (runner.summary(results), runner.state_summary(results),
                              runner.flow_summary(results))
    table = actuals.load(paths.ACTUALS / "viborg", "viborg")
    scored, left = scorecard.score(table, band, "da")
    pack = reality.Pack(table, band, scored, left, baseline.municipality, "eksemplet for Viborg Kommune")
    stamp = charts.Stamp(baseline.name, baseline.hash, 1, REPS, municipality="Viborg Kommune")
    z = zipfile.ZipFile(io.BytesIO(council.council_pack(baseline, summary, states, flows, stamp, "da", actual=pack)))
    names = set(z.namelist())
    assert {"virkelighed/aar.csv", "virkelighed/scorecard.csv", "virkelighed/resume.txt",
            "virkelighed/plan-model-virkelighed.pdf", "virkelighed/unemployed_and_sick.month_end.svg"} <= names
    years = pd.read_csv(io.BytesIO(z.read("virkelighed/aar.csv")))
    assert len(years) == 28 and years["I ord"].str.startswith(("I 20", "For 20")).all()
    assert list(pd.read_csv(io.BytesIO(z.read("virkelighed/scorecard.csv"))).columns) == scorecard.COLUMNS
    assert 'stroke-dasharray="6,4"' in z.read("charts/indicator_youth_on_benefits.svg").decode()
    assert "Nettoledige kontanthjælpsmodtagere" in z.read("virkelighed/resume.txt").decode()
    plain = zipfile.ZipFile(io.BytesIO(council.council_pack(baseline, summary, states, flows, stamp, "da")))
    assert not any(n.startswith("virkelighed/") for n in plain.namelist())
