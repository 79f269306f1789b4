"""The Streamlit app, driven by Streamlit's AppTest (no browser)."""
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from model import calendar, levers

APP = str(Path(__file__).resolve().parents[1] / "app.py")


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


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["reps"] = 4          # the real model, fewer futures to keep the suite quick
    return at.run()


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
            s = app.slider(key=k)
            assert (s.min, s.max) == (lv.cast(lv.min), lv.cast(lv.max)), k


def test_changing_a_lever_and_running_changes_its_indicator_chart(app):
    title = "Sygemeldte og jobafklaring delvist raskmeldt"
    before = chart_data(chart_by_title(app, title))
    app.checkbox(key="partial_return_share__per_year").uncheck().run()
    app.slider(key="partial_return_share").set_value(0.5).run()
    app.button(key="run").click().run()
    assert not app.exception
    after = chart_data(chart_by_title(app, title))
    assert after != before
    assert "0.5" in after.replace("0.50", "0.5")            # the mean now sits near the new target share


def test_english_toggle_relabels_the_page(app):
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert any("Young people under 30" in c.proto.spec for c in app.get("vega_lite_chart"))
    app.radio(key="lang").set_value("da").run()


def test_the_url_holds_the_levers(app):
    assert app.query_params["internship_deadline_months"] == ["3"] or app.query_params["internship_deadline_months"] == "3"
