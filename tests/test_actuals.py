"""Actual figures in: the importer reads each accepted format (Jobindsats API JSON and CSV,
Statistikbanken CSV, the tidy CSV), keeps suppressed cells missing, never zero, and refuses a file
that does not fit with one line per problem, writing nothing (tests/actuals/README.md lists the files)."""
import datetime as dt
import math

import pandas as pd
import pyarrow.parquet as pq
import pytest

from model import paths
from model.inputs import actuals, measures
from model.sim import indicators
from model.states import State

from conftest import ROOT, refused

FILES = ROOT / "tests" / "actuals"
DAY = dt.date(2026, 12, 7)


def imported(*names, retrieved=DAY) -> pd.DataFrame:
    return actuals.read([FILES / n for n in names], "viborg", retrieved).table


def value(df, measure, period, months=1):
    row = df[(df.measure == measure) & (df.period == dt.date.fromisoformat(period)) & (df.months == months)]
    assert len(row) == 1, (measure, period, row)
    return row.value.iloc[0]


# ---------------------------------------------------------------- each accepted format

def test_jobindsats_json_is_read_as_the_municipality_s_months():
    df = imported("Y07A02.json")
    assert value(df, "sickness_benefit.persons", "2017-01-01") == 1490           # a number as text
    assert value(df, "sickness_benefit.full_time", "2017-01-01") == 1190.5       # a decimal comma
    assert value(df, "sickness_benefit.persons", "2017-02-01") == 1500           # a JSON number, rows unsorted
    assert value(df, "sickness_benefit.persons", "2017-04-01") == 1512           # "1.512": a thousands point
    assert set(df.municipality) == {"viborg"} and set(df.unit) == {"persons", "full-time persons"}
    assert (df.source.str.startswith("Jobindsats Y07A02")).all() and set(df.retrieved) == {DAY}
    assert 80000 not in df.value.to_list()                                         # the whole country left out


def test_a_suppressed_cell_is_missing_not_zero():
    df = imported("Y07A02.json")
    assert math.isnan(value(df, "sickness_benefit.persons", "2017-03-01"))        # null
    assert math.isnan(value(df, "sickness_benefit.full_time", "2017-03-01"))      # ".."
    assert (df.value == 0).sum() == 0
    notes = actuals.read([FILES / "Y07A02.json"], "viborg", DAY).notes
    assert any("missing, not zero" in n for n in notes)
    assert any("Fuldtidspersoner i pct." in n and "not imported" in n for n in notes)


def test_jobindsats_csv_visitation_categories_are_the_model_s_states():
    df = imported("Y36A02.csv")
    assert value(df, "cash_benefit_jobready.persons", "2017-01-01") == 500
    assert value(df, "cash_benefit_activity.full_time", "2017-01-01") == 850
    assert value(df, "cash_benefit.persons", "2017-01-01") == 1450                # the table's total
    assert value(df, "cash_benefit_jobready.full_time", "2017-01-01") == 420.5
    assert len(df) == 6                                                            # "Uoplyst" is no state


def test_statistikbanken_csv_with_byte_order_mark_and_quarters():
    df = imported("AUK01.csv")
    assert value(df, "net_unemployed_cash_benefit.full_time", "2017-01-01", months=3) == 274
    assert math.isnan(value(df, "net_unemployed_cash_benefit.full_time", "2017-04-01", months=3))   # ".."
    assert len(df) == 2 and df.source.iloc[0].startswith("Statistikbanken AUK01")


def test_tidy_csv_keeps_its_own_source_vintage_and_words():
    df = imported("tidy.csv", retrieved=None)
    assert value(df, "youth_on_benefits.month_end", "2016-07-01") == 1343
    assert value(df, "partial_return_share.share", "2016-08-01") == pytest.approx(0.221)
    assert math.isnan(value(df, "sickness_benefit.month_end", "2017-06-01"))
    row = df[df.measure == "youth_on_benefits.month_end"].iloc[0]
    assert row.retrieved == dt.date(2016, 12, 13) and row.note == "Status 1. juli 2016 = 1343."
    assert row.source == "Beskæftigelsesplan 2017, Effektmål i 2017-2020" and row.file == "tidy.csv"


def test_files_of_every_format_make_one_table():
    df = imported("Y07A02.json", "Y36A02.csv", "AUK01.csv", "tidy.csv")
    assert list(df.columns) == list(actuals.COLUMNS)
    assert not df.duplicated(["measure", "period", "months"]).any()
    assert set(df.file) == {"Y07A02.json", "Y36A02.csv", "AUK01.csv", "tidy.csv"}


def test_the_file_s_date_is_its_vintage_unless_given(tmp_path):
    f = tmp_path / "Y07A02.json"
    f.write_bytes((FILES / "Y07A02.json").read_bytes())
    got = actuals.read([f], "viborg")
    assert set(got.table.retrieved) == {dt.date.fromtimestamp(f.stat().st_mtime)}
    assert any("--retrieved" in n for n in got.notes)


