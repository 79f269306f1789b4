"""Each group of states is named once and means what it says: adding a state changes no group
unless it is written into one."""
from model import states
from model.states import State

S = State
# Every group, spelled out state by state (the plan's and the law's meaning of each).
EXPECTED = {
    "CASH_BENEFIT": {S.cash_benefit_jobready, S.cash_benefit_activity},
    "EDUCATION_BENEFIT": {S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity},
    "SICK": {S.sickness_benefit, S.job_clarification},
    "TEMPORARY_BENEFIT": {S.unemployment_insurance, S.cash_benefit_jobready, S.cash_benefit_activity,
                          S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity,
                          S.integration_benefit, S.sickness_benefit, S.job_clarification, S.flexjob_unemployment,
                          S.resource_course},
    "UNEMPLOYED_AND_SICK": {S.unemployment_insurance, S.cash_benefit_jobready, S.cash_benefit_activity,
                            S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity,
                            S.integration_benefit, S.sickness_benefit, S.job_clarification, S.flexjob_unemployment},
    "UNEMPLOYMENT_CLOCK": {S.unemployment_insurance, S.cash_benefit_jobready, S.cash_benefit_activity,
                           S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity,
                           S.integration_benefit},
    "JOB_SEEKERS": {S.unemployment_insurance, S.cash_benefit_jobready, S.education_benefit_obvious,
                    S.education_benefit_ready, S.integration_benefit, S.flexjob_unemployment},
    "JOBREADY_AND_INSURED": {S.unemployment_insurance, S.cash_benefit_jobready},
    "ACTIVITY_READY": {S.cash_benefit_activity, S.education_benefit_activity},
    "PERIODIC_OFFERS": {S.cash_benefit_activity, S.education_benefit_obvious, S.education_benefit_ready,
                        S.education_benefit_activity},
    "POST_PROGRAMME": {S.unemployment_insurance, S.cash_benefit_jobready, S.cash_benefit_activity,
                       S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity,
                       S.sickness_benefit, S.job_clarification},
    "LOCK_IN": {S.unemployment_insurance, S.cash_benefit_jobready, S.education_benefit_obvious,
                S.education_benefit_ready, S.sickness_benefit, S.job_clarification},
    "SELF_SUPPORTING": {S.employed, S.education, S.igu},
    "OTHERS": {S.employed, S.education, S.disability_pension, S.outside_labour_force, S.retired},
}
EXPECTED["OFFER_ELIGIBLE"] = EXPECTED["TEMPORARY_BENEFIT"]
EXPECTED["YOUTH_PUSH"] = EXPECTED["TEMPORARY_BENEFIT"] | {S.education}
EXPECTED["BENEFIT"] = EXPECTED["TEMPORARY_BENEFIT"] | {S.igu, S.flexjob}


def test_every_group_is_the_states_it_is_meant_to_be():
    assert set(states.GROUPS) == set(EXPECTED)
    for name, members in states.GROUPS.items():
        assert set(members) == EXPECTED[name], name
        mask = states.MASKS[name]
        assert {S(i) for i in mask[:states.N_STATES].nonzero()[0]} == EXPECTED[name], name
        assert not mask[states.GONE], f"{name}: a citizen who has left is in no group"


def test_every_state_is_either_on_a_benefit_or_among_the_others():
    assert set(states.BENEFIT) | set(states.OTHERS) == set(State)
    assert not set(states.BENEFIT) & set(states.OTHERS)


def test_every_state_has_a_danish_and_an_english_label():
    assert set(states.LABELS_DA) == set(states.LABELS_EN) == set(State)
