"""Malformed scenario files, generated (Hypothesis over the TOML structure and values) and from a
corpus of the holes once found: whatever is wrong, the command line exits with 2 and prints a
bounded set of one-line problems, each naming the line or the field, with no traceback, no
other output and nothing written."""
import atexit
import contextlib
import datetime as dt
import io
import math
import os
import re
import shutil
import tempfile

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from model import cli
from model.inputs import assumptions, levers, scenario

from conftest import ROOT, SCENARIOS

WHERE = "fuzz.toml"
LEVERS = list(levers.LEVERS.values())
ASSUMPTIONS = list(assumptions.ASSUMPTIONS.values())
PLAN_YEARS = ["2017", "2018", "2019", "2020"]
INPUT_YEARS = ["2016", *PLAN_YEARS]
FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def tree(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if not {"__pycache__", ".pytest_cache", ".venv", ".git"} & set(p.relative_to(root).parts))


# Hypothesis keeps its caches (written as soon as this module is collected) in a temporary
# folder, so that any file appearing in the project is one the command line wrote.
HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="hypothesis-")
set_hypothesis_home_dir(HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, HYPOTHESIS_HOME, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def the_source_tree_is_untouched():
    before = tree(ROOT)
    yield
    assert tree(ROOT) == before


def assert_refused(text: str) -> list[str]:
    """Parse in-process (a ScenarioError, nothing else), then run the command line in-process in
    an empty folder: exit 2, nothing on standard output, the same bounded lines, nothing written."""
    with pytest.raises(scenario.ScenarioError) as err:
        scenario.parse(text, where=WHERE)
    problems = err.value.problems
    assert 1 <= len(problems) <= scenario.MAX_PROBLEMS + 1
    for p in problems:
        assert "\n" not in p and len(p) <= scenario.MAX_LINE
        if p.startswith("... and "):
            assert re.fullmatch(r"\.\.\. and \d+ more problems?", p) and p is problems[-1]
            continue
        assert re.match(rf"{WHERE}, line \d+: ", p) or re.match(rf"{WHERE}: ([A-Za-z_][\w.]*[:= ]|file )", p), p
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, WHERE)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        out, errs = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        os.chdir(d)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(errs):
                code = cli.main(["run", WHERE, "--replications", "1", "--scale", "0.05"])
        finally:
            os.chdir(cwd)
        assert code == 2 and out.getvalue() == ""
        assert errs.getvalue().splitlines() == problems
        assert os.listdir(d) == [WHERE]
    return problems


# ----- valid documents ---------------------------------------------------------------------

def lever_value(lv):
    return st.integers(int(lv.min), int(lv.max)) if lv.kind == "int" else st.floats(lv.min, lv.max)


@st.composite
def valid_doc(draw) -> dict:
    doc = {"name": draw(st.text(min_size=1, max_size=40).filter(str.strip)), "municipality": "viborg"}
    chosen = draw(st.lists(st.sampled_from(LEVERS), max_size=5, unique_by=lambda lv: lv.key))
    lv_values = {}
    for lv in chosen:
        if draw(st.booleans()):
            lv_values[lv.key] = draw(lever_value(lv))
        else:
            years = draw(st.lists(st.sampled_from(PLAN_YEARS), min_size=1, unique=True))
            lv_values[lv.key] = {y: draw(lever_value(lv)) for y in years}
    doc["levers"] = lv_values
    years = draw(st.lists(st.sampled_from(INPUT_YEARS), unique=True))
    doc["inputs"] = {"refugees_per_year": {y: draw(st.integers(0, 3000)) for y in years}} if years else {}
    doc["assumptions"] = {a.key: draw(st.floats(a.low, a.high))
                          for a in draw(st.lists(st.sampled_from(ASSUMPTIONS), max_size=3, unique_by=lambda a: a.key))}
    return doc


