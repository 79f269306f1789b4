"""Scenario files (TOML): read, validate, save, hash.

A scenario names lever values (a number for all plan years, or one per year 2017–2020),
scenario inputs (refugees per year, labour demand, one value per year) and, optionally,
overrides of assumptions. Bad input gives one line per problem naming file, line, field, value
and the allowed range; at most ``MAX_PROBLEMS`` lines and a count of the rest, each line at
most ``MAX_LINE`` characters, in time linear in the file's size. Files are read only when they
are regular files of at most ``MAX_FILE_BYTES``, and nested at most ``MAX_DEPTH`` levels deep.
"""
from __future__ import annotations

import bisect
import datetime as dt
import errno
import hashlib
import json
import math
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Annotated, Any

import tomli_w
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model
from pydantic_core import PydanticCustomError

from model import __version__, calendar, paths
from model.calendar import PLAN_YEARS, REPORT_YEARS
from model.inputs import assumptions, levers, municipalities
from model.lines import clip

MAX_FILE_BYTES = 1_000_000     # a scenario or sweep file is a few kB; anything this big is not one
MAX_DEPTH = 16                 # tables + dotted keys + arrays; the deepest valid file needs 4
MAX_PROBLEMS = 20              # problem lines shown; the rest are counted
MAX_LINE = 1000                # characters per problem line (the longest "allowed: ..." list is ~400)
MAX_SHOWN = 80                 # characters of a value or key quoted in a problem line


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` holds one line per problem (bounded: the
    first MAX_PROBLEMS, then a line counting the rest)."""

    def __init__(self, problems: list[str], more: int = 0):
        more += max(0, len(problems) - MAX_PROBLEMS)
        self.problems = [clip(p, MAX_LINE) for p in problems[:MAX_PROBLEMS]]
        if more:
            self.problems.append(f"... and {more} more problem{'s' if more > 1 else ''}")
        super().__init__("\n".join(self.problems))


def show(value: Any) -> str:
    """A value as a problem line quotes it: short, on one line, never failing."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (dt.date, dt.time)):
        text = value.isoformat()
    elif isinstance(value, int) and abs(value) > 10 ** 30:
        text = f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    else:
        try:
            text = repr(value)
        except (ValueError, RecursionError):
            text = f"<{type(value).__name__}>"
    return clip(text, MAX_SHOWN)


# ---------------------------------------------------------------------------------------------
# Reading a file: only a regular, readable file of bounded size.

def read_text(path: str | Path, what: str = "scenario") -> str:
    """The text of a ``what`` file (UTF-8, a byte-order mark allowed); ScenarioError with one
    line when it is missing, not a regular file (a directory, FIFO or device), unreadable, a
    symbolic-link loop, too long a name, too large, or not UTF-8."""
    where = clip(path, 300)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ScenarioError([f"{where}: no such {what} file"]) from None
    except (ValueError, TypeError):
        raise ScenarioError([f"{where}: not a valid file name"]) from None
    except OSError as exc:
        reason = {errno.ELOOP: "a loop of symbolic links", errno.ENAMETOOLONG: "file name too long",
                  errno.EACCES: "not readable (permission denied)", errno.EPERM: "not readable (permission denied)",
                  errno.EISDIR: f"a directory, not a {what} file"}.get(exc.errno, exc.strerror or "cannot be read")
        raise ScenarioError([f"{where}: {reason}"]) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ScenarioError([f"{where}: a directory, not a {what} file"])
        if not stat.S_ISREG(st.st_mode):
            raise ScenarioError([f"{where}: not a regular file (a pipe, device or socket), not a {what} file"])
        if st.st_size > MAX_FILE_BYTES:
            raise ScenarioError([f"{where}: file too large, allowed at most {MAX_FILE_BYTES:,} bytes"])
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise ScenarioError([f"{where}: file too large, allowed at most {MAX_FILE_BYTES:,} bytes"])
    except OSError as exc:
        raise ScenarioError([f"{where}: cannot be read ({exc.strerror or exc})"]) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError([f"{where}, line {line}: not a UTF-8 text file"]) from None


# ---------------------------------------------------------------------------------------------
# Where keys are: one linear pass over the TOML text (for line numbers, duplicates, depth).

_WS = re.compile(r"[ \t\r\n]*")
_SPACE = re.compile(r"[ \t]*")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_PLAIN = re.compile(r"[^\"'#\[\]{}\n]+")
_BASIC = re.compile(r'(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"[^'\n]*'")
_ML_BASIC = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.S)


class TomlLayout:
    """Where each key of a TOML text is set, without parsing values, in one linear pass: the
    first line of every dotted key, the first key set twice, and the first line nested deeper
    than MAX_DEPTH (tables, dotted keys and brackets together). Invalid TOML is skimmed, not
    judged: tomllib says what is wrong with it."""

    def __init__(self, text: str):
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.lines: dict[tuple[str, ...], int] = {}
        self.duplicate: tuple[int, str] | None = None
        self.too_deep: int | None = None
        self._scan()

    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def line_of(self, loc: tuple) -> int | None:
        """The line where the field at ``loc`` (or the nearest enclosing table) is set."""
        parts = tuple(str(p) for p in loc)
        for n in range(len(parts), 0, -1):
            if parts[:n] in self.lines:
                return self.lines[parts[:n]]
        return None

    def _eol(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def _key(self, pos: int) -> tuple[tuple[str, ...] | None, int]:
        t, parts = self.text, []
        while True:
            pos = _SPACE.match(t, pos).end()
            c = t[pos] if pos < len(t) else ""
            if c == '"':
                m = _BASIC.match(t, pos + 1)
                if not m:
                    return None, pos
                raw = t[pos + 1:m.end() - 1]
                try:
                    parts.append(json.loads(f'"{raw}"'))
                except ValueError:
                    parts.append(raw)
            elif c == "'":
                m = _LITERAL.match(t, pos + 1)
                if not m:
                    return None, pos
                parts.append(t[pos + 1:m.end() - 1])
            else:
                m = _BARE.match(t, pos)
                if not m:
                    return None, pos
                parts.append(m.group())
            pos = _SPACE.match(t, m.end()).end()
            if len(parts) > MAX_DEPTH or not t.startswith(".", pos):
                return tuple(parts), pos
            pos += 1

    def _value(self, pos: int, depth: int) -> int:
        """Skip a value (strings, comments, nested brackets) to the end of its statement."""
        t, n, level = self.text, len(self.text), 0
        while pos < n:
            m = _PLAIN.match(t, pos)
            if m:
                pos = m.end()
                if pos >= n:
                    break
            c = t[pos]
            if c == "\n":
                if level == 0:
                    return pos
                pos += 1
            elif c == "#":
                pos = self._eol(pos)
            elif c in "\"'":
                triple = t.startswith(c * 3, pos)
                if triple and c == '"':
                    m = _ML_BASIC.match(t, pos + 3)
                    pos = m.end() if m else n
                elif triple:
                    end = t.find("'''", pos + 3)
                    pos = n if end < 0 else end + 3
                else:
                    m = (_BASIC if c == '"' else _LITERAL).match(t, pos + 1)
                    pos = m.end() if m else self._eol(pos)
                if triple:
                    for _ in range(2):                          # up to two quotes end the content
                        pos += t.startswith(c, pos)
            elif c in "[{":
                level += 1
                if depth + level > MAX_DEPTH:
                    self.too_deep = self.line_at(pos)
                    return n
                pos += 1
            else:
                level = max(0, level - 1)
                pos += 1
        return pos

    def _scan(self) -> None:
        t, n = self.text, len(self.text)
        pos, table, in_array = 0, (), False
        values: dict[tuple[str, ...], int] = {}
        tables: dict[tuple[str, ...], int] = {}
        while pos < n and self.too_deep is None:
            pos = _WS.match(t, pos).end()
            if pos >= n:
                break
            line = self.line_at(pos)
            if t[pos] == "#":
                pos = self._eol(pos)
                continue
            if t[pos] == "[":
                double = t.startswith("[[", pos)
                parts, pos = self._key(pos + 1 + double)
                if parts is not None and len(parts) > MAX_DEPTH:
                    self.too_deep = line
                    break
                close = "]]" if double else "]"
                if parts is None or not t.startswith(close, pos):
                    pos = self._eol(pos)
                    continue
                table, in_array = parts, double
                self.lines.setdefault(parts, line)
                if not double:
                    if parts in tables or parts in values:
                        self._twice(line, parts, table=True)
                    tables[parts] = line
                pos = self._eol(pos + len(close))
                continue
            parts, pos = self._key(pos)
            if parts is not None and len(table) + len(parts) > MAX_DEPTH:
                self.too_deep = line
                break
            if parts is None or not t.startswith("=", pos):
                pos = self._eol(pos)
                continue
            full = table + parts
            self.lines.setdefault(full, line)
            if not in_array:
                if full in values or full in tables or any(full[:k] in values for k in range(1, len(full))):
                    self._twice(line, full)
                values[full] = line
            pos = self._value(pos + 1, len(full))

    def _twice(self, line: int, key: tuple[str, ...], table: bool = False) -> None:
        if self.duplicate is None:
            self.duplicate = (line, f"[{'.'.join(key)}]" if table else ".".join(key))


# ---------------------------------------------------------------------------------------------
# Validation of the values.

_YEAR_KEY = re.compile(r"[0-9]{4}")            # ASCII digits only (str patterns: [0-9] is ASCII)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_range(value: Any, lo: float, hi: float, integer: bool, allowed: str) -> None:
    kind = "a whole number" if integer else "a number"
    if not _number(value) or (isinstance(value, float) and math.isnan(value)):
        raise PydanticCustomError("lever_type", "must be {kind}, allowed {allowed}", {"kind": kind, "allowed": allowed})
    if integer and isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        raise PydanticCustomError("lever_type", "must be {kind}, allowed {allowed}", {"kind": kind, "allowed": allowed})
    if not lo <= value <= hi:                                   # also ±inf and 2**63 - 1
        raise PydanticCustomError("lever_range", "out of range, allowed {allowed}", {"allowed": allowed})


def _year(key: Any, years: tuple[int, ...]) -> int | None:
    """The year a per-year table's key names: exactly four ASCII digits of an allowed year."""
    if isinstance(key, int) and not isinstance(key, bool):
        year = key
    elif isinstance(key, str) and _YEAR_KEY.fullmatch(key):
        year = int(key)
    else:
        return None
    return year if year in years else None


def _per_year_validator(lo: float, hi: float, integer: bool, allowed: str, years: tuple[int, ...],
                        table_only: bool = False):
    """One value for every year, or a table of years (only a table when ``table_only``)."""
    span = f"{years[0]}–{years[-1]}"

    def check(value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, v in value.items():
                year = _year(key, years)
                if year is None:
                    shown = key if isinstance(key, str) and re.fullmatch(r"[0-9]{1,9}", key) else show(key)
                    raise PydanticCustomError("lever_year", "year {year} not allowed, allowed years {years} "
                                              "(four digits)", {"year": shown, "years": span})
                try:
                    _check_range(v, lo, hi, integer, allowed)
                except PydanticCustomError as exc:
                    raise PydanticCustomError("lever_year_value", "year {year} = {value} " + exc.message_template,
                                              {**(exc.context or {}), "year": year, "value": show(v)}) from None
                out[year] = v
            return out
        if table_only:
            raise PydanticCustomError("lever_table", "must be a table of years {years}, e.g. {example}",
                                      {"years": span, "example": f"{{ {years[1]} = ..., {years[-1]} = ... }}"})
        _check_range(value, lo, hi, integer, allowed)
        return value
    return BeforeValidator(check)


def _check_municipality(value: Any) -> Any:
    known = municipalities.shipped()
    if not isinstance(value, str) or value not in known:
        raise PydanticCustomError("lever_municipality", "not a shipped municipality profile, allowed: {known}",
                                  {"known": ", ".join(known)})
    return value


def _lever_model() -> type[BaseModel]:
    fields = {}
    for key, lv in levers.LEVERS.items():
        t = Annotated[Any, _per_year_validator(lv.min, lv.max, lv.kind == "int", lv.allowed(), PLAN_YEARS)]
        fields[key] = (t, None)
    return create_model("LeverValues", __config__=ConfigDict(extra="forbid"), **fields)


def _assumption_model() -> type[BaseModel]:
    fields = {}
    for key, a in assumptions.ASSUMPTIONS.items():
        def check(v: Any, a=a) -> Any:
            _check_range(v, a.low, a.high, False, a.allowed())
            return float(v)
        fields[key] = (Annotated[Any, BeforeValidator(check)], None)
    return create_model("AssumptionValues", __config__=ConfigDict(extra="forbid"), **fields)


class Inputs(BaseModel):
    """Scenario inputs: refugees housed and labour demand (nobody in the jobcenter decides them), a
    table of years each; and the jobcenter's capacity, a cap on its caseworkers and company
    consultants (full-time equivalents) in the plan years where the scenario sets one (elsewhere
    the jobcenter is staffed as the work needs; 2016's staff is the profile's, the status)."""

    model_config = ConfigDict(extra="forbid")
    refugees_per_year: Annotated[Any, _per_year_validator(0, 3000, True, "0–3000", REPORT_YEARS, True)] = None
    labour_demand: Annotated[Any, _per_year_validator(0.5, 1.5, False, "0.5–1.5", REPORT_YEARS, True)] = None
    caseworkers_fte: Annotated[Any, _per_year_validator(1, 5000, False, "1–5000", PLAN_YEARS, True)] = None
    company_consultants_fte: Annotated[Any, _per_year_validator(1, 2000, False, "1–2000", PLAN_YEARS, True)] = None


# Capacity inputs: 2016 is the profile's staff (the status), a plan year a cap or None (no cap).
CAPACITY = ("caseworkers_fte", "company_consultants_fte")


LeverValues = _lever_model()
AssumptionValues = _assumption_model()


class ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    municipality: Annotated[Any, BeforeValidator(_check_municipality)] = municipalities.DEFAULT
    levers: LeverValues = Field(default_factory=LeverValues)          # type: ignore[valid-type]
    inputs: Inputs = Field(default_factory=Inputs)
    assumptions: AssumptionValues = Field(default_factory=AssumptionValues)  # type: ignore[valid-type]


class Scenario:
    """A validated scenario: its municipality, lever values per year, inputs per year, assumption
    values. Varied only by ``replace`` (a new scenario; this one never changes)."""

    def __init__(self, spec: ScenarioFile, path: str | None = None):
        self.spec = spec
        self.path = path
        self.name = spec.name
        self.description = spec.description
        self.municipality = municipalities.load(spec.municipality)
        given = {k: v for k, v in spec.levers.model_dump().items() if v is not None}
        self.lever_values = levers.resolve(given)
        self.assumption_values = assumptions.resolve(
            {k: v for k, v in spec.assumptions.model_dump().items() if v is not None})
        self.inputs: dict[str, dict[int, float]] = {}
        for key in ("refugees_per_year", "labour_demand"):
            base = {int(y): v for y, v in self.municipality.inputs[key].items()}
            base.update(getattr(spec.inputs, key) or {})
            self.inputs[key] = {y: base[y] for y in REPORT_YEARS}
        for key in CAPACITY:
            caps = getattr(spec.inputs, key) or {}
            self.inputs[key] = {calendar.START_YEAR: float(self.municipality.inputs[key][str(calendar.START_YEAR)]),
                                **{y: (float(caps[y]) if y in caps else None) for y in PLAN_YEARS}}

    def cap(self, key: str, year: int) -> float | None:
        """The scenario's cap on caseworkers or company consultants (``CAPACITY``) in ``year``: None
        in 2016 (history) and in a plan year the scenario leaves open (staffed as the work needs)."""
        return self.inputs[key][year] if year in PLAN_YEARS else None

    def __reduce__(self):
        """Pickle as the scenario's TOML text (worker processes parse it again)."""
        return parse, (self.to_toml(), self.path or self.name)

    def replace(self, *, levers: dict | None = None, inputs: dict | None = None, assumptions: dict | None = None,
                name: str | None = None, description: str | None = None) -> Scenario:
        """This scenario with some settings changed, as a reform changes its baseline (PolicyEngine's
        reforms): ``levers``, ``inputs`` and ``assumptions`` map a key to its new value as a file gives
        it (one number, or a table of years), or to None (back to its default: a lever's 2016
        practice, the profile's input, the assumption's value); every setting not named is kept, and
        the municipality always. ``name`` and ``description`` replace this one's when given. The only
        way to vary a scenario: the new one is validated as a file is (ScenarioError, one line per
        problem) and is what its TOML text says."""
        data = self.to_dict()
        for section, changes in (("levers", levers), ("inputs", inputs), ("assumptions", assumptions)):
            if changes:
                data[section] = {k: v for k, v in {**data.get(section, {}), **changes}.items() if v is not None}
        if name is not None:
            data["name"] = name
        if description is not None:
            data["description"] = description
        return parse(tomli_w.dumps(_stringify_years(_drop_none(data))), where=data["name"])

    def lever(self, key: str, year: int) -> float:
        return self.lever_values[key][year]

    def canonical(self) -> dict:
        """Everything that determines the simulation (not the name or description)."""
        return {"municipality": self.municipality.profile,
                "levers": {k: {str(y): v for y, v in row.items()} for k, row in self.lever_values.items()},
                "inputs": {k: {str(y): v for y, v in row.items()} for k, row in self.inputs.items()},
                "assumptions": self.assumption_values, "model_version": __version__}

    @property
    def hash(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict:
        """The scenario as a file would hold it: only what differs from the defaults."""
        return _drop_none({"name": self.name, "description": self.description,
                           "municipality": self.municipality.profile,
                           "levers": self.spec.levers.model_dump(),
                           "inputs": self.spec.inputs.model_dump(),
                           "assumptions": self.spec.assumptions.model_dump()})

    def to_toml(self) -> str:
        return tomli_w.dumps(_stringify_years(self.to_dict()))


def _drop_none(d: Any) -> Any:
    if isinstance(d, dict):
        return {k: _drop_none(v) for k, v in d.items() if v is not None and v != {}}
    return d


def _stringify_years(d: Any) -> Any:
    if isinstance(d, dict):
        return {str(k): _stringify_years(v) for k, v in d.items()}
    return d


# ---------------------------------------------------------------------------------------------
# Problems as lines.

def _allowed_fields(section: str) -> str:
    return ", ".join({"levers": levers.LEVERS, "assumptions": assumptions.ASSUMPTIONS,
                      "inputs": Inputs.model_fields}.get(section, ScenarioFile.model_fields))


def _format_errors(err: ValidationError, layout: TomlLayout, where: str) -> tuple[list[str], int]:
    """The first MAX_PROBLEMS validation errors as lines, and how many more there are."""
    errors = err.errors(include_url=False, include_context=False)
    out = []
    for e in errors[:MAX_PROBLEMS]:
        loc = tuple(e["loc"])
        field = clip(".".join(str(p) for p in loc) or "(file)", MAX_SHOWN * 2)
        line = layout.line_of(loc)
        at = f"{where}, line {line}" if line else where
        if e["type"] == "extra_forbidden":
            out.append(f"{at}: unknown field '{field}'; allowed: {_allowed_fields('.'.join(str(p) for p in loc[:-1]))}")
        elif e["type"].startswith("lever_"):
            out.append(f"{at}: {field} = {show(e.get('input'))}: {e['msg']}")
        else:
            out.append(f"{at}: {field}: {e['msg']}")
    return out, len(errors) - len(out)


def _toml_problem(exc: Exception, layout: TomlLayout, where: str) -> str:
    msg = str(exc)
    m = re.search(r"\(at line (\d+), column \d+\)$", msg)
    at = f"{where}, line {m.group(1) if m else len(layout.newlines) + 1}"      # else: at the end
    if msg.startswith(("Cannot overwrite a value", "Cannot declare")) and layout.duplicate:
        line, key = layout.duplicate
        what = f"table {clip(key, MAX_SHOWN)}" if key.startswith("[") else f"key {clip(key, MAX_SHOWN)!r}"
        return f"{where}, line {line}: duplicate {what} (each may be set only once)"
    dup = re.match(r"Duplicate inline table key '(.*)' \(at line", msg)
    if dup:
        return f"{at}: duplicate key {clip(dup.group(1), MAX_SHOWN)!r} in an inline table (each may be set only once)"
    return f"{at}: not valid TOML: {clip(msg, 200)}"


def parse_toml(text: str, where: str = "<scenario>") -> tuple[dict, TomlLayout]:
    """The TOML document and where its keys are; ScenarioError for text too large, nested too
    deep or not TOML (a leading byte-order mark is allowed)."""
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError([f"{where}: file too large, allowed at most {MAX_FILE_BYTES:,} bytes"])
    if text.startswith("\ufeff"):
        text = text[1:]
    layout = TomlLayout(text)
    if layout.too_deep is not None:
        raise ScenarioError([f"{where}, line {layout.too_deep}: nested deeper than {MAX_DEPTH} levels "
                             "(tables, dotted keys and brackets together)"])
    try:
        return tomllib.loads(text), layout
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([_toml_problem(exc, layout, where)]) from None
    except RecursionError:                                 # not expected below MAX_DEPTH; kept as a guard
        raise ScenarioError([f"{where}: not valid TOML: nested too deeply"]) from None
    except ValueError:                                     # an integer of more than 4,300 digits
        m = re.search(r"[0-9][0-9_]{4000,}", text)
        line = layout.line_at(m.start()) if m else 1
        raise ScenarioError([f"{where}, line {line}: not valid TOML: a number with thousands of digits"]) from None


def parse(text: str, where: str = "<scenario>") -> Scenario:
    """Validate scenario text; raise ScenarioError with one line per problem."""
    where = clip(where, 300)
    data, layout = parse_toml(text, where)
    try:
        spec = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(*_format_errors(exc, layout, where)) from None
    return Scenario(spec, path=where)


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    return parse(read_text(path, "scenario"), where=str(path))


def practice(name: str, municipality: str) -> Scenario:
    """A scenario of ``municipality`` (a profile's name) that sets nothing: every lever at 2016
    practice, the profile's inputs, the assumptions' values (vary it with ``Scenario.replace``)."""
    return parse(tomli_w.dumps({"name": name, "municipality": municipality}), where=name)


def available() -> list[Path]:
    """Scenario files shipped in ``scenarios/``."""
    return sorted(paths.SCENARIOS.glob("*.toml"))
