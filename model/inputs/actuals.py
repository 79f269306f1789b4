"""What actually happened: the figures a user gives (Jobindsats API responses, Statistikbanken CSV,
the project's own tidy CSV), read into one tidy, self-describing table, ``actuals.parquet``.

Which file, table and column a figure belongs to is the mapping of ``measures.py``. The formats
(docs/outputs.md, "Actual figures"; src:JI-API, src:DST-AUK01):

- **Jobindsats API v2** (``POST v2/data/{table}/json``): a JSON list whose first element holds
  ``Variables`` (column labels, ``{"Label": ...}``) and ``Data`` (rows in the same order). The area
  column is labelled "Område" or "Area", the period "Periode" (``2017M01``, ``2017Q1``); measure
  labels may carry a group prefix ("…: Antal personer"). Numbers come as numbers or strings, with
  a decimal comma or point. The same table as the API's CSV (``…/csv``: semicolons, decimal comma)
  is read the same way. The table's id is taken from the file's name (``Y07A02.json``) or given.
- **Statistikbanken CSV**: semicolons, optional byte-order mark, the variables' codes in upper case
  as header (``OMRÅDE;YDELSESTYPE;KØN;ALDER;TID;INDHOLD``), ``TID`` as ``2017K1``/``2017Q1``/
  ``2017M01``/``2017``, ``INDHOLD`` the value, ``..`` where suppressed.
- **Tidy CSV** of the project: ``measure,period,value,source,retrieved`` (optionally ``note`` and
  ``municipality``), one figure a row, for figures typed from a report or committee minutes.

A suppressed or missing cell is missing (NaN), never zero. Every other row must fit: the
municipality's rows (other areas are left out, and a file without the municipality is refused),
periods within 2016–2020, the total of every breakdown the model does not map (Køn i alt …). A
file that does not fit raises ``ActualsError`` with one line per problem; nothing is written.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model import calendar, paths
from model.inputs import municipalities
from model.inputs.measures import JOBINDSATS_COLUMNS, Measure, jobindsats_tables, measures, statistikbanken_tables

FILE = "actuals.parquet"
FIRST_YEAR, LAST_YEAR = calendar.START_YEAR, calendar.END_YEAR      # the plan's years, 2016–2020
MAX_PROBLEMS = 20
MISSING = {"", "..", ".", "-", "x", ":", "*", "nan"}                 # suppressed or not given (casefolded)
AREA_LABELS = {"område", "area", "omrade", "omraade"}               # Jobindsats (src:JI-API), Statistikbanken
PERIOD_LABELS = {"periode", "period", "tid"}
TIDY_REQUIRED = ("measure", "period", "value", "source", "retrieved")
TIDY_OPTIONAL = ("note", "municipality")

# The table's columns: (unit, description), written into the Parquet file's field metadata.
COLUMNS: dict[str, tuple[str, str]] = {
    "measure": ("", "the measure, <subject>.<count> (e.g. sickness_benefit.persons); docs/outputs.md lists every "
                    "one with its official table and column and what the model holds against it"),
    "municipality": ("", "the municipality's profile (model/data/municipalities/<name>.toml) the figure is of"),
    "period": ("date", "the first month (its first day) of the period the figure covers"),
    "months": ("months", "months the figure covers: 1 (a month), 3 (a quarter) or 12 (a calendar year)"),
    "value": ("persons, full-time persons or share", "the figure (a share as 0–1); missing (NaN) where the "
                                                    "source suppressed or left it out, never zero"),
    "unit": ("", "the figure's unit: persons, full-time persons or share (0–1)"),
    "source": ("", "where the figure comes from: table and column (Jobindsats, Statistikbanken) or the document"),
    "retrieved": ("date", "when the figure was downloaded or read: its vintage (Jobindsats revises past months)"),
    "note": ("", "the source's own words, or how the figure was read (empty if nothing to add)"),
    "file": ("", "the name of the file the figure was imported from"),
}
DESCRIPTION = ("actual figures, one a row: measure × period for one municipality, with unit, source and vintage "
               "(python -m model actuals import)")


class ActualsError(ValueError):
    """Files that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        more = len(problems) - MAX_PROBLEMS
        self.problems = [_clip(p, 300) for p in problems[:MAX_PROBLEMS]]
        if more > 0:
            self.problems.append(f"... and {more} more problem{'s' if more > 1 else ''}")
        super().__init__("\n".join(self.problems))


