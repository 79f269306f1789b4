"""The app's Økonomi tab, driven by Streamlit's AppTest with the real model: the net cost per year
of the levers run beside 2016 practice, gross / refusion / net, by benefit, the chart and its
exports, and the business case of the current levers."""
import json
import re
import shutil

import pytest
from test_app import DANISH, ENGLISH, chart_by_title, new_app, open_tab

from model.costs import accounts, business_case
from model.inputs import levers, rates, scenario
from model.reports import charts, cost_charts
from model.sim import runner

from conftest import SCENARIOS, rates_from

TAB_DA, TAB_EN = "Økonomi", "Economy"


def tables(at) -> list:
    return [t.value for t in at.table]


def all_text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [t.to_string() for t in tables(at)])


REPS = 2      # the fewest futures the app allows: the tab's figures, not their precision, are tested here


@pytest.fixture(scope="module")
def economy():
    at = open_tab(new_app(reps=REPS), TAB_DA)
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def economy_en():
    at = open_tab(new_app(reps=REPS, lang="en"), TAB_EN)
    assert not at.exception
    return at


def test_the_net_cost_per_year_of_the_run_beside_2016_practice(economy):
    net = next(t for t in tables(economy) if "Forskel" in list(t.index))
    assert list(net.columns) == ["2017", "2018", "2019", "2020", "2017–2020"]
    assert net.index[0] == "Beskæftigelsesplan 2017" and net.index[1].startswith("Praksis 2016")
    plan_2017 = net.iloc[0]["2017"]                          # '1.126,1 (1.120,2 – 1.132,1)' in mio. kr.
    mean = float(plan_2017.split(" ")[0].replace(".", "").replace(",", "."))
    assert 600 <= mean <= 2000, plan_2017
    assert all(net.loc["Forskel"].str[0].isin(["−", "+", "±"]))
    words = all_text(economy)
    assert "Kommunens nettoudgift 2017–2020" in words and "mio. kr." in words
    assert not re.search(r"\bnan\b", words, re.IGNORECASE)


def test_gross_refusion_and_net_and_every_benefit_group(economy):
    measures = next(t for t in tables(economy) if "Statslig refusion" in list(t.index))
    assert list(measures.index) == ["Bruttoudgift", "Statslig refusion", "Kommunal nettoudgift", "Statens nettoudgift",
                                    "Offentlig nettoudgift i alt"]
    groups = next(t for t in tables(economy) if "Førtidspension (medfinansiering)" in list(t.index))
    assert "Forskel 2017–2020" in groups.columns and groups.index[-1] == "I alt"
    assert {"A-dagpenge (medfinansiering, før beskæftigelsestilskud)", "Kontanthjælp", "Løntilskud",
            "Sagsbehandling (følger antallet på ydelse)", "Indsats: sagsbehandlere og virksomhedskonsulenter",
            "Indsats: drift af tilbud, mentorer, kurser og IGU"} <= set(groups.index)


def test_the_payback_chart_the_effort_and_the_staff(economy):
    chart = chart_by_title(economy, "Indsatsen er ")
    spec = json.loads(chart.proto.spec)
    title = " ".join(spec["title"]["text"])
    assert re.search(r"tjent hjem i \w+ 20(17|18|19|20)|ikke tjent hjem inden 2021", title), title
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Ikke talt med" in subtitle and "budgetgaranti" in subtitle
    effort = next(t for t in tables(economy) if "Indsats (hvad håndtagene koster)" in list(t.index))
    assert list(effort.columns) == ["2017", "2018", "2019", "2020", "2017–2020"]
    assert effort.loc["Indsats (hvad håndtagene koster)", "2017–2020"].startswith("+")
    staff = next(t for t in tables(economy) if "Sagsbehandlere med håndtagene" in list(t.index))
    assert staff.loc["Sagsbehandlere med håndtagene", "Ansat i 2016"] == "125"
    captions = " ".join(c.value for c in economy.caption)
    assert "Ikke talt med" in captions and "budgetgarantien" in captions
    labels = [b.proto.label for b in economy.get("download_button")]
    assert labels.count("PNG") >= 2


def test_the_cost_chart_shows_both_scenarios_and_can_be_exported(economy):
    chart = chart_by_title(economy, "Kommunal nettoudgift pr.")
    spec = json.loads(chart.proto.spec)
    assert "Praksis 2016" in " ".join(spec["title"]["subtitle"])
    labels = [b.proto.label for b in economy.get("download_button")]
    assert {"PNG", "SVG", "PDF", "Udgifter (CSV)"} <= set(labels)
    assert "budgetgarantien" in all_text(economy).lower()


