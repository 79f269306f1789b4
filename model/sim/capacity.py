"""The jobcenter's capacity: the caseworkers and company consultants the month's work needs, and
what a scenario's cap on them lets through.

The work is priced by the rows of ``data/effort.toml`` (``inputs.effort``): every caseworker row gives
full-time equivalents (a caseload) or hours (the talks the levers add); every consultant row the
same for company consultants. When a scenario caps the caseworkers (``inputs.caseworkers_fte``),
the legal casework comes first and the talks the contact levers add (rows marked ``rationed``) get
what is left: ``coverage`` is the share of them delivered, and the levers reach that share of the
citizens they would reach (``rules.multipliers``). When it caps the company consultants
(``inputs.company_consultants_fte``), they keep only the places they have time for
(``places_factor``): the places levers are scaled down and offers wait (``jobcenter.allocate``).
Both engines and the cost accounts use these same functions.
"""
from __future__ import annotations

import numpy as np

from model.inputs import effort

CASEWORKER, CONSULTANT = "caseworker", "consultant"


def need(resource: str, quantities, factor, hours_per_fte_month: float) -> tuple:
    """(fixed, rationed) full-time equivalents of ``resource`` the quantities need: the rationed
    part is what the rows marked ``rationed`` need at full coverage (``factor("coverage")`` is
    taken as it is; pass 1 to measure the full need)."""
    fixed, rationed = 0.0, 0.0
    for row in effort.pricing():
        if not row.measure.startswith(resource):
            continue
        part = sum(effort.amounts(row, quantities, factor).values())
        if row.measure.endswith("_hours"):
            part = part / hours_per_fte_month
        if row.rationed:
            rationed = rationed + part
        else:
            fixed = fixed + part
    return fixed, rationed


def coverage(cap, fixed, rationed):
    """The share of the rationed work a cap of ``cap`` full-time equivalents lets through (1 without
    a cap): what is left after the fixed work, over the rationed work."""
    if cap is None:
        return np.ones_like(np.asarray(fixed + rationed, dtype=float))
    left = np.asarray(cap - fixed, dtype=float)
    r = np.asarray(rationed, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(r > 0, left / np.where(r > 0, r, 1.0), 1.0)
    return np.clip(share, 0.0, 1.0)


def places_factor(cap, places: float, places_per_consultant: float) -> float:
    """The share of the places levers a cap of ``cap`` company consultants can keep open (1 without
    a cap): each consultant keeps ``places_per_consultant`` places."""
    if cap is None or places <= 0:
        return 1.0
    return float(min(1.0, cap * places_per_consultant / places))
