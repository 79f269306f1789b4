"""The synthetic July 2016 population: every working-age citizen of the municipality.

Stocks per state, the plan's status figures (long-term unemployed, partial return to work,
company offers, resource courses in company offers) and the age profile come from the
municipality profile; durations already spent in a state follow the base hazards' survival
curve, so the first simulated months continue a spell history consistent with the rules.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from numba import njit

from model import calendar
from model.inputs import params
from model.inputs.municipalities import Municipality
from model.sim import cost_rules, warmstart
from model.sim.citizens import CITIZEN, NEVER, NO_ARRIVAL, Citizens, Offer, blank, clear, records, words
from model.sim.indicators import REFUGEE_COHORT_FROM
from model.sim.rules import cash_states
from model.states import IS_UNEMPLOYMENT_CLOCK, State

S = State
# Fields built as plain columns (clocks per month at the build month), then stored as records.
COLUMNS = {
    "birth": np.int16, "pension_at": np.int16, "early_at": np.int16, "male": bool, "educated": bool,
    "insured": bool, "refugee": bool, "arrival": np.int16, "state": np.int8, "mis": np.int16,
    "dp_hist": np.uint64, "sdp_hist": np.uint16, "unemp_hist": np.uint16, "sdp_extended": bool,
    "offer": np.int8, "offer_len": np.int16, "offer_max": np.int8, "since_offer": np.int16, "post_kind": np.int8,
    "offered": bool, "partial": bool, "flex_hours": np.int8, "rank": np.float32,
    "ref_weeks": np.float32,
}


def _columns(n: int) -> SimpleNamespace:
    """Empty columns for ``n`` citizens (no offer, never in one, not a refugee)."""
    c = SimpleNamespace(**{k: np.zeros(n, t) for k, t in COLUMNS.items()})
    c.arrival[:] = NO_ARRIVAL
    c.since_offer[:] = NEVER
    return c


def _records(c: SimpleNamespace, t: int, into: np.ndarray | None = None) -> Citizens:
    """The columns as citizen records (written into ``into`` if given), clocks read at month ``t``
    (what ``Citizens.set`` does, in one compiled pass over the records instead of one strided
    pass per field)."""
    if into is not None and len(into) != len(c.state):
        raise ValueError(f"{len(c.state)} citizens built for {len(into)} records")
    out = Citizens(records(len(c.state)) if into is None else into, t)
    _write(out.rec, words(blank(t))[0], t, *(getattr(c, k) for k in COLUMNS))
    return out


@njit(cache=True)
def _write(rec, blank_words, t, birth, pension_at, early_at, male, educated, insured, refugee, arrival, state, mis,
           dp_hist, sdp_hist, unemp_hist, sdp_extended, offer, offer_len, offer_max, since_offer,
           post_kind, offered, partial, flex_hours, rank, ref_weeks) -> None:
    """The columns (in the order of ``COLUMNS``) into the records, the clocks as in ``Citizens.set``;
    the other fields as in a blank record (``blank_words``: its 64-bit words)."""
    w = rec.view(np.uint64)
    size = blank_words.size
    for i in range(rec.size):
        for k in range(size):
            w[i * size + k] = blank_words[k]
        r = rec[i]
        r.birth, r.pension_at, r.early_at, r.arrival = birth[i], pension_at[i], early_at[i], arrival[i]
        r.male, r.educated, r.insured, r.refugee = male[i], educated[i], insured[i], refugee[i]
        r.state, r.offer, r.offer_max, r.post_kind = state[i], offer[i], offer_max[i], post_kind[i]
        r.sdp_extended, r.offered, r.partial, r.flex_hours = sdp_extended[i], offered[i], partial[i], flex_hours[i]
        r.rank, r.ref_weeks = rank[i], ref_weeks[i]
        r.spell = t - mis[i]
        r.offer_end = t - since_offer[i]
        r.offer_start = t - offer_len[i]
        r.dp_bits, r.sdp_bits, r.unemp_bits = dp_hist[i], sdp_hist[i], unemp_hist[i]
        r.hist_t = t


def set_retirement_ages(c) -> None:
    """Month index at which each citizen reaches efterløn and folkepension age (by birth date)."""
    if not len(c.birth):
        return
    r = params.rules()["retirement"]
    first = int(c.birth.min())
    births = np.arange(first, int(c.birth.max()) + 1)        # each birth month once, then looked up
    at = c.birth.astype(np.int64) - first
    c.pension_at[:] = (births + pension_age_months(births, r["pension_age_months"]))[at]
    c.early_at[:] = (births + pension_age_months(births, r["early_retirement_age_months"]))[at]


def pension_age_months(birth: np.ndarray, table: list) -> np.ndarray:
    """Folkepension (or efterløn) age in months for birth month indices (0 = 2016-07)."""
    birth_year = calendar.START_YEAR + (calendar.START_MONTH - 1 + birth) / 12.0
    bounds = np.array([b for b, _ in table])
    ages = np.array([a for _, a in table])
    return ages[np.searchsorted(bounds, birth_year, side="right")]


def scaled(n: float, scale: float) -> int:
    return int(round(n * scale))


def size(municipality: Municipality, scale: float = 1.0) -> int:
    """How many July 2016 citizens ``build`` makes: the working-age population, scaled."""
    return scaled(municipality.population["working_age"], scale)


def _survival_durations(state: State, n: int, rng: np.random.Generator, young: np.ndarray,
                        cap: int, h: params.HazardTable, fingerprint: str) -> np.ndarray:
    """Months already spent in ``state``: drawn from the steady-state spell-age distribution
    (proportional to the survival curve of the base hazards; ``fingerprint``: theirs)."""
    out = np.zeros(n, np.int16)
    for y in (0, 1):
        idx = np.flatnonzero(young == y)
        if idx.size == 0:
            continue
        # The draw of ``rng.choice(cap, size, p=survival)``, with the distribution's CDF cached.
        cdf, start = _survival_cdf(h, fingerprint, int(state), y, cap)
        out[idx] = _search_right(cdf, start, rng.random(idx.size))
    return out


BUCKETS = 1024          # the CDF's search index: where to start looking for a draw in [b, b + 1) / BUCKETS


@njit(cache=True)
def _search_right(cdf: np.ndarray, start: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``cdf.searchsorted(u, side="right")`` (how many CDF values are at most each draw), each
    search started where its bucket of [0, 1) begins: exact, and a step or two per draw."""
    out = np.empty(u.size, np.int16)
    for k in range(u.size):
        x = u[k]
        i = start[int(x * BUCKETS)]
        while i < cdf.size and cdf[i] <= x:
            i += 1
        out[k] = i
    return out


