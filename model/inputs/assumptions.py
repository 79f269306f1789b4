"""Uncertain inputs with ranges: the effect sizes (the matching elasticity, ...) and the unit costs
of the effort (a caseworker's year, a month of internship, ...).

Values and ranges are data (``data/effects.toml``, ``data/effort.toml``); a scenario may override
any of them within its range, which is how sweeps and sensitivity analysis vary them. The effect
sizes change what happens to citizens; the unit costs change only what it costs (``family``).
"""
from __future__ import annotations

from dataclasses import dataclass

from model.inputs import effort, params

EFFECT, UNIT_COST = "effect", "unit_cost"


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
    family: str = EFFECT          # EFFECT (effects.toml) or UNIT_COST (effort.toml)
    status: str = "assumed"       # sourced, derived or assumed (the unit costs say which)
    price_year: int | None = None  # the year whose prices a DKK unit cost is in

    def allowed(self) -> str:
        return f"{self.low:g}–{self.high:g}"

    def label(self, lang: str = "da") -> str:
        return self.label_da if lang == "da" else self.label_en


def all_assumptions() -> dict[str, Assumption]:
    out = {k: Assumption(key=k, value=v["value"], low=v["low"], high=v["high"], unit=v["unit"],
                         label_da=v["label_da"], label_en=v["label_en"], source=v["source"])
           for k, v in params.effects().items()}
    for k, v in effort.unit_costs().items():
        if k in out:
            raise effort.EffortError(f"effort.toml: unit_costs.{k}: the name of an effect in effects.toml")
        out[k] = Assumption(key=k, value=v["value"], low=v["low"], high=v["high"], unit=v["unit"],
                            label_da=v["label_da"], label_en=v["label_en"], source=v["source"], family=UNIT_COST,
                            status=v["status"], price_year=v.get("price_year"))
    return out


ASSUMPTIONS = all_assumptions()
EFFECTS = {k: a for k, a in ASSUMPTIONS.items() if a.family == EFFECT}
UNIT_COSTS = {k: a for k, a in ASSUMPTIONS.items() if a.family == UNIT_COST}


def resolve(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """Every assumption's value, with a scenario's overrides applied."""
    values = {k: a.value for k, a in ASSUMPTIONS.items()}
    values.update(overrides or {})
    return values