def _clip(text, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value) -> str:
    return _clip(repr(value), 40)


# ---------------------------------------------------------------------------------- municipality

def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


def _area_key(text) -> str:
    """An area's name without "Kommune" or "Jobcenter" (Jobindsats writes "Viborg")."""
    t = _norm(text)
    t = re.sub(r"^jobcenter\s+", "", t)
    return re.sub(r"\s+kommune$", "", t)


def _profile_names(key: str) -> set[str]:
    m = municipalities.load(key)
    return {_area_key(key), _area_key(m.name), str(m.code)}


def _name(key: str) -> str:
    """A profile's name as people write it ("Viborg Kommune")."""
    return municipalities.load(key).name


def profiles() -> list[str]:
    return municipalities.shipped()


def municipality(name: str) -> str:
    """The profile a name means: its key (``viborg``), its name (``Viborg Kommune``, ``Viborg``) or
    its code (``791``); ActualsError if none."""
    for key in profiles():
        if _area_key(name) in _profile_names(key):
            return key
    raise ActualsError([f"municipality {_show(name)}: not a shipped municipality profile, allowed: "
                        + ", ".join(f"{k} ({_name(k)})" for k in profiles())])


# ---------------------------------------------------------------------------------- periods and numbers

@dataclass(frozen=True)
class Period:
    year: int
    month: int          # the first month
    months: int         # 1, 3 or 12

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def label(self) -> str:
        return label(self.first, self.months)

    @property
    def inside(self) -> bool:
        """Every month of the period lies within the plan's years."""
        return FIRST_YEAR <= self.year <= LAST_YEAR


def label(first: dt.date, months: int) -> str:
    """A period as the scorecard names it: 2017-01 (a month), 2017Q1 (a quarter), 2017 (a year)."""
    if months == 12:
        return f"{first.year}"
    if months == 3:
        return f"{first.year}Q{(first.month - 1) // 3 + 1}"
    return f"{first.year}-{first.month:02d}"


_PERIODS = ((re.compile(r"(\d{4})M(\d{1,2})"), 1), (re.compile(r"(\d{4})-(\d{2})"), 1),
            (re.compile(r"(\d{4})[QK]([1-4])"), 3), (re.compile(r"(\d{4})"), 12))


def period(text) -> Period:
    """A period code: 2017M01 or 2017-01 (month), 2017Q1 or 2017K1 (quarter), 2017 (year); ValueError
    with the reason otherwise."""
    t = str(text).strip().upper()
    if re.fullmatch(r"\d{4}QMAT\d{2}", t):
        raise ValueError(f"period {_show(text)} is a rolling year (QMAT), whose months are not documented: "
                         "download months or quarters")
    for pattern, months in _PERIODS:
        m = pattern.fullmatch(t)
        if m:
            year = int(m.group(1))
            if months == 12:
                return Period(year, 1, 12)
            k = int(m.group(2))
            if months == 3:
                return Period(year, 3 * k - 2, 3)
            if 1 <= k <= 12:
                return Period(year, k, 1)
    raise ValueError(f"period {_show(text)} is not a month (2017M01 or 2017-01), quarter (2017Q1, 2017K1) or year")


