"""The effort's unit costs and what a run's quantities cost (``data/effort.toml``), read and checked.

The unit costs are assumptions like the effect sizes (``assumptions.ASSUMPTIONS`` holds them, so a
scenario may vary each within its range); the pricing rows say which quantity of a run is priced
with which unit costs, as caseworker or consultant time or as kroner, on which cost component and
who pays. The quantities themselves are counted by the run (``model/costs/effort.py`` names them);
their names are checked here against ``QUANTITY_PATTERNS``. A bad row stops the model with one line
naming the row, the field and the value.
"""
from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass
from functools import cache

from model import paths
from model.inputs import params
from model.states import State

STATUS = ("sourced", "derived", "assumed")
MEASURES = ("caseworker_fte", "caseworker_hours", "consultant_fte", "consultant_hours", "dkk")
# The priced components: the casework everyone on a benefit needs, then the levers' effort (effort_*).
COMPONENTS = ("casework", "effort_caseworkers", "effort_consultants", "effort_offers", "effort_courses", "effort_igu")
EFFORT_COMPONENTS = COMPONENTS[1:]
REFUNDS = ("none", "operating", "full", "state")
# The kinds of offer a citizen can be in (model/sim/citizens.Offer, without "none"; a test checks).
OFFER_KINDS = ("internship_private", "internship_public", "wage_subsidy")
# What a run counts per month (model/costs/effort.quantities): the stock of each state, months in
# each kind of offer by state, events, and the levers' values.
EVENTS = ("late_dagpenge_months", "partial_return_starts", "flex_hour_steps", "igu_starts",
          "youth_education_starts", "internship_starts", "wage_subsidy_starts")
QUANTITY_PATTERNS = ("months.*", "offer_months.*.*", *EVENTS, "lever.*")


class EffortError(ValueError):
    """data/effort.toml cannot be used; one line per problem."""


@dataclass(frozen=True)
class Pricing:
    """One pricing row: ``quantity`` (names summed) × ``times`` / ``divide`` as ``measure``."""

    key: str
    label_da: str
    label_en: str
    measure: str
    quantity: tuple[str, ...]
    times: tuple[str | float, ...]
    divide: tuple[str | float, ...]
    component: str
    refund: str
    refund_state: str | None     # the state whose operating-refusion group a quantity without one belongs to
    lever: str | None
    rationed: bool               # talks the caseworkers drop when capped (scaled by `coverage`)

    def label(self, lang: str = "da") -> str:
        return self.label_da if lang == "da" else self.label_en


@cache
def raw() -> dict:
    return params.read_toml(paths.DATA / "effort.toml")


@cache
def unit_costs() -> dict[str, dict]:
    """Every unit cost as data: {key: {value, low, high, unit, price_year, status, labels, source}}."""
    out = raw()["unit_costs"]
    problems = []
    for k, u in out.items():
        where = f"effort.toml: unit_costs.{k}"
        if u.get("status") not in STATUS:
            problems.append(f"{where}.status = {u.get('status')!r}: allowed {', '.join(STATUS)}")
        if not (u["low"] <= u["value"] <= u["high"]):
            problems.append(f"{where}: value {u['value']} outside low–high {u['low']}–{u['high']}")
        if u.get("status") == "assumed" and not u["low"] < u["high"]:
            problems.append(f"{where}: an assumed unit cost needs the range it spans (low < high)")
        if u.get("status") == "derived" and "derived:" not in u.get("source", ""):
            problems.append(f"{where}.source: a derived unit cost gives its formula ('derived: …')")
        if u.get("status") == "sourced" and "src:" not in u.get("source", ""):
            problems.append(f"{where}.source: a sourced unit cost names its source ('src:KEY')")
    if problems:
        raise EffortError("\n".join(problems))
    return out


@cache
def indexed(key: str) -> bool:
    """Does the unit cost follow wages (a DKK amount in its price year's prices)?"""
    u = unit_costs()[key]
    return u["unit"].startswith("DKK") and u.get("indexed", True)


def _factor_ok(f) -> bool:
    if isinstance(f, (int, float)) and not isinstance(f, bool):
        return math.isfinite(f) and f > 0
    if not isinstance(f, str):
        return False
    head, _, tail = f.partition(".")
    if f == "coverage":
        return True
    if head == "lever":
        return tail in params.lever_specs()
    if head == "rate":
        return tail in State.__members__
    return f in unit_costs()


