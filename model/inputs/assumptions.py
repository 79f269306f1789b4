"""Uncertain inputs (effect sizes, the matching elasticity, ...) with ranges.

Values and ranges are data (``data/effects.toml``); a scenario may override any of them within
its range, which is how sweeps and sensitivity analysis vary them.
"""
from __future__ import annotations

from dataclasses import dataclass

from model.inputs import params


@dataclass(frozen=True)
class Assumption:
    key: str
    value: float
    low: float
    high: float
    unit: str
    label_da: str
    label_en: str
    source: str

    def allowed(self) -> str:
        return f"{self.low:g}–{self.high:g}"


def all_assumptions() -> dict[str, Assumption]:
    return {k: Assumption(key=k, value=v["value"], low=v["low"], high=v["high"], unit=v["unit"],
                          label_da=v["label_da"], label_en=v["label_en"], source=v["source"])
            for k, v in params.effects().items()}


ASSUMPTIONS = all_assumptions()


def resolve(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """Every assumption's value, with a scenario's overrides applied."""
    values = {k: a.value for k, a in ASSUMPTIONS.items()}
    values.update(overrides or {})
    return values
