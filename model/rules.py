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
from .citizens import Citizens, Offer, popcount
from .params import D, N_DEST
from .states import Code, N_STATES, State

S = Code  # state codes as plain ints (see states.Code)
STAY = -1
YOUNG_MONTHS = 30 * 12

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
    # Per replication (arrays indexed by ``Citizens.rep``; one element for a single run):
    job_tightness: np.ndarray       # matching: (vacancies per job seeker, relative to 2016) ** elasticity
    rf_company_request: np.ndarray  # chance a resource-course citizen not in an offer is due one
    trial: dict | None = None       # a simulated trial: lever values for the treated half (see lever_for)


TRIAL_SPLIT = 0.5


def lever_for(m: Month, key: str, rank: np.ndarray):
    """A lever's value for citizens of the given ranks: in a simulated trial the treated half
    (rank below one half, a random half) gets the trial's value, the others the scenario's."""
    if m.trial and key in m.trial:
        return np.where(rank < TRIAL_SPLIT, m.trial[key], m.lever[key])
    return m.lever[key]


def base_tables() -> dict:
    """The base hazard tables (see ``_base``)."""
    return _base()


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
    per_rep = (N_STATES + 1) * b["n_bands"] * 2
    total = table["total"].reshape(-1, per_rep)
    rows = np.concatenate([np.arange(s * b["n_bands"] * 2, (s + 1) * b["n_bands"] * 2) for s in states])
    r = params.rules()["retirement"]
    return float(total[:, rows].max() + max(b["exit_young"], b["exit_older"]) + r["early_retirement_uptake"])


def expected_education_starts(c: Citizens, m: Month) -> np.ndarray:
    """Education starts per year the month's hazards imply for under-30s on temporary benefits
    (seasonality averaged out), per replication: the status month's value of the plan's
    education share, which has no flow of its own."""
    table = month_table(m, season=1.0)
    g = np.flatnonzero((c.state >= S.unemployment_insurance) & (c.state <= S.resource_course) &
                       (c.birth > m.t - YOUNG_MONTHS))
    keys = row_key(c, m.t)[g]
    reps = np.asarray(m.job_tightness).size
    return 12.0 * np.bincount(c.rep[g], weights=table["education"][keys], minlength=reps)


def month_table(m: Month, season: float | None = None) -> dict:
    """The month's hazard table: base hazards with the season's education starts and the
    labour market's job finding (vacancies per job seeker) applied, one block of rows per
    replication; flattened by row key (see ``row_key``)."""
    b = _base()
    tight = np.asarray(m.job_tightness, float)
    p = np.repeat(b["p"][None], tight.size, axis=0)
    p[..., D["education"]] *= b["season"][m.cal_month - 1] if season is None else season
    p[..., D["employed"]] *= np.where(b["not_employed"][None, :, None, None], tight[:, None, None, None], 1.0)
    flat = p.reshape(-1, N_DEST)
    return {"p": flat, "total": np.minimum(flat.sum(-1), 0.99),
            **{k: flat[:, D[k]].copy() for k in MULTIPLIED}}


MULTIPLIED = ("employed", "education", "unemployment", "disability_pension", "flexjob_unemployment")


def row_key(c: Citizens, t: int) -> np.ndarray:
    """Index into the flattened hazard table: (replication, state, duration band, under 30)."""
    b = _base()
    keys = c.rep.astype(np.int64)
    keys *= N_STATES + 1
    keys += c.state
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

