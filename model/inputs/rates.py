"""Rates as dated data: read and check ``model/data/rates/*.toml``.

Each rate family is one file; each entry has a value per year 2016–2020, a unit and a source per
value (``src:KEY``, ``derived: …`` or ``assumption: …``). A bad file never reaches the cost rules:
a negative rate, a missing year, an unknown source key or a unit the entry does not allow raises
``RateError`` with one line per problem naming file, line, field and value, as scenario errors do.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from model import paths
from model.inputs import params
from model.states import State

YEARS = (2016, 2017, 2018, 2019, 2020)
RATES_DIR = paths.DATA / "rates"
BANDS = ("u25", "u30", "adult")
ROLES = ("single_provider", "couple_provider", "away", "home", "single", "couple")
BENEFIT_KINDS = ("none", "rate", "sick_pay", "partial_return", "flex_subsidy", "pension")

MONEY = ("DKK/month", "DKK/week", "DKK/year")
SHARE = ("share",)
UNITS = (*MONEY, "DKK/hour", "DKK/person", "DKK bn/year", "share", "weeks", "days", "months",
         "hours/week", "hours/month", "persons")
WEEKS_PER_YEAR = 52.0

# What each file holds: entry -> the units its use allows. benefits.toml and national.toml have
# open sections (any rate key; any benefit group) checked by their own rules below.
SCHEMA: dict[str, dict[str, tuple[str, ...]]] = {
    "shares": {k: SHARE for k in ("provider_share", "single_share_of_providers", "at_home_share_u30",
                                  "fp_single_share", "average_dagpenge", "average_sick_pay",
                                  "average_ledighedsydelse")},
    "refusion": {
        "refusion_weeks_1_4": SHARE, "refusion_weeks_5_26": SHARE, "refusion_weeks_27_52": SHARE,
        "refusion_weeks_53": SHARE, "last_week_step_1": ("weeks",), "last_week_step_2": ("weeks",),
        "last_week_step_3": ("weeks",), "reset_self_support_weeks": ("weeks",),
        "reset_window_weeks": ("weeks",), "weeks_per_month": ("weeks",),
        "counted_from_months_before_start": ("months",)},
    "sick_pay": {"employer_period_days": ("days",), "days_per_month": ("days",),
                 "partial_return_benefit_share": SHARE},
    "flexjob": {"subsidy_share_of_max_dagpenge": SHARE, "reduction_below_threshold": SHARE,
                "reduction_above_threshold": SHARE, "income_threshold": MONEY,
                "hourly_wage": ("DKK/hour",), "full_time_hours": ("hours/week",)},
    "wage_subsidy": {"public_hourly": ("DKK/hour",), "private_hourly": ("DKK/hour",),
                     "hours_per_month": ("hours/month",)},
    "offers": {"operating_refusion_share": SHARE, "ceiling_dagpenge_cash": MONEY, "ceiling_sick_flex": MONEY},
    "integration": {"result_grant_early": ("DKK/person",), "result_grant_late": ("DKK/person",),
                    "result_grant_early_months": ("months",), "result_grant_late_months": ("months",),
                    "employment_bonus": ("DKK/person",)},
    "disability_pension": {"new_rules_from_months_before_start": ("months",),
                           "old_rules_municipal_share": SHARE},
}
# Tables in a file that are not rate entries (structure, checked separately).
STRUCTURE = {"refusion": ("coverage",), "offers": ("operating_refusion_groups",)}
# The groups of the operating refusion (offers.toml): each has its ceiling entry "ceiling_<group>".
OPERATING_GROUPS = ("dagpenge_cash", "sick_flex")
FILES = ("benefits", *SCHEMA, "national")
NATIONAL_SECTIONS = {"spending": (("DKK bn/year",), (2016, 2017, 2018)),
                     "recipients": (("persons",), (2017,)),
                     "cross_check": (("DKK/month",), None)}

SRC = re.compile(r"src:([A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])")

# Terms of the cost side, for the glossary (key, Danish, English).
GLOSSARY: list[tuple[str, str, str]] = [
    ("refusion", "Statsrefusion", "State refusion: the share of a benefit the state pays back"),
    ("co_financing", "Medfinansiering", "Co-financing: the municipality's share of dagpenge and førtidspension"),
    ("staircase", "Refusionstrappe", "Refusion staircase: 80 / 40 / 30 / 20 % by cumulative weeks on benefits"),
    ("weeks_on_benefits", "Uger med ydelse (anciennitet)", "Cumulative weeks on covered benefits (the refusion clock)"),
    ("self_support", "Selvforsørgelse", "Self-support: no public benefit and no wage subsidy"),
    ("employer_period", "Arbejdsgiverperiode", "Employer period: the first 30 days of sickness, paid by the employer"),
    ("flex_subsidy", "Fleksløntilskud", "Flex-job subsidy paid to the flex-jobber"),
    ("income_threshold", "Lønindtægtsgrænse", "Income threshold of the flex-job subsidy"),
    ("wage_subsidy", "Løntilskud", "Wage subsidy paid to the employer per hour"),
    ("operating_ceiling", "Driftsloft / rådighedsbeløb", "Ceiling on refunded operating costs of offers"),
    ("result_grant", "Resultattilskud", "Result grant per refugee into ordinary work"),
    ("employment_bonus", "Beskæftigelsesbonus", "Employment bonus per refugee into work, 2017–2018"),
    ("provider", "Forsørger", "Provider: a recipient with children"),
    ("rate", "Sats", "Statutory rate of a benefit"),
]


class RateError(ValueError):
    """Rate files that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Rate:
    """One dated rate: a value and a source tag per year."""

    file: str
    key: str
    label_da: str
    label_en: str
    unit: str
    values: dict[int, float]
    sources: dict[int, str]

    def __call__(self, year: int) -> float:
        return self.values[year]

    def monthly(self, year: int) -> float:
        """The value in DKK a month (weekly rates × 52/12, yearly rates / 12)."""
        v = self.values[year]
        if self.unit == "DKK/week":
            return v * WEEKS_PER_YEAR / 12
        if self.unit == "DKK/year":
            return v / 12
        if self.unit == "DKK/month":
            return v
        raise ValueError(f"{self.file}: {self.key} is in {self.unit}, not a monthly amount")