def test_the_valid_documents_are_valid():
    """The generator's base documents pass, so every fault added below is what makes a file bad."""
    @FUZZ
    @given(valid_doc())
    def check(doc):
        scenario.parse(tomli_w.dumps(doc), where=WHERE)
    check()


# ----- faults, each of which alone makes a document invalid ----------------------------------

NOT_NUMBERS = st.one_of(st.booleans(), st.text(max_size=10), st.dates(), st.times(), st.datetimes(),
                        st.lists(st.integers(), max_size=3), st.just(math.nan), st.just({"a": 1}))


def bad_value(lo: float, hi: float, integer: bool):
    outside = st.one_of(st.floats(min_value=1e-3, max_value=1e12).map(lambda d: lo - d * (1 + abs(lo))),
                        st.floats(min_value=1e-3, max_value=1e12).map(lambda d: hi + d * (1 + abs(hi))),
                        st.sampled_from([math.inf, -math.inf, 2 ** 63 - 1, -(2 ** 63), 10 ** 30]))
    options = [outside, NOT_NUMBERS]
    if integer:
        options.append(st.floats(0.05, 0.95).map(lambda f: math.floor(lo) + f))
    return st.one_of(*options)


BAD_YEARS = st.one_of(st.sampled_from(["02017", "٢٠١٧", "２０１７", "2021", "2015", "17", "20170", "+2017", "2017 ",
                                       " 2017", "year", "2017.0", "2_017", "0x7E1", ""]),
                      st.text(max_size=6)).filter(lambda k: k not in INPUT_YEARS)


def section(doc: dict, name: str) -> dict:
    """A table of the document, made a table again if an earlier fault made it something else."""
    if not isinstance(doc.get(name), dict):
        doc[name] = {}
    return doc[name]


@st.composite
def value_fault(draw, doc):
    kind = draw(st.sampled_from(["lever", "lever_year", "lever_bad_year", "assumption", "input", "input_year",
                                 "input_scalar"]))
    if kind.startswith("lever"):
        lv = draw(st.sampled_from(LEVERS))
        bad = bad_value(lv.min, lv.max, lv.kind == "int")
        if kind == "lever":
            section(doc, "levers")[lv.key] = draw(bad)
        elif kind == "lever_year":
            section(doc, "levers")[lv.key] = {draw(st.sampled_from(PLAN_YEARS)): draw(bad)}
        else:
            year = draw(BAD_YEARS.filter(lambda k: k not in PLAN_YEARS))
            section(doc, "levers")[lv.key] = {year: draw(lever_value(lv))}
    elif kind == "assumption":
        a = draw(st.sampled_from(ASSUMPTIONS))
        section(doc, "assumptions")[a.key] = draw(bad_value(a.low, a.high, False))
    elif kind == "input":
        year = draw(st.sampled_from(INPUT_YEARS))
        section(doc, "inputs")["refugees_per_year"] = {year: draw(bad_value(0, 3000, True))}
    elif kind == "input_year":
        section(doc, "inputs")["labour_demand"] = {draw(BAD_YEARS): 1.0}
    else:
        section(doc, "inputs")[draw(st.sampled_from(["refugees_per_year", "labour_demand"]))] = draw(st.integers(0, 3000))