_CDFS: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}


def _survival_cdf(h: params.HazardTable, fingerprint: str, state: int, y: int, cap: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The CDF of the months already spent in ``state`` (steady state: proportional to the
    survival curve of the base hazards, whose fingerprint is given), as ``Generator.choice``
    computes it, and where the search for a draw in each bucket of [0, 1) starts."""
    key = (fingerprint, state, y, cap)
    if key not in _CDFS:
        months = np.arange(cap)
        exit_p = h.p[state, h.band_of[state, np.minimum(months, params.MAX_BAND_MONTHS)], y].sum(-1)
        exit_p = np.maximum(exit_p, 0.004)          # absorbing states: ages spread over years
        surv = np.concatenate([[1.0], np.cumprod(1 - exit_p)[:-1]])
        cdf = (surv / surv.sum()).cumsum()
        cdf /= cdf[-1]
        _CDFS[key] = cdf, cdf.searchsorted(np.arange(BUCKETS + 1) / BUCKETS, side="right")
    return _CDFS[key]


def _ages(n_young: int, n_old: int, state: State, pop: dict, rng: np.random.Generator,
          band_left: np.ndarray) -> np.ndarray:
    """Age in months for a state's members (``pop``: the profile's population); ``band_left``
    tracks the population's band totals."""
    youth, retirement = params.rules()["youth"], params.rules()["retirement"]
    edges = np.asarray(pop["age_edges"])
    shares = np.asarray(pop["age_shares"], float)
    young_bands = np.flatnonzero(edges[:-1] < youth["under_age"])
    old_bands = np.flatnonzero(edges[:-1] >= youth["under_age"])
    w_young = shares[young_bands].copy()
    if state in (S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity,
                 S.unemployment_insurance, S.cash_benefit_jobready, S.integration_benefit):
        w_young[edges[young_bands] < youth["benefit_from_age"]] = 0.0
    if state == S.education:
        w_young = w_young * np.asarray(pop["education_age_tilt"])[: len(w_young)]
    w_old = shares[old_bands].copy()
    if state.name in pop["older_tilt_states"]:
        w_old = w_old * np.asarray(pop["older_tilt"])
    if state == S.retired:       # the age bands that hold someone old enough for efterløn
        w_old = np.where(edges[old_bands + 1] * 12 > retirement["retired_from_age_months_2016"], 1.0, 0.0)
    bands = np.concatenate([rng.choice(young_bands, n_young, p=w_young / w_young.sum()),
                            rng.choice(old_bands, n_old, p=w_old / w_old.sum())]).astype(int)
    np.subtract.at(band_left, bands, 1)
    return _age_in_band(bands, edges, rng, state)


