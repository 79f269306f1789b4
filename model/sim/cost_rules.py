"""What one citizen costs the municipality in one month: the cost rules as compiled scalar functions.

The engine calls these from inside its compiled month step, per citizen, with plain numbers (state
code, offer code, year index, age in months, weeks on benefits, ...) and one record of
numpy arrays built once per run from the rate files by ``cost_tables()``. Every function is pure:
the refusion clock lives in the engine's citizen arrays and ``clock_step`` says how it moves.

Accounting, per component and month: gross = state refusion + municipal net. Components are the
benefit state's key (the benefit, or the co-financing base for dagpenge and førtidspension),
``offers`` (the wage subsidy) and ``integration_grants`` (grants the municipality receives: a
negative gross).

The effort (caseworkers, consultants, the running of offers, mentors, courses) is priced after the
run from the quantities the month counts (``EFFORT``; ``model/costs/effort.py``): the refusion of
operating costs is capped per group of recipients for the whole municipality, which no rule for one
citizen can apply, and a researcher can vary a unit cost without simulating again.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numba import njit

from model import calendar
from model.inputs import effort, rates
from model.sim.bits import popcount
from model.sim.citizens import Offer
from model.states import State

FIRST_YEAR = rates.YEARS[0]
N_YEARS = len(rates.YEARS)
BANDS = rates.BANDS                    # u25 (under 25), u30 (25–29), adult (30+)
U25_MONTHS, U30_MONTHS = 25 * 12, 30 * 12
COMPONENTS = (*(s.name for s in State), "offers", "integration_grants")

# The effort quantities the month counts, per replication and month (the run's ``effort`` array):
# months in each kind of offer by state (``offer_item``), then the events below, then what the
# jobcenter's capacity allowed that month (``coverage``: the share of the contact levers' talks
# the caseworkers had time for; ``places_factor``: the share of the places levers the company
# consultants could keep). Priced by model/costs/effort.py with data/effort.toml.
OFFER_KINDS = tuple(o.name for o in Offer if o != Offer.none)
assert OFFER_KINDS == effort.OFFER_KINDS, (OFFER_KINDS, effort.OFFER_KINDS)
N_OFFER_KINDS = len(OFFER_KINDS)
EFFORT_EVENTS = ("late_dagpenge_months", "partial_return_starts", "flex_hour_steps", "internship_starts",
                 "wage_subsidy_starts", "coverage", "places_factor")
EFFORT_AT = {name: len(State) * N_OFFER_KINDS + j for j, name in enumerate(EFFORT_EVENTS)}
(LATE_DAGPENGE_MONTHS, PARTIAL_RETURN_STARTS, FLEX_HOUR_STEPS, INTERNSHIP_STARTS, WAGE_SUBSIDY_STARTS,
 COVERAGE, PLACES_FACTOR) = EFFORT_AT.values()
N_EFFORT = len(State) * N_OFFER_KINDS + len(EFFORT_EVENTS)


@njit(cache=True, inline="always")
def offer_item(state: int, offer: int) -> int:
    """Where a month in ``offer`` (not none) of a citizen in ``state`` is counted in ``EFFORT``."""
    return state * N_OFFER_KINDS + offer - 1

# How a state's benefit is computed (codes in the tables' kind[state]).
KIND = {"none": 0, "rate": 1, "sick_pay": 2, "partial_return": 3, "flex_subsidy": 4, "pension": 5}
KIND_NONE, KIND_RATE, KIND_SICK, KIND_PARTIAL, KIND_FLEX, KIND_PENSION = range(6)
WEEK_EPS = 1e-6   # weeks are sums of 52/12: guard the step boundaries against rounding


def table_dtype(n_states: int, n_months: int) -> np.dtype:
    """The layout of the cost tables: one numpy record holding every array the rules index.

    A record, not a tuple of arrays: numba passes a record by reference without reference
    counting, so a rule called per citizen inside the engine's loop costs a few nanoseconds; a
    tuple of arrays was measured at about 70 ns a call (one incref/decref per array)."""
    year = (N_YEARS,)
    return np.dtype([
        ("gross", np.float64, (N_YEARS, n_states, len(BANDS))),  # gross benefit of a full month, no offer (DKK)
        ("kind", np.int64, (n_states,)),                 # KIND code of each state's benefit
        # covered: 1 = benefit under the refusion staircase (no bool arrays in records)
        ("covered", np.int8, (n_states,)),
        ("refusion", np.float64, (N_YEARS, 4)),          # state refusion on steps 1–4 of the staircase
        ("last_week", np.float64, (N_YEARS, 3)),         # last week of steps 1–3 (4, 26, 52)
        ("employer_months", np.float64, year),           # the sick-pay employer period in months
        ("partial_share", np.float64, year),             # benefit on partial return to work / full benefit
        ("pension_old_share", np.float64, year),         # municipal share of pensions awarded before 1.7.2014
        ("flex_max", np.float64, year),                  # 98 % of maximum dagpenge (DKK/month)
        ("flex_threshold", np.float64, year),            # lønindtægtsgrænse (DKK/month)
        ("flex_low", np.float64, year),                  # reduction per krone of wage below the threshold
        ("flex_high", np.float64, year),                 # reduction per krone of wage above it
        ("flex_wage", np.float64, year),                 # assumed hourly wage of flex-jobbers (DKK/hour)
        ("flex_full_hours", np.float64, year),           # full-time hours a week
        ("wage_subsidy", np.float64, year),              # public wage subsidy for a full month (DKK)
        ("grant_early", np.float64, year),               # result grant, job within grant_early_months of arrival
        ("grant_late", np.float64, year),                # result grant, job later but within grant_late_months
        ("bonus", np.float64, year),                     # employment bonus per refugee into work
        ("year_of_month", np.int64, (n_months,)),        # year index of each simulated month
        ("weeks_per_month", np.float64),      # weeks a month on a benefit counts (52/12)
        ("reset_months", np.int64),           # self-supported months in the window that restart the count (12)
        ("window_months", np.int64),          # the window (36 months = 3 years)
        ("counted_from_months", np.int64),    # months before July 2016 the count reaches back (24: 1 July 2014)
        ("pension_new_from", np.int64),       # months before July 2016 from which pensions are new-rules (24)
        ("wage_subsidy_offer", np.int64),     # Offer code of the wage-subsidy offer
        ("grant_early_months", np.int64),     # months after arrival with the higher result grant (36)
        ("grant_late_months", np.int64),      # months after arrival with any result grant (60)
    ])


# --- the rules, per citizen and month ----------------------------------------------------------------

@njit(cache=True, inline="always")
def age_band(age_months: int) -> int:
    """Age band of the rates: 0 under 25, 1 for 25–29, 2 for 30 and over."""
    if age_months < U25_MONTHS:
        return 0
    if age_months < U30_MONTHS:
        return 1
    return 2


@njit(cache=True, inline="always")
def refusion_share(t: np.record, year: int, weeks_on_benefits: float) -> float:
    """State refusion on the staircase for a month whose first benefit week is weeks_on_benefits + 1
    (the whole month at that step: an approximation at monthly resolution)."""
    week = math.floor(weeks_on_benefits + WEEK_EPS) + 1.0
    if week <= t.last_week[year, 0]:
        return t.refusion[year, 0]
    if week <= t.last_week[year, 1]:
        return t.refusion[year, 1]
    if week <= t.last_week[year, 2]:
        return t.refusion[year, 2]
    return t.refusion[year, 3]


@njit(cache=True, inline="always")
def paid_fraction(t: np.record, state: int, year: int, months_in_state: int) -> float:
    """Share of the month the municipality pays the state's benefit: sick pay starts after the
    employer period (the first 30 days of the spell); other benefits pay the whole month."""
    if t.kind[state] == KIND_NONE:
        return 0.0
    if t.kind[state] == KIND_SICK:
        f = months_in_state + 1.0 - t.employer_months[year]
        return min(1.0, max(0.0, f))
    return 1.0


@njit(cache=True, inline="always")
def flex_subsidy(t: np.record, year: int, hours: float) -> float:
    """Fleksløntilskud for a month with ``hours`` a week at the assumed hourly wage."""
    wage = t.flex_wage[year] * hours * t.weeks_per_month
    below = min(wage, t.flex_threshold[year])
    above = max(wage - t.flex_threshold[year], 0.0)
    subsidy = t.flex_max[year] - t.flex_low[year] * below - t.flex_high[year] * above
    full_time_wage = t.flex_wage[year] * t.flex_full_hours[year] * t.weeks_per_month
    subsidy = min(subsidy, full_time_wage - wage)
    return max(subsidy, 0.0)


@njit(cache=True, inline="always")
def benefit_gross(t: np.record, state: int, offer: int, year: int, age_months: int,
                  months_in_state: int, partial: bool, flex_hours: float) -> float:
    """Gross benefit of the month for the state (DKK): 0 while in wage subsidy, which replaces it."""
    if offer == t.wage_subsidy_offer:
        return 0.0
    k = t.kind[state]
    if k == KIND_NONE:
        return 0.0
    if k == KIND_FLEX:
        return flex_subsidy(t, year, flex_hours)
    gross = t.gross[year, state, age_band(age_months)]
    if k == KIND_SICK:
        gross *= paid_fraction(t, state, year, months_in_state)
    if partial:
        if k == KIND_SICK or k == KIND_PARTIAL:
            gross *= t.partial_share[year]
    return gross


@njit(cache=True, inline="always")
def benefit_cost(t: np.record, state: int, offer: int, year: int, age_months: int,
                 weeks_on_benefits: float, months_in_state: int, partial: bool, flex_hours: float,
                 old_pension: bool) -> tuple[float, float, float]:
    """(gross, state refusion, municipal net) of the state's benefit this month. For a-dagpenge and
    førtidspension the gross is what the a-kasse or Udbetaling Danmark pays and the net is the
    municipality's co-financing (the same 20/60/70/80 % as 1 − refusion); pensions awarded before
    1.7.2014 (``old_pension``) keep the old municipal share."""
    gross = benefit_gross(t, state, offer, year, age_months, months_in_state, partial, flex_hours)
    if gross == 0.0:
        return 0.0, 0.0, 0.0
    share = 0.0
    if t.covered[state] != 0:
        share = refusion_share(t, year, weeks_on_benefits)
    if old_pension:
        if t.kind[state] == KIND_PENSION:
            share = 1.0 - t.pension_old_share[year]
    refusion = gross * share
    return gross, refusion, gross - refusion


@njit(cache=True, inline="always")
def offer_cost(t: np.record, offer: int, year: int, weeks_on_benefits: float) -> tuple[float, float, float]:
    """(gross, state refusion, municipal net) of the citizen's offer this month: the wage subsidy,
    which replaces the benefit and is refunded on the staircase. (What running an offer costs is
    effort: model/costs/effort.py.)"""
    if offer != t.wage_subsidy_offer:
        return 0.0, 0.0, 0.0
    subsidy = t.wage_subsidy[year]
    refusion = subsidy * refusion_share(t, year, weeks_on_benefits)
    return subsidy, refusion, subsidy - refusion


@njit(cache=True, inline="always")
def integration_grant(t: np.record, year: int, refugee_months: int,
                      entered_work: bool) -> tuple[float, float, float]:
    """(gross, state refusion, municipal net) of the grants for a refugee who enters ordinary work
    this month, ``refugee_months`` after arrival (negative: not a refugee): the result grant and, in
    2017–2018, the employment bonus. Income, so the amounts are negative."""
    grant = 0.0
    if entered_work:
        if 0 <= refugee_months < t.grant_early_months:
            grant = t.grant_early[year] + t.bonus[year]
        elif t.grant_early_months <= refugee_months < t.grant_late_months:
            grant = t.grant_late[year] + t.bonus[year]
    return 0.0 - grant, 0.0, 0.0 - grant   # 0.0 - x: no "-0.0" when there is no grant


@njit(cache=True, inline="always")
def month_cost(t: np.record, state: int, offer: int, year: int, age_months: int,
               weeks_on_benefits: float, months_in_state: int, partial: bool, flex_hours: float,
               old_pension: bool, refugee_months: int, entered_work: bool):
    """All three components of one citizen's month, with the clock as it stands at the start of
    the month: (benefit gross, refusion, net, offers gross, refusion, net, grants gross, refusion,
    net). The benefit belongs to the component of ``state``."""
    bg, br, bn = benefit_cost(t, state, offer, year, age_months, weeks_on_benefits, months_in_state,
                              partial, flex_hours, old_pension)
    og, orf, on = offer_cost(t, offer, year, weeks_on_benefits)
    ig, ir, inet = integration_grant(t, year, refugee_months, entered_work)
    return bg, br, bn, og, orf, on, ig, ir, inet


# --- the refusion clock --------------------------------------------------------------------------

@njit(cache=True, inline="always")
def covered_weeks(t: np.record, state: int, offer: int, year: int, months_in_state: int) -> float:
    """Weeks the month adds to the clock: a month on a covered benefit counts as 52/12 weeks (an
    assumption), a sick-pay month only after the employer period, a wage-subsidy month in full."""
    if offer == t.wage_subsidy_offer:
        return t.weeks_per_month
    if t.covered[state] == 0:
        return 0.0
    return t.weeks_per_month * paid_fraction(t, state, year, months_in_state)


@njit(cache=True, inline="always")
def self_supported(t: np.record, state: int, offer: int) -> bool:
    """Self-support (§ 6): no covered benefit and no wage subsidy. Flex-jobs are covered, so they
    never count; IGU, education and outside the labour force do (see refusion.toml)."""
    if t.covered[state] != 0:
        return False
    return offer != t.wage_subsidy_offer


@njit(cache=True, inline="always")
def clock_step(t: np.record, state: int, offer: int, year: int, months_in_state: int,
               weeks_on_benefits: float, self_support_hist: np.uint64) -> tuple[float, np.uint64]:
    """Move the clock over this month: (weeks on benefits, self-support history) at its end.

    ``self_support_hist`` holds one bit per month since the count started (bit 0 = this month) for
    the self-supported months of the last 36. When they reach 12 (52 weeks of 52/12), the count
    starts again from 0; self-support before the count started does not count (§ 6: "efter den
    første uge med ydelser")."""
    weeks = weeks_on_benefits
    hist = np.uint64(self_support_hist)
    if weeks > 0.0:
        bit = np.uint64(1) if self_supported(t, state, offer) else np.uint64(0)
        mask = (np.uint64(1) << np.uint64(t.window_months)) - np.uint64(1)
        hist = ((hist << np.uint64(1)) | bit) & mask
        if popcount(hist) >= t.reset_months:
            weeks = 0.0
            hist = np.uint64(0)
    else:
        hist = np.uint64(0)
    weeks += covered_weeks(t, state, offer, year, months_in_state)
    return weeks, hist


@njit(cache=True, inline="always")
def initial_weeks(t: np.record, state: int, months_in_state: int) -> float:
    """Weeks on benefits in July 2016 for a citizen who has been ``months_in_state`` months in a
    covered state: the current spell only, counted from 1 July 2014 (an assumption: earlier
    spells are not known to the population)."""
    if t.covered[state] == 0:
        return 0.0
    return min(months_in_state, t.counted_from_months) * t.weeks_per_month


@njit(cache=True, inline="always")
def pension_awarded_before_reform(t: np.record, month_index: int, months_in_state: int) -> bool:
    """Was the førtidspension of a citizen ``months_in_state`` months on it in month ``month_index``
    (0 = July 2016) awarded before 1 July 2014, under the old financing?"""
    return month_index - months_in_state < -t.pension_new_from


# --- from rate files to arrays -------------------------------------------------------------------

def _single(book: rates.RateBook, file: str, key: str) -> float:
    """A parameter the rules use as one number: it must be the same every year."""
    r = book.get(file, key)
    values = set(r.values.values())
    if len(values) != 1:
        raise rates.RateError([f"{file}.toml: {key}: must be the same every year (the rules use one value), "
                               f"got {sorted(values)}"])
    return values.pop()


def _whole_months(weeks: float, weeks_per_month: float) -> int:
    return int(math.ceil(weeks / weeks_per_month - 1e-9))


def _blend(book: rates.RateBook, spec: rates.StateBenefit, band: str, year: int) -> float:
    """Average monthly gross of a band: categories weighted by the shares in shares.toml."""
    share = lambda key: book.value("shares", key, year)  # noqa: E731
    roles = spec.bands[band]
    monthly = lambda key: book.get("benefits", key).monthly(year)  # noqa: E731
    if spec.kind == "pension":
        s = share("fp_single_share")
        gross = s * monthly(roles["single"]) + (1 - s) * monthly(roles["couple"])
    else:
        away = monthly(roles["away"])
        home = monthly(roles.get("home", roles["away"]))
        w_home = share("at_home_share_u30") if "home" in roles else 0.0
        non_provider = (1 - w_home) * away + w_home * home
        if "single_provider" in roles:
            p, single = share("provider_share"), share("single_share_of_providers")
            single_rate = monthly(roles["single_provider"])
            couple_rate = monthly(roles.get("couple_provider", roles["single_provider"]))
            provider = single * single_rate + (1 - single) * couple_rate
            gross = p * provider + (1 - p) * non_provider
        else:
            gross = non_provider
    if spec.average is not None:
        gross *= share(spec.average)
    return gross


def _offer_codes() -> dict[str, int]:
    return {k: v for k, v in vars(Offer).items() if not k.startswith("_") and isinstance(v, int)}


@lru_cache(maxsize=1)
def tables() -> np.record:
    """The cost tables of the rate files as they are (built once per process)."""
    return cost_tables()


@lru_cache(maxsize=1)
def tables_array() -> np.ndarray:
    """``tables()`` as an array of one record: what compiled code called from Python takes (an
    array is passed to it in well under a microsecond, a record scalar in several)."""
    out = np.empty(1, tables().dtype)
    out[0] = tables()
    return out


@njit(cache=True, inline="always")
def initial_weeks_of(t: np.record, states: np.ndarray, months_in_state: np.ndarray) -> np.ndarray:
    """``initial_weeks`` for arrays of citizens (the July 2016 population)."""
    out = np.empty(states.size, np.float32)
    for k in range(states.size):
        out[k] = initial_weeks(t, states[k], months_in_state[k])
    return out


def cost_tables(book: rates.RateBook | None = None) -> np.record:
    """Build the tables of the cost rules from the rate files — one numpy record, ``table_dtype`` —
    by state and offer name, so a change of codes in ``State`` or ``Offer`` cannot silently move a
    rate to another state. Fields read as attributes: ``t.gross[year, state, band]``."""
    book = book or rates.book()
    years = rates.YEARS
    n_states = len(State)
    missing = [s.name for s in State if s.name not in book.states]
    if missing:
        raise rates.RateError([f"benefits.toml: no [states.{m}]" for m in missing])
    gross = np.zeros((N_YEARS, n_states, len(BANDS)))
    kind = np.zeros(n_states, dtype=np.int64)
    covered = np.zeros(n_states, dtype=np.int8)
    for s in State:
        spec = book.states[s.name]
        kind[s] = KIND[spec.kind]
        covered[s] = s.name in book.covered_states
        if spec.kind in ("none", "flex_subsidy"):
            continue
        for y, year in enumerate(years):
            for b, band in enumerate(BANDS):
                gross[y, s, b] = _blend(book, spec, band, year)
    per_year = lambda file, key: np.array([book.value(file, key, y) for y in years], dtype=float)  # noqa: E731
    monthly = lambda file, key: np.array([book.get(file, key).monthly(y) for y in years])  # noqa: E731
    wpm = _single(book, "refusion", "weeks_per_month")
    offers = _offer_codes()
    year_of_month = np.array([calendar.YEAR_OF[m] - FIRST_YEAR for m in range(calendar.N_MONTHS)], dtype=np.int64)
    fields = dict(
        gross=gross, kind=kind, covered=covered,
        refusion=np.stack([per_year("refusion", k) for k in ("refusion_weeks_1_4", "refusion_weeks_5_26",
                                                               "refusion_weeks_27_52", "refusion_weeks_53")], axis=1),
        last_week=np.stack([per_year("refusion", f"last_week_step_{i}") for i in (1, 2, 3)], axis=1),
        employer_months=per_year("sick_pay", "employer_period_days") / per_year("sick_pay", "days_per_month"),
        partial_share=per_year("sick_pay", "partial_return_benefit_share"),
        pension_old_share=per_year("disability_pension", "old_rules_municipal_share"),
        flex_max=per_year("flexjob", "subsidy_share_of_max_dagpenge") * monthly("benefits", "dagpenge_max"),
        flex_threshold=monthly("flexjob", "income_threshold"),
        flex_low=per_year("flexjob", "reduction_below_threshold"),
        flex_high=per_year("flexjob", "reduction_above_threshold"),
        flex_wage=per_year("flexjob", "hourly_wage"),
        flex_full_hours=per_year("flexjob", "full_time_hours"),
        wage_subsidy=per_year("wage_subsidy", "public_hourly") * per_year("wage_subsidy", "hours_per_month"),
        grant_early=per_year("integration", "result_grant_early"),
        grant_late=per_year("integration", "result_grant_late"),
        bonus=per_year("integration", "employment_bonus"),
        year_of_month=year_of_month,
        weeks_per_month=float(wpm),
        reset_months=_whole_months(_single(book, "refusion", "reset_self_support_weeks"), wpm),
        window_months=_whole_months(_single(book, "refusion", "reset_window_weeks"), wpm),
        counted_from_months=int(_single(book, "refusion", "counted_from_months_before_start")),
        pension_new_from=int(_single(book, "disability_pension", "new_rules_from_months_before_start")),
        wage_subsidy_offer=int(offers["wage_subsidy"]),
        grant_early_months=int(_single(book, "integration", "result_grant_early_months")),
        grant_late_months=int(_single(book, "integration", "result_grant_late_months")),
    )
    table = np.zeros(1, dtype=table_dtype(n_states, calendar.N_MONTHS)).view(np.recarray)
    for name, value in fields.items():
        table[name][0] = value
    return table[0]