@st.composite
def structure_fault(draw, doc):
    kind = draw(st.sampled_from(["unknown_top", "unknown_lever", "unknown_input", "unknown_assumption",
                                 "table_scalar", "municipality", "name", "no_name"]))
    key = draw(st.text(min_size=1, max_size=30))
    if kind == "unknown_top":
        doc[key if key not in scenario.ScenarioFile.model_fields else key + "_x"] = draw(st.integers())
    elif kind == "unknown_lever":
        section(doc, "levers")[key if key not in levers.LEVERS else key + "_x"] = 1
    elif kind == "unknown_input":
        section(doc, "inputs")[key if key not in scenario.Inputs.model_fields else key + "_x"] = {"2017": 1}
    elif kind == "unknown_assumption":
        section(doc, "assumptions")[key if key not in assumptions.ASSUMPTIONS else key + "_x"] = 0.5
    elif kind == "table_scalar":
        doc[draw(st.sampled_from(["levers", "inputs", "assumptions"]))] = draw(st.one_of(st.integers(), st.text(),
                                                                                      st.lists(st.integers())))
    elif kind == "municipality":
        doc["municipality"] = draw(st.one_of(st.sampled_from(["../levers", "../../pyproject", "/etc/passwd",
                                                              "viborg.toml", "Viborg", "municipalities/viborg",
                                                              "", "viborg\0"]),
                                             st.text(max_size=20).filter(lambda m: m != "viborg"), st.integers()))
    elif kind == "name":
        doc["name"] = draw(st.one_of(st.just(""), st.text(min_size=201, max_size=300), st.integers(), st.booleans()))
    else:
        doc.pop("name", None)


def text_fault(text: str, draw) -> str:
    """Faults only text can carry; each leaves the document invalid."""
    kind = draw(st.sampled_from(["duplicate", "unterminated", "deep", "bom_inside", "nul", "garbage", "huge_int"]))
    lines = text.splitlines()
    if kind == "duplicate":
        candidates = [i for i, line in enumerate(lines) if re.match(r'^(name|municipality) = ', line)]
        i = draw(st.sampled_from(candidates))
        return "\n".join(lines[:i + 1] + [lines[i]] + lines[i + 1:]) + "\n"
    if kind == "unterminated":
        return text + 'description = "no end\n'
    if kind == "deep":
        n = draw(st.integers(scenario.MAX_DEPTH, 3000))
        opener, closer = draw(st.sampled_from([("[", "]"), ("{a = ", "}")]))
        return f"deep = {opener * n}1{closer * n}\n" + text
    if kind == "bom_inside":
        return text + "\ufeffdescription = 'x'\n"
    if kind == "nul":
        i = draw(st.integers(0, len(text)))
        return text[:i] + "\0" + text[i:]
    if kind == "garbage":
        return text + draw(st.sampled_from(["= = =", "[levers", "]]", "x = ", "x = [1,", "x = {", '"x', "x.=1",
                                            "x = 1 2", "[[]]"])) + "\n"
    return text.replace("municipality = ", f"digits = {'9' * 5000}\nmunicipality = ", 1)


@st.composite
def malformed(draw) -> str:
    doc = draw(valid_doc())
    faults = draw(st.lists(st.sampled_from(["value", "structure", "text"]), min_size=1, max_size=3))
    for _ in range(faults.count("value")):
        draw(value_fault(doc))
    for _ in range(faults.count("structure")):
        draw(structure_fault(doc))
    text = tomli_w.dumps({k: v for k, v in doc.items() if v != {}})
    if "text" in faults:
        if not isinstance(doc.get("name"), str) or doc.get("municipality") != "viborg":
            draw(value_fault(doc))
            text = tomli_w.dumps({k: v for k, v in doc.items() if v != {}})
        else:
            text = text_fault(text, draw)
    return text


@FUZZ
@given(malformed())
def test_a_malformed_scenario_gives_bounded_one_line_problems_and_exit_2(text):
    assert_refused(text)


@settings(max_examples=100, deadline=None, database=None)
@given(st.text(max_size=300))
def test_any_text_without_a_scenario_in_it_is_refused_cleanly(text):
    assert_refused(text)


# ----- the corpus: the holes found by attacking the command line ------------------------------