def _age_in_band(bands: np.ndarray, edges: np.ndarray, rng: np.random.Generator, state: State) -> np.ndarray:
    lo, hi = edges[bands] * 12, edges[bands + 1] * 12
    if state == S.retired:
        lo = np.maximum(lo, params.rules()["retirement"]["retired_from_age_months_2016"])
    return rng.integers(lo, hi).astype(np.int32)


def build(rng: np.random.Generator, municipality: Municipality, scale: float = 1.0,
          internship_deadline: int | None = None, hazards: params.HazardTable | None = None,
          into: np.ndarray | None = None, donors: warmstart.Donors | None = None) -> Citizens:
    """Build the July 2016 population (``scale`` < 1 gives a proportionally smaller one): stocks,
    ages and the plan's status figures from the municipality profile. With ``donors`` (the warm
    start, ``warmstart``; what the engines use) every citizen's clocks, histories and offers are
    those of a citizen in the same state and age group at the end of a burn-in under 2016
    practice. Without (the simple build: the burn-in's own start), spell durations follow the
    survival curves of ``hazards`` (the data's unless given), the benefit clocks are made
    consistent with them, and who has had the first offer follows ``internship_deadline`` (2016
    practice unless given). The citizens of each state are one block of rows, youngest first (the
    fast engine searches by age group). Written into ``into`` (records of ``size`` rows: a run's
    own, so a large population is written once) if given, else into new records."""
    if internship_deadline is None:
        internship_deadline = int(params.lever_specs()["internship_deadline_months"]["practice_2016"])
    hazards = hazards or params.hazards()
    pop, status = municipality.population, municipality.status_2016
    rule = params.rules()
    young_months = rule["youth"]["under_age"] * 12
    edges = np.asarray(pop["age_edges"])
    n_total = scaled(pop["working_age"], scale)
    band_left = np.round(np.asarray(pop["age_shares"]) * n_total).astype(int)

    parts: list[tuple[State, np.ndarray, np.ndarray]] = []     # (state, age_months, young flag)
    counts = {S[k]: (scaled(v["count"], scale), v["young"]) for k, v in municipality.stocks.items()}
    for state, (count, young_share) in counts.items():
        n_young = int(round(count * young_share))
        ages = np.sort(_ages(n_young, count - n_young, state, pop, rng, band_left))
        parts.append((state, ages, ages < young_months))
    # The employed fill up the age profile.
    n_emp = n_total - sum(c for c, _ in counts.values())
    left = np.maximum(band_left, 0).astype(float)
    bands = rng.choice(len(left), n_emp, p=left / left.sum())
    ages = np.sort(_age_in_band(bands, edges, rng, S.employed))
    parts.append((S.employed, ages, ages < young_months))

    n = sum(len(a) for _, a, _ in parts)
    c = _columns(n)
    c.state[:] = np.concatenate([np.full(len(a), s, np.int8) for s, a, _ in parts])
    age = np.concatenate([a for _, a, _ in parts])
    young = age < young_months
    c.birth[:] = -age
    c.male[:] = rng.random(n) < pop["male_share"]
    c.rank[:] = rng.random(n).astype(np.float32)
    ins = np.array([pop["insured_by_state"].get(S(s).name, pop["insured_share"]) for s in range(len(S))])
    c.insured[:] = rng.random(n) < ins[c.state]
    edu_p = np.where(young, pop["educated_share_young"], pop["educated_share_older"])
    c.educated[:] = rng.random(n) < edu_p
    # Legal consistency: uddannelseshjælp = under 30 without vocational education; kontanthjælp
    # under 30 only with one; students count as not (yet) educated.
    uh = np.isin(c.state, [S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity])
    c.educated[uh | (c.state == S.education)] = False
    c.educated[np.isin(c.state, [S.cash_benefit_jobready, S.cash_benefit_activity]) & young] = True

    # Months in state, by the survival curve of the base hazards, within the legal limits. (Each
    # state's citizens are one block of rows, in the order of ``parts``.)
    block = {}
    at = 0
    for s, a, _ in parts:
        if s in block:
            raise ValueError(f"{municipality.profile}: stocks.{s.name} is given twice (the employed fill up the rest)")
        block[s] = slice(at, at + len(a))
        at += len(a)
    fingerprint = hazards.fingerprint()
    for s in State:
        rows = block.get(s)
        if rows is not None and rows.stop > rows.start:
            c.mis[rows] = _survival_durations(s, rows.stop - rows.start, rng, young[rows], 240, hazards, fingerprint)
    c.mis[:] = np.minimum(c.mis, np.maximum(age - edges[0] * 12, 0))      # no spell before working age
    dp = c.state == S.unemployment_insurance
    c.mis[dp] = np.minimum(c.mis[dp], rule["unemployment_insurance"]["max_months_in_window"] - 1)
    rf = c.state == S.resource_course
    c.mis[rf] = np.minimum(c.mis[rf], min(rule["resource_course"]["max_months"] - 1, warmstart.resource_course_months()))

    _refugees(c, rng, municipality, scale)
    if donors is None:
        _histories(c, rng, status, scale, internship_deadline)
        _offers(c, rng, status, scale)
        fj = np.isin(c.state, [S.flexjob, S.flexjob_unemployment])
        c.flex_hours[fj] = rng.choice(pop["flex_hours"], fj.sum(), p=pop["flex_hours_shares"])
    else:
        targets = {"company_offers": scaled(sum(status["company_offers"].values()), scale),
                   "resource_course_company": scaled(status["resource_course_company"], scale),
                   "partial_return": scaled(status["partial_return"], scale),
                   "long_term_unemployed": scaled(status["long_term_unemployed"], scale)}
        warmstart.draw(c, rng, donors, age, int(edges[0]) * 12, targets)
    _refusion_clock(c)
    set_retirement_ages(c)
    return _records(c, 0, into)


