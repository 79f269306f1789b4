"""National rules with a date: from their month on they multiply the hazards of some states
(``data/reforms.toml``; docs/model.md §3.2.1). The context applies them to the month's hazard
table (``Context.table``), never before the status month."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from model import calendar, paths
from model.inputs import params
from model.states import State


@dataclass(frozen=True)
class Reform:
    key: str
    start: int                  # month index (0 = 2016-07) of the first month it acts in
    states: np.ndarray          # state codes whose hazards it multiplies
    destination: str            # the destination multiplied (params.DESTINATIONS)
    multiplier: float


@functools.cache
def reforms() -> tuple[Reform, ...]:
    out = []
    for r in params.read_toml(paths.DATA / "reforms.toml")["reform"]:
        year, month = (int(x) for x in r["from"].split("-"))
        out.append(Reform(r["key"], calendar.index(year, month), np.array([State[s] for s in r["states"]], np.int64),
                          r["destination"], float(r["multiplier"])))
    return tuple(out)


def in_force(month: int) -> list[Reform]:
    """The rules acting on the moves into month ``month`` (month index)."""
    return [r for r in reforms() if month >= r.start]
