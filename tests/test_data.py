"""Data kept apart from code: every number has its source or is marked an assumption, and the
documentation's parameter tables are the data's."""
import re

from model import paths
from model.inputs import assumptions, levers, municipalities, params
from model.reports import describe

SRC = re.compile(r"src:([A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])")


def test_every_source_cited_in_the_data_is_listed():
    text = "".join(p.read_text(encoding="utf-8") for p in paths.DATA.rglob("*.toml") if p.name != "sources.toml")
    cited = set(SRC.findall(text)) | {e for lv in levers.LEVERS.values() for e in lv.evidence}
    assert cited - set(params.sources()) == set()


def test_every_hazard_row_and_effect_says_where_it_comes_from():
    raw = params.read_toml(paths.DATA / "hazards.toml")
    for state, rows in raw.items():
        if isinstance(rows, list):
            for row in rows:
                assert row.get("tag"), f"{state} from {row['from']} has no source or assumption tag"
    for a in assumptions.ASSUMPTIONS.values():
        assert a.source and (("src:" in a.source) or ("assumption" in a.source) or ("derived:" in a.source)), a.key
        assert a.low <= a.value <= a.high, a.key


def test_every_unit_cost_is_sourced_derived_or_an_assumption_with_its_range():
    for a in assumptions.UNIT_COSTS.values():
        assert a.status in ("sourced", "derived", "assumed"), a.key
        if a.status == "sourced":
            assert "src:" in a.source, a.key
        elif a.status == "derived":
            assert "derived:" in a.source, a.key
        else:
            assert a.low < a.high and "assumption" in a.source, a.key
        assert a.price_year in (2016, 2017, 2018), a.key


def test_parameter_documentation_is_up_to_date():
    assert describe.DOCS.read_text(encoding="utf-8") == describe.parameters_markdown(), \
        "docs/parameters.md is stale: run `python -m model describe --out docs/parameters.md`"


MECHANISM = re.compile(r"\b((?:rules|jobcenter|population|indicators|engine|agents|month)\.[a-z_]+)")


def test_every_lever_mechanism_names_functions_that_exist():
    """The `mechanism` of each lever (published in docs/parameters.md) names real functions of the
    simulation (`model/sim/`)."""
    import importlib
    for key, lv in levers.LEVERS.items():
        names = MECHANISM.findall(lv.mechanism)
        assert names, f"{key}: mechanism names no function: {lv.mechanism!r}"
        for name in names:
            module, attr = name.split(".")
            assert callable(getattr(importlib.import_module(f"model.sim.{module}"), attr, None)), f"{key}: {name} does not exist"


def test_no_function_defaults_to_a_municipality():
    """The municipality is passed from the scenario; only the scenario file's default names one."""
    import inspect
    for path in sorted(paths.MODEL.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"def \w+\([^)]*=\s*[\"']viborg[\"']", text, re.S), path.name
    assert inspect.signature(municipalities.load).parameters["profile"].default is inspect.Parameter.empty