HEAD = 'name = "x"\n'
CORPUS = {
    "leading zero year": (HEAD + "[levers]\ninternship_places = { 2017 = 3000, 02017 = 200 }\n", "year 02017 not allowed"),
    "arabic-indic year": (HEAD + "[levers]\ninternship_places = { \"٢٠١٧\" = 300 }\n", "not allowed"),
    "a date": (HEAD + "[levers]\ninternship_places = 1979-05-27\n", "internship_places = 1979-05-27"),
    "a time": (HEAD + "[levers]\ninternship_places = 07:32:00\n", "whole number"),
    "a date-time": (HEAD + "[inputs]\nrefugees_per_year = { 2017 = 1979-05-27T07:32:00Z }\n", "year 2017"),
    "inf for a whole number": (HEAD + "[levers]\ninternship_places = inf\n", "out of range, allowed 200–3000"),
    "-inf refugees": (HEAD + "[inputs]\nrefugees_per_year = { 2017 = -inf }\n", "out of range, allowed 0–3000"),
    "nan": (HEAD + "[assumptions]\nmatching_elasticity = nan\n", "must be a number"),
    "scalar input": (HEAD + "[inputs]\nrefugees_per_year = 300\n", "must be a table of years"),
    "500 deep arrays": (HEAD + "x = " + "[" * 500 + "]" * 500 + "\n", "nested deeper"),
    "500 deep inline tables": (HEAD + "x = " + "{a = " * 500 + "1" + "}" * 500 + "\n", "nested deeper"),
    "deep dotted key": (HEAD + "x" + ".a" * 500 + " = 1\n", "nested deeper"),
    "deep table header": (HEAD + "[" + ".".join(["a"] * 100) + "]\n", "nested deeper"),
    "municipality path": (HEAD + 'municipality = "../levers"\n', "not a shipped municipality profile"),
    "municipality absolute": (HEAD + 'municipality = "/etc/hostname"\n', "allowed: eksempelby, viborg"),
    "60,000 unknown keys": (HEAD + "[levers]\n" + "".join(f"k{i} = 1\n" for i in range(60000)), "59980 more problems"),
    "one 35 kB key": (HEAD + "[levers]\n" + "k" * 35000 + " = 1\n", "unknown field"),
    "a line of 1 MB": (HEAD + "x = \"" + "y" * 990_000 + "\"\n", "unknown field 'x'"),
    "too large a file": (HEAD + "#" * 1_000_001 + "\n", "file too large"),
    "duplicate key": (HEAD + "[levers]\ninternship_places = 300\ninternship_places = 400\n",
                      "line 4: duplicate key 'levers.internship_places'"),
    "duplicate table": (HEAD + "[levers]\nigu_uptake = 0.1\n[levers]\n", "line 4: duplicate table [levers]"),
    "duplicate inline key": (HEAD + "[levers]\ninternship_places = { 2017 = 300, 2017 = 400 }\n", "duplicate key '2017'"),
    "BOM and an error": ("\ufeff" + HEAD + "[levers]\nigu_uptake = 5\n", "line 3: levers.igu_uptake = 5"),
    "2**63 - 1": (HEAD + "[levers]\ninternship_places = 9223372036854775807\n", "out of range"),
    "5,000 digits": (HEAD + "[levers]\ninternship_places = " + "9" * 5000 + "\n", "line 3"),
    "bool lever": (HEAD + "[levers]\ninternship_places = true\n", "whole number"),
    "newline in a key": (HEAD + '[levers]\n"a\\nb" = 1\n', "unknown field 'levers.a\\nb'"),
    "control characters": (HEAD + '[levers]\n"\\u001b[31mred" = 1\n', "unknown field"),
    "empty file": ("", "name: Field required"),
    "binary garbage": ("\x00\x01\x02\x7f", "not valid TOML"),
}


@pytest.mark.parametrize("case", list(CORPUS))
def test_each_hole_found_is_closed(case):
    text, expected = CORPUS[case]
    problems = assert_refused(text)
    assert expected in "\n".join(problems), problems


def test_a_byte_order_mark_is_accepted():
    text = (SCENARIOS / "plan-2017.toml").read_text(encoding="utf-8")
    assert scenario.parse("\ufeff" + text).hash == scenario.parse(text).hash