def _refusion_clock(c: SimpleNamespace) -> None:
    """The refusion clock in July 2016 (an assumption, docs/model.md "Cost model"): the weeks of the
    present spell on a covered benefit, counted from 1 July 2014; no self-support since."""
    c.ref_weeks[:] = cost_rules.initial_weeks_of(cost_rules.tables(), c.state.astype(np.int64), c.mis.astype(np.int64))


def _refugees(c: SimpleNamespace, rng: np.random.Generator, municipality: Municipality, scale: float) -> None:
    """Refugees arrived since 2015: everyone on integration benefit, plus some in work,
    education or outside the labour force (of the profile's refugee ages)."""
    status, demo = municipality.status_2016, municipality.demography
    lo, hi = (a * 12 for a in demo["refugee_age"])
    integ = np.flatnonzero(c.state == S.integration_benefit)
    total = scaled(status["refugees_since_2015"], scale)
    n_emp = int(round(total * status["refugees_since_2015_employed"]))
    n_edu = int(round(total * status["refugees_since_2015_education"]))
    n_olf = max(total - integ.size - n_emp - n_edu, 0)
    others = [rng.choice(np.flatnonzero((c.state == s) & (c.birth > -hi) & (c.birth < -lo)), k, replace=False)
              for s, k in ((S.employed, n_emp), (S.education, n_edu), (S.outside_labour_force, n_olf))]
    idx = np.concatenate([integ, *others])
    c.refugee[idx] = True
    c.arrival[idx] = -rng.integers(1, 1 - REFUGEE_COHORT_FROM, idx.size)    # arrived 2015-01 .. 2016-06
    c.mis[integ] = np.minimum(c.mis[integ], -c.arrival[integ] - 1)
    c.educated[idx] = rng.random(idx.size) < demo["refugee_educated_share"]
    c.male[idx] = rng.random(idx.size) < demo["refugee_male_share"]
    c.insured[idx] = False