@dataclass(frozen=True)
class StateBenefit:
    """Which rates a benefit state pays, per age band and category, and how (``kind``)."""

    state: str
    kind: str
    average: str | None
    bands: dict[str, dict[str, str]]


@dataclass(frozen=True)
class RateBook:
    """Every rate file, checked: ``entries[file][key]`` and the structural tables."""

    entries: dict[str, dict[str, Rate]]
    states: dict[str, StateBenefit]
    covered_states: tuple[str, ...]
    operating_refusion_groups: dict[str, dict[int, tuple[str, ...]]]   # group -> year -> states
    national_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    national_tolerances: dict[str, float] = field(default_factory=dict)

    def get(self, file: str, key: str) -> Rate:
        return self.entries[file][key]

    def value(self, file: str, key: str, year: int = YEARS[0]) -> float:
        return self.entries[file][key].values[year]

    def all_rates(self) -> list[Rate]:
        return [r for f in self.entries.values() for r in f.values()]


# --- reading -------------------------------------------------------------------------------------

def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _line(text: str, table: str, key: str | None = None) -> int | None:
    """Line (1-based) of table ``table`` or of ``key = …`` inside it, best effort."""
    current = None
    header_line = None
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        m = re.match(r"^\[\s*([^\]]+?)\s*\]", s)
        if m:
            current = m.group(1).replace('"', "")
            if current == table and header_line is None:
                header_line = n
            continue
        if current == table and key is not None:
            m = re.match(r'^"?([A-Za-z0-9_\-]+)"?\s*=', s)
            if m and m.group(1) == key:
                return n
    return header_line