def test_a_strict_year_key_is_four_ascii_digits_of_an_allowed_year():
    sc = scenario.parse(HEAD + "[levers]\ninternship_places = { 2017 = 300, 2019 = 400 }\n")
    assert sc.lever("internship_places", 2018) == 300 and sc.lever("internship_places", 2019) == 400
    assert scenario._year("2017", (2017,)) == 2017
    for key in ("02017", "٢٠١٧", "2017 ", "+2017", "２０１７"):
        assert scenario._year(key, (2017,)) is None


def test_dates_are_shown_as_dates_in_a_problem():
    problems = assert_refused(HEAD + "[levers]\ninternship_places = 1979-05-27\n")
    assert dt.date(1979, 5, 27).isoformat() in problems[0]


# ===== beyond scenario files: sweeps, sensitivity, discover and cost ==========================
# Each case is classified as the command line answers it: a clean error (exit 2 or 3, one bounded
# line per problem on standard error, nothing on standard output, nothing written), valid (exit 0,
# and what was asked is what ran: no value rounded, no flag ignored) or bad (anything else: a
# traceback, another exit code, an error that is not one line, a number printed as NaN). No case
# may be bad.

PLAN_TEXT = (SCENARIOS / "plan-2017.toml").read_text(encoding="utf-8")


def answer(argv: list[str], cwd: str | None = None) -> tuple[int, str, str]:
    """``python -m model argv`` in this process: (exit code, standard output, standard error)."""
    out, errs = io.StringIO(), io.StringIO()
    here = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(errs):
            try:
                code = cli.main(argv)
            except SystemExit as exc:                       # argparse: its own one-line error
                code = exc.code
    finally:
        os.chdir(here)
    return code, out.getvalue(), errs.getvalue()


def classify(argv: list[str], cwd: str | None = None, written: list[str] = ()) -> tuple[str, str, str]:
    """'clean' or 'valid'; an assertion error names a bad case. ``written``: paths that must not
    exist after a clean error."""
    code, out, err = answer(argv, cwd)
    assert "Traceback" not in err and not re.search(r"\bnan\b", out.lower()), (argv, out, err)   # NaN as a number
    if code == 0:
        return "valid", out, err
    assert code in (2, 3), (argv, code, err)
    lines = err.splitlines()
    assert 1 <= len(lines) <= scenario.MAX_PROBLEMS + 1 and out == "", (argv, out, err)
    assert all(0 < len(x) <= scenario.MAX_LINE + 40 for x in lines), (argv, err)
    for path in written:
        assert not os.path.exists(path), (argv, path)
    return "clean", out, err


# ----- sweeps -----------------------------------------------------------------------------------

def axis_value(lv):
    """A swept lever's values: mostly allowed, sometimes a fraction or a value out of range."""
    good = lever_value(lv)
    return st.one_of(st.lists(good, min_size=1, max_size=3),
                     st.lists(st.one_of(good, bad_value(lv.min, lv.max, lv.kind == "int")), min_size=1, max_size=3),
                     st.fixed_dictionaries({"from": good, "to": good, "steps": st.integers(2, 5)}),
                     st.fixed_dictionaries({"from": good, "to": good, "steps": st.one_of(st.integers(-2, 1),
                                                                                         st.just(2.5))}))