def _histories(c: SimpleNamespace, rng: np.random.Generator, status: dict, scale: float, deadline: int) -> None:
    """Benefit clocks consistent with the months already spent in the state."""
    rule = params.rules()
    lt, sick_window = rule["long_term_unemployment"], rule["sickness_benefit"]["reassessment_window_months"]
    window = np.uint64((1 << lt["window_months"]) - 1)             # the long-term rule's months
    months = np.minimum(c.mis.astype(np.int64) + 1, rule["unemployment_insurance"]["window_months"])
    ones = (np.uint64(1) << months.astype(np.uint64)) - np.uint64(1)
    dp = c.state == S.unemployment_insurance
    c.dp_hist[dp] = ones[dp]
    sick = c.state == S.sickness_benefit
    c.sdp_hist[sick] = (ones[sick] & np.uint64((1 << sick_window) - 1)).astype(np.uint16)
    c.sdp_extended[sick] = c.mis[sick] >= rule["sickness_benefit"]["reassessment_months"] - 1
    clock = IS_UNEMPLOYMENT_CLOCK[c.state]
    c.unemp_hist[clock] = (ones[clock] & window).astype(np.uint16)
    # The plan's long-term unemployed cash-benefit recipients (378 in July 2016): exactly that
    # many have at least 10 unemployed months in the last 12; the others' recent offers broke it.
    cash = np.flatnonzero(np.isin(c.state, [S.cash_benefit_jobready, S.cash_benefit_activity]))
    n_ltu = scaled(status["long_term_unemployed"], scale)
    long_enough = lt["min_months"] - 1                    # this month counts too
    long_spell = cash[c.mis[cash] >= long_enough]
    if long_spell.size < n_ltu:
        extra = rng.choice(np.setdiff1d(cash, long_spell), n_ltu - long_spell.size, replace=False)
        c.mis[extra] = rng.integers(long_enough, rule["unemployment_insurance"]["window_months"], extra.size)
        long_spell = cash[c.mis[cash] >= long_enough]
    ltu = rng.choice(long_spell, n_ltu, replace=False)
    c.unemp_hist[cash] = (c.unemp_hist[cash] & np.uint16(window))
    not_ltu = np.setdiff1d(long_spell, ltu)
    # Months of offers within the last year (1 .. window-1 months ago, chosen at random).
    earlier = lt["window_months"] - 1
    gaps = np.argsort(rng.random((not_ltu.size, earlier)), axis=1)[:, :status["offer_months_in_last_year"]] + 1
    cleared = np.bitwise_or.reduce(np.left_shift(1, gaps), axis=1) if not_ltu.size else np.zeros(0, int)
    c.unemp_hist[not_ltu] &= (~cleared & 0xFFFF).astype(np.uint16)
    c.unemp_hist[ltu] = np.uint16(window)
    in_benefit = clock | np.isin(c.state, [S.sickness_benefit, S.job_clarification, S.resource_course])
    c.since_offer[in_benefit] = rng.integers(0, lt["window_months"] + 1, in_benefit.sum())
    low, high = status["months_since_recent_offer"]
    c.since_offer[not_ltu] = rng.integers(low, high + 1, not_ltu.size)
    c.offered[:] = np.isin(c.state, [S.unemployment_insurance, S.cash_benefit_jobready]) & (c.mis >= deadline)


