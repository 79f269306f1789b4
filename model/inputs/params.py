"""Load the model's data files (rules, hazards, effects, levers, sources; a municipality's profile:
``municipalities``).

Numbers live in ``model/data/*.toml`` with their sources; this module only reads them into
plain structures and numpy tables the rules index into, so code never carries a rate.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from model import paths
from model.states import N_STATES, State

# Destinations of the competing-risk draw. Real states, plus three the legal rules resolve:
# "unemployment" (dagpenge / uddannelseshjælp / kontanthjælp / self-support), "job_ready" and
# "activity_ready" (kontanthjælp or uddannelseshjælp of that readiness, by age and education).
DESTINATIONS = (
    "employed", "education", "unemployment", "sickness_benefit", "outside_labour_force",
    "job_ready", "activity_ready", "resource_course", "job_clarification",
    "flexjob_unemployment", "flexjob", "disability_pension", "integration_benefit",
)
D = {name: i for i, name in enumerate(DESTINATIONS)}
N_DEST = len(DESTINATIONS)
MAX_BAND_MONTHS = 64


def read_toml(path: Path) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


@dataclass(frozen=True, eq=False)
class HazardTable:
    """Base monthly hazards as arrays: ``p[state, band, young, dest]`` and ``band_of[state, months]``."""

    p: np.ndarray
    band_of: np.ndarray
    season: np.ndarray            # education-start multiplier per calendar month (index 0 = January)
    exit_young: float
    exit_older: float
    exit_young_below_years: float
    tags: dict = field(default_factory=dict, compare=False)

    def fingerprint(self) -> str:
        """A short hash of the numbers (the cache key of anything built from them)."""
        h = hashlib.sha256()
        for a in (self.p, self.band_of, self.season, np.array([self.exit_young, self.exit_older,
                                                                self.exit_young_below_years])):
            h.update(np.ascontiguousarray(a).tobytes())
        return h.hexdigest()[:16]


def _hazard_table(raw: dict) -> HazardTable:
    n_bands = max(len(rows) for name, rows in raw.items() if name in State.__members__)
    p = np.zeros((N_STATES, n_bands, 2, N_DEST))
    band_of = np.zeros((N_STATES, MAX_BAND_MONTHS + 1), dtype=np.int64)
    tags: dict = {}
    for state in State:
        rows = raw.get(state.name)
        if rows is None:
            raise ValueError(f"hazards.toml: no rows for state {state.name}")
        starts = [int(r["from"]) for r in rows]
        if starts[0] != 0 or starts != sorted(starts):
            raise ValueError(f"hazards.toml: {state.name} bands must start at 0 and increase")
        for b, row in enumerate(rows):
            band_of[state, starts[b]:] = b
            tags[(state.name, starts[b])] = row.get("tag", "")
            for key, value in row.items():
                if key in ("from", "tag"):
                    continue
                if key not in D:
                    raise ValueError(f"hazards.toml: {state.name}: unknown destination {key!r}")
                young, older = (value["young"], value["older"]) if isinstance(value, dict) else (value, value)
                p[state, b, 1, D[key]] = young
                p[state, b, 0, D[key]] = older
        for b in range(len(rows), n_bands):       # unused bands repeat the last one
            p[state, b] = p[state, len(rows) - 1]
    sums = p.sum(axis=-1)
    if (sums > 1).any():
        raise ValueError("hazards.toml: a row's destinations sum to more than 1")
    season = np.asarray(raw["seasonality"]["education_start"], dtype=float)
    return HazardTable(p=p, band_of=band_of, season=season / season.mean(), exit_young=raw["exit"]["young"],
                       exit_older=raw["exit"]["older"], exit_young_below_years=raw["exit"]["young_below_years"],
                       tags=tags)


Override = dict[tuple[str, int, str, str], float]


def fitted_overrides() -> Override:
    """The fitted values of data/fitted.toml, as overrides of the hazards they stand for (which
    hazard each key is: the [[parameter]] list of data/calibration.toml)."""
    values = read_toml(paths.DATA / "fitted.toml")["values"]
    spec = {p["key"]: p for p in read_toml(paths.DATA / "calibration.toml")["parameter"]}
    unknown = sorted(set(values) - set(spec))
    if unknown:
        raise ValueError(f"fitted.toml: {', '.join(unknown)}: not a parameter of calibration.toml")
    return {(spec[k]["state"], spec[k]["from"], spec[k]["destination"], spec[k]["group"]): float(v)
            for k, v in values.items()}


def raw_hazards(overrides: Override | None = None) -> dict:
    """data/hazards.toml as read, with the fitted values and then ``overrides`` in place."""
    raw = read_toml(paths.DATA / "hazards.toml")
    for (state, start, dest, group), value in {**fitted_overrides(), **(overrides or {})}.items():
        row = next((r for r in raw[state] if r["from"] == start), None)
        if row is None:
            raise KeyError(f"hazards.toml: no row {state} from {start}")
        old = row.get(dest, 0.0)
        young, older = (old["young"], old["older"]) if isinstance(old, dict) else (old, old)
        row[dest] = {"young": value if group in ("young", "both") else young,
                     "older": value if group in ("older", "both") else older}
    return raw


def hazard_table(overrides: Override | None = None) -> HazardTable:
    """The base hazards (data/hazards.toml with the fitted values of data/fitted.toml), with
    ``overrides`` replacing some values: {(state, from, destination, group): value}, group
    "young", "older" or "both" (calibration tries values this way; every ordinary run uses the
    data as they are)."""
    if not overrides:
        return hazards()
    return _hazard_table(raw_hazards(overrides))


@cache
def hazards() -> HazardTable:
    """The base hazards as the data give them (sourced and fitted values)."""
    return _hazard_table(raw_hazards())


@cache
def rules() -> dict:
    return read_toml(paths.DATA / "rules.toml")


@cache
def effects() -> dict:
    """Effect sizes and other assumptions: name -> {value, low, high, unit, labels, source}."""
    return read_toml(paths.DATA / "effects.toml")


@cache
def lever_specs() -> dict:
    return read_toml(paths.DATA / "levers.toml")


@cache
def sources() -> dict:
    return read_toml(paths.DATA / "sources.toml")