def quantity_known(name: str) -> bool:
    """Is ``name`` (a glob allowed) one of the quantities a run counts?"""
    head, _, tail = name.partition(".")
    if head == "months":
        return bool(fnmatch.filter(State.__members__, tail))
    if head == "offer_months":
        kind, _, state = tail.partition(".")
        return bool(fnmatch.filter(OFFER_KINDS, kind)) and bool(fnmatch.filter(State.__members__, state))
    if head == "lever":
        return tail in params.lever_specs()
    return name in EVENTS


@cache
def pricing() -> tuple[Pricing, ...]:
    """The pricing rows, checked: every factor a unit cost, lever, rate, ``coverage`` or number; every
    quantity one a run counts; measures, components and refunds from their lists."""
    rows, problems, keys = [], [], set()
    for n, r in enumerate(raw().get("pricing", [])):
        where = f"effort.toml: pricing #{n + 1} ({r.get('key', '?')})"
        key = r.get("key")
        if not key or key in keys:
            problems.append(f"{where}: needs a key of its own")
        keys.add(key)
        measure = r.get("measure")
        if measure not in MEASURES:
            problems.append(f"{where}.measure = {measure!r}: allowed {', '.join(MEASURES)}")
            continue
        component = r.get("component") or {"caseworker": "effort_caseworkers",
                                            "consultant": "effort_consultants"}.get(measure.split("_")[0])
        if component not in COMPONENTS:
            problems.append(f"{where}.component = {component!r}: allowed {', '.join(COMPONENTS)}")
        elif measure.startswith("caseworker") and component not in ("casework", "effort_caseworkers"):
            problems.append(f"{where}.component = {component!r}: caseworker time is casework or effort_caseworkers")
        elif measure.startswith("consultant") and component != "effort_consultants":
            problems.append(f"{where}.component = {component!r}: consultant time is effort_consultants")
        refund = r.get("refund", "none")
        if refund not in REFUNDS or (measure != "dkk" and refund != "none"):
            problems.append(f"{where}.refund = {refund!r}: allowed {', '.join(REFUNDS)} (staff time: none)")
        for name in r.get("quantity", []):
            if not quantity_known(name):
                problems.append(f"{where}.quantity: {name!r} is not a quantity a run counts; allowed "
                                f"{', '.join(QUANTITY_PATTERNS)} (states and offer kinds by name)")
        if not r.get("quantity"):
            problems.append(f"{where}.quantity: none given")
        for field in ("times", "divide"):
            for f in r.get(field, []):
                if not _factor_ok(f):
                    problems.append(f"{where}.{field}: {f!r} is not a unit cost, lever.X, rate.X, coverage or a "
                                    "positive number")
        refund_state = r.get("refund_state")
        if refund_state is not None and refund_state not in State.__members__:
            problems.append(f"{where}.refund_state = {refund_state!r}: not a state")
        lever = r.get("lever")
        if lever is not None and lever not in params.lever_specs():
            problems.append(f"{where}.lever = {lever!r}: not a lever")
        rows.append(Pricing(key=key, label_da=r.get("label_da", key), label_en=r.get("label_en", key),
                            measure=measure, quantity=tuple(r.get("quantity", [])), times=tuple(r.get("times", [])),
                            divide=tuple(r.get("divide", [])), component=component, refund=refund,
                            refund_state=refund_state, lever=lever, rationed=bool(r.get("rationed", False))))
    if problems:
        raise EffortError("\n".join(problems))
    return tuple(rows)


# ------------------------------------------------------------------------------ evaluating a row

def state_of(name: str) -> str | None:
    """The state a quantity is of (``months.X``, ``offer_months.K.X``), else None."""
    head, _, tail = name.partition(".")
    if head == "months":
        return tail
    if head == "offer_months":
        return tail.partition(".")[2]
    return None


def matched(row: Pricing, names) -> list[str]:
    """The quantities of ``names`` a row prices (its globs expanded), each once, in ``names``' order."""
    return list(_matched(row.quantity, tuple(names)))


@cache
def _matched(patterns: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in names if any(fnmatch.fnmatchcase(name, p) for p in patterns))


def amounts(row: Pricing, quantities, factor) -> dict:
    """What ``row`` makes of each quantity it prices: quantity × its ``times`` / its ``divide``,
    every factor resolved by ``factor(name)`` (a number or an array that broadcasts with the
    quantities); {quantity name: amount}."""
    mult = 1.0
    for f in row.times:
        mult = mult * (f if isinstance(f, (int, float)) else factor(f))
    for f in row.divide:
        mult = mult / (f if isinstance(f, (int, float)) else factor(f))
    return {name: quantities[name] * mult for name in matched(row, quantities)}