def forced_moves(c: Citizens, m: Month, u: np.ndarray, groups: "Groups | None" = None) -> tuple[np.ndarray, np.ndarray]:
    """Deadlines the law sets, before any hazard: dagpenge exhaustion, the 22-week sick-pay
    reassessment, uddannelseshjælp ending at 30, the end of the integration programme, IGU and
    resource courses, and IGU starts (lever).

    Returns (destination state or STAY, sick pay extended) for every citizen. Each rule looks
    only at the citizens of its state."""
    groups = groups or Groups(c.state)
    r = params.rules()
    st = c.state
    dest = np.full(len(c), STAY, np.int64)
    extend = np.zeros(len(c), bool)
    t1 = m.t + 1

    # Dagpenge: at most 24 months within 36 (src:CA-DP). Exhausted -> cash benefit or self-support.
    ui = r["unemployment_insurance"]
    g = groups.rows(S.unemployment_insurance)
    g = g[popcount(c.dp_hist[g], ui["window_months"] - 1) >= ui["max_months_in_window"]]
    ug = u[g]
    cash = cash_state(ug < ui["exhaustion_to_cash"] * ui["exhaustion_cash_jobready"], _young_uneducated(c, g, t1))
    dest[g] = np.where(ug < ui["exhaustion_to_cash"], cash, S.outside_labour_force)

    # Sygedagpenge: reassessment after 22 weeks within 9 months -> extension or jobafklaring;
    # extended spells end in jobafklaring after the longest extension.
    sb = r["sickness_benefit"]
    g = groups.rows(S.sickness_benefit)
    ext = c.sdp_extended[g]
    over = g[ext & (c.mis[g] >= sb["reassessment_months"] + sb["max_extended_months"])]
    dest[over] = S.job_clarification
    g = g[~ext]
    g = g[popcount(c.sdp_hist[g], sb["reassessment_window_months"]) >= sb["reassessment_months"]]
    to_jaf = 1.0 - sb["extension_share"]
    p_jaf = np.where(c.partial[g], to_jaf * m.a["partial_rtw_clarification"], to_jaf)
    jaf = u[g] < p_jaf
    dest[g[jaf]] = S.job_clarification
    extend[g[~jaf]] = True

    # Uddannelseshjælp ends at 30: kontanthjælp of the same readiness.
    g = groups.rows(S.education_benefit_obvious, S.education_benefit_activity)
    g = g[t1 - c.birth[g] >= r["education_benefit"]["age_limit"] * 12]
    dest[g] = np.where(st[g] == S.education_benefit_activity, S.cash_benefit_activity, S.cash_benefit_jobready)

    # Integration programme ends after 5 years (kontanthjælp / uddannelseshjælp); IGU starts
    # for refugees 18–40 (lever; an IGU replaces a current internship).
    ig = r["integration"]
    g = groups.rows(S.integration_benefit)
    ug = u[g]
    end = t1 - c.arrival[g] >= ig["programme_months"]
    age = t1 - c.birth[g]
    igu = ~end & (age >= ig["igu_age_min"] * 12) & (age < ig["igu_age_max"] * 12) & (ug < m.lever["igu_uptake"])
    dest[g[igu]] = S.igu
    dest[g[end]] = cash_state(ug[end] < ig["programme_end_jobready"], _young_uneducated(c, g[end], t1))
    # IGU ends after 2 years: a job, or back to integration benefit / kontanthjælp.
    g = groups.rows(S.igu)
    g = g[c.mis[g] >= ig["igu_months"] - 1]
    # Back to integration benefit in the programme, else kontanthjælp (uddannelseshjælp under 30
    # without vocational education).
    back = np.where(t1 - c.arrival[g] < ig["programme_months"], S.integration_benefit,
                    cash_state(np.ones(g.size, bool), _young_uneducated(c, g, t1)))
    dest[g] = np.where(u[g] < ig["igu_completion_to_job"], S.employed, back)

    # Ressourceforløb: at most 5 years; then førtidspension or a new course.
    rc = r["resource_course"]
    g = groups.rows(S.resource_course)
    g = g[c.mis[g] >= rc["max_months"] - 1]
    dest[g] = np.where(u[g] < rc["end_to_disability_pension"], S.disability_pension, S.resource_course)
    return dest, extend


# States whose deadlines draw a uniform (the others' deadlines are certain or absent).
DEADLINE_STATES = (S.unemployment_insurance, S.sickness_benefit, S.integration_benefit, S.igu, S.resource_course)


def _young_uneducated(c: Citizens, idx: np.ndarray, t1: int) -> np.ndarray:
    """Under 30 in month ``t1`` and without vocational education."""
    return (c.birth[idx] > t1 - YOUNG_MONTHS) & ~c.educated[idx]


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