@st.composite
def sweep_doc(draw) -> tuple[dict, dict]:
    """A sweep document and, per swept lever, the values written (for the check that none is changed)."""
    doc = {"name": draw(st.text(min_size=1, max_size=20).filter(str.strip)),
           "base": draw(st.sampled_from(["base.toml", "base.toml", "missing.toml", "", "sweep.toml"]))}
    written = {}
    for lv in draw(st.lists(st.sampled_from(LEVERS), min_size=0, max_size=2, unique_by=lambda lv: lv.key)):
        doc.setdefault("levers", {})[lv.key] = written[lv.key] = draw(axis_value(lv))
    for a in draw(st.lists(st.sampled_from(ASSUMPTIONS), max_size=1)):
        doc.setdefault("assumptions", {})[a.key] = draw(st.one_of(
            st.lists(st.floats(a.low, a.high), min_size=1, max_size=2),
            st.lists(bad_value(a.low, a.high, False), min_size=1, max_size=2)))
    if draw(st.booleans()):
        lv = draw(st.sampled_from(LEVERS))
        doc["sample"] = {"points": draw(st.one_of(st.integers(1, 3), st.integers(-1, 0), st.just(10 ** 6))),
                         "seed": draw(st.one_of(st.just(1), st.integers(-5, -1))),
                         "levers": {lv.key: draw(st.one_of(st.just([lv.min, lv.max]), st.just([lv.max, lv.min]),
                                                           st.lists(lever_value(lv), max_size=3)))}}
    if draw(st.integers(0, 9)) == 0:
        doc[draw(st.sampled_from(["level", "samples", "Levers"]))] = 1
    return doc, written


def exact(values, lv) -> list[float]:
    """The values a sweep axis holds, as written (a range's steps included)."""
    if isinstance(values, dict):
        import numpy as np
        values = list(np.linspace(values["from"], values["to"], values["steps"]))
    return [float(v) for v in values]


@FUZZ
@given(sweep_doc())
def test_a_fuzzed_sweep_is_a_clean_error_or_runs_exactly_what_it_says(case):
    from model.inputs import sweep
    doc, written = case
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "base.toml"), "w", encoding="utf-8") as f:
            f.write(PLAN_TEXT)
        path = os.path.join(d, "sweep.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(tomli_w.dumps(doc))
        try:
            expanded = sweep.expand(path)
        except scenario.ScenarioError:
            kind, _, _ = classify(["batch", path, "--replications", "1", "--scale", "0.05", "--workers", "1",
                                   "--no-progress", "--out", os.path.join(d, "out")], written=[os.path.join(d, "out")])
            assert kind == "clean"
            return
        # Valid: every swept value ran as written (nothing rounded or clipped).
        for key, values in written.items():
            lv = levers.LEVERS[key]
            ran = sorted({e.scenario.lever(key, 2017) for e in expanded})
            if "sample" not in doc or key not in doc["sample"].get("levers", {}):
                assert ran == sorted(set(exact(values, lv))), (key, values, ran)
            assert all(lv.min <= v <= lv.max and (lv.kind != "int" or float(v).is_integer()) for v in ran)


def test_a_valid_sweep_runs_end_to_end_through_the_command_line(tmp_path):
    (tmp_path / "base.toml").write_text(PLAN_TEXT, encoding="utf-8")
    (tmp_path / "sweep.toml").write_text('name = "s"\nbase = "base.toml"\n[levers]\ninternship_deadline_months = '
                                         "{ from = 2, to = 6, steps = 3 }\n", encoding="utf-8")
    kind, _, err = classify(["batch", str(tmp_path / "sweep.toml"), "--replications", "1", "--scale", "0.05",
                             "--workers", "1", "--no-progress", "--out", str(tmp_path / "out")])
    assert kind == "valid" and "3 jobs run, 0 already done" in err


# ----- sensitivity ------------------------------------------------------------------------------

class Accepted(Exception):
    """Raised where a valid sensitivity command would start simulating (its arguments all used)."""


FACTOR_NAMES = ["threat_men", "igu_uptake", "levers.internship_places", "nope", "", " ", "threat_men,threat_men",
                "threat_men,", ",", "assumptions.matching_elasticity"]


@st.composite
def sensitivity_argv(draw) -> list[str]:
    argv = ["sensitivity"]
    method = draw(st.sampled_from([None, "morris", "sobol", "sobel"]))
    if method:
        argv += ["--method", method]
    for flag, values in (("--trajectories", ["1", "3", "0", "-1", "x", "1001"]),
                         ("--samples", ["2", "4", "6", "0", "1", "8192", "two"]),
                         ("--replications", ["1", "0", "101"]), ("--scale", ["0.05", "0.01", "nan", "61"]),
                         ("--seed", ["1", "-3"]), ("--workers", ["1", "0"])):
        if draw(st.booleans()):
            argv += [flag, draw(st.sampled_from(values))]
    if draw(st.booleans()):
        argv += ["--factors", ",".join(draw(st.lists(st.sampled_from(FACTOR_NAMES), min_size=1, max_size=3)))]
    if draw(st.integers(0, 4)) == 0:
        argv.append("--write")
    if draw(st.integers(0, 3)) == 0:
        argv += ["--lang", draw(st.sampled_from(["da", "de"]))]
    return argv


@FUZZ
@given(sensitivity_argv(), st.sampled_from(["fresh", "a file", "under a file"]))
def test_fuzzed_sensitivity_arguments_are_a_clean_error_or_used_as_given(argv, out_kind):
    from unittest import mock

    from model.experiments import sensitivity, sobol
    asked = {}

    def morris(trajectories, seed, scale, out, workers, replications, progress):
        asked.update(method="morris", trajectories=trajectories, out=str(out))
        raise Accepted

    def sobol_run(samples, seed, scale, out, workers, progress, replications, factors):
        asked.update(method="sobol", samples=samples, factors=factors, out=str(out))
        raise Accepted
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "afile"), "w").close()
        out = {"fresh": os.path.join(d, "o"), "a file": os.path.join(d, "afile"),
               "under a file": os.path.join(d, "afile", "o")}[out_kind]
        full = [*argv, "--out", out]
        with mock.patch.object(sensitivity, "run", morris), mock.patch.object(sobol, "run", sobol_run):
            try:
                kind, _, _ = classify(full, written=[os.path.join(d, "o")])
            except Accepted:
                kind = "valid"
        if kind == "clean":
            return
        # Valid: the method's own flags only, each as given.
        given = dict(zip(argv[1::2], argv[2::2]))
        method = given.get("--method", "morris")
        assert asked["method"] == method and asked["out"] == out
        if method == "morris":
            assert "--samples" not in given and "--factors" not in given
            assert asked["trajectories"] == int(given.get("--trajectories", 10))
        else:
            assert "--trajectories" not in given and "--write" not in argv
            assert asked["samples"] == int(given.get("--samples", 8))
            if "--factors" in given:
                names = [x.strip() for x in given["--factors"].split(",")]
                assert asked["factors"] == names and len(set(names)) == len(names) and all(names)