# ---------------------------------------------------------------- files that do not fit

@pytest.mark.parametrize("name, says", [
    ("Y07A02-aarhus.json", "holds no rows for Viborg Kommune (its areas: Aarhus)"),
    ("Y07A02-truncated.json", "not valid JSON"),
    ("Y07A02-women.json", "column Køn holds Kvinder, not its total"),
    ("Y07A02-2015-2021.json", "2 periods outside 2016–2020, the plan's years: 2015M12, 2021M01"),
    ("AUK01-2015.csv", "1 period outside 2016–2020, the plan's years: 2015Q4"),
])
def test_a_file_that_does_not_fit_is_refused_in_one_line(name, says):
    with pytest.raises(actuals.ActualsError) as exc:
        imported(name)
    assert len(exc.value.problems) == 1 and says in exc.value.problems[0], exc.value.problems


def test_tidy_csv_problems_one_line_each():
    with pytest.raises(actuals.ActualsError) as exc:
        imported("tidy-bad.csv")
    p = exc.value.problems
    assert len(p) == 4, p
    assert "line 2: measure 'youth_on_benefit.month_end' is not one of the model's" in p[0]
    assert "line 3: partial_return_share.share is a share, 0–1; 22.1 is not" in p[1]
    assert "line 4: long_term_unemployed.month_end is counted per month; period 2017 covers 12 months" in p[2]
    assert "line 5: no source" in p[3]


def test_every_file_s_problems_are_told_and_nothing_is_read_from_the_good_ones():
    with pytest.raises(actuals.ActualsError) as exc:
        imported("Y07A02.json", "Y07A02-aarhus.json", "Y07A02-truncated.json")
    assert [p.split(":")[0].rsplit("/", 1)[-1] for p in exc.value.problems] == ["Y07A02-aarhus.json",
                                                                                "Y07A02-truncated.json"]


def test_two_files_that_disagree_on_a_figure_are_refused(tmp_path):
    other = tmp_path / "y07a02-again.json"
    other.write_text((FILES / "Y07A02.json").read_text(encoding="utf-8").replace('"1490"', '"1491"'),
                     encoding="utf-8")
    with pytest.raises(actuals.ActualsError, match="sickness_benefit.persons 2017-01: Y07A02.json gives 1490, "
                                                   "y07a02-again.json 1491"):
        actuals.read([FILES / "Y07A02.json", other], "viborg", DAY)


def test_unnamed_tables_rolling_years_and_strangers_are_refused(tmp_path):
    f = tmp_path / "download.json"
    f.write_bytes((FILES / "Y07A02.json").read_bytes())
    with pytest.raises(actuals.ActualsError, match="cannot tell the Jobindsats table"):
        actuals.read([f], "viborg", DAY)
    assert len(actuals.read([f], "viborg", DAY, table="Y07A02").table) == 8
    qmat = tmp_path / "Y07A02-qmat.json"
    qmat.write_text((FILES / "Y07A02.json").read_text(encoding="utf-8").replace("2017M01", "2017QMAT01"),
                    encoding="utf-8")
    with pytest.raises(actuals.ActualsError, match="rolling year"):
        actuals.read([qmat], "viborg", DAY)
    odd = tmp_path / "notes.txt"
    odd.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(actuals.ActualsError, match="neither a Jobindsats API response"):
        actuals.read([odd], "viborg", DAY)


def test_numbers_as_the_sources_write_them():
    assert actuals.number("1.234", whole=True) == 1234
    assert actuals.number("4,2", whole=False) == 4.2
    assert actuals.number("1.234,5", whole=False) == 1234.5
    assert actuals.number("0.221", whole=False) == 0.221
    assert actuals.number(17, whole=True) == 17
    for blank in (None, "", "..", "-", "x"):
        assert math.isnan(actuals.number(blank, whole=True))
    with pytest.raises(ValueError, match="thousands separator or a decimal point"):
        actuals.number("1.234", whole=False)
    with pytest.raises(ValueError, match="not a number"):
        actuals.number("abc", whole=True)


def test_a_municipality_is_named_by_profile_name_or_code():
    assert {actuals.municipality(n) for n in ("viborg", "Viborg", "Viborg Kommune", "791")} == {"viborg"}
    with pytest.raises(actuals.ActualsError, match="not a shipped municipality profile"):
        actuals.municipality("Aarhus")


# ---------------------------------------------------------------- the table written