def number(value, whole: bool) -> float:
    """A figure as a float: a JSON number, or text with a decimal comma or point; NaN where the cell
    is suppressed or empty. ``whole``: a count of persons, where "1.234" is 1,234 (a dot and three
    digits is a thousands separator); elsewhere "1.234" is refused as ambiguous. ValueError with the
    reason for anything else."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise ValueError(f"{_show(value)} is not a number")
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else math.nan
    t = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if t.casefold() in MISSING:
        return math.nan
    if re.fullmatch(r"-?\d+", t):
        return float(t)
    if re.fullmatch(r"-?\d+,\d+", t):
        return float(t.replace(",", "."))
    if re.fullmatch(r"-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?", t):
        if whole or "," in t:
            return float(t.replace(".", "").replace(",", "."))
        raise ValueError(f"{_show(value)}: a thousands separator or a decimal point? write 1234 or 1,234")
    if re.fullmatch(r"-?\d*\.\d+", t):
        return float(t)
    raise ValueError(f"{_show(value)} is not a number")


def _plain(text: str) -> float:
    """A tidy CSV's value: a plain number with a decimal point (22.1 % is 0.221), or empty (missing)."""
    t = text.strip()
    if t.casefold() in MISSING:
        return math.nan
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        raise ValueError(f"value {_show(text)} is not a plain number (1343, 0.221; empty if missing)")
    return float(t)


def _date(text) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"retrieved {_show(text)} is not a date (YYYY-MM-DD)") from None


# ---------------------------------------------------------------------------------- reading

@dataclass
class Reading:
    """One file's figures, what was left out (notes) and what does not fit (problems)."""

    name: str
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    missing: int = 0
    dated_by_file: bool = False        # the figures' vintage is the file's (the format carries none)
    seen: dict = field(default_factory=dict)

    def problem(self, text: str) -> None:
        self.problems.append(f"{self.name}: {text}")

    def take(self, m: Measure, p: Period, value: float, where: str, source: str, retrieved: dt.date) -> None:
        """A figure of a table (``where`` names its cell): added unless below zero or given before
        with another value (a problem)."""
        if value < 0:
            self.problem(f"{where}: {value:g} is below zero")
        elif (m.key, p) in self.seen:
            if not _same(self.seen[(m.key, p)], value):
                self.problem(f"{where} given twice with different values")
        else:
            self.seen[(m.key, p)] = value
            self.add(m, p, value, source, retrieved)

    def add(self, m: Measure, p: Period, value: float, source: str, retrieved: dt.date, note: str = "") -> None:
        self.missing += int(math.isnan(value))
        self.rows.append({"measure": m.key, "period": p, "value": value, "unit": m.unit, "source": source,
                          "retrieved": retrieved, "note": note, "file": Path(self.name).name})


@dataclass(frozen=True)
class Imported:
    """The figures of one or more files as a table (``COLUMNS``), and what was left out of them."""

    table: pd.DataFrame
    notes: tuple[str, ...]


def _text(data: bytes) -> str:
    """UTF-8 (a byte-order mark dropped); files saved by a spreadsheet may be Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _table_id(name: str, known: set[str], given: str | None) -> str | None:
    """A table id from ``given`` or the file name (Y07A02.json, jobindsats_y07a02.json, ptv_a02.json)."""
    if given:
        return given.upper().replace("_", "")
    stem = Path(name).stem.upper().replace("PTV_", "PTV")
    for token in re.findall(r"[A-Z]{1,3}\d{2}[A-Z]?\d{0,2}", stem):
        if token in known:
            return token
    hits = re.findall(r"(?<![A-Z0-9])([A-Z]{1,3}\d{2}[A-Z]\d{2}|[A-Z]{3}\d{2})(?![0-9])", stem)
    return hits[0] if hits else None


def _is_total(value) -> bool:
    """A breakdown's total: "Køn i alt", "I alt", "Total", "Age, total", "TOT"."""
    t = _norm(value)
    return t in {"i alt", "total", "tot", "alle", "hele landet i alt"} or t.endswith(" i alt") or t.endswith(", total")


def _measure_label(label: str) -> str:
    """A measure column's label without its group prefix ("Forventet og faktisk …: Faktisk antal")."""
    return label.rsplit(": ", 1)[-1].strip()


