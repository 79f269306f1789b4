"""Data kept apart from code: every number has its source or is marked an assumption, and the
documentation's parameter tables are the data's."""
import re

from model import assumptions, describe, levers, params

SRC = re.compile(r"src:([A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])")


def test_every_source_cited_in_the_data_is_listed():
    text = "".join(p.read_text(encoding="utf-8") for p in params.DATA.rglob("*.toml") if p.name != "sources.toml")
    cited = set(SRC.findall(text)) | {e for lv in levers.LEVERS.values() for e in lv.evidence}
    assert cited - set(params.sources()) == set()


def test_every_hazard_row_and_effect_says_where_it_comes_from():
    raw = params.read_toml(params.DATA / "hazards.toml")
    for state, rows in raw.items():
        if isinstance(rows, list):
            for row in rows:
                assert row.get("tag"), f"{state} from {row['from']} has no source or assumption tag"
    for a in assumptions.ASSUMPTIONS.values():
        assert a.source and (("src:" in a.source) or ("assumption" in a.source)), a.key
        assert a.low <= a.value <= a.high, a.key


def test_parameter_documentation_is_up_to_date():
    assert describe.DOCS.read_text(encoding="utf-8") == describe.parameters_markdown(), \
        "docs/parameters.md is stale: run `python -m model describe --out docs/parameters.md`"
