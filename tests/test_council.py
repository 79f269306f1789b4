"""What the council reads: the summary in words, the comparison of two runs, the changed
scenario's name, numbers in one language, and exports that hold their data whatever else the
process is doing."""
import io
import re
import threading

import altair as alt
import numpy as np
import pytest
from PIL import Image

from model.calendar import PLAN_YEARS
from model.inputs import levers, scenario
from model.reports import changes, charts, compare, council, numbers, words
from model.sim import indicators, runner

from conftest import SCENARIOS, with_levers

BLUE, RED = (0x1f, 0x5b, 0x99), (0xc0, 0x39, 0x2b)


@pytest.fixture(scope="module")
def runs():
    plan = scenario.load(SCENARIOS / "plan-2017.toml")
    practice = scenario.load(SCENARIOS / "baseline-2016.toml")
    return {name: runner.summary(runner.run_replications(sc, 3, seed=5, scale=0.05))
            for name, sc in (("plan", plan), ("practice", practice))}


def pixels(png: bytes, rgb) -> int:
    a = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return int(np.sum(np.all(abs(a - np.array(rgb)) < 25, axis=2)))


def test_the_summary_names_every_target_with_its_count_of_futures(runs):
    s = words.summarise(runs["plan"], 3, "da", practice=runs["practice"])
    targeted = [k for k in indicators.INDICATORS if k != "refugees_self_supporting"]
    assert re.match(rf"I 2020 nås \d af planens {len(targeted)} mål sandsynligvis", s.headline)
    for key in targeted:
        line = next(x for x in s.lines if x.startswith(indicators.INDICATORS[key].label_da))
        assert re.search(r"nået i [0-3] af 3 fremtider", line), line
    assert s.practice.startswith("Mod praksis 2016 fortsat") and "procentpoint" in s.practice


def test_the_summary_counts_add_up_to_the_targets(runs):
    s = words.summarise(runs["plan"], 3, "en")
    counts = [int(x) for x in re.findall(r"(\d+) (?:likely|possible|doubtful|unlikely)", s.headline)]
    likely = int(re.search(r"(\d+) of the plan's", s.headline).group(1))
    assert likely + sum(counts) == 6


def test_since_the_previous_run_lists_the_changes_and_the_moves(runs):
    s = words.summarise(runs["plan"], 3, "da", previous=runs["practice"], changes=["Frist: 6 → 3 måneder"])
    assert s.previous.startswith("Siden sidste kørsel (Frist: 6 → 3 måneder), 2020:")
    assert "→" in s.previous


def test_the_comparison_has_labels_units_and_the_indicators_direction(runs):
    text, verdicts = compare.table(runs["practice"], runs["plan"], "da")
    assert list(text.columns[1:5]) == [f"{y}: B − A" for y in PLAN_YEARS]
    assert set(text["Indikator"]) == {i.label_da for i in indicators.INDICATORS.values()}
    share = text[text["Indikator"] == indicators.INDICATORS["partial_return_share"].label_da].iloc[0]
    assert all(share[f"{y}: B − A"].endswith("procentpoint") for y in PLAN_YEARS)
    assert compare.verdict("long_term_unemployed", -10) == compare.BETTER
    assert compare.verdict("long_term_unemployed", 10) == compare.WORSE
    assert compare.verdict("youth_to_education", 0.02) == compare.BETTER
    assert compare.verdict("youth_to_education", 0.0004) == compare.SAME          # shows as ±0,0


def test_a_changed_plan_is_named_for_what_it_is(plan):
    changed = with_levers(plan, internship_deadline_months=1, internship_places=3000)
    moved = changes.lever_changes(plan.lever_values, changed.lever_values)
    assert [c.key for c in moved] == ["internship_deadline_months", "internship_places"]
    name, description = changes.name_and_description(plan.name, plan.description, moved, "da")
    assert name == "Eget scenarie (ændret fra Beskæftigelsesplan 2017)"
    assert "3 → 1 måneder" in description and "1.150 → 3.000 pladser" in description
    assert changes.name_and_description(plan.name, plan.description, [], "da") == (plan.name, plan.description)
    assert changes.changed_name("Employment plan 2017", "en") == "Own scenario (changed from Employment plan 2017)"


