"""Benefit states, the groups the plan's indicators use, and their Danish/English labels.

One state per citizen per month; when a person could hold several statuses the Jobindsats
priority order decides (domain notes §1.4), which is why the order of ``PRIORITY`` matters.
"""
from __future__ import annotations

from enum import IntEnum

import numpy as np


class State(IntEnum):
    """State keys used in code and in every output."""

    employed = 0
    education = 1
    unemployment_insurance = 2
    cash_benefit_jobready = 3
    cash_benefit_activity = 4
    education_benefit_obvious = 5
    education_benefit_ready = 6
    education_benefit_activity = 7
    integration_benefit = 8
    sickness_benefit = 9
    job_clarification = 10
    flexjob_unemployment = 11
    resource_course = 12
    igu = 13
    flexjob = 14
    disability_pension = 15
    outside_labour_force = 16
    retired = 17


# The codes are ordered so that the groups below are contiguous ranges (cheap to test on
# large arrays): temporary benefits 2..12, unemployed and sick-listed 2..11, the unemployment
# clock 2..8, cash benefit 3..4, education benefit 5..7, sick-listed 9..10.
N_STATES = len(State)
S = State  # short alias for rule tables


class Code:
    """The state codes as plain ints, for the rules' array operations (an ``IntEnum`` member is
    slow to convert in numpy's inner loops, which matters for the agents' length-one arrays)."""


for _s in State:
    setattr(Code, _s.name, int(_s))

LABELS_DA: dict[State, str] = {
    S.employed: "Beskæftiget (ordinært)",
    S.education: "Ordinær uddannelse",
    S.unemployment_insurance: "A-dagpenge",
    S.cash_benefit_jobready: "Kontanthjælp, jobparat",
    S.cash_benefit_activity: "Kontanthjælp, aktivitetsparat",
    S.education_benefit_obvious: "Uddannelseshjælp, åbenlyst uddannelsesparat",
    S.education_benefit_ready: "Uddannelseshjælp, uddannelsesparat",
    S.education_benefit_activity: "Uddannelseshjælp, aktivitetsparat",
    S.integration_benefit: "Integrationsydelse",
    S.igu: "Integrationsgrunduddannelse (IGU)",
    S.sickness_benefit: "Sygedagpenge",
    S.job_clarification: "Jobafklaringsforløb",
    S.resource_course: "Ressourceforløb",
    S.flexjob_unemployment: "Ledighedsydelse",
    S.flexjob: "Fleksjob",
    S.disability_pension: "Førtidspension",
    S.outside_labour_force: "Uden for arbejdsstyrken",
    S.retired: "Efterløn / folkepension",
}

LABELS_EN: dict[State, str] = {
    S.employed: "Employed (ordinary)",
    S.education: "Ordinary education",
    S.unemployment_insurance: "Unemployment insurance benefit",
    S.cash_benefit_jobready: "Cash benefit, job-ready",
    S.cash_benefit_activity: "Cash benefit, activity-ready",
    S.education_benefit_obvious: "Education benefit, obviously education-ready",
    S.education_benefit_ready: "Education benefit, education-ready",
    S.education_benefit_activity: "Education benefit, activity-ready",
    S.integration_benefit: "Integration benefit",
    S.igu: "Integration basic education (IGU)",
    S.sickness_benefit: "Sickness benefit",
    S.job_clarification: "Job clarification course",
    S.resource_course: "Resource course",
    S.flexjob_unemployment: "Flex-job unemployment benefit",
    S.flexjob: "Flex-job",
    S.disability_pension: "Disability pension",
    S.outside_labour_force: "Outside the labour force",
    S.retired: "Early retirement / state pension",
}


def label(state: State | int, lang: str = "da") -> str:
    """The official Danish term (or its English gloss) for a state."""
    table = LABELS_DA if lang == "da" else LABELS_EN
    return table[State(int(state))]


def mask(*states: State) -> np.ndarray:
    """Boolean lookup table over state codes: ``mask(a, b)[state_array]`` tests membership fast.
    It has one extra slot (code ``N_STATES``) for citizens who have left, always False."""
    m = np.zeros(N_STATES + 1, dtype=bool)
    m[[int(s) for s in states]] = True
    return m


EDUCATION_BENEFIT = (S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity)
CASH_BENEFIT = (S.cash_benefit_jobready, S.cash_benefit_activity)
SICK = (S.sickness_benefit, S.job_clarification)

# Temporary public benefits (the plan's TULU count): all benefit states but flex-job and disability pension.
TEMPORARY_BENEFIT = (
    S.unemployment_insurance, *CASH_BENEFIT, *EDUCATION_BENEFIT, S.integration_benefit,
    *SICK, S.resource_course, S.flexjob_unemployment,
)
# "Ledige og sygemeldte": the denominator of the plan's company-offer share (848 / 5,790).
UNEMPLOYED_AND_SICK = (
    S.unemployment_insurance, *CASH_BENEFIT, *EDUCATION_BENEFIT, S.integration_benefit,
    *SICK, S.flexjob_unemployment,
)
# Months on these count as unemployment months for the long-term clock (gross unemployment plus
# activity-ready cash benefit, as the plan's Mål 3 counts cash-benefit recipients of both kinds).
UNEMPLOYMENT_CLOCK = (S.unemployment_insurance, *CASH_BENEFIT, *EDUCATION_BENEFIT, S.integration_benefit)
# Job seekers who compete for vacancies in the matching function.
JOB_SEEKERS = (S.unemployment_insurance, S.cash_benefit_jobready, S.education_benefit_obvious,
               S.education_benefit_ready, S.integration_benefit, S.flexjob_unemployment)

IS_TEMPORARY = mask(*TEMPORARY_BENEFIT)
IS_UNEMPLOYED_AND_SICK = mask(*UNEMPLOYED_AND_SICK)
IS_UNEMPLOYMENT_CLOCK = mask(*UNEMPLOYMENT_CLOCK)
IS_CASH = mask(*CASH_BENEFIT)
IS_SICK = mask(*SICK)
TEMPORARY_RANGE = (int(S.unemployment_insurance), int(S.resource_course))
UNEMPLOYED_AND_SICK_RANGE = (int(S.unemployment_insurance), int(S.flexjob_unemployment))
for _m, (_lo, _hi) in ((IS_TEMPORARY, TEMPORARY_RANGE), (IS_UNEMPLOYED_AND_SICK, UNEMPLOYED_AND_SICK_RANGE)):
    assert np.flatnonzero(_m).tolist() == list(range(_lo, _hi + 1)), "state codes must keep groups contiguous"


def in_range(state: np.ndarray, bounds: tuple[int, int]) -> np.ndarray:
    """Membership of a contiguous group of state codes (faster than a table lookup)."""
    return (state >= bounds[0]) & (state <= bounds[1])

GLOSSARY: list[tuple[str, str, str]] = [(s.name, LABELS_DA[s], LABELS_EN[s]) for s in State]