def _jobindsats(r: Reading, labels: list[str], rows: list[list], key: str, table: str | None,
                retrieved: dt.date) -> None:
    """Rows of a Jobindsats table (from its JSON or CSV form) into ``r``."""
    r.dated_by_file = True
    known = jobindsats_tables()
    if table is None:
        r.problem("cannot tell the Jobindsats table from the file's name: name the file after it (e.g. "
                  "Y07A02.json) or give --table")
        return
    if table not in known:
        r.problem(f"table {table} holds no measure the model maps (tables read: {', '.join(sorted(known))})")
        return
    norm = [_norm(c) for c in labels]
    area = next((i for i, c in enumerate(norm) if c in AREA_LABELS), None)
    when = next((i for i, c in enumerate(norm) if c in PERIOD_LABELS), None)
    if area is None or when is None:
        r.problem(f"no {'area column (Område or Area)' if area is None else 'period column (Periode)'}; "
                  f"its columns: {', '.join(labels)}")
        return
    bad = [k for k, row in enumerate(rows) if not isinstance(row, list) or len(row) != len(labels)]
    if bad:
        r.problem(f"{len(bad)} row{'s' if len(bad) > 1 else ''} (the first: row {bad[0] + 1}) do not have "
                  f"{len(labels)} values, one per column: is the file complete?")
        return
    mapped = {m.key: m for m in measures().values() if table in m.jobindsats}
    wanted = {i: _measure_label(c) for i, c in enumerate(labels) if _measure_label(c) in JOBINDSATS_COLUMNS.values()}
    if not wanted:
        r.problem(f"none of the columns {' or '.join(JOBINDSATS_COLUMNS.values())}; its columns: {', '.join(labels)}")
        return
    names = _profile_names(key)
    mine = [row for row in rows if _area_key(row[area]) in names]
    if not mine:
        areas = sorted({str(row[area]) for row in rows})
        r.problem(f"holds no rows for {_name(key)} (its areas: "
                  f"{_clip(', '.join(areas) or 'none', 120)})")
        return
    if len(mine) < len(rows):
        r.notes.append(f"{r.name}: {_rows_word(len(rows) - len(mine))} of other areas left out")
    # Breakdowns: a column the mapping splits on (Visitationskategori) picks a subject; every other
    # text column must be at its total.
    category_columns = {_norm(m.category[0]) for m in mapped.values() if m.category}
    breakdowns = [i for i, c in enumerate(norm) if i not in (area, when) and i not in wanted
                  and not all(_numeric(row[i]) for row in mine)]
    by_category = [i for i in breakdowns if norm[i] in category_columns]
    for i in breakdowns:
        if i in by_category:
            continue
        values = {str(row[i]) for row in mine}
        if not any(_is_total(v) for v in values):
            r.problem(f"column {labels[i]} holds {_clip(', '.join(sorted(values)), 80)}, not its total "
                      f"({labels[i]} i alt): the model's measures are totals; download the table with the total")
            return
    ignored = [labels[i] for i, c in enumerate(labels) if i not in (area, when) and i not in wanted
               and i not in breakdowns]
    if ignored:
        r.notes.append(f"{r.name}: columns not imported (no measure of the model): {', '.join(ignored)}")
    others = [i for i in breakdowns if i not in by_category]
    outside: set[str] = set()
    left: set[str] = set()
    for row in mine:
        if any(not _is_total(row[i]) for i in others):
            continue
        cat = {norm[i]: row[i] for i in by_category}
        try:
            p = period(row[when])
        except ValueError as exc:
            r.problem(str(exc))
            return
        if not p.inside:
            outside.add(str(row[when]))
            continue
        for i, column in wanted.items():
            m = _subject_measure(mapped, column, cat)
            if m is None:
                left.add(" / ".join(f"{labels[j]} = {row[j]}" for j in by_category))
                continue
            try:
                value = number(row[i], whole=m.count.key == "persons")
            except ValueError as exc:
                r.problem(f"{column}, {row[when]}: {exc}")
                continue
            r.take(m, p, value, f"{column}, {row[when]}", f"Jobindsats {table}, {column}" +
                   (f", {m.category[0]} = {m.category[1]}" if m.category else ""), retrieved)
    _outside(r, outside)
    if left:
        r.notes.append(f"{r.name}: rows of no state of the model left out: {_clip('; '.join(sorted(left)), 160)}")


def _subject_measure(mapped: dict[str, Measure], column: str, cat: dict[str, str]) -> Measure | None:
    """The measure of a column for a row whose category columns hold ``cat`` (none: the total)."""
    count = next(k for k, c in JOBINDSATS_COLUMNS.items() if c == column)
    for m in mapped.values():
        if m.count.key != count:
            continue
        if m.category is None:
            if all(_is_total(v) for v in cat.values()):
                return m
        elif _norm(cat.get(_norm(m.category[0]), "")) == _norm(m.category[1]):
            return m
    return None