def test_shares_change_as_percentages_per_year(plan):
    changed = with_levers(plan, youth_education_push={2017: 1.0, 2018: 1.0, 2019: 0.35, 2020: 0.40})
    (c,) = changes.lever_changes(plan.lever_values, changed.lever_values)
    assert c.text("da") == f"{levers.LEVERS['youth_education_push'].label_da}: 2019: 100 % → 35 %; 2020: 100 % → 40 %"


def test_numbers_in_one_language():
    assert numbers.fmt_change(0.069, "share", "da") == "+6,9 procentpoint"
    assert numbers.fmt_change(-114.7, "count", "da") == "−115 personer"
    assert numbers.fmt_change(0.069, "share", "en") == "+6.9 percentage points"
    assert numbers.fmt_seconds(20.24, "da") == "20,2 s"
    assert numbers.fmt(float("nan"), "count", "da") == "–"
    assert [numbers.likelihood(x).key for x in (1, 0.8, 0.57, 0.37, 0.1)] == \
        ["likely", "likely", "possible", "doubtful", "unlikely"]


def test_exports_keep_their_data_while_a_foreign_data_transformer_is_on(runs):
    """Streamlit switches Altair's process-wide data transformer while it draws a chart; an
    export made at that moment must still hold its line, band and targets."""
    stamp = charts.Stamp("plan", "h", 5, 3)
    alt.data_transformers.register("drop_everything", lambda data: {"name": "not-in-the-spec"})
    with alt.data_transformers.enable("drop_everything"):
        line = charts.to_png(charts.indicator_chart(runs["plan"], "youth_on_benefits", stamp))
        table = charts.to_png(charts.target_table_chart(runs["plan"], stamp))
        flows = charts.to_png(charts.stock_chart(runner_states(), stamp))
    assert pixels(line, BLUE) > 1500 and pixels(line, RED) > 300
    colours = [tuple(int(c.colour[i:i + 2], 16) for i in (1, 3, 5)) for c in numbers.LIKELIHOODS]
    assert sum(pixels(table, rgb) for rgb in colours) > 5000
    assert len(np.unique(np.asarray(Image.open(io.BytesIO(flows)).convert("RGB")).reshape(-1, 3), axis=0)) > 50


def runner_states():
    sc = scenario.load(SCENARIOS / "plan-2017.toml")
    return runner.state_summary(runner.run_replications(sc, 1, seed=5, scale=0.02))


def test_exports_from_many_threads_are_all_complete(runs):
    stamp = charts.Stamp("plan", "h", 5, 3)
    out, errors = [], []

    def export(key):
        try:
            out.append(charts.to_png(charts.indicator_chart(runs["plan"], key, stamp), scale=1))
        except Exception as exc:          # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=export, args=(k,)) for k in list(indicators.INDICATORS)[:6] * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(out) == 12
    assert all(pixels(png, BLUE) > 300 for png in out)


def test_the_council_summary_is_one_page_with_words_table_and_charts(runs):
    import pypdfium2 as pdfium
    stamp = charts.Stamp("Beskæftigelsesplan 2017", "h", 5, 3)
    pdf = pdfium.PdfDocument(council.council_summary_pdf(runs["plan"], stamp, "da"))
    assert len(pdf) == 1
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    assert "resumé til byrådet" in text and "nået i" in text and "Andel fremtider der når målet" in text
    img = page.render(scale=1.5).to_pil()
    a = np.asarray(img.convert("RGB")).astype(int)
    assert np.sum(np.all(abs(a - np.array(BLUE)) < 25, axis=2)) > 2000      # the key charts' lines
