"""The "Hvad skal der til?" tab, driven by Streamlit's AppTest (the real model, few futures)."""
import json
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from model.sim import indicators

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TAB = "Hvad skal der til?"


def chart_rows(chart):
    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]


def chart_titled(at, words):
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        title = spec.get("title", "")
        if words in (title if isinstance(title, str) else json.dumps(title, ensure_ascii=False)):
            return c
    raise AssertionError(f"no chart titled {words!r}")


@pytest.fixture(scope="module")
def tab():
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["reps"] = 3
    at.run()
    at.session_state["tab"] = TAB
    return at.run()


def test_drivers_show_a_sorted_chart_and_a_sentence_per_lever(tab):
    tab.button(key="drivers_run").click().run()
    assert not tab.exception
    chart = chart_titled(tab, indicators.INDICATORS["youth_to_education"].label_da)
    rows = next(df for df in chart_rows(chart) if "mean_change" in df.columns)
    assert len(rows) >= 10
    assert list(rows.mean_change.abs()) == sorted(rows.mean_change.abs(), reverse=True)
    sentences = next(m.value for m in tab.markdown if "Uddannelsesindsats for unge" in m.value and " → " in m.value)
    assert "i 2020 (" in sentences and sentences.count("\n- ") >= 9
    tab.selectbox(key="drivers_target").set_value("long_term_unemployed").run()
    assert chart_titled(tab, indicators.INDICATORS["long_term_unemployed"].label_da)
    assert any("langtidsledige kontanthjælpsmodtagere i 2020" in m.value for m in tab.markdown)


def test_a_goal_seek_answers_in_words_draws_the_front_and_puts_the_best_into_the_levers(tab):
    tab.number_input(key="seek_evals").set_value(4).run()
    tab.number_input(key="seek_reps").set_value(2).run()
    tab.button(key="seek_find").click().run()
    assert not tab.exception
    answer = next(m.value for m in tab.markdown if m.value.startswith("**Svaret**"))
    assert "Billigste indstilling" in answer and "ved kontrollen på nye frø" in answer
    assert "kontrollen på nye frø er det ærlige tal" in answer
    front = chart_titled(tab, "Pris mod antal mål nået")
    points = max((df for df in chart_rows(front) if "kind" in df.columns), key=len)
    assert len(points) == 4                                   # every setting tried is a point
    assert tab.get("download_button")
    tab.button(key="seek_apply").click().run()
    assert not tab.exception
    assert any("Indstillingerne er sat i håndtagene" in s.value for s in tab.success)
    assert any("Eget scenarie (ændret fra Beskæftigelsesplan 2017)" in m.value for m in tab.sidebar.markdown)


def test_no_target_chosen_is_said_not_searched(tab):
    tab.multiselect(key="seek_targets").set_value([]).run()
    tab.button(key="seek_find").click().run()
    assert any("Vælg mindst ét mål" in e.value for e in tab.error)