def _rows_word(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"


def _numeric(value) -> bool:
    try:
        number(value, whole=True)
        return True
    except ValueError:
        return False


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _outside(r: Reading, outside: set[str]) -> None:
    if outside:
        shown = sorted(outside)
        r.problem(f"{len(shown)} period{'s' if len(shown) > 1 else ''} outside {FIRST_YEAR}–{LAST_YEAR}, the plan's "
                  f"years: {', '.join(shown[:4])}{' …' if len(shown) > 4 else ''}; cut the download to {FIRST_YEAR}–"
                  f"{LAST_YEAR}")


def _json(r: Reading, text: str, key: str, table: str | None, retrieved: dt.date) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        r.problem(f"not valid JSON ({exc.msg}; line {exc.lineno}, column {exc.colno}): is the download complete?")
        return
    first = data[0] if isinstance(data, list) and data else data
    if isinstance(first, dict) and "Variables" in first and "Data" in first:
        variables, rows = first["Variables"], first["Data"]
        labels = [v.get("Label") if isinstance(v, dict) else v for v in variables] if isinstance(variables, list) else []
    elif isinstance(first, dict) and "columns" in first and "rows" in first:      # the API's version 3
        labels = [c.get("label", c.get("name")) if isinstance(c, dict) else c for c in first["columns"]]
        rows = first["rows"]
    else:
        r.problem("not a Jobindsats API response (a list whose first element holds Variables and Data)")
        return
    if not labels or not all(isinstance(c, str) for c in labels) or not isinstance(rows, list):
        r.problem("the response's Variables are not column labels, or its Data is not a list of rows")
        return
    _jobindsats(r, labels, rows, key, _table_id(r.name, jobindsats_tables(), table), retrieved)


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]


def _statistikbanken(r: Reading, rows: list[list[str]], key: str, table: str | None, retrieved: dt.date) -> None:
    r.dated_by_file = True
    header = [c.strip().upper() for c in rows[0]]
    known = statistikbanken_tables()
    table = _table_id(r.name, known, table)
    if table not in known:
        what = ("cannot tell the Statistikbanken table from the file name (e.g. AUK01.csv); give --table"
                if table is None else f"table {table} holds no measure the model maps")
        r.problem(f"{what} (tables read: {', '.join(sorted(known))})")
        return
    mapped = [m for m in measures().values() if m.statistikbanken and table in m.statistikbanken["tables"]]
    column = mapped[0].statistikbanken["column"].upper()
    need = ["OMRÅDE", column, "TID", "INDHOLD"]
    missing = [c for c in need if c not in header]
    if missing:
        r.problem(f"no column {', '.join(missing)}; its columns: {', '.join(header)}")
        return
    at = {c: header.index(c) for c in need}
    body = rows[1:]
    bad = [k for k, row in enumerate(body) if len(row) != len(header)]
    if bad:
        r.problem(f"{len(bad)} rows (the first: line {bad[0] + 2}) do not have {len(header)} values: is the file complete?")
        return
    names = _profile_names(key)
    mine = [row for row in body if _area_key(row[at["OMRÅDE"]]) in names]
    if not mine:
        areas = sorted({row[at["OMRÅDE"]] for row in body})
        r.problem(f"holds no rows for {_name(key)} (its areas: {_clip(', '.join(areas) or 'none', 120)})")
        return
    if len(mine) < len(body):
        r.notes.append(f"{r.name}: {_rows_word(len(body) - len(mine))} of other areas left out")
    others = [i for i, c in enumerate(header) if c not in need]
    for i in others:
        values = {row[i] for row in mine}
        if not any(_is_total(v) for v in values):
            r.problem(f"column {header[i]} holds {_clip(', '.join(sorted(values)), 80)}, not its total (I alt): "
                      "the model's measures are totals")
            return
    by_value = {_norm(v): m for m in mapped for v in m.statistikbanken["values"]}
    left, outside = set(), set()
    for row in mine:
        if any(not _is_total(row[i]) for i in others):
            continue
        m = by_value.get(_norm(row[at[column]]))
        if m is None:
            left.add(row[at[column]])
            continue
        try:
            p = period(row[at["TID"]])
            value = number(row[at["INDHOLD"]], whole=False)
        except ValueError as exc:
            r.problem(f"{row[at['TID']]}: {exc}")
            continue
        if not p.inside:
            outside.add(row[at["TID"]])
            continue
        r.take(m, p, value, f"{row[at[column]]}, {row[at['TID']]}",
               f"Statistikbanken {table}, {column} = {row[at[column]]}", retrieved)
    _outside(r, outside)
    if left:
        r.notes.append(f"{r.name}: categories with no measure of the model left out: {_clip(', '.join(sorted(left)), 160)}")


