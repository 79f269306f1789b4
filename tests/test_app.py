"""The Streamlit app, driven by Streamlit's AppTest (no browser)."""
import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from model import calendar
from model.inputs import levers
from model.sim import indicators

APP = str(Path(__file__).resolve().parents[1] / "app.py")
NUMBER_BOX = [k for k, lv in levers.LEVERS.items() if lv.kind == "int" and lv.max - lv.min > 100]
DANISH = re.compile(r"[æøåÆØÅ]|\b(og|af|fremtider|mål|kilde|scenarie|gem|kør|sammenlign|nået|ydelser|strømme|"
                    r"indikatorer|rådspakke|resumé|personer|andel)\b", re.IGNORECASE)
ENGLISH = re.compile(r"\b(the|and|of|futures|target|source|scenario|save|run|compare|met|benefits|flows|"
                     r"indicators|council|summary|persons|share|download)\b", re.IGNORECASE)


def chart_data(chart) -> str:
    text = chart.proto.spec
    for d in chart.proto.datasets:
        text += pa.ipc.open_stream(d.data.data).read_all().to_pandas().to_csv()
    return text


def chart_by_title(at, words):
    for c in at.get("vega_lite_chart"):
        if words in c.proto.spec:
            return c
    raise AssertionError(f"no chart titled {words!r}")


def subtitles(at) -> list[str]:
    out = []
    for c in at.get("vega_lite_chart"):
        title = json.loads(c.proto.spec).get("title", {})
        out += title.get("subtitle", []) if isinstance(title, dict) else []
    return out


def new_app(reps=4, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["reps"] = reps       # the real model, fewer futures to keep the suite quick
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def open_tab(at, label) -> AppTest:
    at.session_state["tab"] = label
    return at.run()


@pytest.fixture(scope="module")
def app():
    return new_app()


def test_app_starts_with_a_chart_per_indicator_and_the_targets(app):
    assert not app.exception
    charts = app.get("vega_lite_chart")
    assert len(charts) >= 7
    text = "".join(chart_data(c) for c in charts)
    for target in ("1300", "1150", "900", "350", "220"):
        assert target in text


def test_every_lever_is_in_the_sidebar_with_its_bounds(app):
    for key, lv in levers.LEVERS.items():
        keys = [key] if not app.session_state[f"{key}__per_year"] else [f"{key}__{y}" for y in calendar.PLAN_YEARS]
        for k in keys:
            s = app.number_input(key=k) if key in NUMBER_BOX else app.slider(key=k)
            assert (s.min, s.max) == (lv.cast(lv.min), lv.cast(lv.max)), k


def test_changing_a_lever_and_running_changes_its_indicator_chart(app):
    title = "Sygemeldte og jobafklaring delvist raskmeldt"
    before = chart_data(chart_by_title(app, title))
    app.checkbox(key="partial_return_assessments__per_year").uncheck().run()
    app.number_input(key="partial_return_assessments").set_value(800).run()
    app.button(key="run").click().run()
    assert not app.exception
    after = chart_data(chart_by_title(app, title))
    assert after != before                                   # many more assessments: a higher share


def test_english_toggle_relabels_the_page(app):
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert any("Young people under 30" in c.proto.spec for c in app.get("vega_lite_chart"))
    app.radio(key="lang").set_value("da").run()


def test_the_url_holds_the_levers(app):
    assert app.query_params["internship_deadline_months"] == ["3"] or app.query_params["internship_deadline_months"] == "3"


def test_a_changed_lever_renames_the_scenario_in_stamp_charts_and_sidebar():
    at = new_app()
    assert "«Beskæftigelsesplan 2017»" in at.caption[0].value
    at.slider(key="internship_deadline_months").set_value(1).run()
    assert any("Eget scenarie (ændret fra Beskæftigelsesplan 2017)" in m.value for m in at.sidebar.markdown)
    assert any("Frist for virksomhedspraktik" in c.value and "3 → 1" in c.value for c in at.sidebar.caption)
    at.button(key="run").click().run()
    name = "Eget scenarie (ændret fra Beskæftigelsesplan 2017)"
    assert name in at.caption[0].value
    assert all(name in "".join(subtitles_of(c)) for c in at.get("vega_lite_chart"))
    at.slider(key="internship_deadline_months").set_value(3).run()      # back to the plan: its name again
    assert any(m.value.endswith("Beskæftigelsesplan 2017") for m in at.sidebar.markdown)


def subtitles_of(chart) -> list[str]:
    title = json.loads(chart.proto.spec).get("title", {})
    return title.get("subtitle", []) if isinstance(title, dict) else []


def test_the_summary_in_words_names_each_target_with_its_count_of_futures(app):
    app.run()
    words = next(m.value for m in app.markdown if "af planens" in m.value)
    for key, ind in indicators.INDICATORS.items():
        line = next((x for x in words.splitlines() if ind.label_da in x), None)
        assert line is not None, ind.label_da
        if key != "refugees_self_supporting":
            assert re.search(r"mål \S+( %)? nået i \d+ af 4 fremtider", line), line


def test_the_comparison_table_has_danish_labels_and_percentage_points():
    at = open_tab(new_app(), "Sammenlign")
    assert not at.exception
    table = next(t.value for t in at.table if any("B − A" in str(c) for c in t.value.columns))
    assert "2016: B − A" not in table.columns and "2020: B − A" in table.columns
    labels = set(table.iloc[:, 0])
    assert {i.label_da for i in indicators.INDICATORS.values()} == labels
    assert not any(key in " ".join(map(str, table.to_numpy().ravel())) for key in indicators.INDICATORS)
    for key, ind in indicators.INDICATORS.items():
        row = table[table.iloc[:, 0] == ind.label_da].iloc[0]
        unit = "procentpoint" if ind.kind == "share" else "personer"
        assert all(unit in row[f"{y}: B − A"] for y in calendar.PLAN_YEARS), (key, list(row))


@pytest.mark.parametrize("lang, forbidden", [("en", DANISH), ("da", ENGLISH)])
def test_one_language_in_chart_subtitles_and_buttons(lang, forbidden):
    at = new_app(lang=lang)
    texts = subtitles(at)
    at = open_tab(at, "Sammenlign" if lang == "da" else "Compare")
    texts += subtitles(at)
    at = open_tab(at, "Eksport" if lang == "da" else "Export")
    texts += [b.label for b in at.button] + [b.proto.label for b in at.get("download_button")]
    texts = [re.sub(r"«[^»]*»", "", x) for x in texts]          # scenario names are names
    bad = [x for x in texts if forbidden.search(re.sub(r"Model \S+ · \w+", "", x))]
    assert texts and not bad, bad[:5]


def test_a_refused_url_value_shows_a_notice():
    at = new_app(internship_deadline_months="40")
    notice = " ".join(w.value for w in at.warning)
    assert "Frist for virksomhedspraktik" in notice and "40" in notice and "tilladt 1–12" in notice
    assert at.slider(key="internship_deadline_months").value == 3        # the plan's value is kept


def test_a_named_scenario_can_be_compared():
    at = new_app()
    at.slider(key="internship_deadline_months").set_value(2).run()
    at.text_input(key="save_name").input("Frist 2 måneder").run()
    at.button(key="save").click().run()
    at = open_tab(at, "Sammenlign")
    at.selectbox(key="compare_a").select("saved:Frist 2 måneder").run()
    assert not at.exception
    assert any("A: Frist 2 måneder" in chart_data(c) for c in at.get("vega_lite_chart"))