def _offers(c: SimpleNamespace, rng: np.random.Generator, status: dict, scale: float) -> None:
    """Who is in a company offer in the status month (848 of 5,790; 45 of 399 in resource courses)."""
    rule = params.rules()["offers"]
    window = (1 << params.rules()["long_term_unemployment"]["window_months"]) - 1
    groups = {"unemployment_insurance": [S.unemployment_insurance],
              "cash_benefit_jobready": [S.cash_benefit_jobready],
              "cash_benefit_activity": [S.cash_benefit_activity],
              "education_benefit": [S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity],
              "integration_benefit": [S.integration_benefit], "sickness_benefit": [S.sickness_benefit]}
    chosen = []
    for key, states in groups.items():
        cand = np.flatnonzero(np.isin(c.state, states) & (c.unemp_hist != window))
        chosen.append(rng.choice(cand, min(scaled(status["company_offers"][key], scale), cand.size), replace=False))
    idx = np.concatenate(chosen)
    ws = rng.random(idx.size) < status["wage_subsidy_share_of_offers"]
    c.offer[idx] = np.where(ws, Offer.wage_subsidy,
                            np.where(rng.random(idx.size) < rule["private_internship_share"],
                                     Offer.internship_private, Offer.internship_public))
    short = np.isin(c.state[idx], [S.unemployment_insurance, S.cash_benefit_jobready,
                                   S.education_benefit_obvious, S.education_benefit_ready])
    length = np.where(ws, status["wage_subsidy_months"], np.where(short, rule["internship_short"], rule["internship_long"]))
    rf = np.flatnonzero(c.state == S.resource_course)
    rf = rng.choice(rf, min(scaled(status["resource_course_company"], scale), rf.size), replace=False)
    c.offer[rf] = Offer.internship_public
    idx = np.concatenate([idx, rf])
    length = np.concatenate([length, np.full(rf.size, rule["internship_long"])])
    c.offer_max[idx] = length
    c.offer_len[idx] = rng.integers(0, length)
    c.since_offer[idx] = 0
    c.offered[idx] = True
    c.unemp_hist[idx] &= np.uint16(window - 1)                       # in an offer this month
    sick = np.flatnonzero(np.isin(c.state, [S.sickness_benefit, S.job_clarification]))
    c.partial[rng.choice(sick, min(scaled(status["partial_return"], scale), sick.size), replace=False)] = True


def arrival_counts(scenario, scale: float, rng: np.random.Generator) -> np.ndarray:
    """Newcomers per month of the window, shape (months, 3): 16-year-olds, immigrants and
    refugees (scenario input), arriving in month t (row 0, the status month, has none)."""
    demo = scenario.municipality.demography
    out = np.zeros((calendar.N_MONTHS, 3), np.int64)
    for t in range(1, calendar.N_MONTHS):
        year, _ = calendar.year_month(t)
        months_in_year = 13 - calendar.START_MONTH if year == calendar.START_YEAR else 12   # 2016: July–December
        refugees = scenario.inputs["refugees_per_year"][year] * demo["refugee_working_age_share"] * scale / months_in_year
        out[t] = (rng.poisson(demo["entrants_per_year"] * scale / 12),
                  rng.poisson(demo["immigrants_per_year"] * scale / 12),
                  int(np.floor(refugees) + (rng.random() < refugees - np.floor(refugees))))
    return out


