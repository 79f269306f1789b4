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
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.inputs import assumptions, levers, scenario
from model.inputs.scenario import ScenarioError, clip, show

MAX_STEPS = 1000             # values of one swept lever or assumption
MAX_SCENARIOS = 10000        # scenarios of one sweep (grid × sample points)
MAX_SEED = 2 ** 32 - 1


@dataclass(frozen=True)
class Expanded:
    """One scenario of a sweep."""

    id: str
    label: str
    scenario: scenario.Scenario
    source: str


def is_sweep(path: str | Path) -> bool:
    """Whether ``path`` is a sweep file (it names a ``base``); False for anything unreadable
    (loading it as a scenario then says what is wrong)."""
    try:
        data, _ = scenario.parse_toml(scenario.read_text(path, "scenario"), str(path))
    except ScenarioError:
        return False
    return "base" in data


def _spec(kind: str, key: str):
    if kind == "levers":
        lv = levers.LEVERS.get(key)
        return (lv.min, lv.max, lv.kind == "int", lv.allowed()) if lv else None
    a = assumptions.ASSUMPTIONS.get(key)
    return (a.low, a.high, False, a.allowed()) if a else None


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _axis(kind: str, key: str, value, at: str, problems: list[str]) -> list[float] | None:
    """The values of one swept lever or assumption (list or range), checked against its bounds."""
    spec = _spec(kind, key)
    field = f"{kind}.{clip(key, scenario.MAX_SHOWN)}"
    if spec is None:
        allowed = ", ".join(levers.LEVERS if kind == "levers" else assumptions.ASSUMPTIONS)
        problems.append(f"{at}: unknown field '{field}'; allowed: {allowed}")
        return None
    lo, hi, integer, allowed = spec
    if isinstance(value, dict):
        steps = value.get("steps")
        if set(value) != {"from", "to", "steps"} or not isinstance(steps, int) or isinstance(steps, bool) \
                or not 2 <= steps <= MAX_STEPS:
            problems.append(f"{at}: {field}: a range needs from, to and steps (a whole number 2–{MAX_STEPS})")
            return None
        if not (_finite(value["from"]) and _finite(value["to"])):
            problems.append(f"{at}: {field}: from and to must be numbers, allowed {allowed}")
            return None
        values = list(np.linspace(value["from"], value["to"], steps))
    elif isinstance(value, list) and 0 < len(value) <= MAX_STEPS:
        values = value
    else:
        problems.append(f"{at}: {field} = {show(value)}: give a list of 1–{MAX_STEPS} values or {{from, to, steps}}")
        return None
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and math.isnan(v)):
            problems.append(f"{at}: {field}: {show(v)} is not a number, allowed {allowed}")
        elif not lo <= v <= hi:
            problems.append(f"{at}: {field} = {show(v)} out of range, allowed {allowed}")
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


def _table(data: dict, key: str, at: str, problems: list[str]) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"{at}: {key} = {show(value)}: must be a table")
        return {}
    return value


def expand(path: str | Path) -> list[Expanded]:
    """The scenarios of a sweep file; raises ScenarioError with one line per problem."""
    path = Path(path)
    where = clip(path, 300)
    data, layout = scenario.parse_toml(scenario.read_text(path, "sweep"), where)

    def at(*loc) -> str:
        line = layout.line_of(loc)
        return f"{where}, line {line}" if line else where

    problems: list[str] = []
    for key in sorted(set(data) - {"name", "base", "levers", "assumptions", "sample"}):
        problems.append(f"{at(key)}: unknown field {clip(key, scenario.MAX_SHOWN)!r}; "
                        "allowed: name, base, levers, assumptions, sample")
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not 1 <= len(name) <= 200:
        problems.append(f"{at('name')}: name = {show(name)}: must be a text of 1–200 characters")
    base = None
    if not isinstance(data.get("base"), str) or not data["base"]:
        problems.append(f"{at('base')}: base = {show(data.get('base'))}: must name the base scenario file")
    else:
        try:
            base = scenario.load(path.parent / data["base"])
        except ScenarioError as exc:
            problems += [f"{at('base')}: base: {p}" for p in exc.problems]
    axes: list[tuple[str, str, list]] = []
    for kind in ("levers", "assumptions"):
        for key, value in _table(data, kind, at(kind), problems).items():
            vals = _axis(kind, key, value, at(kind, key), problems)
            if vals is not None:
                axes.append((kind, key, vals))
    sample = _table(data, "sample", at("sample"), problems) if "sample" in data else None
    lhs: list[tuple[str, str, tuple[float, float, bool]]] = []
    points, seed = 0, 1
    if sample is not None:
        for key in sorted(set(sample) - {"points", "seed", "levers", "assumptions"}):
            problems.append(f"{at('sample', key)}: unknown field 'sample.{clip(key, scenario.MAX_SHOWN)}'; "
                            "allowed: points, seed, levers, assumptions")
        points = sample.get("points")
        if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= MAX_SCENARIOS:
            problems.append(f"{at('sample', 'points')}: sample.points = {show(points)}, allowed 1–{MAX_SCENARIOS}")
            points = 0
        seed = sample.get("seed", 1)
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
            problems.append(f"{at('sample', 'seed')}: sample.seed = {show(seed)}, allowed 0–{MAX_SEED}")
        for kind in ("levers", "assumptions"):
            for key, b in _table(sample, kind, at("sample", kind), problems).items():
                spec = _spec(kind, key)
                where_b = at("sample", kind, key)
                field = f"sample.{kind}.{clip(key, scenario.MAX_SHOWN)}"
                if spec is None:
                    problems.append(f"{where_b}: unknown field '{field}'")
                elif not (isinstance(b, list) and len(b) == 2 and all(_finite(x) for x in b)
                          and spec[0] <= b[0] <= b[1] <= spec[1]):
                    problems.append(f"{where_b}: {field} = {show(b)}: give [low, high] within {spec[3]}")
                else:
                    lhs.append((kind, key, (float(b[0]), float(b[1]), spec[2])))
    size = math.prod(len(vals) for _, _, vals in axes) * (points if lhs else 1)
    if size > MAX_SCENARIOS:
        problems.append(f"{where}: {size:,} scenarios (grid × sample points), allowed at most {MAX_SCENARIOS:,}")
    if problems:
        raise ScenarioError(problems)

    grid = list(itertools.product(*[vals for _, _, vals in axes])) or [()]
    samples = latin_hypercube([b[:2] for _, _, b in lhs], points, seed) if lhs else [()]
    out, seen = [], set()
    for combo in grid:
        for point in samples:
            lv, asm, parts = {}, {}, []
            for (kind, key, _), v in zip(axes, combo):
                (lv if kind == "levers" else asm)[key] = v
                parts.append(f"{key}={v:g}")
            for (kind, key, (_, _, integer)), v in zip(lhs, point):
                v = int(round(v)) if integer else float(round(v, 6))
                (lv if kind == "levers" else asm)[key] = v
                parts.append(f"{key}={v:g}")
            label = ", ".join(parts) or "base"
            sc = base.replace(levers=lv, assumptions=asm, name=f"{name}: {label}"[:200])
            if sc.hash in seen:
                continue
            seen.add(sc.hash)
            out.append(Expanded(id=sc.hash, label=label, scenario=sc, source=str(path)))
    return out