class Groups:
    """Row indices by state, computed once a month and shared by the rules (each rule looks
    only at the citizens of the states it concerns)."""

    def __init__(self, state: np.ndarray):
        self.order = np.argsort(state, kind="stable")
        self.bounds = np.searchsorted(state[self.order], np.arange(N_STATES + 2))

    def rows(self, first: State, last: State | None = None) -> np.ndarray:
        """Rows in states ``first`` .. ``last`` (codes inclusive)."""
        last = first if last is None else last
        return self.order[self.bounds[first]:self.bounds[last + 1]]


def multipliers(c: Citizens, m: Month, groups: Groups | None = None) -> dict[str, np.ndarray]:
    """Hazard multipliers from levers and effects, by destination (one per citizen).

    Each effect is computed only for the group it concerns."""
    groups = groups or Groups(c.state)
    a, lv = m.a, m.lever
    n = len(c)
    job, edu, unemp, fp, fj = np.ones(n), np.ones(n), np.ones(n), np.ones(n), np.ones(n)
    out = {"employed": job, "education": edu, "unemployment": unemp, "disability_pension": fp,
           "flexjob_unemployment": fj}

    # Job-ready and insured unemployed: threat effect in the two months before the internship
    # deadline; late-dagpenge effort in months 16–24 for the share reached.
    g = groups.rows(S.unemployment_insurance, S.cash_benefit_jobready)
    if g.size:
        deadline = lever_for(m, "internship_deadline_months", c.rank[g])
        mis = c.mis[g]
        threat = ~c.offered[g] & (mis >= deadline - 2) & (mis < deadline)
        job[g] *= 1.0 + threat * np.where(c.male[g], a["threat_men"], a["threat_women"])
    g = groups.rows(S.unemployment_insurance)
    if lv["late_dagpenge_effort"] > 0 and g.size:
        late = (c.rank[g] < lv["late_dagpenge_effort"]) & (popcount(c.dp_hist[g], 36) >= 16)
        job[g] *= 1.0 + late * (a["late_dagpenge_effort"] - 1.0)

    # Offers: lock-in during public internships and wage subsidy; after any offer a
    # post-programme effect that fades over post_effect_months (smaller for activity-ready).
    post_size = np.array([1.0, a["internship_post_private"], a["internship_post_public"], a["wage_subsidy_post"]])
    for rows, activity in ((groups.rows(S.unemployment_insurance, S.cash_benefit_jobready), False),
                           (groups.rows(S.education_benefit_obvious, S.education_benefit_ready), False),
                           (groups.rows(S.sickness_benefit, S.job_clarification), False),
                           (groups.rows(S.cash_benefit_activity), True),
                           (groups.rows(S.education_benefit_activity), True)):
        if not rows.size:
            continue
        offer = c.offer[rows]
        if not activity:
            g = rows[(offer == Offer.internship_public) | (offer == Offer.wage_subsidy)]
            job[g] *= np.where(c.offer[g] == Offer.wage_subsidy, a["wage_subsidy_lockin"], a["internship_lockin_public"])
        since = c.since_offer[rows]
        post = (offer == Offer.none) & (since < a["post_effect_months"])
        g, since = rows[post], since[post]
        kind = c.post_kind[g]
        size = np.where(kind > 0, a["activity_internship_post"], 1.0) if activity else post_size[kind]
        job[g] *= 1.0 + (size - 1.0) * (1.0 - since / a["post_effect_months"])

    # Partial return to work (sick pay and job clarification).
    g = groups.rows(S.sickness_benefit, S.job_clarification)
    if g.size:
        g = g[c.partial[g]]
        job[g] *= a["partial_rtw_job"]
        fp[g] *= a["partial_rtw_pension"]

    # Refugees: job finding by sex; Danish-plus-job for the share reached, fading with time.
    g = groups.rows(S.integration_benefit)
    if g.size:
        male = c.male[g]
        job[g] *= np.where(male, a["refugee_men"], a["refugee_women"])
        wf = c.rank[g] < lv["refugee_work_first_share"]
        fade = np.clip((a["work_first_fade_end"] - (m.t - c.arrival[g])) /
                       max(a["work_first_fade_end"] - a["work_first_fade_start"], 1e-9), 0.0, 1.0)
        job[g] *= 1.0 + wf * (np.where(male, a["work_first_men"], a["work_first_women"]) - 1.0) * fade

    # Resource courses in company offers.
    g = groups.rows(S.resource_course)
    if g.size:
        g = g[c.offer[g] != Offer.none]
        job[g] *= a["rf_company_job"]
        fj[g] *= a["rf_company_flexjob"]
        fp[g] *= a["rf_company_pension"]

    # Flex-job hours above 10 a week raise the exit to ordinary work.
    g = groups.rows(S.flexjob)
    if g.size:
        steps = np.maximum(c.flex_hours[g].astype(float) - 10.0, 0.0) / 5.0
        job[g] *= a["flex_hours_job_exit"] ** steps

    # Youth education push: more education starts, fewer drop-outs, for the share reached.
    share = lv["youth_education_push"]
    g = groups.rows(S.education, S.resource_course)           # students and temporary benefits
    if share > 0 and g.size:
        g = g[(c.birth[g] > m.t - YOUNG_MONTHS) & ~c.educated[g] & (c.rank[g] < share)]
        students = c.state[g] == S.education
        edu[g[~students]] = a["youth_push_education"]
        unemp[g[students]] = a["youth_push_dropout"]
    return out