def newcomers(month: np.ndarray, kind: np.ndarray, municipality: Municipality, rng: np.random.Generator) -> Citizens:
    """New citizens arriving in ``month`` (their first month): kind 0 = 16-year-old entrant,
    1 = immigrant, 2 = refugee (on integration benefit from arrival)."""
    demo, pop = municipality.demography, municipality.population
    n = month.size
    c = _columns(n)
    ent, imm, ref = kind == 0, kind == 1, kind == 2
    imm_lo, imm_hi = (a * 12 for a in demo["immigrant_age"])
    ref_lo, ref_hi = (a * 12 for a in demo["refugee_age"])
    age = np.where(ent, pop["age_edges"][0] * 12,
                   np.where(imm, rng.integers(imm_lo, imm_hi, n), rng.integers(ref_lo, ref_hi, n)))
    c.birth[:] = month - age
    c.rank[:] = rng.random(n).astype(np.float32)
    c.male[:] = rng.random(n) < np.where(ref, demo["refugee_male_share"], pop["male_share"])

    def draw(dist: dict) -> np.ndarray:
        names = list(dist)
        codes = np.array([S[x] if x in S.__members__ else -1 for x in names])
        p = np.asarray([dist[x] for x in names], float)
        return codes[rng.choice(len(names), n, p=p / p.sum())]

    educated = rng.random(n) < np.where(ref, demo["refugee_educated_share"], pop["educated_share_older"])
    jobready = rng.random(n) < params.rules()["cash_benefit"]["new_jobready"]
    imm_state = draw(demo["immigrant_states"])
    young = age < params.rules()["youth"]["under_age"] * 12
    # Unemployed immigrants: cash benefit after the means test (as ``rules.resolve``), else self-support.
    means_tested = rng.random(n) < params.rules()["cash_benefit"]["means_test_pass"]
    imm_state = np.where(imm_state == -1, np.where(means_tested, cash_states(jobready, young & ~educated),
                                                   S.outside_labour_force), imm_state)
    state = np.where(ent, draw(demo["entrant_states"]), np.where(imm, imm_state, S.integration_benefit))
    c.state[:] = state
    c.educated[:] = imm & educated & (state != S.education) | ref & educated
    c.insured[:] = imm & (state == S.employed) & (rng.random(n) < pop["insured_share"])
    c.refugee[:] = ref
    c.arrival[:] = np.where(ref, month, c.arrival)
    c.unemp_hist[:] = IS_UNEMPLOYMENT_CLOCK[state]
    c.dp_hist[:] = state == S.unemployment_insurance
    set_retirement_ages(c)
    # Each newcomer's clocks start in the month of arrival.
    out = Citizens.empty(n)
    rec = out.rec
    for k in COLUMNS:
        if k not in ("mis", "since_offer", "offer_len", "dp_hist", "sdp_hist", "unemp_hist"):
            rec[k] = getattr(c, k)
    rec["spell"] = month
    rec["hist_t"] = month
    rec["offer_end"] = month - NEVER
    rec["dp_bits"], rec["sdp_bits"], rec["unemp_bits"] = c.dp_hist, c.sdp_hist, c.unemp_hist
    return out


def all_newcomers(scenario, scale: float, rng: np.random.Generator) -> tuple[Citizens, np.ndarray]:
    """Every newcomer of the run, ordered by arrival month, and the row where each month starts."""
    counts = arrival_counts(scenario, scale, rng)
    month = np.repeat(np.repeat(np.arange(calendar.N_MONTHS), 3), counts.ravel())
    kind = np.repeat(np.tile(np.arange(3), calendar.N_MONTHS), counts.ravel())
    starts = np.concatenate([[0], np.cumsum(counts.sum(axis=1))])
    return newcomers(month, kind, scenario.municipality, rng), starts


def assemble(initial: list[np.ndarray], newcomers: list[tuple[np.ndarray, np.ndarray]]
             ) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """One array of citizen records for a run: the July 2016 citizens (of each replication)
    first, then a row waiting (as not yet there) for every newcomer, in order of arrival.

    Returns (records, rows in use at the start, the newcomers in arrival order, and for each
    month the first of its newcomers: month t's are ``newcomers[first[t]:first[t + 1]]``). Every
    citizen's ``id`` is its row."""
    pop, n0, waiting, first = run_records([len(rec) for rec in initial], newcomers)
    for r, (block, rec) in enumerate(zip(blocks(pop, [len(rec) for rec in initial]), initial)):
        words(block)[:] = words(rec)                # a plain copy of the bytes (numpy copies records slowly)
        block["rep"] = r
    return pop, n0, waiting, first


def run_records(sizes: list[int], newcomers: list[tuple[np.ndarray, np.ndarray]]
                ) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """``assemble`` with the July 2016 citizens still to be written: a block of ``sizes[r]`` rows
    for replication r (``blocks``), each to be filled before its ``rep`` is set."""
    months = np.concatenate([np.repeat(np.arange(calendar.N_MONTHS), np.diff(first)) for _, first in newcomers])
    order = np.argsort(months, kind="stable")
    waiting = np.concatenate([words(rec) for rec, _ in newcomers])[order].view(CITIZEN).ravel()
    first = np.searchsorted(months[order], np.arange(calendar.N_MONTHS + 1))
    n0 = sum(sizes)
    pop = records(n0 + len(waiting))            # written once: each replication's block, then blanks
    clear(pop[n0:])
    return pop, n0, waiting, first


def blocks(pop: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """The July 2016 blocks of the replications (``run_records``), as views."""
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    return [pop[a:b] for a, b in zip(starts[:-1], starts[1:])]
