"""The warm start: the July 2016 population's clocks and histories as the model's own dynamics
leave them (docs/model.md §3.1).

A population built from stocks alone has to guess what no statistic says: how long each citizen
has been in the state, how many of the last 12 months a cash-benefit recipient was unemployed
without an offer, who is in an offer and for how long, who is on partial return to work. A guess
the model's rules would not have produced is a transient: the first months correct it, and the
correction looks like a result (the long-term unemployed of Mål 3 once doubled in three months
of 2016 practice: the guessed offers of the last year left the 12-month window at once).

Instead, a *burn-in* runs the model itself for ``BURN_IN_MONTHS`` under 2016 rules, practice and
demand (``burn_in_scenario``) from a population built the simple way, and every citizen of the
July 2016 population then takes the clocks of a *donor*: a citizen of the burn-in's last month in
the same state and age group (under 30 or not). The plan's status figures are then met exactly by
replacing the clocks of the fewest citizens needed (``match_status``): the long-term unemployed
(378), those in company offers (848 of 5,790), resource courses in company offers (45) and
partial return to work (307). Where the model's own dynamics are close to the plan's status, as the
calibration makes them (§3.5), few are replaced and the first months continue the burn-in's
steady course instead of correcting a guess.

The donors depend only on the municipality and the base hazards (the burn-in runs the defaults of
every assumption and 2016 practice), so they are computed once per process and kept
(``engine.donors``): drawing a population from them costs a few milliseconds.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from model import calendar
from model.inputs import levers, params, scenario
from model.inputs.municipalities import Municipality
from model.sim.citizens import NO_ARRIVAL, Citizens, Offer, popcount
from model.states import IS_CASH_BENEFIT, SICK, UNEMPLOYED_AND_SICK, State

S = State
BURN_IN_MONTHS = 48          # four years, July to July (the season of the status month)
DONOR_REPLICATIONS = 2       # of the whole municipality: about two donors per citizen
DONOR_SEED = 2016
# The status month's refugees arrived since January 2015: integration-benefit donors are those who
# arrived within as many months of the burn-in's end.
REFUGEE_MONTHS = 18
# States whose citizens take a donor's clocks. Førtidspension and efterløn keep the simple build:
# their months matter only to the cost rules (pensions awarded before the 2013 reform), whose own
# assumption counts them back from July 2016 (docs/model.md §4.2).
KEEP_BUILT = (S.disability_pension, S.retired)
# The clocks a donor gives (per month, as ``population.COLUMNS`` holds them).
CLOCKS = ("mis", "dp_hist", "sdp_hist", "unemp_hist", "sdp_extended", "offer", "offer_len", "offer_max",
          "since_offer", "post_kind", "offered", "partial", "flex_hours", "rank")


@dataclass
class Donors:
    """The burn-in's last month: each donor's clocks (``CLOCKS``, read per month), months since
    arrival (refugees), and the flags the status figures count; ``groups[(state, young)]``: the
    donors of a state and age group."""

    columns: dict[str, np.ndarray]
    since_arrival: np.ndarray
    ltu: np.ndarray
    in_offer: np.ndarray
    groups: dict[tuple[int, bool], np.ndarray]

    def pool(self, state: int, young: bool) -> np.ndarray:
        """Donors of the state and age group; of the other age group if it has none."""
        own = self.groups.get((state, young), np.zeros(0, np.int64))
        return own if own.size else self.groups.get((state, not young), np.zeros(0, np.int64))


def burn_in_scenario(municipality: Municipality) -> scenario.Scenario:
    """2016 practice in every year, labour demand at its 2016 level, and refugees housed at the
    profile's rate before 2016 (the rate that holds the status month's integration-benefit stock
    about steady under the model's own exits: the burn-in ends in a steady state with as many
    refugees competing for company places as in the status month)."""
    per_year = municipality.demography["refugees_per_year_before_2016"]
    return scenario.practice("burn-in, 2016 practice", municipality.profile).replace(
        levers={k: v[calendar.PLAN_YEARS[0]] for k, v in levers.practice_2016().items()},
        inputs={"labour_demand": {str(y): 1.0 for y in calendar.REPORT_YEARS},
                "refugees_per_year": {str(y): per_year for y in calendar.REPORT_YEARS}})


def before_2016(rec: np.ndarray) -> None:
    """The burn-in's start as four years before the status month: the folkepension age before its
    rise (65 for everyone born before 1954: none of the rises of 2019–2020 acts in a burn-in
    standing for 2012–2016, src:PENSION)."""
    pension_age = params.rules()["retirement"]["pension_age_months"][0][1]
    rec["pension_at"] = rec["birth"] + pension_age


def donors_of(c: Citizens, t: int) -> Donors:
    """The donors: everyone present in month ``t`` of a burn-in (``c`` read at month ``t``)."""
    here = np.flatnonzero(c.state < len(S))
    young_months = params.rules()["youth"]["under_age"] * 12
    state = c.state[here].astype(np.int64)
    young = (t - c.birth[here].astype(np.int64)) < young_months
    columns = {k: np.asarray(getattr(c, k))[here].copy() for k in CLOCKS}
    arrival = c.arrival[here].astype(np.int64)
    since_arrival = np.where(arrival == NO_ARRIVAL, -1, t - arrival)
    lt = params.rules()["long_term_unemployment"]
    ltu = IS_CASH_BENEFIT[state] & (popcount(columns["unemp_hist"], lt["window_months"]) >= lt["min_months"])
    in_offer = columns["offer"] != Offer.none
    keep = np.ones(here.size, bool)
    # Refugees on integration benefit: only those arrived within the burn-in's refugee months (the
    # status month's are those arrived since 2015).
    keep &= (state != S.integration_benefit) | ((since_arrival >= 1) & (since_arrival <= REFUGEE_MONTHS))
    # Resource courses began with the 2013 reform: none has lasted longer than since January 2013.
    keep &= (state != S.resource_course) | (columns["mis"] <= resource_course_months())
    groups = {}
    for s in np.unique(state):
        for y in (False, True):
            idx = np.flatnonzero(keep & (state == s) & (young == y))
            if idx.size:
                groups[(int(s), y)] = idx
    return Donors(columns, since_arrival, ltu, in_offer, groups)


def resource_course_months() -> int:
    """The longest a resource course can have lasted in the status month (courses exist from the
    2013 reform, src:ADVOKAT; rules.toml)."""
    year, month = (int(x) for x in params.rules()["resource_course"]["introduced"].split("-"))
    return calendar.index(calendar.START_YEAR, calendar.START_MONTH) - calendar.index(year, month)


def draw(c: SimpleNamespace, rng: np.random.Generator, donors: Donors, age: np.ndarray, first_age: int,
         targets: dict[str, int]) -> None:
    """Give every citizen of ``c`` (the build's columns; ``age`` in months, none younger than
    ``first_age`` months) a donor's clocks, then meet the plan's status figures ``targets``
    (``match_status``). Refugees on integration benefit take their donor's time since arrival."""
    young = age < params.rules()["youth"]["under_age"] * 12
    chosen = np.full(c.state.size, -1, np.int64)
    for s in np.unique(c.state):
        if S(int(s)) in KEEP_BUILT:
            continue
        for y in (False, True):
            rows = np.flatnonzero((c.state == s) & (young == y))
            pool = donors.pool(int(s), y)
            if rows.size and pool.size:
                chosen[rows] = pool[rng.integers(0, pool.size, rows.size)]
    took = np.flatnonzero(chosen >= 0)
    _copy(c, donors, took, chosen[took], age - first_age)
    match_status(c, rng, donors, age - first_age, young, targets)


