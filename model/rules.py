"""Transition rules as pure, vectorised functions over ``Citizens`` arrays.

Written once, used by both engines: the fast engine calls them on its arrays of citizens (one
array per attribute, the benefit recipients and the rest held apart for speed), a Mesa
``Citizen`` on its own length-one arrays. Randomness comes in as uniform draws the caller makes,
so a rule never touches a generator. Rates and effect sizes come from ``model/data`` through
``params`` and the ``Month`` context; the legal rules (domain notes §1) are spelled out here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import params
from .citizens import NEVER, Citizens, Offer, popcount
from .params import D, N_DEST
from .states import IS_CASH, IS_EDU_BENEFIT, IS_TEMPORARY, IS_UNEMPLOYMENT_CLOCK, N_STATES, State, mask

S = State
STAY = -1
YOUNG_MONTHS = 30 * 12

IS_SHORT_INTERNSHIP = mask(S.unemployment_insurance, S.cash_benefit_jobready,
                           S.education_benefit_obvious, S.education_benefit_ready)
IS_ACTIVITY_READY = mask(S.cash_benefit_activity, S.education_benefit_activity)
IS_PLAIN_POST = mask(S.unemployment_insurance, S.cash_benefit_jobready, S.education_benefit_obvious,
                     S.education_benefit_ready, S.sickness_benefit, S.job_clarification)


@dataclass(frozen=True)
class Month:
    """What the rules need to know about the month besides the citizens.

    ``t`` is the current month index; the transitions decided now take effect in month t+1,
    whose calendar ``year`` and ``cal_month`` decide the lever values and seasonality.
    """

    t: int
    year: int
    cal_month: int
    lever: dict[str, float]
    a: dict[str, float]
    job_tightness: float = 1.0      # matching: (vacancies per job seeker, relative to 2016) ** elasticity
    rf_company_request: float = 0.0 # chance a resource-course citizen not in an offer is due one


@lru_cache(maxsize=None)
def _base() -> dict:
    """Base hazard tables padded with a zero row for departed citizens."""
    h = params.hazards()
    n_bands = h.p.shape[1]
    p = np.zeros((N_STATES + 1, n_bands, 2, N_DEST))
    p[:N_STATES] = h.p
    band_of = np.zeros((N_STATES + 1, h.band_of.shape[1]), np.int64)
    band_of[:N_STATES] = h.band_of
    not_employed = np.ones(N_STATES + 1, bool)
    not_employed[S.employed] = False
    multi_band = (band_of != 0).any(axis=1)
    return {"p": p, "band_of": band_of, "n_bands": n_bands, "season": h.season, "multi_band": multi_band,
            "not_employed": not_employed, "exit_young": h.exit_young, "exit_older": h.exit_older}


def max_leave_probability(table: dict, states: list[State]) -> float:
    """An upper bound of a citizen's monthly probability of any event (leaving, early
    retirement, a transition) in ``states``, for sampling only the citizens who may move."""
    b = _base()
    rows = np.concatenate([np.arange(s * b["n_bands"] * 2, (s + 1) * b["n_bands"] * 2) for s in states])
    r = params.rules()["retirement"]
    return float(table["total"][rows].max() + max(b["exit_young"], b["exit_older"]) + r["early_retirement_uptake"])


def month_table(m: Month) -> dict:
    """The month's hazard table: base hazards with the season's education starts and the
    labour market's job finding (vacancies per job seeker) applied; flattened by row key."""
    b = _base()
    p = b["p"].copy()
    p[..., D["education"]] *= b["season"][m.cal_month - 1]
    p[b["not_employed"], ..., D["employed"]] *= m.job_tightness
    flat = p.reshape(-1, N_DEST)
    return {"p": flat, "total": np.minimum(flat.sum(-1), 0.99),
            **{k: flat[:, D[k]].copy() for k in MULTIPLIED}}


MULTIPLIED = ("employed", "education", "unemployment", "disability_pension", "flexjob_unemployment")


def age_months(c: Citizens, t: int) -> np.ndarray:
    return t - c.birth