# ----- discover ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_batch(tmp_path_factory):
    """A real batch of a small sweep (two deadlines × two futures), as discover reads it."""
    from model.experiments import batch
    d = tmp_path_factory.mktemp("fuzz-batch")
    (d / "base.toml").write_text(PLAN_TEXT, encoding="utf-8")
    (d / "sweep.toml").write_text('name = "s"\nbase = "base.toml"\n[levers]\ninternship_deadline_months = [1, 9]\n'
                                  "[assumptions]\nmatching_elasticity = [0.2, 0.6]\n", encoding="utf-8")
    batch.run_batch([d / "sweep.toml"], 2, 1, d / "out", workers=1, scale=0.05, progress=False)
    return d / "out"


def corrupt(folder, how: str, value) -> None:
    """Damage a copy of a batch folder in one way."""
    m = os.path.join(folder, "manifest.json")
    if how == "no manifest":
        os.remove(m)
    elif how == "manifest text":
        with open(m, "w", encoding="utf-8") as f:
            f.write(value)
    elif how == "manifest field":
        import json
        with open(m, encoding="utf-8") as f:
            data = json.load(f)
        key, new = value
        if new is None:
            data.pop(key, None)
        else:
            data[key] = new
        with open(m, "w", encoding="utf-8") as f:
            json.dump(data, f)
    elif how == "runs gone":
        shutil.rmtree(os.path.join(folder, "runs"))
    elif how == "a file truncated":
        for root, _, files in os.walk(os.path.join(folder, "runs")):
            for name in files:
                if name == "yearly.parquet":
                    with open(os.path.join(root, name), "r+b") as f:
                        f.truncate(value)
                    return


