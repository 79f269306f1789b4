"""Every lever's effect explained (docs/model.md §3.5.1): each lever says how it acts, every text
names a real lever and target in both languages, every change of the drivers whose band excludes
zero comes with its mechanism, and a capacity never filled says so instead of ±0."""
from __future__ import annotations

from model import paths
from model.costs import business_case
from model.experiments import drivers
from model.inputs import levers, params
from model.reports import mechanisms
from model.sim import indicators

from conftest import with_levers


def test_every_lever_says_how_it_acts_and_every_text_names_a_lever_and_target_in_both_languages():
    assert mechanisms.complete() == []
    data = params.read_toml(paths.DATA / "mechanisms.toml")
    for key, entry in data.items():
        if key == "indirect":
            assert entry["da"] and entry["en"]
            continue
        assert key in levers.LEVERS, key
        for target, texts in entry.get("targets", {}).items():
            assert target in indicators.INDICATORS, (key, target)
            for side in ("helps", "against"):
                assert (f"{side}_da" in texts) == (f"{side}_en" in texts), (key, target, side)


def row(lever, target, mean, p05, p95, direction="below", helps=True):
    against = drivers.works_against(p05, p95, direction, helps)
    return {"target": target, "lever": lever, "step_from": 1.0, "step_to": 2.0, "mean_change": mean, "p05": p05,
            "p95": p95, "kind": "count", "direction": direction, "helps": helps, "against": against,
            "uncertain": p05 <= 0 <= p95}


def test_a_change_whose_band_excludes_zero_always_comes_with_its_mechanism():
    for key in levers.LEVERS:
        for target in indicators.INDICATORS:
            for band in ((-30.0, -40.0, -20.0), (30.0, 20.0, 40.0)):
                for lang in ("da", "en"):
                    text = drivers.sentence(row(key, target, *band), 2020, lang)
                    assert ("Mekanisme: " if lang == "da" else "Mechanism: ") + mechanisms.how(key, lang) in text, text
            assert "Mekanisme" not in drivers.sentence(row(key, target, 1.0, -5.0, 5.0), 2020, "da")


def test_the_mechanism_follows_the_direction_of_the_change():
    towards = drivers.sentence(row("refugee_work_first_share", "long_term_unemployed", -30, -40, -20), 2020, "da")
    away = drivers.sentence(row("refugee_work_first_share", "long_term_unemployed", 30, 20, 40), 2020, "da")
    assert mechanisms.reach("refugee_work_first_share", "long_term_unemployed", True) in towards
    assert mechanisms.reach("refugee_work_first_share", "long_term_unemployed", False) in away
    assert "væk fra målet" in away and "væk fra målet" not in towards


def test_a_capacity_never_filled_says_more_places_change_nothing(plan):
    sc = with_levers(plan, wage_subsidy_places=1500)
    d = drivers.measure(sc, replications=3, seed=2, scale=0.3, keys=["wage_subsidy_places"], which="all")
    offered, binds = d.capacity["wage_subsidy_places"]
    assert not binds and offered == 1500
    assert (d.table.mean_change == 0).all() and (d.table.p05 == 0).all() and (d.table.p95 == 0).all()
    for text in sum(drivers.sentences(d, "da").values(), []):
        assert "efterspørgslen er under 1.500 pladser" in text
        assert text.endswith("flere pladser ændrer intet.")
    assert "demand stays below 1,500 places" in drivers.sentences(d, "en")[d.targets[0].key][0]


def test_places_that_ran_out_are_never_said_to_change_nothing(plan):
    # Few internship places: they run out, more of them change the futures, and the sentences say by how much.
    sc = with_levers(plan, internship_places=300)
    d = drivers.measure(sc, replications=3, seed=2, scale=0.3, keys=["internship_places"], which="all")
    offered, binds = d.capacity["internship_places"]
    assert binds and offered == 300
    assert (d.table.p05 != 0).any() or (d.table.p95 != 0).any()
    assert not any("ændrer intet" in text for text in sum(drivers.sentences(d, "da").values(), []))


def test_the_business_case_says_which_capacity_changed_nothing():
    """No flow moved (savings, people off benefits, indicators all exactly 0): unused, though the
    consultants who keep the extra places open still cost; one flow moved: not unused."""
    import pandas as pd
    zero = {"mean": 0.0, "p05": 0.0, "p95": 0.0}
    flows = (business_case.SAVINGS, business_case.OFF, business_case.indicator_measure("long_term_unemployed"))
    cost = {"measure": business_case.EFFORT, "mean": 4e6, "p05": 3e6, "p95": 5e6}
    df = pd.DataFrame([{"lever": "wage_subsidy_places", "measure": m, **zero} for m in flows] +
                      [{"lever": "wage_subsidy_places", **cost}, {"lever": "internship_places", **cost}] +
                      [{"lever": "internship_places", "measure": m, **zero} for m in flows[:2]] +
                      [{"lever": "internship_places", "measure": flows[2], "mean": -3.0, "p05": -5.0, "p95": -1.0}])
    assert business_case.unused_capacity(df) == {"wage_subsidy_places": 260}