def _tidy(r: Reading, rows: list[list[str]], key: str) -> None:
    header = [c.strip().lower() for c in rows[0]]
    missing = [c for c in TIDY_REQUIRED if c not in header]
    extra = [c for c in header if c not in TIDY_REQUIRED + TIDY_OPTIONAL]
    if missing or extra:
        r.problem(f"columns {', '.join(header)}: {'missing ' + ', '.join(missing) if missing else ''}"
                  f"{'; ' if missing and extra else ''}{'unknown ' + ', '.join(extra) if extra else ''} "
                  f"(the tidy CSV has {', '.join(TIDY_REQUIRED)}, optionally {', '.join(TIDY_OPTIONAL)})")
        return
    at = {c: header.index(c) for c in header}
    known = measures()
    names = _profile_names(key)
    seen = {}
    outside = set()
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            r.problem(f"line {line} has {len(row)} values for {len(header)} columns")
            continue
        cell = {c: row[i].strip() for c, i in at.items()}
        m = known.get(cell["measure"])
        if m is None:
            r.problem(f"line {line}: measure {_show(cell['measure'])} is not one of the model's (e.g. "
                      "sickness_benefit.persons, youth_on_benefits.month_end; docs/outputs.md lists them)")
            continue
        if "municipality" in cell and cell["municipality"] and _area_key(cell["municipality"]) not in names:
            r.problem(f"line {line}: municipality {_show(cell['municipality'])} is not "
                      f"{_name(key)}")
            continue
        try:
            p = period(cell["period"])
            value = _plain(cell["value"])
            retrieved = _date(cell["retrieved"])
        except ValueError as exc:
            r.problem(f"line {line}: {exc}")
            continue
        if p.months not in m.count.periods:
            r.problem(f"line {line}: {m.key} is counted per {'month' if m.count.periods == (1,) else 'year'}; "
                      f"period {cell['period']} covers {p.months} months")
            continue
        if not p.inside:
            outside.add(cell["period"])
            continue
        if m.kind == "share" and not (math.isnan(value) or 0 <= value <= 1):
            r.problem(f"line {line}: {m.key} is a share, 0–1; {cell['value']} is not (22.1 % is 0.221)")
            continue
        if value < 0:
            r.problem(f"line {line}: {value:g} is below zero")
            continue
        if not cell["source"]:
            r.problem(f"line {line}: no source (say where the figure comes from)")
            continue
        if retrieved > dt.date.today():
            r.problem(f"line {line}: retrieved {retrieved} lies in the future")
            continue
        if (m.key, p) in seen:
            r.problem(f"line {line}: {m.key} {cell['period']} given twice (also line {seen[(m.key, p)]})")
            continue
        seen[(m.key, p)] = line
        r.add(m, p, value, cell["source"], retrieved, cell.get("note", ""))
    _outside(r, outside)


def _parquet(r: Reading, data: bytes, key: str) -> None:
    """An imported table (actuals.parquet): its rows as they are, if of the municipality."""
    try:
        t = from_parquet(data, r.name)
        check_municipality(t, key, r.name)
    except ActualsError as exc:
        r.problems += exc.problems
        return
    known = measures()
    for row in t.itertuples(index=False):
        r.add(known[row.measure], Period(row.period.year, row.period.month, int(row.months)), float(row.value),
              row.source, row.retrieved, row.note)
        r.rows[-1]["file"] = row.file


