"""The municipality a run is about, as one object: its profile (``model/data/municipalities/<profile>.toml``)
read once into a ``Municipality``, which the scenario holds and hands on to the population, the
engines, the run's results and every judgement against the plan's targets.

A scenario file names its profile (``municipality = "viborg"``); ``DEFAULT`` is the one a file that
names none is about, resolved here only. A ``Municipality`` pickles as its profile's name (a worker
process reads the same file again), and two of the same profile are equal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from model.inputs.params import read_toml
from model.paths import DATA

DEFAULT = "viborg"
FOLDER = DATA / "municipalities"


@dataclass(frozen=True, eq=False)
class Municipality:
    """A municipality profile as its TOML holds it (the sections are read-only by convention, as
    every data table of ``params``), with the plan's targets read into numbers by year."""

    profile: str                       # the file's name: "viborg"
    name: str                          # "Viborg Kommune"
    code: int                          # the municipality number
    plan: str                          # the plan whose targets these are
    population: dict[str, Any]         # working-age population, age profile, shares
    demography: dict[str, Any]         # entrants, immigrants, refugees
    stocks: dict[str, dict]            # July 2016 persons per state and their young share
    status_2016: dict[str, Any]        # the plan's status figures
    targets: dict[str, dict]           # indicator -> {"baseline", "direction", "note", "years": {year: value}}
    inputs: dict[str, dict[str, float]]  # the scenario inputs' defaults by year (refugees, labour demand)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Municipality) and other.profile == self.profile

    def __hash__(self) -> int:
        return hash(self.profile)

    def __reduce__(self):
        return load, (self.profile,)

    def __repr__(self) -> str:
        return f"Municipality({self.profile!r}: {self.name})"


def shipped() -> list[str]:
    """The profiles shipped in ``model/data/municipalities`` (by name)."""
    return sorted(p.stem for p in FOLDER.glob("*.toml") if re.fullmatch(r"[a-z0-9_-]+", p.stem))


@cache
def load(profile: str) -> Municipality:
    """The municipality of ``data/municipalities/<profile>.toml``; ValueError naming the known
    profiles if there is none."""
    if profile not in shipped():
        raise ValueError(f"unknown municipality {profile!r}, known: {', '.join(shipped())}")
    raw = read_toml(FOLDER / f"{profile}.toml")
    targets = {k: {"baseline": v.get("baseline"), "direction": v["direction"], "note": v.get("note", ""),
                   "years": {int(y): float(x) for y, x in v.get("years", {}).items()}}
               for k, v in raw["targets"].items()}
    return Municipality(profile=profile, name=raw["name"], code=raw["code"], plan=raw["plan"],
                        population=raw["population"], demography=raw["demography"], stocks=raw["stocks"],
                        status_2016=raw["status_2016"], targets=targets, inputs=raw["inputs"])
