"""Exports: valid PNG, SVG, PDF and CSV bytes; the council pack holds every chart and the stamp."""
import io
import json
import zipfile

import pandas as pd
import pytest

from model.costs import accounts, business_case
from model.inputs import scenario
from model.reports import charts, council
from model.sim import indicators, runner

from conftest import SCENARIOS


@pytest.fixture(scope="module")
def results():
    sc = scenario.load(SCENARIOS / "plan-2017.toml")
    res = runner.run_replications(sc, 3, seed=4, scale=0.05)
    return (sc, runner.summary(res), runner.state_summary(res), runner.flow_summary(res),
            charts.Stamp(sc.name, sc.hash, 4, 3), accounts.yearly(res))


def test_chart_exports_are_valid_files(results):
    sc, summary, states, flows, stamp, _ = results
    chart = charts.indicator_chart(summary, "youth_on_benefits", stamp, "da")
    assert charts.to_png(chart).startswith(b"\x89PNG\r\n\x1a\n")
    svg = charts.to_svg(chart)
    assert svg.lstrip().startswith(b"<svg") and b"</svg>" in svg
    assert charts.to_pdf(chart).startswith(b"%PDF")


def test_charts_carry_title_target_source_and_stamp(results):
    sc, summary, states, flows, stamp, _ = results
    spec = charts.indicator_chart(summary, "youth_on_benefits", stamp, "da").to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert "Unge under 30" in text and "Kilde:" in text and sc.hash in text and "Mål" in text


def test_danish_numbers(results):
    assert charts.fmt(1343, "count", "da") == "1.343"
    assert charts.fmt(0.221, "share", "da") == "22,1 %"
    assert charts.fmt(0.221, "share", "en") == "22.1 %"


def test_every_chart_kind_exports(results):
    sc, summary, states, flows, stamp, _ = results
    for chart in (charts.target_table_chart(summary, stamp), charts.stock_chart(states, stamp),
                  charts.flow_chart(flows, 2018, stamp),
                  charts.compare_chart({"a": summary, "b": summary}, "youth_on_benefits", stamp)):
        assert charts.to_png(chart, scale=1).startswith(b"\x89PNG")


def test_csv_data_reads_back(results):
    sc, summary, *_ = results
    text = summary.to_csv(index=False)
    again = pd.read_csv(io.StringIO(text))
    # The same numbers come back; an undefined cell is empty in the file, never the word "nan".
    pd.testing.assert_frame_equal(again, summary.reset_index(drop=True), check_dtype=False, rtol=1e-12)
    assert "nan" not in text.lower()
    assert again["target"].isna().sum() == summary["target"].isna().sum() > 0


def test_council_pack_holds_every_chart_the_tables_the_costs_and_the_stamp(results):
    sc, summary, states, flows, stamp, cost = results
    z = zipfile.ZipFile(io.BytesIO(council.council_pack(sc, summary, states, flows, stamp, "da", cost=cost)))
    names = set(z.namelist())
    for key in indicators.INDICATORS:
        for ext in ("png", "svg", "pdf"):
            assert f"charts/indicator_{key}.{ext}" in names
    assert {"charts/targets.png", "charts/stocks.pdf", "charts/flows_2020.svg", "levers.csv", "assumptions.csv",
            "scenario.toml", "stamp.json", "data/indicators.csv"} <= names
    stamp_json = json.loads(z.read("stamp.json"))
    assert stamp_json["scenario_hash"] == sc.hash and stamp_json["master_seed"] == 4 and stamp_json["model_version"]
    assert z.read("charts/targets.png").startswith(b"\x89PNG")
    assert z.read("charts/costs.png").startswith(b"\x89PNG")
    # The pack's cost table is the run's: the municipality's net cost of 2017, in DKK.
    table = pd.read_csv(io.BytesIO(z.read("data/costs.csv")))
    net = table[(table.component == "total") & (table.measure == "municipal_net_dkk") & (table.year == 2017)]
    assert net["mean"].item() == pytest.approx(cost[:, 0, :, accounts.NET].sum(axis=1).mean())
    # The stamp says how to get the same numbers again.
    assert json.loads(z.read("stamp.json"))["command"].startswith("python -m model run scenario.toml --seed 4")


def test_council_pack_holds_the_payback_chart_and_its_data(results):
    sc, summary, states, flows, stamp, _ = results
    practice = business_case.Outcome.of(runner.run_replications(business_case.practice_of(sc), 3, seed=4, scale=0.05))
    moved = business_case.Outcome.of(runner.run_replications(sc, 3, seed=4, scale=0.05))
    cum = business_case.cumulative(moved, practice)
    month = {r["measure"]: r for r in business_case.rows("all", moved, practice)}["payback_month"]["mean"]
    z = zipfile.ZipFile(io.BytesIO(council.council_pack(sc, summary, states, flows, stamp, "da", payback=(cum, month))))
    names = set(z.namelist())
    assert {"charts/payback.png", "charts/payback.svg", "charts/payback.pdf", "data/payback.csv"} <= names
    svg = z.read("charts/payback.svg").decode("utf-8")
    assert "tjent hjem" in svg and "Mio. kr. siden januar 2017" in svg
    data = pd.read_csv(io.BytesIO(z.read("data/payback.csv")))
    assert list(data.month) == list(range(1, 49))
    assert data.net.iloc[-1] == pytest.approx(data.effort.iloc[-1] - data.savings.iloc[-1])
