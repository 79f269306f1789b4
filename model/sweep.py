"""Sweep files: a base scenario and, for any lever or assumption, a list of values, a range for
a grid, or a Latin-hypercube sample within bounds. A sweep expands into scenarios, each with a
stable id (its hash) and a label naming its values.

```toml
name = "Deadline and places"
base = "plan-2017.toml"                  # relative to the sweep file
[levers]
internship_deadline_months = [1, 3, 6]                     # a list of values
internship_places = { from = 600, to = 1400, steps = 5 }   # a range: 5 values from 600 to 1400
[sample]                                                    # Latin hypercube, combined with the grid
points = 20
seed = 1
[sample.assumptions]
matching_elasticity = [0.2, 0.6]                            # bounds
```
"""
from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import assumptions, levers, scenario
from .scenario import ScenarioError, _line_of


@dataclass(frozen=True)
class Expanded:
    """One scenario of a sweep."""

    id: str
    label: str
    scenario: scenario.Scenario
    source: str


def is_sweep(path: str | Path) -> bool:
    try:
        return "base" in tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def _spec(kind: str, key: str):
    if kind == "levers":
        lv = levers.LEVERS.get(key)
        return (lv.min, lv.max, lv.kind == "int", lv.allowed()) if lv else None
    a = assumptions.ASSUMPTIONS.get(key)
    return (a.low, a.high, False, a.allowed()) if a else None


def _axis(kind: str, key: str, value, where: str, text: str, problems: list[str]) -> list[float] | None:
    """The values of one swept lever or assumption (list or range), checked against its bounds."""
    at = f"{where}, line {_line_of(text, (kind, key))}"
    spec = _spec(kind, key)
    if spec is None:
        allowed = ", ".join(levers.LEVERS if kind == "levers" else assumptions.ASSUMPTIONS)
        problems.append(f"{at}: unknown field '{kind}.{key}'; allowed: {allowed}")
        return None
    lo, hi, integer, allowed = spec
    if isinstance(value, dict):
        if set(value) != {"from", "to", "steps"} or not isinstance(value.get("steps"), int) or value["steps"] < 2:
            problems.append(f"{at}: {kind}.{key}: a range needs from, to and steps (a whole number ≥ 2)")
            return None
        values = list(np.linspace(value["from"], value["to"], value["steps"]))
    elif isinstance(value, list) and value:
        values = value
    else:
        problems.append(f"{at}: {kind}.{key} = {value!r}: give a list of values or {{from, to, steps}}")
        return None
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            problems.append(f"{at}: {kind}.{key}: {v!r} is not a number, allowed {allowed}")
        elif not lo <= v <= hi:
            problems.append(f"{at}: {kind}.{key} = {v:g} out of range, allowed {allowed}")
        else:
            out.append(int(round(v)) if integer else float(v))
    return out


def latin_hypercube(bounds: list[tuple[float, float]], points: int, seed: int) -> np.ndarray:
    """``points`` points in the box ``bounds``, one in each of ``points`` equal slices per axis."""
    rng = np.random.default_rng(seed)
    u = (np.argsort(rng.random((len(bounds), points)), axis=1) + rng.random((len(bounds), points))) / points
    lo = np.array([b[0] for b in bounds])[:, None]
    hi = np.array([b[1] for b in bounds])[:, None]
    return (lo + u * (hi - lo)).T


def expand(path: str | Path) -> list[Expanded]:
    """The scenarios of a sweep file; raises ScenarioError with one line per problem."""
    path = Path(path)
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise ScenarioError([f"{where}: no such sweep file"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{where}: not valid TOML: {exc}"]) from None
    problems: list[str] = []
    unknown = set(data) - {"name", "base", "levers", "assumptions", "sample"}
    for key in sorted(unknown):
        problems.append(f"{where}, line {_line_of(text, (key,))}: unknown field {key!r}; "
                        "allowed: name, base, levers, assumptions, sample")
    base_path = (path.parent / str(data.get("base", ""))).resolve()
    base = None
    try:
        base = scenario.load(base_path)
    except ScenarioError as exc:
        problems += [f"{where}, line {_line_of(text, ('base',))}: base: {p}" for p in exc.problems]
    axes: list[tuple[str, str, list]] = []
    for kind in ("levers", "assumptions"):
        for key, value in data.get(kind, {}).items():
            vals = _axis(kind, key, value, where, text, problems)
            if vals is not None:
                axes.append((kind, key, vals))
    sample = data.get("sample")
    lhs: list[tuple[str, str, tuple[float, float, bool]]] = []
    points = 0
    if sample is not None:
        points = sample.get("points")
        if not isinstance(points, int) or not 1 <= points <= 10000:
            problems.append(f"{where}, line {_line_of(text, ('sample', 'points'))}: sample.points = {points!r}, allowed 1–10000")
        for kind in ("levers", "assumptions"):
            for key, b in sample.get(kind, {}).items():
                spec = _spec(kind, key)
                at = f"{where}, line {_line_of(text, ('sample', kind, key)) or _line_of(text, (key,))}"
                if spec is None:
                    problems.append(f"{at}: unknown field 'sample.{kind}.{key}'")
                elif not (isinstance(b, list) and len(b) == 2 and spec[0] <= min(b) <= max(b) <= spec[1]):
                    problems.append(f"{at}: sample.{kind}.{key} = {b!r}: give [low, high] within {spec[3]}")
                else:
                    lhs.append((kind, key, (float(b[0]), float(b[1]), spec[2])))
    if problems:
        raise ScenarioError(problems)

    grid = list(itertools.product(*[vals for _, _, vals in axes])) or [()]
    samples = latin_hypercube([b[:2] for _, _, b in lhs], points, int(sample.get("seed", 1))) if lhs else [()]
    base_levers = {k: v for k, v in base.spec.levers.model_dump().items() if v is not None}
    base_assumptions = {k: v for k, v in base.spec.assumptions.model_dump().items() if v is not None}
    inputs = base.spec.inputs.model_dump(exclude_none=True)
    out, seen = [], set()
    for combo in grid:
        for point in samples:
            lv, asm, parts = dict(base_levers), dict(base_assumptions), []
            for (kind, key, _), v in zip(axes, combo):
                (lv if kind == "levers" else asm)[key] = v
                parts.append(f"{key}={v:g}")
            for (kind, key, (_, _, integer)), v in zip(lhs, point):
                v = int(round(v)) if integer else float(round(v, 6))
                (lv if kind == "levers" else asm)[key] = v
                parts.append(f"{key}={v:g}")
            label = ", ".join(parts) or "base"
            sc = scenario.from_levers(f"{data.get('name', path.stem)}: {label}", lv, inputs=inputs,
                                      assumption_values=asm, description=base.description)
            if sc.hash in seen:
                continue
            seen.add(sc.hash)
            out.append(Expanded(id=sc.hash, label=label, scenario=sc, source=where))
    return out