DAMAGE = st.one_of(
    st.just(("none", None)), st.just(("no manifest", None)),
    st.tuples(st.just("manifest text"), st.sampled_from(["", "{", "[]", "null", '{"best": 1}', '"x"', "1e999"])),
    st.tuples(st.just("manifest field"), st.tuples(st.sampled_from(["scenarios", "identity", "jobs"]),
                                                   st.sampled_from([None, [], {}, "x", 3, [{"id": "x"}],
                                                                    {"scale": "big"}, [{"toml": "= ="}]]))),
    st.just(("runs gone", None)), st.tuples(st.just("a file truncated"), st.integers(0, 200)))


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=DAMAGE, indicator=st.sampled_from(["long_term_unemployed", "youth_on_benefits", "happiness"]),
       year=st.sampled_from(["2020", "2017", "2016", "x"]),
       extra=st.lists(st.sampled_from([["--threshold", "0.6"], ["--threshold", "1.5"], ["--alpha", "0"],
                                       ["--min-mass", "0.2"], ["--lang", "da"], ["--to", "afile"]]), max_size=2))
def test_fuzzed_discover_requests_are_a_clean_error_or_a_box(small_batch, damage, indicator, year, extra):
    with tempfile.TemporaryDirectory() as d:
        folder = os.path.join(d, "b")
        shutil.copytree(small_batch, folder)
        open(os.path.join(d, "afile"), "w").close()
        corrupt(folder, *damage)
        args = [x if x != "afile" else os.path.join(d, "afile") for pair in extra for x in pair]
        kind, out, _ = classify(["discover", folder, "--indicator", indicator, "--year", year, *args])
        if kind == "valid":
            assert "coverage" in out and "density" in out and damage[0] in ("none", "a file truncated")


# ----- cost -------------------------------------------------------------------------------------

@st.composite
def cost_argv(draw) -> tuple[list[str], dict]:
    files = {"plan.toml": PLAN_TEXT,
             "other.toml": PLAN_TEXT.replace('municipality = "viborg"', 'municipality = "eksempelby"'),
             "broken.toml": PLAN_TEXT + "\n[levers\n", "empty.toml": ""}
    argv = [draw(st.sampled_from(["cost", "business-case"])), draw(st.sampled_from(["plan.toml", "plan.toml",
                                                                                    "other.toml", "broken.toml",
                                                                                    "missing.toml"]))]
    if argv[0] == "cost" and draw(st.booleans()):
        argv += ["--versus", draw(st.sampled_from(list(files) + ["missing.toml"]))]
    argv += ["--replications", draw(st.sampled_from(["1", "1", "0", "1001", "x"])),
             "--scale", draw(st.sampled_from(["0.05", "0.05", "0.01", "inf"]))]
    for flag, values in (("--format", ["csv", "table", "xml"]), ("--lang", ["da", "en", "sv"]),
                         ("--seed", ["2", "-1"])):
        if draw(st.booleans()):
            argv += [flag, draw(st.sampled_from(values))]
    return argv, files


@settings(max_examples=40, deadline=None, database=None)
@given(cost_argv())
def test_fuzzed_cost_requests_are_a_clean_error_or_a_table_of_one_municipality(case):
    argv, files = case
    with tempfile.TemporaryDirectory() as d:
        for name, text in files.items():
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text)
        kind, out, _ = classify(argv, cwd=d)
        assert os.listdir(d) == sorted(files) or sorted(os.listdir(d)) == sorted(files)
        if kind == "valid":
            given = dict(zip(argv[2::2], argv[3::2]))
            if "--versus" in given:
                assert given["--versus"] == "plan.toml" or (argv[1], given["--versus"]) == ("other.toml", "other.toml")
            assert argv[1] in ("plan.toml", "other.toml")