def test_the_business_case_of_the_current_levers(economy):
    before = next(t for t in tables(economy) if "Nettoudgift 2017–2020, mio. kr." in t.columns)
    assert list(before.index) == ["Alle håndtag samlet"]                 # all together comes with the run
    assert {"Indsats 2017–2020, mio. kr.", "Besparelse 2017–2020, mio. kr.", "Tjent hjem"} <= set(before.columns)
    economy.button(key="business_case").click().run()
    assert not economy.exception
    table = next(t for t in tables(economy) if "Nettoudgift 2017–2020, mio. kr." in t.columns)
    plan = scenario.load(SCENARIOS / "plan-2017.toml")
    expected = [levers.LEVERS[k].label_da for k in business_case.moved_levers(plan)] + ["Alle håndtag samlet"]
    assert list(table.index) == expected
    assert len(expected) >= 9
    economy.run()                                           # kept: shown again without the button
    assert "business_case" not in [b.key for b in economy.button]
    again = next(t for t in tables(economy) if "Nettoudgift 2017–2020, mio. kr." in t.columns)
    assert again.equals(table)
    places = table.loc[levers.LEVERS["internship_places"].label_da, "Indsats 2017–2020, mio. kr."]
    assert places.startswith("+"), places                  # more places need more company consultants


def test_which_unit_costs_decide_is_a_chart_on_request(economy):
    economy.button(key="sensitivity").click().run()
    assert not economy.exception
    titled = [json.loads(c.proto.spec) for c in economy.get("vega_lite_chart")]
    spec = next(s for s in titled if "Hvilke antagelser afgør" in " ".join(s["title"]["text"]))    # (the spec's JSON escapes ø)
    assert "Lav ende" in json.dumps(spec, ensure_ascii=False) and "Mentor pr. time" in json.dumps(spec, ensure_ascii=False)


def test_the_tab_in_english(economy_en):
    at = economy_en
    text = all_text(at)
    assert "The municipality's net cost 2017–2020" in text and "DKK" in text
    assert any("State refusion" in list(t.index) for t in tables(at))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_one_language_in_the_tab(lang, economy, economy_en):
    at, forbidden = (economy, ENGLISH) if lang == "da" else (economy_en, DANISH)
    texts = [all_text(at), *(b.proto.label for b in at.get("download_button")), *(b.label for b in at.button),
             *(" ".join(json.loads(c.proto.spec)["title"]["subtitle"]) for c in at.get("vega_lite_chart")
               if "Mio. kr." in c.proto.spec or "DKK million" in c.proto.spec)]
    text = re.sub(r"Model \S+ · \w+", "", re.sub(r"«[^»]*»", "", " ".join(texts)))      # names are names
    assert not forbidden.search(text), forbidden.findall(text)[:5]


def test_levers_at_2016_practice_have_no_business_case():
    at = open_tab(new_app(reps=REPS, scenario="baseline-2016"), TAB_DA)
    assert not at.exception
    assert any("ingen business case" in i.value for i in at.info)


@pytest.fixture
def broken_rates(tmp_path, monkeypatch):
    d = tmp_path / "rates"
    shutil.copytree(rates.RATES_DIR, d)
    p = d / "refusion.toml"
    p.write_text(p.read_text(encoding="utf-8").replace('source = "src:', 'source = "src:NO-SUCH-', 1), encoding="utf-8")
    yield from rates_from(monkeypatch, d)


def test_a_broken_rate_file_is_a_readable_error_in_the_tab(broken_rates):
    at = open_tab(new_app(reps=REPS), TAB_DA)
    assert not at.exception
    error = " ".join(e.value for e in at.error)
    assert "Satsfilerne" in error and "refusion.toml" in error and "NO-SUCH" in error


def test_the_cost_chart_exports_as_png_svg_and_pdf(plan, baseline):
    futures = dict(replications=2, seed=1, scale=0.1)
    a = accounts.yearly(runner.run_replications(plan, **futures))
    b = accounts.yearly(runner.run_replications(baseline, **futures))
    stamp = charts.Stamp(plan.name, plan.hash, 1, 2)
    chart = cost_charts.cost_chart({"Plan": a, "Praksis 2016": b}, stamp, "da")
    assert charts.to_png(chart).startswith(b"\x89PNG")
    assert charts.to_pdf(chart).startswith(b"%PDF")
    svg = charts.to_svg(chart).decode("utf-8")
    assert "Kommunal nettoudgift" in svg and "Førtidspension" in svg and "Mio. kr." in svg
