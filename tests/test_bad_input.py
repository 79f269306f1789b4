"""Bad input gives one clear line per problem (file, line, field, value, allowed range) and
exit code 2; nothing is run."""
import subprocess
import sys

import pytest

from model.inputs import scenario

from conftest import ROOT, SCENARIOS


def cli(*args):
    return subprocess.run([sys.executable, "-m", "model", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def write(tmp_path, text, name="bad.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_unknown_lever_is_named_with_its_line_and_the_allowed_levers(tmp_path):
    p = write(tmp_path, 'name = "x"\n[levers]\ninternship_deadline_months = 3\ninternship_dedline = 4\n')
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.load(p)
    (line,) = err.value.problems
    assert f"{p}, line 4" in line and "levers.internship_dedline" in line and "internship_deadline_months" in line


def test_out_of_range_value_names_field_value_and_range(tmp_path):
    p = write(tmp_path, 'name = "x"\n[levers]\ninternship_deadline_months = 30\n')
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.load(p)
    assert err.value.problems == [f"{p}, line 3: levers.internship_deadline_months = 30: out of range, allowed 1–12"]


def test_each_problem_gets_its_own_line(tmp_path):
    p = write(tmp_path, 'name = "x"\n[levers]\nyouth_education_push = { 2017 = 1.9 }\n'
                        'internship_places = 12.5\n[assumptions]\nthreat_men = 5\n'
                        '[inputs]\nrefugees_per_year = { 2031 = 3 }\n')
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.load(p)
    problems = err.value.problems
    assert len(problems) == 4
    assert any("line 3" in x and "year 2017 = 1.9" in x and "allowed 0–1" in x for x in problems)
    assert any("line 4" in x and "whole number" in x and "allowed 200–3000" in x for x in problems)
    assert any("line 6" in x and "assumptions.threat_men = 5" in x and "allowed 0.1–0.3" in x for x in problems)
    assert any("line 8" in x and "year 2031 not allowed" in x for x in problems)


def test_broken_toml_names_the_line(tmp_path):
    p = write(tmp_path, 'name = "x"\n[levers\n')
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.load(p)
    assert "line 2" in err.value.problems[0] and "not valid TOML" in err.value.problems[0]


def test_cli_exits_2_with_the_problems_and_runs_nothing(tmp_path):
    text = (SCENARIOS / "plan-2017.toml").read_text(encoding="utf-8") + "\n[levers_typo]\nfoo = 1\n"
    p = write(tmp_path, text)
    r = cli("run", str(p), "--replications", "2", "--format", "csv")
    assert r.returncode == 2
    assert r.stdout == ""
    assert "levers_typo" in r.stderr and "line" in r.stderr


def test_cli_rejects_a_missing_file_and_impossible_options(tmp_path):
    r = cli("run", str(tmp_path / "nope.toml"))
    assert r.returncode == 2 and "no such scenario file" in r.stderr
    r = cli("run", str(SCENARIOS / "plan-2017.toml"), "--replications", "0")
    assert r.returncode == 2 and "allowed 1 or more" in r.stderr