def exit_probability(table: dict, keys: np.ndarray, mult: dict[str, np.ndarray]) -> np.ndarray:
    """Total monthly probability of leaving the state (competing risks, capped at 0.99)."""
    total = table["total"][keys]
    for name, x in mult.items():
        idx = np.flatnonzero(x != 1.0)
        if idx.size:
            total[idx] += table[name][keys[idx]] * (x[idx] - 1.0)
    return np.minimum(total, 0.99, out=total)


def choose_destination(table: dict, keys: np.ndarray, u: np.ndarray, mult_rows: dict[str, np.ndarray]) -> np.ndarray:
    """For movers (``u`` below their exit probability), the destination: the first whose
    cumulative (multiplied) probability exceeds ``u``."""
    # Most moves are into a job (the first destination): decide those without the full rows.
    first = table["employed"][keys] * mult_rows.get("employed", 1.0)
    dest = np.zeros(keys.size, np.int64)
    rest = np.flatnonzero(u >= first)
    p = table["p"][keys[rest]]
    for name, mult in mult_rows.items():
        p[:, D[name]] *= mult[rest]
    cum = np.cumsum(p, axis=1)
    dest[rest] = np.minimum((cum <= u[rest, None]).sum(axis=1), N_DEST - 1)
    return dest


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


_ONE64, _ONE16 = np.uint64(1), np.uint16(1)


def end_month(c: Citizens, benefit: bool = True) -> None:
    """Advance every clock by one month and record the new month in the benefit histories.
    Updates arrays in place (the fast engine works on views of larger stores);
    ``benefit=False`` says no one here is on a benefit or in an offer."""
    st = c.state
    c.mis += 1
    np.left_shift(c.dp_hist, _ONE64, out=c.dp_hist)
    np.left_shift(c.sdp_hist, _ONE16, out=c.sdp_hist)
    np.left_shift(c.unemp_hist, _ONE16, out=c.unemp_hist)
    c.since_offer += 1                       # NEVER and above mean "never in an offer"
    if not benefit:
        return
    c.dp_hist |= (st == S.unemployment_insurance)
    c.sdp_hist |= (st == S.sickness_benefit)
    in_offer = c.offer != Offer.none
    c.unemp_hist |= (st >= S.unemployment_insurance) & (st <= S.integration_benefit) & ~in_offer
    c.offer_left -= in_offer
    c.offer_len += in_offer
    c.since_offer -= in_offer                # no clock while in an offer
