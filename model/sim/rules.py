"""The rules of a citizen's month, written once as compiled functions over one citizen's record.

Both engines call these same functions: the fast engine on the rows of a whole chunk of
replications, each Mesa ``Citizen`` on its own row (see ``model/sim/month.py`` for the order of the
month, declared once). A rule reads the month's parameters (``par``, slots ``context.P``), the
hazard table (``tab``) and its duration bands, adds what it counts to the month's accumulators
(``acc``) and draws from the caller's random stream (``rng``). Rates and effect sizes come from
``model/data``; the legal rules (docs/model.md, "Benefit rules") are spelled out here.

Every citizen phase has the same signature ``(i, t, pop, par, tab, bands, acc, rng, ct, work)``:
``i`` the citizen's row, ``t`` the month (the moves decided now take effect in month t+1), ``ct``
the cost tables (``cost_rules.tables_array``: one record, ``ct[0]``), ``work`` the month's work
lists (``context.new_work``).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from model.inputs.params import DESTINATIONS, MAX_BAND_MONTHS, N_DEST, D
from model.sim import indicators
from model.sim.bits import ONE, months_in
from model.sim.citizens import Offer
from model.sim.context import (
    N_COMPONENTS,
    N_MEASURES,
    NS1,
    W_NEXT,
    P,
    T,
    coverage_of,
    effort_at,
    flex_exit_at,
    listed,
    measures_at,
)
from model.sim.cost_rules import (
    KIND_NONE,
    LATE_DAGPENGE_MONTHS,
    clock_step,
    integration_grant,
    month_cost,
    offer_item,
    pension_awarded_before_reform,
)
from model.sim.rng import uniform
from model.states import (
    GONE,
    IS_ACTIVITY_READY,
    IS_BENEFIT,
    IS_EDUCATION_BENEFIT,
    IS_JOBREADY_AND_INSURED,
    IS_LOCK_IN,
    IS_POST_PROGRAMME,
    IS_SICK,
    IS_TEMPORARY,
    IS_UNEMPLOYMENT_CLOCK,
    IS_YOUTH_PUSH,
    State,
)

S = State
TRIAL_SPLIT = 0.5                      # a simulated trial treats the citizens of rank below one half
STAY = -1

# Destinations of the competing-risk draw as states; the three virtual ones (-1) are resolved by
# the legal rules (see ``resolve``).
DEST_STATE = np.array([S[d] if d in S.__members__ else -1 for d in DESTINATIONS], np.int64)
# The destinations the levers and effects multiply, and for each destination its multiplier's
# place in the tuple ``multipliers`` returns (-1: not multiplied).
MULTIPLIED = ("employed", "education", "unemployment", "disability_pension", "flexjob_unemployment")
MULTIPLIED_DEST = np.array([D[d] for d in MULTIPLIED], np.int64)
FACTOR = np.array([MULTIPLIED.index(d) if d in MULTIPLIED else -1 for d in DESTINATIONS], np.int64)
D_UNEMPLOYMENT, D_JOB_READY, D_ACTIVITY_READY = D["unemployment"], D["job_ready"], D["activity_ready"]
OFFERS, GRANTS = N_COMPONENTS - 2, N_COMPONENTS - 1      # components after the states (cost_rules.COMPONENTS)
# Kinds of place a citizen asks the jobcenter for (jobcenter.py decides who asks, and who gets one).
NO_REQUEST, SHORT_INTERNSHIP, LONG_INTERNSHIP, WAGE_SUBSIDY = 0, 1, 2, 3


# ---------------------------------------------------------------- small helpers

@njit(cache=True, inline="always")
def align(c, t) -> None:
    """Move the month histories on to month ``t`` (bit 0 = month t). Months with nothing to record
    are kept lazily, so a citizen whom nothing happens to needs no write."""
    d = t - c.hist_t
    if d <= 0:
        return
    c.dp_bits = (c.dp_bits << np.uint64(d)) if d < 64 else np.uint64(0)
    c.sdp_bits = ((np.int64(c.sdp_bits) << d) & 0xFFFF) if d < 16 else 0
    c.unemp_bits = ((np.int64(c.unemp_bits) << d) & 0xFFFF) if d < 16 else 0
    c.hist_t = t


@njit(cache=True, inline="always")
def add_cost(acc, reps, rep, m, component, gross, refusion, net) -> None:
    k = ((reps * T * (NS1 * NS1 + 1)) + ((rep * T + m) * N_COMPONENTS + component) * 3)
    acc[k] += gross
    acc[k + 1] += refusion
    acc[k + 2] += net


@njit(cache=True, inline="always")
def account(c, m, reps, acc, ct, par) -> None:
    """Month ``m`` of the citizen, in the present state: what it costs the municipality (added to
    ``acc``, by component), the effort quantities it adds (months in an offer, months late in the
    dagpenge period: cost_rules.EFFORT) and the refusion clock's move over it (docs/model.md,
    "Cost model")."""
    st = c.state
    offer = c.offer
    year = ct.year_of_month[m]
    mis = m - c.spell
    old = pension_awarded_before_reform(ct, m, mis)
    bg, br, bn, og, orf, on, ig, ir, inet = month_cost(ct, st, offer, year, m - c.birth, c.ref_weeks, mis,
                                                       c.partial, c.flex_hours, old, -1, False)
    if bg != 0.0:
        add_cost(acc, reps, c.rep, m, st, bg, br, bn)
    if og != 0.0:
        add_cost(acc, reps, c.rep, m, OFFERS, og, orf, on)
    if offer != Offer.none:
        acc[effort_at(reps, c.rep, m) + offer_item(st, offer)] += 1.0
    if st == S.unemployment_insurance and late_dagpenge(c, par):
        acc[effort_at(reps, c.rep, m) + LATE_DAGPENGE_MONTHS] += 1.0
    c.ref_weeks, c.self_bits = clock_step(ct, st, offer, year, mis, c.ref_weeks, c.self_bits)


@njit(cache=True, inline="always")
def late_dagpenge(c, par) -> bool:
    """In the late part of the dagpenge period (months 16–24 of the window), where the late-dagpenge
    effort reaches."""
    return months_in(c.dp_bits, int(par[P.ui_window])) >= par[P.ui_late_from]


@njit(cache=True, inline="always")
def catch_up(c, t, par, acc, ct) -> None:
    """Account for the months from ``hist_t`` to ``t`` (not included) that passed without a visit,
    all in the present state, and align the histories to ``t``: nothing happened to the citizen
    in them, so they cost and count the same each month (most cost nothing)."""
    if c.hist_t >= t:
        return
    tables = ct[0]
    reps = int(par[P.reps])
    for m in range(c.hist_t, t):
        if costs_nothing(c, tables):
            break                      # and stays so: the clock at zero in a state that costs nothing
        account(c, m, reps, acc, tables, par)
    align(c, t)


@njit(cache=True, inline="always")
def costs_nothing(c, tables) -> bool:
    """A month that costs nothing and leaves the refusion clock as it is (at zero): no benefit,
    not covered, no offer, and the clock stopped."""
    st = c.state
    if tables.kind[st] != KIND_NONE or tables.covered[st] != 0 or c.offer != Offer.none:
        return False
    return c.ref_weeks == 0.0 and c.self_bits == 0


@njit(cache=True, inline="always")
def young(c, t, par) -> bool:
    """Under the youth age limit in month ``t``."""
    return c.birth > t - par[P.young_months]


@njit(cache=True, inline="always")
def young_uneducated(c, t, par) -> bool:
    """Under 30 in month ``t`` and without vocational education (uddannelseshjælp, not kontanthjælp)."""
    if c.educated:                     # (a branch: numba compiles ``return a and b`` slowly)
        return False
    return c.birth > t - par[P.young_months]


@njit(cache=True, inline="always")
def cash_state(jobready: bool, young_unedu: bool) -> int:
    """Kontanthjælp, or uddannelseshjælp for under-30s without vocational education (src:FAXE-UH)."""
    if young_unedu:
        return S.education_benefit_ready if jobready else S.education_benefit_activity
    return S.cash_benefit_jobready if jobready else S.cash_benefit_activity


@njit(cache=True)
def cash_states(jobready: np.ndarray, young_unedu: np.ndarray) -> np.ndarray:
    """``cash_state`` for arrays of citizens (newcomers)."""
    out = np.empty(jobready.size, np.int8)
    for k in range(jobready.size):
        out[k] = cash_state(jobready[k], young_unedu[k])
    return out


@njit(cache=True, inline="always")
def deadline_for(c, par) -> float:
    """The internship deadline for this citizen: in a simulated trial the treated half (rank
    below one half) gets the trial's value."""
    if par[P.trial] > 0 and c.rank < TRIAL_SPLIT:
        return par[P.deadline_treated]
    return par[P.deadline]