def row_key(c: Citizens, t: int) -> np.ndarray:
    """Index into the flattened hazard table: (state, duration band, under 30)."""
    b = _base()
    keys = c.state.astype(np.int64)
    keys *= b["n_bands"] * 2
    keys += c.birth > (t - YOUNG_MONTHS)
    idx = np.flatnonzero(b["multi_band"][c.state])      # only a few states have duration bands
    keys[idx] += 2 * b["band_of"][c.state[idx], np.minimum(c.mis[idx], params.MAX_BAND_MONTHS)]
    return keys


# ---------------------------------------------------------------- demography

def pension_age_months(birth: np.ndarray, table: list) -> np.ndarray:
    """Folkepension (or efterløn) age in months for birth month indices (0 = 2016-07)."""
    birth_year = 2016 + (6 + birth) / 12.0
    bounds = np.array([b for b, _ in table])
    ages = np.array([a for _, a in table])
    return ages[np.searchsorted(bounds, birth_year, side="right")]


def set_retirement_ages(c: Citizens) -> None:
    """Month index at which each citizen reaches efterløn and folkepension age (by birth date)."""
    r = params.rules()["retirement"]
    c.pension_at[:] = c.birth + pension_age_months(c.birth, r["pension_age_months"])
    c.early_at[:] = c.birth + pension_age_months(c.birth, r["early_retirement_age_months"])