class _Reader:
    """Checks one file and collects its problems."""

    def __init__(self, path: Path, sources: set[str], problems: list[str]):
        self.path = path
        self.where = _shown(path)
        self.sources = sources
        self.problems = problems
        self.text = ""

    def load(self) -> dict | None:
        if not self.path.exists():
            self.problems.append(f"{self.where}: no such rate file")
            return None
        self.text = self.path.read_text(encoding="utf-8")
        try:
            return tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            self.problems.append(f"{self.where}: not valid TOML: {exc}")
            return None

    def problem(self, table: str, key: str | None, message: str) -> None:
        n = _line(self.text, table, key)
        at = f"{self.where}, line {n}" if n else self.where
        self.problems.append(f"{at}: {message}")

    def source_ok(self, table: str, field_name: str, tag: Any) -> bool:
        if not isinstance(tag, str) or not tag.strip():
            self.problem(table, field_name.split(".")[0], f"{table}.{field_name} = {tag!r}: a source must be "
                         "'src:KEY …', 'derived: formula …' or 'assumption: …'")
            return False
        s = tag.strip()
        if not (s.startswith("src:") or s.startswith("derived") or s.startswith("assumption")):
            self.problem(table, field_name.split(".")[0], f"{table}.{field_name} = {tag!r}: a source must start "
                         "with 'src:KEY', 'derived' or 'assumption'")
            return False
        if s.startswith("derived") and not re.match(r"^derived:\s*\S", s):
            self.problem(table, field_name.split(".")[0], f"{table}.{field_name} = {tag!r}: 'derived' must give "
                         "the formula ('derived: …')")
            return False
        unknown = [k for k in SRC.findall(s) if k not in self.sources]
        if unknown:
            self.problem(table, field_name.split(".")[0], f"{table}.{field_name} = {tag!r}: unknown source key "
                         f"{', '.join(unknown)} (not in model/data/sources.toml)")
            return False
        return True

    def value_ok(self, table: str, name: str, v: Any, unit: str | None) -> bool:
        number = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        if not number or v < 0:
            self.problem(table, name.split(".")[0], f"{table}.{name} = {v!r}: must be a number ≥ 0")
            return False
        if unit == "share" and v > 1:
            self.problem(table, name.split(".")[0], f"{table}.{name} = {v!r}: a share must be between 0 and 1")
            return False
        return True

    def entry(self, table: str, raw: Any, units: tuple[str, ...], years: tuple[int, ...] | None) -> Rate | None:
        """Check one entry; ``years`` None accepts any years given."""
        if not isinstance(raw, dict):
            self.problem(table, None, f"{table} = {raw!r}: must be a table with label, unit, values and source")
            return None
        ok = True
        allowed_fields = {"label_da", "label_en", "unit", "value", "values", "source", "sources"}
        for k in raw:
            if k not in allowed_fields:
                self.problem(table, k, f"{table}.{k}: unknown field; allowed: {', '.join(sorted(allowed_fields))}")
                ok = False
        for k in ("label_da", "label_en"):
            if not isinstance(raw.get(k), str) or not raw.get(k):
                self.problem(table, None, f"{table}.{k}: missing (the Danish term and its English gloss)")
                ok = False
        unit = raw.get("unit")
        if unit not in units:
            self.problem(table, "unit", f"{table}.unit = {unit!r}: allowed {', '.join(units)}")
            ok = False
        if ("value" in raw) == ("values" in raw):
            self.problem(table, None, f"{table}: give either value (every year) or values (per year)")
            return None
        wanted = years
        if "value" in raw:
            given = {y: raw["value"] for y in (years or YEARS)}
            value_field = {y: "value" for y in given}
        else:
            vals = raw["values"]
            if not isinstance(vals, dict):
                self.problem(table, "values", f"{table}.values = {vals!r}: must be a table of year = value")
                return None
            given = {}
            value_field = {}
            for y, v in vals.items():
                if not str(y).isdigit() or (wanted is not None and int(y) not in wanted):
                    allowed = f"{wanted[0]}–{wanted[-1]}" if wanted else "a year"
                    self.problem(table, "values", f"{table}.values.{y} = {v!r}: year not allowed, allowed {allowed}")
                    ok = False
                    continue
                given[int(y)] = v
                value_field[int(y)] = f"values.{y}"
            for y in (wanted or ()):
                if y not in given:
                    self.problem(table, "values", f"{table}.values: year {y} missing "
                                 f"(required {wanted[0]}–{wanted[-1]})")
                    ok = False
        values: dict[int, float] = {}
        checked: dict[str, bool] = {}      # a value or source shared by all years is checked once
        for y, v in given.items():
            name = value_field[y]
            if name not in checked:
                checked[name] = self.value_ok(table, name, v, unit)
            if checked[name]:
                values[y] = float(v)
            else:
                ok = False
        per_year = raw.get("sources", {})
        if not isinstance(per_year, dict):
            self.problem(table, "sources", f"{table}.sources = {per_year!r}: must be a table of year = source")
            return None
        for y in per_year:
            if not str(y).isdigit() or int(y) not in (wanted or given):
                self.problem(table, "sources", f"{table}.sources.{y}: no value for that year")
                ok = False
        sources: dict[int, str] = {}
        for y in given:
            if str(y) in per_year:
                tag, name = per_year[str(y)], f"sources.{y}"
            elif "source" in raw:
                tag, name = raw["source"], "source"
            else:
                self.problem(table, None, f"{table}.sources: no source for {y}")
                ok = False
                continue
            if name not in checked:
                checked[name] = self.source_ok(table, name, tag)
            if checked[name]:
                sources[y] = tag
            else:
                ok = False
        if not ok:
            return None
        return Rate(file=self.path.stem, key=table.split(".")[-1], label_da=raw["label_da"],
                    label_en=raw["label_en"], unit=unit, values=values, sources=sources)

    def state_list(self, table: str, key: str, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            self.problem(table, key, f"{table}.{key} = {value!r}: must be a list of state keys")
            return None
        bad = [s for s in value if s not in State.__members__]
        if bad:
            self.problem(table, key, f"{table}.{key}: unknown state {', '.join(map(repr, bad))}; "
                         f"allowed: {', '.join(State.__members__)}")
            return None
        return tuple(value)


def _fixed_file(reader: _Reader, raw: dict, schema: dict[str, tuple[str, ...]]) -> dict[str, Rate]:
    out: dict[str, Rate] = {}
    structure = STRUCTURE.get(reader.path.stem, ())
    for key, entry in raw.items():
        if key in structure:
            continue
        if key not in schema:
            reader.problem(key, None, f"unknown field {key!r}; allowed: {', '.join([*schema, *structure])}")
            continue
        rate = reader.entry(key, entry, schema[key], YEARS)
        if rate is not None:
            out[key] = rate
    for key in schema:
        if key not in raw:
            reader.problems.append(f"{reader.where}: missing field {key!r}")
    return out


def _benefits(reader: _Reader, raw: dict) -> tuple[dict[str, Rate], dict[str, StateBenefit]]:
    rates: dict[str, Rate] = {}
    for key in raw:
        if key not in ("rates", "states"):
            reader.problem(key, None, f"unknown field {key!r}; allowed: rates, states")
    for key, entry in (raw.get("rates") or {}).items():
        rate = reader.entry(f"rates.{key}", entry, MONEY, YEARS)
        if rate is not None:
            rates[key] = rate
    states: dict[str, StateBenefit] = {}
    given = raw.get("states") or {}
    for name, spec in given.items():
        table = f"states.{name}"
        if name not in State.__members__:
            reader.problem(table, None, f"{table}: unknown state {name!r}; allowed: {', '.join(State.__members__)}")
            continue
        if not isinstance(spec, dict):
            reader.problem(table, None, f"{table} = {spec!r}: must be a table")
            continue
        kind = spec.get("benefit")
        if kind not in BENEFIT_KINDS:
            reader.problem(table, "benefit", f"{table}.benefit = {kind!r}: allowed {', '.join(BENEFIT_KINDS)}")
            continue
        average = spec.get("average")
        if average is not None and average not in SCHEMA["shares"]:
            reader.problem(table, "average", f"{table}.average = {average!r}: not a share in shares.toml; "
                           f"allowed: {', '.join(SCHEMA['shares'])}")
            continue
        bands: dict[str, dict[str, str]] = {}
        ok = True
        for k in spec:
            if k not in ("benefit", "average", *BANDS):
                reader.problem(table, k, f"{table}.{k}: unknown field; allowed: benefit, average, {', '.join(BANDS)}")
                ok = False
        if kind in ("none", "flex_subsidy"):
            for band in BANDS:
                if band in spec:
                    reader.problem(table, band, f"{table}.{band}: a state with benefit = {kind!r} names no rates")
                    ok = False
        else:
            for band in BANDS:
                b = spec.get(band)
                if b is None:
                    reader.problem(table, None, f"{table}.{band}: missing (every age band needs a rate)")
                    ok = False
                    continue
                roles = {"away": b} if isinstance(b, str) else b
                if not isinstance(roles, dict):
                    reader.problem(table, band, f"{table}.{band} = {b!r}: a rate key or a table of categories")
                    ok = False
                    continue
                for role, key in roles.items():
                    if role not in ROLES:
                        reader.problem(table, band, f"{table}.{band}.{role}: unknown category; allowed: {', '.join(ROLES)}")
                        ok = False
                    elif key not in (raw.get("rates") or {}):
                        reader.problem(table, band, f"{table}.{band}.{role} = {key!r}: no such rate in [rates]")
                        ok = False
                if kind == "pension" and not {"single", "couple"} <= set(roles):
                    reader.problem(table, band, f"{table}.{band}: a pension needs the categories single and couple")
                    ok = False
                if kind != "pension" and "away" not in roles:
                    reader.problem(table, band, f"{table}.{band}: needs at least the category away")
                    ok = False
                bands[band] = dict(roles)
        if ok:
            states[name] = StateBenefit(state=name, kind=kind, average=average, bands=bands)
    for s in State:
        if s.name not in given:
            reader.problems.append(f"{reader.where}: missing field 'states.{s.name}' (every state needs a benefit, "
                                   "or benefit = \"none\")")
    return rates, states


def _national(reader: _Reader, raw: dict) -> tuple[dict[str, Rate], dict[str, tuple[str, ...]], dict[str, float]]:
    out: dict[str, Rate] = {}
    groups: dict[str, tuple[str, ...]] = {}
    tolerances: dict[str, float] = {}
    for section, entries in raw.items():
        if section not in NATIONAL_SECTIONS:
            reader.problem(section, None, f"unknown field {section!r}; allowed: {', '.join(NATIONAL_SECTIONS)}")
            continue
        units, years = NATIONAL_SECTIONS[section]
        for key, entry in entries.items():
            table = f"{section}.{key}"
            entry = dict(entry) if isinstance(entry, dict) else entry
            group = entry.pop("group", None) if section == "spending" and isinstance(entry, dict) else None
            factor = entry.pop("tolerance_factor", None) if section == "spending" and isinstance(entry, dict) else None
            rate = reader.entry(table, entry, units, years)
            if rate is not None:
                out[table] = rate
            if section == "spending":
                g = reader.state_list(table, "group", group)
                if g is not None:
                    groups[key] = g
                if not (isinstance(factor, (int, float)) and not isinstance(factor, bool) and factor >= 1):
                    reader.problem(table, "tolerance_factor", f"{table}.tolerance_factor = {factor!r}: "
                                   "must be a number ≥ 1 (the ratio may lie between 1/factor and factor)")
                else:
                    tolerances[key] = float(factor)
    for key in raw.get("recipients", {}):
        if key not in raw.get("spending", {}):
            reader.problem(f"recipients.{key}", None, f"recipients.{key}: no spending.{key} to compare with")
    return out, groups, tolerances


def load(directory: Path | str = RATES_DIR) -> RateBook:
    """Read and check every rate file in ``directory``; raise RateError listing every problem."""
    directory = Path(directory)
    problems: list[str] = []
    sources = set(params.sources())
    entries: dict[str, dict[str, Rate]] = {}
    states: dict[str, StateBenefit] = {}
    covered: tuple[str, ...] = ()
    op_states: dict[str, dict[int, tuple[str, ...]]] = {}
    groups: dict[str, tuple[str, ...]] = {}
    tolerances: dict[str, float] = {}
    for stem in FILES:
        reader = _Reader(directory / f"{stem}.toml", sources, problems)
        raw = reader.load()
        if raw is None:
            continue
        if stem == "benefits":
            entries[stem], states = _benefits(reader, raw)
        elif stem == "national":
            entries[stem], groups, tolerances = _national(reader, raw)
        else:
            entries[stem] = _fixed_file(reader, raw, SCHEMA[stem])
        if stem == "refusion":
            cov = raw.get("coverage")
            if not isinstance(cov, dict) or "states" not in cov:
                problems.append(f"{reader.where}: missing field 'coverage.states'")
            else:
                reader.source_ok("coverage", "source", cov.get("source"))
                covered = reader.state_list("coverage", "states", cov["states"]) or ()
        if stem == "offers":
            op = raw.get("operating_refusion_groups")
            table = "operating_refusion_groups"
            if not isinstance(op, dict):
                problems.append(f"{reader.where}: missing field {table!r}")
            else:
                reader.source_ok(table, "source", op.get("source"))
                for k in op:
                    if k != "source" and k not in OPERATING_GROUPS:
                        reader.problem(table, k, f"{table}.{k}: unknown group; allowed: {', '.join(OPERATING_GROUPS)}")
                for group in OPERATING_GROUPS:
                    years = op.get(group)
                    if not isinstance(years, dict):
                        reader.problem(table, None, f"{table}.{group}: missing (a table of year = [states])")
                        continue
                    op_states[group] = {}
                    for y in YEARS:
                        if str(y) not in years:
                            reader.problem(table, group, f"{table}.{group}: year {y} missing "
                                           f"(required {YEARS[0]}–{YEARS[-1]})")
                            continue
                        lst = reader.state_list(table, group, years[str(y)])
                        if lst is not None:
                            op_states[group][y] = lst
                    for k in years:
                        if not k.isdigit() or int(k) not in YEARS:
                            reader.problem(table, group, f"{table}.{group}.{k}: year not allowed, allowed "
                                           f"{YEARS[0]}–{YEARS[-1]}")
                    for y in YEARS:
                        both = set(op_states[group].get(y, ())) & {s for g, t in op_states.items() if g != group
                                                                     for s in t.get(y, ())}
                        if both:
                            reader.problem(table, group, f"{table}.{group}.{y}: {', '.join(sorted(both))} in two "
                                           "groups (each state in one at most)")
    for stem in sorted(p.stem for p in directory.glob("*.toml")):
        if stem not in FILES:
            problems.append(f"{_shown(directory / (stem + '.toml'))}: unknown rate file; known: {', '.join(FILES)}")
    if problems:
        raise RateError(problems)
    return RateBook(entries=entries, states=states, covered_states=covered,
                    operating_refusion_groups=op_states, national_groups=groups,
                    national_tolerances=tolerances)


@cache
def book() -> RateBook:
    """The model's own rate files, checked once per process."""
    return load(RATES_DIR)


def glossary(rate_book: RateBook | None = None) -> list[tuple[str, str, str]]:
    """The cost side's terms and every rate key, with the Danish term and its English gloss."""
    rate_book = rate_book or book()
    keys = [(f"{r.file}.{r.key}", r.label_da, r.label_en) for r in rate_book.all_rates() if r.file != "national"]
    return [*GLOSSARY, *keys]


def source_text(rate: Rate) -> str:
    """The sources of a rate as one cell: the common source, or 'year: source' per year."""
    distinct = list(dict.fromkeys(rate.sources.values()))
    if len(distinct) == 1:
        return distinct[0]
    return "; ".join(f"{y}: {s}" for y, s in rate.sources.items())
