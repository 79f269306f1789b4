"""Benefit states, the named groups of states the rules and indicators use, and their labels.

One state per citizen per month; when a person could hold several statuses the Jobindsats
priority order decides (docs/model.md, "States").

Every group is named once here and listed by state name, never as a range of codes: adding a
state changes no group unless it is written into one (a test checks each group against the
list it is meant to be). The compiled rules read the groups as boolean masks over the codes
(``IS_...``); a mask has one extra slot, for citizens who have left (code ``GONE``), always
False.
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


N_STATES = len(State)
GONE = N_STATES          # the code of a citizen who has left (died, moved away, reached pension age)
S = State

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
    """Boolean lookup table over state codes: ``mask(a, b)[code]`` tests membership."""
    m = np.zeros(N_STATES + 1, dtype=np.bool_)
    m[[int(s) for s in states]] = True
    return m


# ---------------------------------------------------------------- groups, each named once

CASH_BENEFIT = (S.cash_benefit_jobready, S.cash_benefit_activity)
EDUCATION_BENEFIT = (S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity)
SICK = (S.sickness_benefit, S.job_clarification)
# Temporary public benefits (the plan's count of young people on benefits): every benefit state
# but IGU (a job), flex-job and disability pension.
TEMPORARY_BENEFIT = (
    S.unemployment_insurance, *CASH_BENEFIT, *EDUCATION_BENEFIT, S.integration_benefit,
    *SICK, S.flexjob_unemployment, S.resource_course,
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
# The plan's first group: job-ready cash benefit and insured unemployed (the internship deadline).
JOBREADY_AND_INSURED = (S.unemployment_insurance, S.cash_benefit_jobready)
# Activity-ready recipients (a weaker post-programme effect; 13-week internships).
ACTIVITY_READY = (S.cash_benefit_activity, S.education_benefit_activity)
# Due a company offer at the activity-offer interval.
PERIODIC_OFFERS = (S.cash_benefit_activity, *EDUCATION_BENEFIT)
# Post-programme effects of company offers apply to these.
POST_PROGRAMME = (S.unemployment_insurance, *CASH_BENEFIT, *EDUCATION_BENEFIT, *SICK)
# Public internships and wage subsidy lock in (lower job finding while in them) for these.
LOCK_IN = (*JOBREADY_AND_INSURED, S.education_benefit_obvious, S.education_benefit_ready, *SICK)
# Who may ask the jobcenter for a company offer.
OFFER_ELIGIBLE = TEMPORARY_BENEFIT
# The youth education push reaches young people in these (students: fewer drop-outs).
YOUTH_PUSH = (S.education, *TEMPORARY_BENEFIT)
# Refugees in these count as self-supporting or in education (the plan's Mål 4).
SELF_SUPPORTING = (S.employed, S.education, S.igu)
# States whose rules act every month (legal clocks, offers, multipliers): benefits, IGU, flex-job.
# Everyone else has small, simple hazards (the fast engine samples them, see engine.py).
BENEFIT = (*TEMPORARY_BENEFIT, S.igu, S.flexjob)
OTHERS = (S.employed, S.education, S.disability_pension, S.outside_labour_force, S.retired)

GROUPS: dict[str, tuple[State, ...]] = {
    "CASH_BENEFIT": CASH_BENEFIT, "EDUCATION_BENEFIT": EDUCATION_BENEFIT, "SICK": SICK,
    "TEMPORARY_BENEFIT": TEMPORARY_BENEFIT, "UNEMPLOYED_AND_SICK": UNEMPLOYED_AND_SICK,
    "UNEMPLOYMENT_CLOCK": UNEMPLOYMENT_CLOCK, "JOB_SEEKERS": JOB_SEEKERS,
    "JOBREADY_AND_INSURED": JOBREADY_AND_INSURED, "ACTIVITY_READY": ACTIVITY_READY,
    "PERIODIC_OFFERS": PERIODIC_OFFERS, "POST_PROGRAMME": POST_PROGRAMME, "LOCK_IN": LOCK_IN,
    "OFFER_ELIGIBLE": OFFER_ELIGIBLE, "YOUTH_PUSH": YOUTH_PUSH, "SELF_SUPPORTING": SELF_SUPPORTING,
    "BENEFIT": BENEFIT, "OTHERS": OTHERS,
}

MASKS: dict[str, np.ndarray] = {name: mask(*members) for name, members in GROUPS.items()}
IS_CASH_BENEFIT = MASKS["CASH_BENEFIT"]
IS_EDUCATION_BENEFIT = MASKS["EDUCATION_BENEFIT"]
IS_SICK = MASKS["SICK"]
IS_TEMPORARY = MASKS["TEMPORARY_BENEFIT"]
IS_UNEMPLOYED_AND_SICK = MASKS["UNEMPLOYED_AND_SICK"]
IS_UNEMPLOYMENT_CLOCK = MASKS["UNEMPLOYMENT_CLOCK"]
IS_JOB_SEEKER = MASKS["JOB_SEEKERS"]
IS_JOBREADY_AND_INSURED = MASKS["JOBREADY_AND_INSURED"]
IS_ACTIVITY_READY = MASKS["ACTIVITY_READY"]
IS_PERIODIC_OFFERS = MASKS["PERIODIC_OFFERS"]
IS_POST_PROGRAMME = MASKS["POST_PROGRAMME"]
IS_LOCK_IN = MASKS["LOCK_IN"]
IS_OFFER_ELIGIBLE = MASKS["OFFER_ELIGIBLE"]
IS_YOUTH_PUSH = MASKS["YOUTH_PUSH"]
IS_SELF_SUPPORTING = MASKS["SELF_SUPPORTING"]
IS_BENEFIT = MASKS["BENEFIT"]
IS_OTHER = MASKS["OTHERS"]

GLOSSARY: list[tuple[str, str, str]] = [(s.name, LABELS_DA[s], LABELS_EN[s]) for s in State]