@njit(cache=True, inline="always")
def row_key(c, t, par, bands) -> int:
    """Row of the month's hazard table: (replication, state, duration band, young)."""
    mis = min(t - c.spell, MAX_BAND_MONTHS)
    return ((c.rep * NS1 + c.state) * int(par[P.n_bands]) + bands[c.state, mis]) * 2 + (1 if young(c, t, par) else 0)


@njit(cache=True, inline="always")
def exit_chance(c, t, par) -> float:
    """Monthly chance of leaving the municipality's population (death, moving away)."""
    return par[P.exit_young] if c.birth > t + 1 - par[P.exit_young_months] else par[P.exit_older]


@njit(cache=True, inline="always")
def early_retirement_eligible(c, t) -> bool:
    """At or past efterløn age next month, insured, and employed or on dagpenge."""
    if c.early_at > t + 1 or not c.insured:
        return False
    return c.state == S.employed or c.state == S.unemployment_insurance


# ---------------------------------------------------------------- demography

@njit(cache=True, inline="always")
def demography(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """Who leaves the working-age population (pension age, death or moving away) or starts
    efterløn this month. Uses the citizen's uniform (drawn here unless the engine set one) and
    keeps the part of it above the chances used for the month's transition."""
    c = pop[i]
    if c.state == GONE:
        return
    catch_up(c, t, par, acc, ct)
    u = c.u if c.u >= 0.0 else uniform(rng)
    p_used = exit_chance(c, t, par)
    c.forced = STAY
    if c.pension_at <= t + 1:
        c.forced = GONE
    elif u < p_used:
        c.forced = GONE
    elif early_retirement_eligible(c, t):
        p_used += par[P.early_uptake]
        if u < p_used:
            c.forced = S.retired
    c.u = (u - p_used) / (1.0 - p_used)                     # the rest of u, uniform again


# ---------------------------------------------------------------- legal clocks and deadlines

@njit(cache=True, inline="always")
def deadlines(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """Deadlines the law sets, before any hazard: dagpenge exhaustion, the 22-week sick-pay
    reassessment, uddannelseshjælp ending at 30, the end of the integration programme, IGU and
    resource courses, and IGU starts (lever)."""
    c = pop[i]
    if c.state == GONE or c.forced != STAY:
        return
    st = c.state
    t1 = t + 1
    mis = t - c.spell
    if st == S.unemployment_insurance:
        # At most 24 months of dagpenge within 36 (src:CA-DP). Exhausted: kontanthjælp or self-support.
        if months_in(c.dp_bits, int(par[P.ui_window]) - 1) >= par[P.ui_max]:
            u = uniform(rng)
            to_cash = par[P.ui_to_cash]
            if u < to_cash:
                c.forced = cash_state(u < to_cash * par[P.ui_cash_jobready], young_uneducated(c, t1, par))
            else:
                c.forced = S.outside_labour_force
    elif st == S.sickness_benefit:
        # Reassessment after 22 weeks within 9 months: extension or jobafklaring; extended spells
        # end in jobafklaring after the longest extension (src:CABI-SDP).
        if c.sdp_extended:
            if mis >= par[P.sb_reassess] + par[P.sb_max_extended]:
                c.forced = S.job_clarification
        elif months_in(c.sdp_bits, int(par[P.sb_window])) >= par[P.sb_reassess]:
            p_jaf = 1.0 - par[P.sb_extension_share]
            if c.partial:
                p_jaf *= par[P.partial_rtw_clarification]
            if uniform(rng) < p_jaf:
                c.forced = S.job_clarification
            else:
                c.sdp_extended = True
    elif IS_EDUCATION_BENEFIT[st]:
        # Uddannelseshjælp ends at 30: kontanthjælp of the same readiness.
        if t1 - c.birth >= par[P.eb_age_limit]:
            c.forced = S.cash_benefit_activity if st == S.education_benefit_activity else S.cash_benefit_jobready
    elif st == S.integration_benefit:
        # Integration benefit is paid until 7 of the last 8 years' residence (then kontanthjælp /
        # uddannelseshjælp); the programme's end (5 years) changes the offers, not the benefit.
        # IGU starts for refugees 18–40 (lever).
        u = uniform(rng)
        if t1 - c.arrival >= par[P.ig_benefit]:
            c.forced = cash_state(u < par[P.ig_end_jobready], young_uneducated(c, t1, par))
        else:
            age = t1 - c.birth
            if par[P.igu_age_min] <= age < par[P.igu_age_max] and u < par[P.igu_uptake]:
                c.forced = S.igu
    elif st == S.igu:
        # IGU ends after 2 years: a job, or back to integration benefit while it is paid, else
        # kontanthjælp (uddannelseshjælp under 30 without vocational education).
        if mis >= par[P.igu_months] - 1:
            if uniform(rng) < par[P.igu_completion_job]:
                c.forced = S.employed
            elif t1 - c.arrival < par[P.ig_benefit]:
                c.forced = S.integration_benefit
            else:
                c.forced = cash_state(True, young_uneducated(c, t1, par))
    elif st == S.resource_course:
        # Ressourceforløb: at most 5 years; then førtidspension or a new course.
        if mis >= par[P.rc_max] - 1:
            c.forced = S.disability_pension if uniform(rng) < par[P.rc_end_pension] else S.resource_course


@njit(cache=True, inline="always")
def offer_ends(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """An offer whose months are used up ends; the post-programme clock starts."""
    c = pop[i]
    if c.state == GONE or c.offer == Offer.none:
        return
    if t - c.offer_start >= c.offer_max:
        c.post_kind = c.offer
        c.offer_end = t
        c.offer = Offer.none
        c.offer_max = 0


# ---------------------------------------------------------------- competing-risk transitions

@njit(cache=True, inline="always")
def start_offer(c, t, par, rng) -> None:
    """Start a granted offer: internships 4 or 13 weeks (src:KK-VP), at a private or public
    employer; public wage subsidy up to the lever's maximum within the legal one."""
    kind = c.req_kind
    if kind == WAGE_SUBSIDY:
        c.offer = Offer.wage_subsidy
        length = min(par[P.ws_max], par[P.ws_legal_max])
    else:
        c.offer = Offer.internship_private if uniform(rng) < par[P.private_share] else Offer.internship_public
        length = par[P.internship_short] if kind == SHORT_INTERNSHIP else par[P.internship_long]
    c.offer_max = int(length)
    c.offer_start = t
    c.offered = True


@njit(cache=True, inline="always")
def multipliers(c, t, par):
    """Hazard multipliers from levers and effects: (job, education, unemployment, disability
    pension, flex-job unemployment benefit), the destinations in MULTIPLIED."""
    st = c.state
    mis = t - c.spell
    job, edu, unemp, pension, flex = 1.0, 1.0, 1.0, 1.0, 1.0
    if IS_JOBREADY_AND_INSURED[st]:
        # Threat effect in the months before the internship deadline (src:RS-2008).
        deadline = deadline_for(c, par)
        if not c.offered and deadline - par[P.threat_months] <= mis < deadline:
            job *= 1.0 + (par[P.threat_men] if c.male else par[P.threat_women])
    if st == S.unemployment_insurance and par[P.late_effort] > 0:
        # Late-dagpenge effort for the share reached (of it, the share the caseworkers have time for).
        if c.rank < par[P.late_effort] * coverage_of(par, c.rep) and late_dagpenge(c, par):
            job *= par[P.late_dagpenge_effort]
    if IS_POST_PROGRAMME[st]:
        # Lock-in during public internships and wage subsidy; after any offer a post-programme
        # effect that fades over post_effect_months (smaller for the activity-ready).
        if IS_LOCK_IN[st]:
            if c.offer == Offer.wage_subsidy:
                job *= par[P.wage_subsidy_lockin]
            elif c.offer == Offer.internship_public:
                job *= par[P.internship_lockin_public]
        since = t - c.offer_end
        post = par[P.post_effect_months]
        if c.offer == Offer.none and since < post:
            kind = c.post_kind
            size = 1.0
            if IS_ACTIVITY_READY[st]:
                if kind > 0:
                    size = par[P.activity_internship_post]
            elif kind == Offer.internship_private:
                size = par[P.internship_post_private]
            elif kind == Offer.internship_public:
                size = par[P.internship_post_public]
            elif kind == Offer.wage_subsidy:
                size = par[P.wage_subsidy_post]
            job *= 1.0 + (size - 1.0) * (1.0 - since / post)
    if IS_SICK[st] and c.partial:
        # Partial return to work (src:HHM2010; src:BETHGE2016).
        job *= par[P.partial_rtw_job]
        pension *= par[P.partial_rtw_pension]
    if st == S.integration_benefit:
        # Refugees: job finding by sex; Danish-plus-job for the share reached, fading with time.
        job *= par[P.refugee_men] if c.male else par[P.refugee_women]
        if c.rank < par[P.work_first_share]:
            span = max(par[P.work_first_fade_end] - par[P.work_first_fade_start], 1e-9)
            fade = min(max((par[P.work_first_fade_end] - (t - c.arrival)) / span, 0.0), 1.0)
            effect = par[P.work_first_men] if c.male else par[P.work_first_women]
            job *= 1.0 + (effect - 1.0) * fade
    if st == S.resource_course and c.offer != Offer.none:
        # Resource courses in company offers.
        job *= par[P.rf_company_job]
        flex *= par[P.rf_company_flexjob]
        pension *= par[P.rf_company_pension]
    if st == S.flexjob:
        # Flex-job hours above the few-hours limit raise the exit to ordinary work (by hours:
        # the run's table, see context.FLEX_HOURS).
        job *= par[flex_exit_at(par) + c.flex_hours]
    if par[P.youth_push] > 0 and IS_YOUTH_PUSH[st]:
        # Youth education push: more education starts, fewer drop-outs, for the share reached.
        if young(c, t, par) and not c.educated and c.rank < par[P.youth_push] * coverage_of(par, c.rep):
            if st == S.education:
                unemp = par[P.youth_push_dropout]
            else:
                edu = par[P.youth_push_education]
    return (job, edu, unemp, pension, flex)


@njit(cache=True, inline="always")
def resolve(c, dest, t, u, par) -> int:
    """A destination as a state, by the legal rules for the virtual ones: who gets dagpenge,
    uddannelseshjælp or kontanthjælp, and of which readiness."""
    out = DEST_STATE[dest]
    if out >= 0:
        return out
    t1 = t + 1
    yu = young_uneducated(c, t1, par)
    if dest == D_UNEMPLOYMENT:
        dp_ok = c.insured and months_in(c.dp_bits, int(par[P.ui_window]) - 1) < par[P.ui_max]
        if dp_ok:
            return S.unemployment_insurance
        if c.refugee and t1 - c.arrival < par[P.ig_benefit]:
            return S.integration_benefit     # not yet resident 7 of the last 8 years
        if yu:
            if u < par[P.eb_new_obvious]:
                return S.education_benefit_obvious
            if u < par[P.eb_new_obvious] + par[P.eb_new_ready]:
                return S.education_benefit_ready
            return S.education_benefit_activity
        if u < par[P.cb_means_pass] * par[P.cb_new_jobready]:
            return S.cash_benefit_jobready
        if u < par[P.cb_means_pass]:
            return S.cash_benefit_activity
        return S.outside_labour_force
    if dest == D_JOB_READY:
        # A spell of uddannelseshjælp/kontanthjælp keeps its kind when readiness changes.
        if yu or c.state == S.education_benefit_activity:
            return S.education_benefit_ready
        return S.cash_benefit_jobready
    return S.education_benefit_activity if yu else S.cash_benefit_activity


@njit(cache=True, inline="always")
def choose(c, t, par, tab, bands, u, mult) -> int:
    """The competing-risk draw with uniform ``u``: the destination if the citizen moves this
    month, else -1. The multiplied hazards change the exit chance (capped at 0.99)."""
    row = tab[row_key(c, t, par, bands)]
    p_exit = row[N_DEST]
    for j in range(MULTIPLIED_DEST.size):
        p_exit += row[MULTIPLIED_DEST[j]] * (mult[j] - 1.0)
    if u >= min(p_exit, 0.99):
        return -1
    cum = 0.0
    for d in range(N_DEST):
        j = FACTOR[d]
        cum += row[d] * mult[j] if j >= 0 else row[d]
        if u < cum:
            return d
    return N_DEST - 1


@njit(cache=True, inline="always")
def move(c, new, t) -> None:
    """Start a new spell in state ``new`` next month."""
    if c.offer != Offer.none:
        c.post_kind = c.offer
        c.offer_end = t
    c.state = new
    c.spell = t + 1
    c.offer = Offer.none
    c.offer_max = 0
    c.offered = False
    c.partial = False
    c.sdp_extended = False


@njit(cache=True, inline="always")
def transition(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """The month's move: what the month cost (in the state it was spent in), then a forced move
    (deadline, leaving) or the competing-risk transition by the hazards with the levers'
    multipliers. Counts the flow (and a young benefit recipient's education start, a refugee's
    result grant) in ``acc``."""
    c = pop[i]
    if c.state == GONE:
        return
    reps = int(par[P.reps])
    account(c, t, reps, acc, ct[0], par)
    old = c.state
    new = c.forced
    if new == STAY:
        dest = choose(c, t, par, tab, bands, c.u, multipliers(c, t, par))
        if dest >= 0:
            new = resolve(c, dest, t, uniform(rng), par)
    c.forced = STAY
    c.u = -1.0
    if new == STAY:
        return
    if new != old:
        acc[((c.rep * T + t + 1) * NS1 + old) * NS1 + new] += 1.0
    if new == S.education and IS_TEMPORARY[old] and young(c, t, par):
        acc[reps * T * NS1 * NS1 + c.rep * T + t + 1] += 1.0
    if new == S.employed and old != S.employed:
        # Into work: some join an a-kasse, and some coming from education have a vocational
        # qualification (the profile's shares, assumptions: docs/model.md §3.1).
        if not c.insured and uniform(rng) < par[P.join_insurance]:
            c.insured = True
        if old == S.education and not c.educated and uniform(rng) < par[P.complete_education]:
            c.educated = True
    if new == S.employed and c.refugee:
        # Integration result grant and employment bonus for a refugee into ordinary work.
        gross, refusion, net = integration_grant(ct[0], ct[0].year_of_month[t + 1], t + 1 - c.arrival, True)
        if gross != 0.0:
            add_cost(acc, reps, c.rep, t + 1, GRANTS, gross, refusion, net)
    if new == GONE:
        c.state = GONE
    else:
        move(c, new, t)


@njit(cache=True, inline="always")
def clocks(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """The month ends: the benefit histories record next month's state (dagpenge, sick pay,
    unemployment not in a company offer)."""
    c = pop[i]
    if c.state == GONE:
        return
    align(c, t + 1)
    st = c.state
    if st == S.unemployment_insurance:
        c.dp_bits |= ONE
    if st == S.sickness_benefit:
        c.sdp_bits |= 1
    if IS_UNEMPLOYMENT_CLOCK[st] and c.offer == Offer.none:
        c.unemp_bits |= 1


@njit(cache=True, inline="always")
def counts(i, t, pop, par, tab, bands, acc, rng, ct, work):
    """A citizen on a benefit next month counts in next month's indicators (``indicators``) and is
    listed among next month's benefit recipients, the rows the rules visit every month."""
    c = pop[i]
    if c.state == GONE or not IS_BENEFIT[c.state]:
        return
    count_in(c, t + 1, par, acc)
    listed(work, W_NEXT, i)


@njit(cache=True, _nrt=False)
def count_others(rows, t, pop, par, acc) -> None:
    """Month ``t``'s indicator counts of the citizens of ``rows`` present and not on a benefit
    (the refugees among them count in Mål 4; the rules do not visit them every month)."""
    for k in range(rows.size):
        c = pop[rows[k]]
        if c.state != GONE and not IS_BENEFIT[c.state]:
            count_in(c, t, par, acc)


@njit(cache=True, inline="always")
def count_in(c, m, par, acc) -> None:
    """Add the citizen to month ``m``'s indicator counts of its replication (in ``acc``)."""
    at = measures_at(int(par[P.reps]), c.rep, m)
    indicators.measure_one(c, m, par[P.young_months], int(par[P.lt_window]), int(par[P.lt_min]),
                           acc[at:at + N_MEASURES])


def may_cost(pop: np.ndarray, ct: np.ndarray) -> np.ndarray:
    """Rows of ``pop`` whose months can cost something: in a state with a benefit or under the
    refusion staircase, or in an offer. Everyone else's months cost nothing; at the end of a run
    (``settle``) their refusion clocks no longer matter."""
    tables = ct[0]
    costly = np.zeros(NS1, np.bool_)
    costly[:tables.kind.size] = (tables.kind != KIND_NONE) | (tables.covered != 0)
    return np.flatnonzero(costly[pop["state"]] | (pop["offer"] != Offer.none))


@njit(cache=True, _nrt=False)
def settle(rows, t, pop, par, acc, ct) -> None:
    """Account for the months up to ``t`` (not included) of every citizen present of ``rows``
    (``may_cost``): the end of a run (months nobody visited still cost, e.g. a disability
    pension's co-financing)."""
    for k in range(rows.size):
        c = pop[rows[k]]
        if c.state != GONE:
            catch_up(c, t, par, acc, ct)
