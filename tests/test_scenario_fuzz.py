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
