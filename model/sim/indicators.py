"""The plan's indicators, exactly as docs/model.md ("The plan's indicators as computed") defines them.

Each month the engines record a few counts (``MEASURES``) with ``measure``; ``yearly`` turns
them into the indicator per year: stocks at the end of each year (2016: the status month),
the education share per calendar year.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from model import calendar
from model.inputs import params
from model.sim.bits import months_in
from model.sim.citizens import Citizens, Offer
from model.states import GONE, IS_CASH_BENEFIT, IS_SELF_SUPPORTING, IS_SICK, IS_TEMPORARY, IS_UNEMPLOYED_AND_SICK, State

REFUGEE_COHORT_FROM = calendar.index(2015, 1)   # "refugees arrived since 2015" (the plan's Mål 4)

MEASURES = (
    "youth_on_benefits", "long_term_unemployed", "sick_total", "sick_partial",
    "unemployed_and_sick", "company_offers", "resource_course", "resource_course_company",
    "refugees_total", "refugees_self_supporting", "youth_education_starts",
)
M = {name: i for i, name in enumerate(MEASURES)}
(YOUTH_ON_BENEFITS, LONG_TERM_UNEMPLOYED, SICK_TOTAL, SICK_PARTIAL, UNEMPLOYED_AND_SICK, COMPANY_OFFERS,
 RESOURCE_COURSE, RESOURCE_COURSE_COMPANY, REFUGEES_TOTAL, REFUGEES_SELF_SUPPORTING,
 YOUTH_EDUCATION_STARTS) = range(len(MEASURES))


@dataclass(frozen=True)
class Indicator:
    key: str
    label_da: str
    label_en: str
    definition_en: str
    kind: str          # "count" or "share"
    goal: str          # the plan's wording of the goal
    # The status month's model value is measured as the plan measures the indicator (a stock the
    # population reproduces); False: not (a flow over a year, which the status month has not).
    status_as_plan: bool = True


INDICATORS: dict[str, Indicator] = {i.key: i for i in (
    Indicator("youth_to_education", "Unge på offentlig forsørgelse, der går i uddannelse (Mål 2)",
              "Young people on benefits who start education (goal 2)",
              "under-30s on temporary benefits who start ordinary education during the year / "
              "average under-30 temporary-benefit stock of the year", "share", "above", status_as_plan=False),
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


@njit(cache=True, _nrt=False)
def measure_rows(rows, t, pop, young_months, lt_window, lt_min, out):
    """Add the monthly counts of month ``t`` of the citizens in ``rows`` to ``out`` (reps,
    len(MEASURES)); youth education starts are added by the engines. Counts add up: the measure
    of a population is the sum of the measures of its parts."""
    for k in range(rows.size):
        c = pop[rows[k]]
        if c.state != GONE:
            measure_one(c, t, young_months, lt_window, lt_min, out[c.rep])


@njit(cache=True, inline="always")
def measure_one(c, t, young_months, lt_window, lt_min, m) -> None:
    """Add one citizen's part of month ``t``'s counts to ``m`` (the counts of its replication)."""
    st = c.state
    if c.refugee and c.arrival >= REFUGEE_COHORT_FROM:
        m[REFUGEES_TOTAL] += 1
        if IS_SELF_SUPPORTING[st]:
            m[REFUGEES_SELF_SUPPORTING] += 1
    if IS_TEMPORARY[st] and c.birth > t - young_months:
        m[YOUTH_ON_BENEFITS] += 1
    if IS_CASH_BENEFIT[st]:
        shift = t - c.hist_t
        unemployed = (np.int64(c.unemp_bits) << shift) if shift < 16 else 0
        if months_in(unemployed & 0xFFFF, lt_window) >= lt_min:
            m[LONG_TERM_UNEMPLOYED] += 1
    if IS_SICK[st]:
        m[SICK_TOTAL] += 1
        if c.partial:
            m[SICK_PARTIAL] += 1
    if IS_UNEMPLOYED_AND_SICK[st]:
        m[UNEMPLOYED_AND_SICK] += 1
        if c.offer != Offer.none:
            m[COMPANY_OFFERS] += 1
    if st == State.resource_course:
        m[RESOURCE_COURSE] += 1
        if c.offer != Offer.none:
            m[RESOURCE_COURSE_COMPANY] += 1


def measure(c: Citizens, t: int, reps: int = 1) -> np.ndarray:
    """The monthly counts of month ``t`` per replication, shape (reps, len(MEASURES))."""
    r = params.rules()
    out = np.zeros((reps, len(MEASURES)))
    measure_rows(np.arange(len(c)), t, c.rec, r["youth"]["under_age"] * 12,
                 r["long_term_unemployment"]["window_months"], r["long_term_unemployment"]["min_months"], out)
    return out


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


def status_values(key: str, values: np.ndarray, target: dict) -> np.ndarray:
    """The status point of an indicator (one value per run): the plan's status figure where the
    plan gives one; else the model's status-month value if measured as the plan measures it; else
    undefined (NaN), never a number of another definition."""
    if target.get("baseline") is not None:
        return np.full(np.shape(values), float(target["baseline"]))
    if INDICATORS[key].status_as_plan:
        return np.asarray(values, float)
    return np.full(np.shape(values), np.nan)


def meets(value: np.ndarray, target: float, direction: str) -> np.ndarray:
    """True where a value is on the right side of the target (at or beyond it)."""
    return value <= target if direction == "below" else value >= target