def _copy(c: SimpleNamespace, donors: Donors, rows: np.ndarray, donor: np.ndarray, working: np.ndarray) -> None:
    """Donor clocks into the citizens at ``rows``: no spell longer than the months of working age
    (``working``); a refugee on integration benefit takes the donor's time since arrival."""
    for k in CLOCKS:
        getattr(c, k)[rows] = donors.columns[k][donor]
    c.mis[rows] = np.minimum(c.mis[rows], np.maximum(working[rows], 0))
    integ = c.state[rows] == S.integration_benefit
    if integ.any():
        r = rows[integ]
        c.arrival[r] = -donors.since_arrival[donor[integ]]
        c.mis[r] = np.minimum(c.mis[r], -c.arrival[r] - 1)


def mark(name: str, c: SimpleNamespace, rows: np.ndarray) -> np.ndarray:
    """A mark the status figures count, of the citizens at ``rows``: long-term unemployed on cash
    benefit ("ltu"), in a company offer ("offer"), on partial return to work ("partial")."""
    if name == "offer":
        return c.offer[rows] != Offer.none
    if name == "partial":
        return c.partial[rows].astype(bool)
    lt = params.rules()["long_term_unemployment"]
    return IS_CASH_BENEFIT[c.state[rows]] & (popcount(c.unemp_hist[rows], lt["window_months"]) >= lt["min_months"])


# The status figures in the order they are met, each leaving the earlier ones as they are: the
# mark, the states it is counted in, and a mark the citizens replaced and their donors must not have.
STATUS_MARKS = (
    ("company_offers", "offer", UNEMPLOYED_AND_SICK, None),
    ("resource_course_company", "offer", (S.resource_course,), None),
    ("partial_return", "partial", SICK, None),
    ("long_term_unemployed", "ltu", (S.cash_benefit_jobready, S.cash_benefit_activity), "offer"),
)


def match_status(c: SimpleNamespace, rng: np.random.Generator, donors: Donors, working: np.ndarray,
                 young: np.ndarray, targets: dict[str, int]) -> None:
    """Meet the plan's status figures exactly (``targets``, keys of ``STATUS_MARKS``): where the
    donors give too many (too few) citizens with a mark, that many citizens with (without) it, at
    random, take the clocks of a donor of their state and age group without (with) it."""
    donor_marks = {"ltu": donors.ltu, "offer": donors.in_offer, "partial": donors.columns["partial"].astype(bool)}
    for key, name, states, also_not in STATUS_MARKS:
        inside = np.flatnonzero(np.isin(c.state, [int(s) for s in states]))
        have = mark(name, c, inside)
        gap = int(have.sum()) - targets[key]
        if gap == 0:
            continue
        want = gap < 0                                     # the donors wanted have the mark
        candidates = inside[~have if want else have]
        if also_not is not None:
            candidates = candidates[~mark(also_not, c, candidates)]
        rows = rng.permutation(candidates)
        group = c.state[rows].astype(np.int64) * 2 + young[rows]
        pools = {}                                         # per group, its donors of the wanted kind
        for g in np.unique(group):
            pool = donors.pool(int(g) // 2, bool(g % 2))
            ok = donor_marks[name][pool] == want
            if also_not is not None:
                ok &= ~donor_marks[also_not][pool]
            pools[int(g)] = pool[ok]
        usable = np.array([pools[int(g)].size > 0 for g in group], bool)
        rows, group = rows[usable][:abs(gap)], group[usable][:abs(gap)]
        donor = np.empty(rows.size, np.int64)
        for g in np.unique(group):
            at = group == g
            donor[at] = pools[int(g)][rng.integers(0, pools[int(g)].size, int(at.sum()))]
        _copy(c, donors, rows, donor, working)