def test_the_table_is_self_describing(tmp_path):
    path = actuals.write(imported("Y07A02.json", "tidy.csv", retrieved=DAY), tmp_path)
    schema = pq.read_schema(path)
    assert schema.names == list(actuals.COLUMNS)
    for f in schema:
        meta = {k.decode(): v.decode() for k, v in f.metadata.items()}
        assert meta["description"] == actuals.COLUMNS[f.name][1] and "unit" in meta
    assert schema.metadata[b"description"].decode() == actuals.DESCRIPTION
    assert schema.metadata[b"municipality"] == b"viborg"
    back = actuals.load(tmp_path, "viborg")
    assert str(schema.field("period").type) == "date32[day]" and back.period.min() == dt.date(2016, 7, 1)
    assert len(back) == 12 and back.value.isna().sum() == 3


def test_nothing_half_written_is_left_behind(tmp_path, monkeypatch):
    good = actuals.write(imported("tidy.csv", retrieved=None), tmp_path)
    before = good.read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(actuals.os, "replace", fail)
    with pytest.raises(OSError):
        actuals.write(imported("Y07A02.json"), tmp_path)
    assert good.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == [actuals.FILE]


def test_a_table_of_another_municipality_is_refused(tmp_path):
    actuals.write(imported("tidy.csv", retrieved=None), tmp_path)
    with pytest.raises(actuals.ActualsError, match="figures of Viborg Kommune, not of Eksempelby Kommune"):
        actuals.load(tmp_path, "eksempelby")
    with pytest.raises(actuals.ActualsError, match="holds no actuals.parquet"):
        actuals.load(tmp_path / "none", "viborg")


def test_an_imported_table_among_the_files_adds_to_it(tmp_path):
    earlier = actuals.write(imported("tidy.csv", retrieved=None), tmp_path / "old")
    both = actuals.read([earlier, FILES / "Y07A02.json"], "viborg", DAY).table
    assert len(both) == 4 + 8
    row = both[both.measure == "youth_on_benefits.month_end"].iloc[0]
    assert row.retrieved == dt.date(2016, 12, 13) and row.file == "tidy.csv"      # as it was imported
    with pytest.raises(actuals.ActualsError, match="figures of Viborg Kommune, not of Eksempelby Kommune"):
        actuals.read([earlier], "eksempelby", DAY)


# ---------------------------------------------------------------- the command

def test_import_command_writes_the_table(tmp_path, capsys):
    from model import cli
    code = cli.main(["actuals", "import", str(FILES / "Y07A02.json"), str(FILES / "tidy.csv"),
                     "--municipality", "Viborg", "--out", str(tmp_path / "act"), "--retrieved", "2026-12-07"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "12 figures (3 missing) of 6 measures for viborg" in out
    assert len(actuals.load(tmp_path / "act", "viborg")) == 12


@pytest.mark.parametrize("name, says", [("Y07A02-aarhus.json", "holds no rows for Viborg Kommune"),
                                        ("Y07A02-truncated.json", "not valid JSON")])
def test_import_command_refuses_and_writes_nothing(tmp_path, capsys, name, says):
    refused(capsys, ["actuals", "import", str(FILES / name), "--municipality", "viborg", "--out",
                     str(tmp_path / "act")], says)
    assert not (tmp_path / "act").exists()


def test_import_command_refuses_bad_arguments(tmp_path, capsys):
    refused(capsys, ["actuals", "import", str(FILES / "tidy.csv"), "--municipality", "Aarhus", "--out",
                     str(tmp_path)], "not a shipped municipality profile")
    refused(capsys, ["actuals", "import", str(FILES / "tidy.csv"), "--municipality", "viborg", "--out",
                     str(tmp_path), "--retrieved", "7/12/2026"], "is not a date, allowed YYYY-MM-DD")


# ---------------------------------------------------------------- the mapping

def test_every_state_and_indicator_maps_to_an_official_measure_or_says_why_not():
    for name in [s.name for s in State] + list(indicators.INDICATORS):
        of = measures.of_subject(name)
        assert of, name
        assert any(m.jobindsats or m.statistikbanken for m in of) or of[0].none["en"], name
        assert of[0].none["da"] or not of[0].none["en"], name


def test_the_mapping_names_the_model_s_real_numbers():
    for m in measures.measures().values():
        kind, _, names = m.model.partition(":")
        for n in names.split("+") if names else []:
            assert (kind == "stock" and n in State.__members__) or (kind == "measure" and n in indicators.M) or \
                (kind == "indicator" and n in indicators.INDICATORS), m.key
        assert m.count.compare_periods or not m.compared


def test_the_shipped_example_is_the_import_of_its_files():
    folder = paths.ROOT / "actuals" / "viborg"
    shipped = actuals.load(folder, "viborg")
    vintage = shipped[shipped.file == "AUK01.csv"].retrieved.iloc[0]
    fresh = actuals.read([folder / "plan-status.csv", folder / "AUK01.csv"], "viborg", vintage).table
    pd.testing.assert_frame_equal(shipped, fresh)
    assert shipped.source.str.len().gt(0).all() and shipped.retrieved.notna().all()
