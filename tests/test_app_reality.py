"""The app's "Plan, model og virkelighed": the shipped example and uploaded files held against the
plan and the model, the actual series drawn in the charts, refused files told (Streamlit's
AppTest, the real model; the council pack's part: tests/test_scorecard.py)."""
import datetime as dt
import json
import re

import pytest
from test_app import ENGLISH, chart_by_title, chart_data, new_app, open_tab

from model import paths

TAB = "Plan, model og virkelighed"
FILES = paths.ROOT / "tests" / "actuals"


@pytest.fixture(scope="module")
def reality():
    return open_tab(new_app(reps=4), TAB)


def titles(at) -> dict[str, dict]:
    out = {}
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        title = spec.get("title", {})
        out[" ".join(title.get("text", []))] = spec
    return out


def test_the_example_is_held_against_plan_and_model(reality):
    at = reality
    assert not at.exception
    years = next(d.value for d in at.dataframe if "I ord" in d.value.columns)
    assert len(years) == 7 * 4
    row = years[(years["Indikator"] == "Unge under 30 på midlertidig offentlig forsørgelse") & (years["År"] == "2018")]
    assert row["I ord"].iloc[0] == "For 2018 er der ingen faktisk værdi indlæst."
    scores = next(d.value for d in at.dataframe if "Inden for båndet" in d.value.columns)
    assert "2016-08" in set(scores["Periode"]) and set(scores["Inden for båndet"]) <= {"ja", "nej"}
    text = " ".join(m.value for m in at.markdown)
    assert "faktiske tal inden for modellens 5–95 %-bånd" in text
    assert "Nettoledige kontanthjælpsmodtagere, fuldtidspersoner" in text and "sammenlignes ikke" in text


def test_every_chart_of_a_measure_with_figures_draws_them_dashed_with_source_and_vintage(reality):
    charts = titles(reality)
    assert charts
    for title, spec in charts.items():
        dashed = [layer for layer in spec["layer"] if layer.get("mark", {}).get("strokeDash")]
        assert dashed and dashed[0]["mark"]["point"], title
        assert any(s.startswith("Faktisk: Viborg Kommune") for s in spec["title"]["subtitle"]), title
        assert any("hentet 2026-12-07" in s for s in spec["title"]["subtitle"]) or \
            "hentet 2026-12-07" in " ".join(spec["title"]["subtitle"]), title


def test_the_plan_s_charts_draw_the_figures_once_loaded(reality):
    at = open_tab(reality, "Plan mod simulation")
    spec = titles(at)["Unge under 30 på midlertidig offentlig forsørgelse"]
    assert any(layer.get("mark", {}).get("strokeDash") for layer in spec["layer"])
    data = chart_data(chart_by_title(at, "Unge under 30"))
    assert ",actual," in data and "1343.0" in data
    helps = [e for e in at.expander if e.label == "Officielt tal og modellens tal"]
    assert len(helps) == 7
    open_tab(at, TAB)


def test_the_tab_speaks_danish(reality):
    texts = [m.value for m in reality.markdown] + [c.value for c in reality.caption]
    texts += [" ".join(d.value.astype(str).to_numpy().ravel()) for d in reality.dataframe]
    text = re.sub(r"«[^»]*»|Model \S+ · \w+|\([^)]*parquet[^)]*\)", "", " ".join(texts))
    assert not ENGLISH.search(text), ENGLISH.findall(text)[:5]


def test_uploaded_files_are_loaded_or_refused_in_full():
    at = open_tab(new_app(reps=4), TAB)
    at.radio(key="actuals_choice").set_value("files").run()
    at.date_input(key="actuals_retrieved").set_value(dt.date(2026, 12, 1)).run()
    upload = at.get("file_uploader")[0]
    upload.set_value([("Y07A02.json", (FILES / "Y07A02.json").read_bytes(), "application/json"),
                      ("Y07A02-aarhus.json", (FILES / "Y07A02-aarhus.json").read_bytes(), "application/json")]).run()
    assert not at.exception
    error = " ".join(e.value for e in at.error)
    assert "Y07A02-aarhus.json: holds no rows for Viborg Kommune" in error
    assert any("Ingen faktiske tal er indlæst" in i.value for i in at.info)       # the example is not kept either
    upload = at.get("file_uploader")[0]
    upload.set_value([("Y07A02.json", (FILES / "Y07A02.json").read_bytes(), "application/json"),
                      ("tidy.csv", (FILES / "tidy.csv").read_bytes(), "text/csv")]).run()
    assert not at.exception and not at.error
    scores = next(d.value for d in at.dataframe if "Inden for båndet" in d.value.columns)
    assert {"2017-01", "2017-02", "2017-04"} <= set(scores["Periode"])
    spec = titles(at)["Sygedagpenge, personer i måneden"]
    assert any("Jobindsats Y07A02, Antal personer (hentet 2026-12-01)" in s for s in spec["title"]["subtitle"])
    text = " ".join(m.value for m in at.markdown)
    assert "Sygedagpenge, fuldtidspersoner" in text and "sammenlignes ikke" in text