def read_bytes(name: str, data: bytes, municipality_key: str, retrieved: dt.date | None = None,
               table: str | None = None) -> Reading:
    """One file's figures (``name``, as the user gave it, for messages and its table id), in any
    accepted format."""
    r = Reading(name)
    if data[:4] == b"PAR1":
        _parquet(r, data, municipality_key)
        return r
    text = _text(data)
    stripped = text.lstrip()
    when = retrieved or dt.date.today()
    if not stripped:
        r.problem("is empty")
    elif stripped[0] in "[{":
        _json(r, text, municipality_key, table, when)
    else:
        first = stripped.splitlines()[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = _rows(text, delimiter)
        head = {c.strip().upper() for c in rows[0]}
        if {"TID", "INDHOLD"} <= head:
            _statistikbanken(r, rows, municipality_key, table, when)
        elif {c.lower() for c in head} & {"measure", "value"}:
            _tidy(r, rows, municipality_key)
        elif {_norm(c) for c in rows[0]} & PERIOD_LABELS:
            # the Jobindsats API's CSV form: the same columns as its JSON, semicolons, decimal comma
            _jobindsats(r, [c.strip() for c in rows[0]], rows[1:], municipality_key,
                        _table_id(r.name, jobindsats_tables(), table), when)
        else:
            r.problem("neither a Jobindsats API response (JSON, or its CSV with Periode), a Statistikbanken CSV "
                      "(…;TID;INDHOLD) nor the tidy CSV (measure,period,value,source,retrieved)")
    if not r.problems and not r.rows:
        r.problem("holds no figure of a measure the model maps")
    return r


def read_uploads(files: list[tuple[str, bytes]], municipality_key: str, retrieved: dt.date | None = None) -> Imported:
    """Files given as (name, content), e.g. uploaded in the app: as ``read``, with ``retrieved`` (or
    today) as the vintage of files that carry none."""
    readings = [read_bytes(name, data, municipality_key, retrieved) for name, data in files]
    return _combine(readings, municipality_key, [p for r in readings for p in r.problems])


def read(files: list[str | Path], municipality_key: str, retrieved: dt.date | None = None,
         table: str | None = None) -> Imported:
    """Every file's figures as one table (an imported table, actuals.parquet, among them is taken as
    it is); ActualsError with every file's problems if any does not fit (a figure given by two files
    must agree)."""
    readings, problems = [], []
    for path in map(Path, files):
        try:
            data = path.read_bytes()
            when = retrieved or dt.date.fromtimestamp(path.stat().st_mtime)
        except OSError as exc:
            problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
            continue
        r = read_bytes(str(path), data, municipality_key, when, table)
        if retrieved is None and r.dated_by_file and r.rows:
            r.notes.append(f"{r.name}: retrieved {when} (the file's date; give --retrieved YYYY-MM-DD if it was "
                           "downloaded on another day)")
        readings.append(r)
        problems += r.problems
    return _combine(readings, municipality_key, problems)


def _combine(readings: list[Reading], municipality_key: str, problems: list[str]) -> Imported:
    seen: dict[tuple[str, Period], dict] = {}
    for r in readings:
        for row in r.rows:
            k = (row["measure"], row["period"])
            if k in seen:
                other = seen[k]
                if not _same(other["value"], row["value"]):
                    problems.append(f"{row['measure']} {row['period'].label}: {other['file']} gives "
                                    f"{other['value']:g}, {row['file']} {row['value']:g}")
                continue
            seen[k] = row
    if problems:
        raise ActualsError(problems)
    notes = [n for r in readings for n in r.notes]
    missing = sum(r.missing for r in readings)
    if missing:
        notes.append(f"{missing} figure{'s' if missing > 1 else ''} suppressed or empty in the source: kept as "
                     "missing, not zero")
    return Imported(table(list(seen.values()), municipality_key), tuple(notes))


def table(rows: list[dict], municipality_key: str) -> pd.DataFrame:
    """Rows of ``Reading.add`` as the table ``COLUMNS`` describes, sorted by measure and period."""
    df = pd.DataFrame({
        "measure": [r["measure"] for r in rows],
        "municipality": municipality_key,
        "period": [r["period"].first for r in rows],
        "months": np.array([r["period"].months for r in rows], dtype=np.int64),
        "value": np.array([r["value"] for r in rows], dtype=float),
        "unit": [r["unit"] for r in rows],
        "source": [r["source"] for r in rows],
        "retrieved": [r["retrieved"] for r in rows],
        "note": [r["note"] for r in rows],
        "file": [r["file"] for r in rows],
    }, columns=list(COLUMNS))
    return df.sort_values(["measure", "period", "months"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------- the Parquet table

def to_parquet(df: pd.DataFrame) -> bytes:
    """The table as Parquet bytes, each column with its unit and description (field metadata) and the
    table with its description and municipality."""
    schema = pa.schema([
        pa.field("measure", pa.string()), pa.field("municipality", pa.string()), pa.field("period", pa.date32()),
        pa.field("months", pa.int64()), pa.field("value", pa.float64()), pa.field("unit", pa.string()),
        pa.field("source", pa.string()), pa.field("retrieved", pa.date32()), pa.field("note", pa.string()),
        pa.field("file", pa.string())])
    fields = [f.with_metadata({"unit": COLUMNS[f.name][0], "description": COLUMNS[f.name][1]}) for f in schema]
    municipality_key = str(df["municipality"].iloc[0]) if len(df) else ""
    meta = {"description": DESCRIPTION, "municipality": municipality_key}
    arrays = [pa.array(list(df[f.name]), type=f.type) for f in schema]
    t = pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=meta))
    buf = io.BytesIO()
    pq.write_table(t, buf)
    return buf.getvalue()


def write(df: pd.DataFrame, out: str | Path) -> Path:
    """``out/actuals.parquet``, written whole or not at all: to a temporary name in the folder first,
    then renamed over the old table (OSError if the folder cannot be written)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = to_parquet(df)
    tmp = out / f".{FILE}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"       # the folder's own permissions
    try:
        with open(tmp, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out / FILE)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out / FILE


def from_parquet(data: bytes | str | Path, name: str = FILE) -> pd.DataFrame:
    """An imported table (bytes or a path) checked: its columns and measures; ActualsError if not."""
    try:
        t = pq.read_table(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (OSError, pa.ArrowException) as exc:
        raise ActualsError([f"{name}: not a readable Parquet table ({_clip(exc, 120)})"]) from None
    if t.column_names != list(COLUMNS):
        raise ActualsError([f"{name}: columns {', '.join(t.column_names)}, not those of an imported table "
                            f"({', '.join(COLUMNS)}); import the figures with python -m model actuals import"])
    df = t.to_pandas()
    unknown = sorted(set(df["measure"]) - set(measures()))
    if unknown:
        raise ActualsError([f"{name}: measures the model does not know: {', '.join(unknown[:5])}"])
    return df


def example(municipality_key: str) -> Path | None:
    """The shipped example of actual figures for a municipality (``actuals/<profile>``), None if there is none."""
    folder = paths.ACTUALS / municipality_key
    return folder if (folder / FILE).is_file() else None


def load(folder: str | Path, municipality_key: str) -> pd.DataFrame:
    """The table imported into ``folder``, for ``municipality_key`` (ActualsError if it is missing,
    broken or of another municipality: a scenario is never held against another's figures)."""
    path = Path(folder) / FILE
    if not path.is_file():
        raise ActualsError([f"{folder}: holds no {FILE}; import figures first with python -m model actuals "
                            f"import FILE... --municipality NAME --out {folder}"])
    df = from_parquet(path, str(path))
    check_municipality(df, municipality_key, str(path))
    return df


def check_municipality(df: pd.DataFrame, municipality_key: str, name: str) -> None:
    others = sorted(set(df["municipality"]) - {municipality_key})
    if others:
        names = ", ".join(_name(o) if o in profiles() else o for o in others)
        raise ActualsError([f"{name}: figures of {names}, not of {_name(municipality_key)}, "
                            "the scenario's municipality"])
