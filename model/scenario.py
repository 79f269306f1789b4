"""Scenario files (TOML): load, validate, save, hash.

A scenario names lever values (a number for all plan years, or one per year 2017–2020),
scenario inputs (refugees per year, labour demand) and, optionally, overrides of assumptions.
Bad input gives one line per problem naming file, line, field, value and the allowed range.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

import tomli_w
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model
from pydantic_core import PydanticCustomError

from . import __version__, assumptions, levers, params
from .calendar import PLAN_YEARS, REPORT_YEARS


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_range(value: Any, lo: float, hi: float, integer: bool, allowed: str) -> None:
    if not _number(value) or (integer and float(value) != int(value)):
        kind = "a whole number" if integer else "a number"
        raise PydanticCustomError("lever_type", "must be {kind}, allowed {allowed}",
                                  {"kind": kind, "allowed": allowed})
    if not lo <= value <= hi:
        raise PydanticCustomError("lever_range", "out of range, allowed {allowed}", {"allowed": allowed})


def _per_year_validator(lo: float, hi: float, integer: bool, allowed: str, years: tuple[int, ...]):
    def check(value: Any) -> Any:
        if isinstance(value, dict):
            for year, v in value.items():
                if not str(year).isdigit() or int(year) not in years:
                    raise PydanticCustomError(
                        "lever_year", "year {year} not allowed, allowed years {years}",
                        {"year": year, "years": f"{years[0]}–{years[-1]}"})
                try:
                    _check_range(v, lo, hi, integer, allowed)
                except PydanticCustomError as exc:
                    raise PydanticCustomError("lever_year_value", "year {year} = {value} " + exc.message_template,
                                              {**(exc.context or {}), "year": year, "value": v}) from None
            return {int(y): v for y, v in value.items()}
        _check_range(value, lo, hi, integer, allowed)
        return value
    return BeforeValidator(check)


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
    """Scenario inputs nobody in the jobcenter decides: refugees housed and labour demand."""

    model_config = ConfigDict(extra="forbid")
    refugees_per_year: Annotated[Any, _per_year_validator(0, 3000, True, "0–3000", REPORT_YEARS)] = None
    labour_demand: Annotated[Any, _per_year_validator(0.5, 1.5, False, "0.5–1.5", REPORT_YEARS)] = None


LeverValues = _lever_model()
AssumptionValues = _assumption_model()


class ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    municipality: str = "viborg"
    levers: LeverValues = Field(default_factory=LeverValues)          # type: ignore[valid-type]
    inputs: Inputs = Field(default_factory=Inputs)
    assumptions: AssumptionValues = Field(default_factory=AssumptionValues)  # type: ignore[valid-type]


class Scenario:
    """A validated scenario: lever values per year, inputs per year, assumption values."""

    def __init__(self, spec: ScenarioFile, path: str | None = None):
        self.spec = spec
        self.path = path
        self.name = spec.name
        self.description = spec.description
        self.municipality = spec.municipality
        given = {k: v for k, v in spec.levers.model_dump().items() if v is not None}
        self.lever_values = levers.resolve(given)
        self.assumption_values = assumptions.resolve(
            {k: v for k, v in spec.assumptions.model_dump().items() if v is not None})
        profile = params.municipality(self.municipality)["inputs"]
        self.inputs: dict[str, dict[int, float]] = {}
        for key in ("refugees_per_year", "labour_demand"):
            base = {int(y): v for y, v in profile[key].items()}
            base.update(getattr(spec.inputs, key) or {})
            self.inputs[key] = {y: base[y] for y in REPORT_YEARS}

    def __reduce__(self):
        """Pickle as the scenario's TOML text (worker processes parse it again)."""
        return parse, (self.to_toml(), self.path or self.name)

    def lever(self, key: str, year: int) -> float:
        return self.lever_values[key][year]

    def canonical(self) -> dict:
        """Everything that determines the simulation (not the name or description)."""
        return {"municipality": self.municipality,
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
                           "municipality": self.municipality,
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


def _line_of(text: str, loc: tuple) -> int | None:
    """The line in the file where the field at ``loc`` is set (1-based), best effort."""
    parts = [str(p) for p in loc]
    table = ""
    found = None
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        m = re.match(r"^\[+\s*([^\]]+?)\s*\]+", s)
        if m:
            table = m.group(1).replace('"', "")
            if table == ".".join(parts) or (len(parts) >= 2 and table == ".".join(parts[:2])):
                found = found or n
            continue
        m = re.match(r'^"?([A-Za-z0-9_\-]+)"?\s*=', s)
        if not m:
            continue
        key = (table + "." if table else "") + m.group(1)
        if key == ".".join(parts) or (len(parts) >= 2 and key == ".".join(parts[:2])) or \
                (len(parts) == 1 and key == parts[0]):
            return n
    return found


def _format_errors(err: ValidationError, text: str, where: str) -> list[str]:
    out = []
    for e in err.errors():
        loc = tuple(p for p in e["loc"])
        field = ".".join(str(p) for p in loc) or "(file)"
        line = _line_of(text, loc)
        at = f"{where}, line {line}" if line else where
        value = e.get("input")
        if e["type"] == "extra_forbidden":
            section = ".".join(str(p) for p in loc[:-1])
            if section == "levers":
                allowed = ", ".join(levers.LEVERS)
            elif section == "assumptions":
                allowed = ", ".join(assumptions.ASSUMPTIONS)
            elif section == "inputs":
                allowed = ", ".join(Inputs.model_fields)
            else:
                allowed = ", ".join(ScenarioFile.model_fields)
            out.append(f"{at}: unknown field {field!r}; allowed: {allowed}")
        elif e["type"].startswith("lever_"):
            shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
            out.append(f"{at}: {field} = {shown}: {e['msg']}")
        else:
            out.append(f"{at}: {field}: {e['msg']}")
    return out


def parse(text: str, where: str = "<scenario>") -> Scenario:
    """Validate scenario text; raise ScenarioError with one line per problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{where}: not valid TOML: {exc}"]) from None
    try:
        spec = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_format_errors(exc, text, where)) from None
    try:
        params.municipality(spec.municipality)
    except ValueError as exc:
        raise ScenarioError([f"{where}, line {_line_of(text, ('municipality',))}: municipality: {exc}"]) from None
    return Scenario(spec, path=where)


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([f"{p}: no such scenario file"]) from None
    except UnicodeDecodeError:
        raise ScenarioError([f"{p}: not a UTF-8 text file"]) from None
    return parse(text, where=str(path))


def from_levers(name: str, lever_values: dict, inputs: dict | None = None,
                assumption_values: dict | None = None, description: str = "") -> Scenario:
    """Build a validated scenario from Python values (the app and the batch runner use this)."""
    data = {"name": name, "description": description,
            "levers": {k: ({str(y): x for y, x in v.items()} if isinstance(v, dict) else v)
                       for k, v in lever_values.items()},
            "inputs": {k: {str(y): x for y, x in v.items()} for k, v in (inputs or {}).items()},
            "assumptions": assumption_values or {}}
    return parse(tomli_w.dumps(_drop_none(data)), where=name)


SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"


def available() -> list[Path]:
    """Scenario files shipped in ``scenarios/``."""
    return sorted(SCENARIO_DIR.glob("*.toml"))