def leaves(c: Citizens, t: int, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Who leaves the working-age population or retires early this month.

    Returns (reaches pension age, exits by death or moving away, starts efterløn, probability
    used of ``u``); the part of ``u`` above that probability stays free for the next draw."""
    r = params.rules()["retirement"]
    b = _base()
    alive = c.state < N_STATES
    p_used = np.where(c.birth > t + 1 - YOUNG_MONTHS - 12, b["exit_young"], b["exit_older"])
    retire = (c.pension_at <= t + 1) & alive
    exits = (u < p_used) & alive & ~retire
    early = np.zeros(len(c), bool)
    eligible = np.flatnonzero((c.early_at <= t + 1) & c.insured & alive & ~retire &
                              ((c.state == S.employed) | (c.state == S.unemployment_insurance)))
    if eligible.size:
        p_used[eligible] += r["early_retirement_uptake"]
        early[eligible] = ~exits[eligible] & (u[eligible] < p_used[eligible])
    return retire, exits, early, p_used


# ---------------------------------------------------------------- legal clocks

CLOCK_STATES = mask(S.unemployment_insurance, S.sickness_benefit, S.education_benefit_obvious,
                    S.education_benefit_ready, S.education_benefit_activity, S.integration_benefit,
                    S.igu, S.resource_course)


def forced_moves(c: Citizens, m: Month, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Deadlines the law sets, before any hazard: dagpenge exhaustion, the 22-week sick-pay
    reassessment, uddannelseshjælp ending at 30, the end of the integration programme, IGU and
    resource courses, and IGU starts (lever).

    Returns (destination state or STAY, sick pay extended) for every citizen."""
    dest = np.full(len(c), STAY, np.int64)
    extend = np.zeros(len(c), bool)
    idx = np.flatnonzero(CLOCK_STATES[c.state])      # only these states have deadlines
    d, e = _deadlines(c, m, u[idx], idx, params.rules())
    dest[idx] = d
    extend[idx] = e
    return dest, extend


def _deadlines(c: Citizens, m: Month, u: np.ndarray, idx: np.ndarray, r: dict) -> tuple[np.ndarray, np.ndarray]:
    st = c.state[idx]
    age = m.t + 1 - c.birth[idx]
    dest = np.full(idx.size, STAY, np.int64)
    young_uneducated = (age < YOUNG_MONTHS) & ~c.educated[idx]

    # Dagpenge: at most 24 months within 36 (src:CA-DP). Exhausted -> cash benefit or self-support.
    ui = r["unemployment_insurance"]
    dp = st == S.unemployment_insurance
    exhausted = dp & (popcount(c.dp_hist[idx], ui["window_months"] - 1) >= ui["max_months_in_window"])
    if exhausted.any():
        cash = cash_state(u < ui["exhaustion_to_cash"] * ui["exhaustion_cash_jobready"], young_uneducated)
        dest = np.where(exhausted, np.where(u < ui["exhaustion_to_cash"], cash, S.outside_labour_force), dest)

    # Sygedagpenge: reassessment after 22 weeks within 9 months -> extension or jobafklaring.
    sb = r["sickness_benefit"]
    sick = st == S.sickness_benefit
    extended = c.sdp_extended[idx]
    reassess = sick & ~extended & (popcount(c.sdp_hist[idx], sb["reassessment_window_months"]) >= sb["reassessment_months"])
    to_jaf = 1.0 - sb["extension_share"]
    p_jaf = np.where(c.partial[idx], to_jaf * m.a["partial_rtw_clarification"], to_jaf)
    dest = np.where(reassess & (u < p_jaf), S.job_clarification, dest)
    extend = reassess & (u >= p_jaf)
    ext_over = sick & extended & (c.mis[idx] >= sb["reassessment_months"] + sb["max_extended_months"])
    dest = np.where(ext_over, S.job_clarification, dest)

    # Uddannelseshjælp ends at 30: kontanthjælp of the same readiness.
    uh = IS_EDU_BENEFIT[st] & (age >= r["education_benefit"]["age_limit"] * 12)
    dest = np.where(uh, np.where(st == S.education_benefit_activity, S.cash_benefit_activity,
                                 S.cash_benefit_jobready), dest)

    # Integration programme ends after 5 years: kontanthjælp / uddannelseshjælp.
    ig = r["integration"]
    since = m.t + 1 - c.arrival[idx]
    integ = st == S.integration_benefit
    prog_end = integ & (since >= ig["programme_months"])
    dest = np.where(prog_end, cash_state(u < ig["programme_end_jobready"], young_uneducated), dest)
    # IGU starts (lever) and ends after 2 years.
    igu_ok = integ & ~prog_end & (age >= ig["igu_age_min"] * 12) & (age < ig["igu_age_max"] * 12) & \
        (c.offer[idx] == Offer.none)
    dest = np.where(igu_ok & (u < m.lever["igu_uptake"]), S.igu, dest)
    igu_end = (st == S.igu) & (c.mis[idx] >= ig["igu_months"] - 1)
    back = np.where(since < ig["programme_months"], S.integration_benefit, S.cash_benefit_jobready)
    dest = np.where(igu_end, np.where(u < ig["igu_completion_to_job"], S.employed, back), dest)

    # Ressourceforløb: at most 5 years; then førtidspension or a new course.
    rc = r["resource_course"]
    rf_end = (st == S.resource_course) & (c.mis[idx] >= rc["max_months"] - 1)
    dest = np.where(rf_end, np.where(u < rc["end_to_disability_pension"], S.disability_pension, S.resource_course), dest)
    return dest, extend


def cash_state(jobready: np.ndarray, young_uneducated: np.ndarray) -> np.ndarray:
    """Kontanthjælp, or uddannelseshjælp for under-30s without vocational education (src:FAXE-UH)."""
    return np.where(young_uneducated,
                    np.where(jobready, S.education_benefit_ready, S.education_benefit_activity),
                    np.where(jobready, S.cash_benefit_jobready, S.cash_benefit_activity))


def end_offers(c: Citizens) -> None:
    """Offers whose months are used up end; the post-programme clock starts."""
    done = np.flatnonzero((c.offer != Offer.none) & (c.offer_left <= 0))
    c.post_kind[done] = c.offer[done]
    c.since_offer[done] = 0
    c.offer[done] = Offer.none
    c.offer_len[done] = 0
    c.offer_max[done] = 0


def partial_switch_probability(n_sick: int, n_partial: int, target: float) -> float:
    """The jobcenter moves enough sick-listed citizens to partial return to work to reach its
    target share (the partial-return lever) among all sick-listed and job-clarification."""
    missing = target * n_sick - n_partial
    return float(np.clip(missing / max(n_sick - n_partial, 1), 0.0, 1.0))


# ---------------------------------------------------------------- hazards

def multipliers(c: Citizens, m: Month, benefit: bool = True) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Hazard multipliers from levers and effects, by destination, as (rows, values) for the
    rows where they differ from one.

    Each effect is computed only for the group it concerns (the population is large and most
    multipliers are one); ``benefit=False`` says no one here is on a benefit, so only the youth
    education push on students can apply. For a benefit row the values are given per citizen
    (``values[rows]``), for the push per listed row."""
    a, lv = m.a, m.lever
    n = len(c)
    st = c.state
    if not benefit:
        return _education_push(c, m, st)
    job, edu, unemp, fp, fj = np.ones(n), np.ones(n), np.ones(n), np.ones(n), np.ones(n)
    out = {"employed": job, "education": edu, "unemployment": unemp, "disability_pension": fp,
           "flexjob_unemployment": fj}

    # Job-ready and insured unemployed: threat effect in the two months before the internship
    # deadline; late-dagpenge effort in months 16–24 for the share reached.
    g = np.flatnonzero((st == S.unemployment_insurance) | (st == S.cash_benefit_jobready))
    gi = g
    deadline = lv["internship_deadline_months"]
    mis = c.mis[gi]
    threat = ~c.offered[gi] & (mis >= deadline - 2) & (mis < deadline)
    male = c.male[gi]
    job[g] *= 1.0 + threat * np.where(male, a["threat_men"], a["threat_women"])
    if lv["late_dagpenge_effort"] > 0:
        late = (st[g] == S.unemployment_insurance) & (c.rank[gi] < lv["late_dagpenge_effort"]) & \
            (popcount(c.dp_hist[gi], 36) >= 16)
        job[g] *= 1.0 + late * (a["late_dagpenge_effort"] - 1.0)

    # Offers: lock-in during public internships and wage subsidy; after any offer a
    # post-programme effect that fades over post_effect_months.
    offer = c.offer
    plain = IS_PLAIN_POST[st]
    g = np.flatnonzero(plain & ((offer == Offer.internship_public) | (offer == Offer.wage_subsidy)))
    job[g] *= np.where(offer[g] == Offer.wage_subsidy, a["wage_subsidy_lockin"], a["internship_lockin_public"])
    since = c.since_offer
    activity = IS_ACTIVITY_READY[st]
    g = np.flatnonzero((plain | activity) & (offer == Offer.none) & (since < a["post_effect_months"]))
    gi = g
    size = np.array([1.0, a["internship_post_private"], a["internship_post_public"], a["wage_subsidy_post"]])[c.post_kind[gi]]
    size = np.where(activity[g], np.where(c.post_kind[gi] > 0, a["activity_internship_post"], 1.0), size)
    job[g] *= 1.0 + (size - 1.0) * (1.0 - since[g] / a["post_effect_months"])

    # Partial return to work (sick pay and job clarification).
    g = np.flatnonzero(((st == S.sickness_benefit) | (st == S.job_clarification)) & c.partial)
    job[g] *= a["partial_rtw_job"]
    fp[g] *= a["partial_rtw_pension"]

    # Refugees: job finding by sex; Danish-plus-job for the share reached, fading with time.
    g = np.flatnonzero(st == S.integration_benefit)
    gi = g
    male = c.male[gi]
    job[g] *= np.where(male, a["refugee_men"], a["refugee_women"])
    wf = c.rank[gi] < lv["refugee_work_first_share"]
    fade = np.clip((a["work_first_fade_end"] - (m.t - c.arrival[gi])) /
                   max(a["work_first_fade_end"] - a["work_first_fade_start"], 1e-9), 0.0, 1.0)
    job[g] *= 1.0 + wf * (np.where(male, a["work_first_men"], a["work_first_women"]) - 1.0) * fade

    # Resource courses in company offers.
    g = np.flatnonzero((st == S.resource_course) & (offer != Offer.none))
    job[g] *= a["rf_company_job"]
    fj[g] *= a["rf_company_flexjob"]
    fp[g] *= a["rf_company_pension"]

    # Flex-job hours above 10 a week raise the exit to ordinary work.
    g = np.flatnonzero(st == S.flexjob)
    steps = np.maximum(c.flex_hours[g].astype(float) - 10.0, 0.0) / 5.0
    job[g] *= a["flex_hours_job_exit"] ** steps

    for name, (g, value) in _education_push(c, m, st).items():
        out[name][g] *= value
    return {name: (np.flatnonzero(x != 1.0), x) for name, x in out.items()}


def _education_push(c: Citizens, m: Month, st: np.ndarray) -> dict:
    """Youth education push: more education starts, fewer drop-outs, for the share reached."""
    share = m.lever["youth_education_push"]
    none = np.zeros(0, np.int64)
    if share <= 0:
        return {"education": (none, np.ones(0)), "unemployment": (none, np.ones(0))}
    g = np.flatnonzero((st >= S.education) & (st <= S.resource_course))   # students and temporary benefits
    pushed = g[(c.birth[g] > m.t - YOUNG_MONTHS) & ~c.educated[g] & (c.rank[g] < share)]
    benefit = pushed[st[pushed] >= S.unemployment_insurance]
    students = pushed[st[pushed] == S.education]
    return {"education": (benefit, np.full(benefit.size, m.a["youth_push_education"])),
            "unemployment": (students, np.full(students.size, m.a["youth_push_dropout"]))}


def dense(mult: tuple[np.ndarray, np.ndarray], rows: np.ndarray) -> np.ndarray:
    """The multipliers of one destination at positions ``rows`` (one where none applies)."""
    idx, values = mult
    out = np.ones(rows.size)
    if idx.size:
        pos = np.minimum(np.searchsorted(idx, rows), idx.size - 1)
        hit = idx[pos] == rows
        v = values[rows] if values.size != idx.size else values[pos]
        out[hit] = v[hit]
    return out


def exit_probability(table: dict, keys: np.ndarray, mult: dict) -> np.ndarray:
    """Total monthly probability of leaving the state (competing risks, capped at 0.99)."""
    total = table["total"][keys]
    for name, (idx, values) in mult.items():
        if idx.size:
            v = values[idx] if values.size != idx.size else values
            total[idx] += table[name][keys[idx]] * (v - 1.0)
    return np.minimum(total, 0.99, out=total)


def choose_destination(table: dict, keys: np.ndarray, u: np.ndarray, mult_rows: dict[str, np.ndarray]) -> np.ndarray:
    """For movers (``u`` below their exit probability), the destination: the first whose
    cumulative (multiplied) probability exceeds ``u``."""
    p = table["p"][keys].copy()
    for name, mult in mult_rows.items():
        p[:, D[name]] *= mult
    cum = np.cumsum(p, axis=1)
    return np.minimum((cum <= u[:, None]).sum(axis=1), N_DEST - 1)


DEST_STATE = np.array([S.employed, S.education, -1, S.sickness_benefit, S.outside_labour_force, -1, -1,
                       S.resource_course, S.job_clarification, S.flexjob_unemployment, S.flexjob,
                       S.disability_pension, S.integration_benefit])
assert [DEST_STATE[D[k]] for k in ("employed", "flexjob", "integration_benefit")] == [S.employed, S.flexjob, S.integration_benefit]


VIRTUAL = np.zeros(N_DEST, bool)
VIRTUAL[[D["unemployment"], D["job_ready"], D["activity_ready"]]] = True


def resolve(c: Citizens, idx: np.ndarray, dest: np.ndarray, t: int, u: np.ndarray) -> np.ndarray:
    """Turn destinations into states by the legal rules: who gets dagpenge, uddannelseshjælp or
    kontanthjælp, and of which readiness."""
    out = DEST_STATE[dest]
    need = np.flatnonzero(VIRTUAL[dest])
    if need.size == 0:
        return out
    idx, dest, u = idx[need], dest[need], u[need]
    r = params.rules()
    st = c.state[idx]
    young_uneducated = (c.birth[idx] > t + 1 - YOUNG_MONTHS) & ~c.educated[idx]
    ui = r["unemployment_insurance"]
    dp_ok = c.insured[idx] & (popcount(c.dp_hist[idx], ui["window_months"] - 1) < ui["max_months_in_window"])
    eb, cb = r["education_benefit"], r["cash_benefit"]
    uh_new = np.where(u < eb["new_obvious"], S.education_benefit_obvious,
                      np.where(u < eb["new_obvious"] + eb["new_ready"], S.education_benefit_ready,
                               S.education_benefit_activity))
    kh_new = np.where(u < cb["means_test_pass"] * cb["new_jobready"], S.cash_benefit_jobready,
                      np.where(u < cb["means_test_pass"], S.cash_benefit_activity, S.outside_labour_force))
    unemployment = np.where(dp_ok, S.unemployment_insurance, np.where(young_uneducated, uh_new, kh_new))
    # Refugees still in the integration programme who lose a job return to integration benefit.
    in_programme = c.refugee[idx] & (t + 1 - c.arrival[idx] < r["integration"]["programme_months"])
    unemployment = np.where(in_programme & ~dp_ok, S.integration_benefit, unemployment)
    # A spell of uddannelseshjælp/kontanthjælp keeps its kind when readiness changes.
    job_ready = np.where(young_uneducated, S.education_benefit_ready, S.cash_benefit_jobready)
    job_ready = np.where(st == S.education_benefit_activity, S.education_benefit_ready, job_ready)
    activity = np.where(young_uneducated, S.education_benefit_activity, S.cash_benefit_activity)
    out[need] = np.where(dest == D["unemployment"], unemployment,
                         np.where(dest == D["job_ready"], job_ready, activity))
    return out


# ---------------------------------------------------------------- state updates

def move(c: Citizens, idx: np.ndarray, new_state: np.ndarray) -> None:
    """Citizens ``idx`` start a new spell in ``new_state`` next month."""
    had_offer = c.offer[idx] != Offer.none
    c.post_kind[idx] = np.where(had_offer, c.offer[idx], c.post_kind[idx])
    c.since_offer[idx] = np.where(had_offer, 0, c.since_offer[idx])
    c.state[idx] = new_state
    c.mis[idx] = -1                       # becomes 0 in end_month
    c.offer[idx] = Offer.none
    c.offer_left[idx] = 0
    c.offer_len[idx] = 0
    c.offer_max[idx] = 0
    c.offered[idx] = False
    c.partial[idx] = False
    c.sdp_extended[idx] = False


def flex_step_probability(m: Month) -> float:
    """Monthly chance a few-hours flex-jobber gets 5 more weekly hours (progression lever)."""
    return m.a["flex_hours_increase"] * m.lever["flexjob_progression"]


def end_month(c: Citizens, benefit: bool = True) -> None:
    """Advance every clock by one month and record the new month in the benefit histories.
    Updates arrays in place (the fast engine works on views of larger stores);
    ``benefit=False`` says no one here is on a benefit or in an offer."""
    st = c.state
    c.mis += 1
    np.left_shift(c.dp_hist, np.uint64(1), out=c.dp_hist)
    np.left_shift(c.sdp_hist, np.uint16(1), out=c.sdp_hist)
    np.left_shift(c.unemp_hist, np.uint16(1), out=c.unemp_hist)
    np.add(c.since_offer, 1, out=c.since_offer, where=c.since_offer < NEVER)
    if not benefit:
        return
    c.dp_hist |= (st == S.unemployment_insurance)
    c.sdp_hist |= (st == S.sickness_benefit)
    in_offer = c.offer != Offer.none
    c.unemp_hist |= (st >= S.unemployment_insurance) & (st <= S.integration_benefit) & ~in_offer
    c.offer_left -= in_offer
    c.offer_len += in_offer
    c.since_offer -= in_offer & (c.since_offer < NEVER)     # no clock while in an offer
