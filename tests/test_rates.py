"""Rate files: every value dated, sourced and in its unit; bad input is one line naming the file,
the field and the value, as for scenarios."""
import shutil
from pathlib import Path

import pytest

from model.inputs import params, rates


@pytest.fixture
def rate_dir(tmp_path: Path) -> Path:
    d = tmp_path / "rates"
    shutil.copytree(rates.RATES_DIR, d)
    return d


def _edit(d: Path, file: str, old: str, new: str, after: str = "") -> None:
    """Replace the first ``old`` after the text ``after`` in a copied rate file."""
    p = d / f"{file}.toml"
    text = p.read_text(encoding="utf-8")
    start = text.index(after)
    head, tail = text[:start], text[start:]
    assert old in tail, f"{old!r} not in {file}.toml after {after!r}"
    p.write_text(head + tail.replace(old, new, 1), encoding="utf-8")


def _only_problem(d: Path) -> str:
    with pytest.raises(rates.RateError) as err:
        rates.load(d)
    assert len(err.value.problems) == 1, err.value.problems
    line = err.value.problems[0]
    assert "\n" not in line
    return line


def test_the_model_rate_files_load():
    book = rates.load()
    assert book.get("benefits", "kh_30_other")(2017) == 11143
    assert set(book.states) == set(rates.State.__members__)


def test_every_rate_has_a_value_and_a_source_for_every_year():
    for r in rates.book().all_rates():
        if r.file == "national":
            continue
        assert sorted(r.values) == list(rates.YEARS), r.key
        assert sorted(r.sources) == list(rates.YEARS), r.key
        for tag in r.sources.values():
            assert tag.startswith(("src:", "derived:", "assumption")), (r.key, tag)


def test_a_negative_rate(rate_dir):
    _edit(rate_dir, "benefits", "2017 = 11143,", "2017 = -11143,", after="[rates.kh_30_other]")
    line = _only_problem(rate_dir)
    assert "benefits.toml, line" in line
    assert "rates.kh_30_other.values.2017 = -11143" in line and "≥ 0" in line


def test_a_missing_year(rate_dir):
    _edit(rate_dir, "wage_subsidy", "2019 = 114.88, ", "")
    line = _only_problem(rate_dir)
    assert "wage_subsidy.toml, line" in line
    assert "public_hourly.values: year 2019 missing" in line


def test_a_year_outside_2016_2020(rate_dir):
    _edit(rate_dir, "integration", "2020 = 0 }", "2020 = 0, 2021 = 0 }")
    line = _only_problem(rate_dir)
    assert "integration.toml" in line and "employment_bonus.values.2021" in line and "2016–2020" in line


def test_an_unknown_source_key(rate_dir):
    _edit(rate_dir, "sick_pay", 'source = "src:SLAGELSE-SDP', 'source = "src:SLAGELSE-SPD')
    line = _only_problem(rate_dir)
    assert "sick_pay.toml, line" in line
    assert "employer_period_days.source" in line and "unknown source key SLAGELSE-SPD" in line


def test_a_value_without_derived_or_assumption_or_source(rate_dir):
    _edit(rate_dir, "shares", 'source = "assumption: no figure found"', 'source = "my guess"')
    line = _only_problem(rate_dir)
    assert "shares.toml" in line and "fp_single_share.source = 'my guess'" in line


def test_a_wrong_unit(rate_dir):
    _edit(rate_dir, "flexjob", 'unit = "DKK/hour"', 'unit = "DKK/month"')
    line = _only_problem(rate_dir)
    assert "flexjob.toml, line" in line
    assert "hourly_wage.unit = 'DKK/month'" in line and "allowed DKK/hour" in line


def test_an_unknown_unit(rate_dir):
    _edit(rate_dir, "refusion", 'unit = "weeks"\nvalue = 4\n', 'unit = "wks"\nvalue = 4\n')
    line = _only_problem(rate_dir)
    assert "refusion.toml" in line and "last_week_step_1.unit = 'wks'" in line


def test_a_share_above_one(rate_dir):
    _edit(rate_dir, "refusion", "value = 0.80", "value = 80")
    line = _only_problem(rate_dir)
    assert "refusion_weeks_1_4.value = 80" in line and "between 0 and 1" in line


def test_a_missing_entry(rate_dir):
    text = (rate_dir / "sick_pay.toml").read_text(encoding="utf-8")
    start = text.index("[partial_return_benefit_share]")
    (rate_dir / "sick_pay.toml").write_text(text[:start], encoding="utf-8")
    line = _only_problem(rate_dir)
    assert "sick_pay.toml: missing field 'partial_return_benefit_share'" in line


def test_an_unknown_entry(rate_dir):
    (rate_dir / "sick_pay.toml").write_text((rate_dir / "sick_pay.toml").read_text(encoding="utf-8")
                                            + '\n[waiting_days]\nlabel_da = "x"\nlabel_en = "x"\nunit = "days"\n'
                                              'value = 3\nsource = "assumption"\n', encoding="utf-8")
    line = _only_problem(rate_dir)
    assert "unknown field 'waiting_days'" in line


def test_a_state_without_a_benefit_rule(rate_dir):
    _edit(rate_dir, "benefits", '[states.igu]\nbenefit = "none"', '[states.iguu]\nbenefit = "none"')
    with pytest.raises(rates.RateError) as err:
        rates.load(rate_dir)
    text = "\n".join(err.value.problems)
    assert "unknown state 'iguu'" in text and "missing field 'states.igu'" in text


def test_a_state_naming_a_rate_that_does_not_exist(rate_dir):
    _edit(rate_dir, "benefits", 'u25 = "sick_pay_max"', 'u25 = "sick_pay_maximum"')
    line = _only_problem(rate_dir)
    assert "states.sickness_benefit.u25.away = 'sick_pay_maximum': no such rate" in line


def test_broken_toml(rate_dir):
    _edit(rate_dir, "offers", "[ceiling_sick_flex]", "[ceiling_sick_flex")
    line = _only_problem(rate_dir)
    assert "offers.toml: not valid TOML" in line


def test_a_state_in_two_operating_refusion_groups(rate_dir):
    _edit(rate_dir, "offers", 'sick_flex = { 2016 = ["sickness_benefit"',
          'sick_flex = { 2016 = ["unemployment_insurance", "sickness_benefit"')
    line = _only_problem(rate_dir)
    assert "operating_refusion_groups.sick_flex.2016: unemployment_insurance in two groups" in line


def test_every_problem_is_reported_at_once(rate_dir):
    _edit(rate_dir, "benefits", "2017 = 11143,", "2017 = -11143,", after="[rates.kh_30_other]")
    _edit(rate_dir, "wage_subsidy", "2019 = 114.88, ", "")
    with pytest.raises(rates.RateError) as err:
        rates.load(rate_dir)
    assert len(err.value.problems) == 2


def test_the_cost_sources_are_listed():
    listed = set(params.sources())
    for key in ("REFUSIONSLOV", "OR2016-B28", "BEK1591", "FLEKS-FORMULA"):
        assert key in listed
