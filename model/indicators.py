"""The plan's indicators, exactly as design.md §5 defines them, from one module.

Each month the engines record a few counts (``MEASURES``) with ``measure``; ``yearly`` turns
them into the indicator per year: stocks at the end of each year (2016: the status month),
the education share per calendar year.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import calendar, params
from .citizens import Citizens, Offer, popcount
from .states import Code, IS_TEMPORARY, N_STATES

S = Code  # state codes as plain ints (see states.Code)
YOUNG_MONTHS = 30 * 12
REFUGEE_COHORT_FROM = calendar.index(2015, 1)   # "refugees arrived since 2015"

MEASURES = (
    "youth_on_benefits", "long_term_unemployed", "sick_total", "sick_partial",
    "unemployed_and_sick", "company_offers", "resource_course", "resource_course_company",
    "refugees_total", "refugees_self_supporting", "youth_education_starts",
)
M = {name: i for i, name in enumerate(MEASURES)}


@dataclass(frozen=True)
class Indicator:
    key: str
    label_da: str
    label_en: str
    definition_en: str
    kind: str          # "count" or "share"
    goal: str          # the plan's wording of the goal


INDICATORS: dict[str, Indicator] = {i.key: i for i in (
    Indicator("youth_to_education", "Unge på offentlig forsørgelse, der går i uddannelse (Mål 2)",
              "Young people on benefits who start education (goal 2)",
              "under-30s on temporary benefits who start ordinary education during the year / "
              "average under-30 temporary-benefit stock of the year", "share", "above"),
    Indicator("long_term_unemployed", "Langtidsledige kontanthjælpsmodtagere (Mål 3)",
              "Long-term unemployed on cash benefit (goal 3)",
              "persons on cash benefit (job-ready or activity-ready) unemployed at least 80 % of the "
              "last 52 weeks (10 of 12 months; months in a company offer do not count)", "count", "below"),
    Indicator("youth_on_benefits", "Unge under 30 på midlertidig offentlig forsørgelse",
              "Young people under 30 on temporary public benefits",
              "under-30s in temporary benefit states (all benefit states but flex-job and disability pension)",
              "count", "below"),
    Indicator("partial_return_share", "Sygemeldte og jobafklaring delvist raskmeldt (andel)",
              "Sick-listed and job clarification on partial return to work (share)",
              "partial return to work / (sickness benefit + job clarification)", "share", "above"),
    Indicator("company_offer_share", "Ledige og sygemeldte i nytteindsats, praktik eller løntilskud (andel)",
              "Unemployed and sick-listed in nytteindsats, internship or wage subsidy (share)",
              "those in such an offer / all unemployed and sick-listed", "share", "above"),
    Indicator("resource_course_company_share", "Ressourceforløb i praktik eller løntilskud (andel)",
              "Resource courses in internship or wage subsidy (share)",
              "those in such an offer / all in resource courses", "share", "above"),
    Indicator("refugees_self_supporting", "Flygtninge i job eller uddannelse (Mål 4)",
              "Refugees in work or education (goal 4)",
              "refugees arrived since 2015 in employment (incl. IGU) or education / all of them",
              "share", "above"),
)}


def measure(c: Citizens, t: int, reps: int = 1, benefit: bool = True) -> np.ndarray:
    """The monthly counts of month ``t`` per replication, shape (reps, len(MEASURES)); youth
    education starts are added by the engine. Counts add up: the measure of a population is
    the sum of the measures of its parts; ``benefit=False`` says no one here is on a benefit
    (only refugees are counted)."""
    st = c.state
    out = np.zeros((reps, len(MEASURES)))
    ref = np.flatnonzero(c.refugee)
    ref = ref[(c.arrival[ref] >= REFUGEE_COHORT_FROM) & (st[ref] < N_STATES)]
    sr = st[ref]
    r = c.rep[ref]
    out[:, M["refugees_total"]] = np.bincount(r, minlength=reps)
    out[:, M["refugees_self_supporting"]] = np.bincount(
        r[(sr == S.employed) | (sr == S.education) | (sr == S.igu)], minlength=reps)
    if not benefit:
        return out
    # One count per (replication, state, under 30, long-term unemployed, partial, in an offer).
    code = c.rep.astype(np.int64) * (N_STATES + 1) + st
    code <<= 1
    code += c.birth > t - YOUNG_MONTHS
    code <<= 1
    code += popcount(c.unemp_hist, 12) >= 10
    code <<= 1
    code += c.partial
    code <<= 1
    code += c.offer != Offer.none
    n = np.bincount(code, minlength=reps * (N_STATES + 1) * 16).reshape(reps, N_STATES + 1, 2, 2, 2, 2)
    by_state = n.sum(axis=(2, 3, 4, 5))
    temporary = slice(S.unemployment_insurance, S.resource_course + 1)
    out[:, M["youth_on_benefits"]] = n[:, temporary, 1].sum(axis=(1, 2, 3, 4))
    out[:, M["long_term_unemployed"]] = n[:, S.cash_benefit_jobready:S.cash_benefit_activity + 1, :, 1].sum(axis=(1, 2, 3, 4))
    sick = n[:, S.sickness_benefit:S.job_clarification + 1]
    out[:, M["sick_total"]] = sick.sum(axis=(1, 2, 3, 4, 5))
    out[:, M["sick_partial"]] = sick[:, :, :, :, 1].sum(axis=(1, 2, 3, 4))
    us = n[:, S.unemployment_insurance:S.flexjob_unemployment + 1]
    out[:, M["unemployed_and_sick"]] = us.sum(axis=(1, 2, 3, 4, 5))
    out[:, M["company_offers"]] = us[..., 1].sum(axis=(1, 2, 3, 4))
    out[:, M["resource_course"]] = by_state[:, S.resource_course]
    out[:, M["resource_course_company"]] = n[:, S.resource_course, ..., 1].sum(axis=(1, 2, 3))
    return out


def youth_education_starts(from_state: np.ndarray, to_state: np.ndarray, young: np.ndarray,
                           rep: np.ndarray, reps: int = 1) -> np.ndarray:
    """Under-30s on temporary benefits who start ordinary education, per replication (one
    month's moves)."""
    return np.bincount(rep[young & IS_TEMPORARY[from_state] & (to_state == S.education)], minlength=reps)


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b else float("nan")


def yearly(monthly: np.ndarray) -> dict[str, dict[int, float]]:
    """Indicators per report year from the monthly counts (rows: months 2016-07 .. 2020-12)."""
    years = np.asarray(calendar.YEAR_OF)
    out: dict[str, dict[int, float]] = {k: {} for k in INDICATORS}
    for year in calendar.REPORT_YEARS:
        row = 0 if year == calendar.START_YEAR else calendar.year_end_index(year)
        v = monthly[row]
        out["long_term_unemployed"][year] = float(v[M["long_term_unemployed"]])
        out["youth_on_benefits"][year] = float(v[M["youth_on_benefits"]])
        out["partial_return_share"][year] = _ratio(v[M["sick_partial"]], v[M["sick_total"]])
        out["company_offer_share"][year] = _ratio(v[M["company_offers"]], v[M["unemployed_and_sick"]])
        out["resource_course_company_share"][year] = _ratio(v[M["resource_course_company"]], v[M["resource_course"]])
        out["refugees_self_supporting"][year] = _ratio(v[M["refugees_self_supporting"]], v[M["refugees_total"]])
        # Education share per calendar year: starts (moves into the year's months) over the
        # average stock. The status month has no year of flows: its value is the yearly rate
        # its hazards imply (recorded by the engines in the status month's row).
        if year == calendar.START_YEAR:
            out["youth_to_education"][year] = _ratio(v[M["youth_education_starts"]], v[M["youth_on_benefits"]])
            continue
        months = np.flatnonzero(years == year)
        starts = monthly[months, M["youth_education_starts"]].sum()
        stock = monthly[months - 1, M["youth_on_benefits"]].mean()
        out["youth_to_education"][year] = _ratio(starts, stock)
    return out


def targets(municipality: str = "viborg") -> dict[str, dict]:
    """The plan's targets: {indicator: {"baseline", "direction", "years": {year: value}, "note"}}."""
    raw = params.municipality(municipality)["targets"]
    return {k: {"baseline": v.get("baseline"), "direction": v["direction"], "note": v.get("note", ""),
                "years": {int(y): float(x) for y, x in v.get("years", {}).items()}} for k, v in raw.items()}


def meets(value: np.ndarray, target: float, direction: str) -> np.ndarray:
    """True where a value is on the right side of the target (at or beyond it)."""
    return value <= target if direction == "below" else value >= target
