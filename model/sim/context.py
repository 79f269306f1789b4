"""What the compiled rules know about a month besides the citizens, and what a run returns.

A neutral module both engines use: the month's parameters as one float array (its slots named by
``P``; levers of the calendar year the month's moves lead into, assumptions, legal rules and
what the jobcenter targets per replication), the month's hazard table (base hazards with the
season's education starts and the labour market's job finding applied, one block of rows per
replication), the layout of the month's accumulators (flows, education starts, costs, indicator
counts) and work lists, and ``RunResult``.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numba import njit

from model import calendar
from model.inputs import params
from model.inputs.municipalities import Municipality
from model.inputs.params import N_DEST, D, HazardTable
from model.inputs.scenario import Scenario
from model.sim import capacity, cost_rules, indicators, reforms
from model.sim.citizens import Citizens
from model.states import GONE, IS_JOB_SEEKER, IS_TEMPORARY, N_STATES, State

NS1 = N_STATES + 1                 # state codes plus GONE
ASSUMPTION_KEYS = (
    "threat_men", "threat_women", "internship_post_private", "internship_post_public",
    "internship_lockin_public", "activity_internship_post", "post_effect_months", "partial_rtw_job",
    "partial_rtw_clarification", "partial_rtw_pension", "refugee_men", "refugee_women", "work_first_men",
    "work_first_women", "work_first_fade_start", "work_first_fade_end", "wage_subsidy_lockin",
    "wage_subsidy_post", "youth_push_education", "youth_push_dropout", "rf_company_flexjob", "rf_company_job",
    "rf_company_pension", "flex_hours_increase", "flex_hours_job_exit", "late_dagpenge_effort",
    "partial_rtw_take_up", "rf_company_take_up",
)


_SLOTS = (
    # the run
    "reps", "trial", "n_bands",
    # demography
    "young_months", "exit_young", "exit_older", "exit_young_months", "early_uptake",
    # legal rules (rules.toml)
    "ui_window", "ui_max", "ui_to_cash", "ui_cash_jobready", "ui_late_from",
    "sb_reassess", "sb_window", "sb_extension_share", "sb_max_extended",
    "eb_age_limit", "eb_new_obvious", "eb_new_ready", "cb_means_pass", "cb_new_jobready",
    "ig_programme", "ig_benefit", "ig_first_offer", "igu_months", "igu_age_min", "igu_age_max", "igu_completion_job",
    "ig_end_jobready", "rc_max", "rc_end_pension",
    "internship_short", "internship_long", "ws_legal_max", "private_share", "repeat_offer", "periodic_uptake",
    "ws_request", "sick_request", "threat_months", "long_after", "ws_after", "periodic_first", "sick_first",
    "lt_window", "lt_min", "few_hours_max", "hours_step",
    # the municipality's population (profile): a-kasse membership and qualification on entering work
    "join_insurance", "complete_education",
    # levers of the year the month's moves lead into (deadline_treated: a trial's treated half)
    "deadline", "deadline_treated", "ws_max", "late_effort", "activity_interval", "youth_push",
    "partial_assessments", "flex_progression", "work_first_share", "igu_uptake", "cap_internship",
    "cap_wage_subsidy",
    # assumptions (effects.toml)
    *ASSUMPTION_KEYS,
    # from here, per replication: the chance a resource course without an offer takes a company
    # place found this month, then the share of the contact levers' talks the caseworkers have time
    # for (coverage); then the flex-job exit multiplier by weekly hours (FLEX_HOURS slots)
    "per_rep",
)
P = IntEnum("P", _SLOTS, start=0)
P.__doc__ = "Slots of the month's parameter array (``par``)."
# The last slots: the flex-job exit multiplier by weekly hours (a record holds up to 127),
# flex_hours_job_exit ** (hours above the few-hours limit / hours_step), computed once a run (a
# power in the month step, per flex-jobber and month, was measured at 4 % of a run).
FLEX_HOURS = 128
PER_REP_BLOCKS = 2


@njit(cache=True, inline="always")
def flex_exit_at(par) -> int:
    """Where the flex-job exit multipliers by weekly hours start in ``par``."""
    return P.per_rep + PER_REP_BLOCKS * int(par[P.reps])


@njit(cache=True, inline="always")
def coverage_of(par, rep) -> float:
    """The share of the contact levers' talks (late-dagpenge effort, youth education push) the
    caseworkers of replication ``rep`` have time for this month (1 unless the scenario caps them)."""
    return par[P.per_rep + int(par[P.reps]) + rep]


# The run's accumulators (float array ``acc``), per replication and month: flows between states
# (into month m, from x to, GONE = left), education starts of young benefit recipients (into
# month m), what month m cost by component (cost_rules.COMPONENTS) and measure (gross, state
# refusion, municipal net), and month m's counts for the plan's indicators (indicators.MEASURES).
# The compiled rules add to it; it is read once the run is over.
T = calendar.N_MONTHS
N_COMPONENTS = len(cost_rules.COMPONENTS)
N_MEASURES = len(indicators.MEASURES)


N_EFFORT = cost_rules.N_EFFORT


def acc_size(reps: int) -> int:
    return reps * T * (NS1 * NS1 + 1 + N_COMPONENTS * 3 + N_MEASURES + N_EFFORT)


def acc_flows(acc: np.ndarray, reps: int) -> np.ndarray:
    return acc[:reps * T * NS1 * NS1].reshape(reps, T, NS1, NS1)


def acc_starts(acc: np.ndarray, reps: int) -> np.ndarray:
    start = reps * T * NS1 * NS1
    return acc[start:start + reps * T].reshape(reps, T)


def acc_costs(acc: np.ndarray, reps: int) -> np.ndarray:
    start = reps * T * (NS1 * NS1 + 1)
    return acc[start:start + reps * T * N_COMPONENTS * 3].reshape(reps, T, N_COMPONENTS, 3)


def acc_measures(acc: np.ndarray, reps: int) -> np.ndarray:
    start = reps * T * (NS1 * NS1 + 1 + N_COMPONENTS * 3)
    return acc[start:start + reps * T * N_MEASURES].reshape(reps, T, N_MEASURES)


def acc_effort(acc: np.ndarray, reps: int) -> np.ndarray:
    """The effort quantities (cost_rules.EFFORT) per replication and month."""
    start = reps * T * (NS1 * NS1 + 1 + N_COMPONENTS * 3 + N_MEASURES)
    return acc[start:].reshape(reps, T, N_EFFORT)


# The month's work lists (int64 array ``work``): what the citizen phases note for the phases
# that act on everyone at once later in the month, so that those need no pass over all citizens:
# the requests for a place (and the places in use), whom the follow-up may move (and the
# sick-listed it counts), and who will be on a benefit next month (the rows the rules visit then).
# Slots: replications, list capacity, then the lists' lengths, the per-replication counts, the lists.
# A citizen is listed at most once a list a month, so lists as long as the run's records suffice.
W_REPS, W_CAP, W_REQUESTS, W_DUE, W_NEXT = range(5)
W_HEAD, N_LISTS = 5, 3
W_INTERNSHIPS, W_WAGE_SUBSIDIES, W_SICK, W_PARTIAL = range(4)       # counts per replication
N_COUNTS = 4


def new_work(reps: int, cap: int) -> np.ndarray:
    """Work lists for ``reps`` replications of at most ``cap`` citizens (all lists empty)."""
    work = np.zeros(W_HEAD + N_COUNTS * reps + N_LISTS * cap, np.int64)
    work[W_REPS], work[W_CAP] = reps, cap
    return work


def clear_work(work: np.ndarray) -> None:
    """Empty the lists and zero the counts (a new month)."""
    work[W_REQUESTS:W_HEAD + N_COUNTS * work[W_REPS]] = 0


@njit(cache=True, inline="always")
def list_start(work: np.ndarray, which: int) -> int:
    return W_HEAD + N_COUNTS * work[W_REPS] + (which - W_REQUESTS) * work[W_CAP]


@njit(cache=True, inline="always")
def work_list(work: np.ndarray, which: int) -> np.ndarray:
    """The listed rows of W_REQUESTS, W_DUE or W_NEXT, in the order they were listed (a view)."""
    start = list_start(work, which)
    return work[start:start + work[which]]


@njit(cache=True, inline="always")
def work_counts(work: np.ndarray, kind: int) -> np.ndarray:
    """A count per replication (W_INTERNSHIPS, W_WAGE_SUBSIDIES, W_SICK, W_PARTIAL; a view)."""
    reps = work[W_REPS]
    return work[W_HEAD + kind * reps:W_HEAD + (kind + 1) * reps]


@njit(cache=True, inline="always")
def listed(work, which, row) -> None:
    """Add ``row`` to list ``which`` (W_REQUESTS, W_DUE or W_NEXT)."""
    n = work[which]
    work[list_start(work, which) + n] = row
    work[which] = n + 1


@njit(cache=True, inline="always")
def counted(work, kind, rep) -> None:
    """Add one to replication ``rep``'s count ``kind``."""
    work[W_HEAD + kind * work[W_REPS] + rep] += 1


@njit(cache=True, inline="always")
def measures_at(reps, rep, m) -> int:
    """Where replication ``rep``'s counts (indicators.MEASURES) of month ``m`` start in ``acc``."""
    return reps * T * (NS1 * NS1 + 1 + N_COMPONENTS * 3) + (rep * T + m) * N_MEASURES


@njit(cache=True, inline="always")
def effort_at(reps, rep, m) -> int:
    """Where replication ``rep``'s effort quantities (cost_rules.EFFORT) of month ``m`` start in ``acc``."""
    return reps * T * (NS1 * NS1 + 1 + N_COMPONENTS * 3 + N_MEASURES) + (rep * T + m) * N_EFFORT


LEVER_SLOTS = {
    "internship_deadline_months": P.deadline, "public_wage_subsidy_max_months": P.ws_max,
    "late_dagpenge_effort": P.late_effort, "activity_offer_interval_months": P.activity_interval,
    "youth_education_push": P.youth_push, "flexjob_progression": P.flex_progression,
    "refugee_work_first_share": P.work_first_share, "igu_uptake": P.igu_uptake,
}


def _rule_slots(hazards: HazardTable) -> dict[P, float]:
    """Legal rules and fixed data: the parameter slots that do not change month to month."""
    r = params.rules()
    ui, sb, eb, cb = r["unemployment_insurance"], r["sickness_benefit"], r["education_benefit"], r["cash_benefit"]
    ig, rc, of, lt, fj = r["integration"], r["resource_course"], r["offers"], r["long_term_unemployment"], r["flexjob"]
    return {
        P.young_months: r["youth"]["under_age"] * 12, P.exit_young: hazards.exit_young,
        P.exit_older: hazards.exit_older, P.exit_young_months: hazards.exit_young_below_years * 12,
        P.early_uptake: r["retirement"]["early_retirement_uptake"],
        P.ui_window: ui["window_months"], P.ui_max: ui["max_months_in_window"], P.ui_to_cash: ui["exhaustion_to_cash"],
        P.ui_cash_jobready: ui["exhaustion_cash_jobready"], P.ui_late_from: ui["late_effort_from_months"],
        P.sb_reassess: sb["reassessment_months"], P.sb_window: sb["reassessment_window_months"],
        P.sb_extension_share: sb["extension_share"], P.sb_max_extended: sb["max_extended_months"],
        P.eb_age_limit: eb["age_limit"] * 12, P.eb_new_obvious: eb["new_obvious"], P.eb_new_ready: eb["new_ready"],
        P.cb_means_pass: cb["means_test_pass"], P.cb_new_jobready: cb["new_jobready"],
        P.ig_programme: ig["programme_months"], P.ig_benefit: ig["benefit_residence_months"],
        P.ig_first_offer: ig["first_offer_month"],
        P.igu_months: ig["igu_months"], P.igu_age_min: ig["igu_age_min"] * 12, P.igu_age_max: ig["igu_age_max"] * 12,
        P.igu_completion_job: ig["igu_completion_to_job"], P.ig_end_jobready: ig["programme_end_jobready"],
        P.rc_max: rc["max_months"], P.rc_end_pension: rc["end_to_disability_pension"],
        P.internship_short: of["internship_short"], P.internship_long: of["internship_long"],
        P.ws_legal_max: of["wage_subsidy_legal_max"], P.private_share: of["private_internship_share"],
        P.repeat_offer: of["repeat_offer_months"], P.periodic_uptake: of["periodic_offer_uptake"],
        P.ws_request: of["wage_subsidy_request"], P.sick_request: of["sick_internship_request"],
        P.threat_months: of["threat_months"], P.long_after: of["long_internship_after_months"],
        P.ws_after: of["wage_subsidy_after_months"], P.periodic_first: of["periodic_first_month"],
        P.sick_first: of["sick_first_month"], P.lt_window: lt["window_months"], P.lt_min: lt["min_months"],
        P.few_hours_max: fj["few_hours_max"], P.hours_step: fj["hours_step"],
    }


def separation(demand: float, assumptions: dict) -> float:
    """Job loss's response to labour demand: where demand alone raises job finding by
    f = demand ** matching_elasticity, the inflow to unemployment falls by f ** -(s / (1 - s)), s the
    inflow's share of unemployment's variation (src:EHS2013: about 45:55 in continental and Nordic
    Europe; docs/model.md §3.2). Job loss follows the firms' demand, not how many seek work here."""
    s = assumptions["unemployment_inflow_share"]
    return (demand ** assumptions["matching_elasticity"]) ** (-s / (1.0 - s))


@dataclass(frozen=True)
class Month:
    """One month's context: ``t`` (the moves decided now take effect in month t+1, whose
    calendar year sets the levers), the parameter array, the hazard table and its bands."""

    t: int
    year: int
    cal_month: int
    lever: dict[str, float]
    par: np.ndarray                 # float64, slots P
    tab: np.ndarray                 # float64 (rows, N_DEST + 1): hazards by destination, then the total
    bands: np.ndarray               # int16 (N_STATES + 1, MAX_BAND_MONTHS + 1): duration band by months in state
    job_tightness: np.ndarray       # per replication
    coverage: np.ndarray            # per replication: share of the contact levers' talks the caseworkers have time for
    places_factor: float            # share of the places levers the company consultants can keep open

    def record(self, effort: np.ndarray) -> None:
        """Note what the capacity allowed in the month's effort quantities (``acc_effort(acc, reps)[:, t]``)."""
        effort[:, cost_rules.COVERAGE] = self.coverage
        effort[:, cost_rules.PLACES_FACTOR] = self.places_factor


class Context:
    """Month contexts for a scenario: lever values by year, assumption values, matching, and the
    base hazard table (``hazards``: the data's, or a calibration's)."""

    def __init__(self, scenario: Scenario, scale: float, reps: int, trial: dict | None = None,
                 hazards: HazardTable | None = None, dated_rules: bool = True):
        self.scenario = scenario
        self.dated_rules = dated_rules          # False: a burn-in before the status month (no later rule)
        self.scale = scale
        self.reps = reps
        self.trial = trial or {}
        self.hazards = hazards or params.hazards()
        self.ct = cost_rules.tables_array()
        self.u0: np.ndarray | None = None         # job seekers in the status month (matching baseline)
        h = self.hazards
        self.n_bands = h.p.shape[1]
        base = np.zeros((NS1, self.n_bands, 2, N_DEST))
        base[:N_STATES] = h.p
        self.base = base
        self.bands = np.zeros((NS1, h.band_of.shape[1]), np.int16)
        self.bands[:N_STATES] = h.band_of
        self.not_employed = np.ones(NS1, bool)
        self.not_employed[State.employed] = False
        par = np.zeros(P.per_rep + PER_REP_BLOCKS * reps + FLEX_HOURS)
        par[P.per_rep + reps:P.per_rep + 2 * reps] = 1.0              # coverage: all talks delivered
        for slot, value in _rule_slots(h).items():
            par[slot] = value
        pop = scenario.municipality.population
        par[P.join_insurance], par[P.complete_education] = pop["joins_insurance"], pop["educated_share_young"]
        a = scenario.assumption_values
        for key in ASSUMPTION_KEYS:
            par[P[key]] = a[key]
        par[P.reps] = reps
        at = flex_exit_at(par)
        for hours in range(FLEX_HOURS):       # the same arithmetic as numba's, in Python floats
            steps = max(hours - par[P.few_hours_max], 0.0) / par[P.hours_step]
            par[at + hours] = float(par[P.flex_hours_job_exit]) ** steps
        par[P.n_bands] = self.n_bands
        par[P.trial] = 1.0 if "internship_deadline_months" in self.trial else 0.0
        self.par = par

    def job_seekers(self, counts: np.ndarray) -> np.ndarray:
        """Job seekers per replication from the stocks (reps, NS1)."""
        return counts[:, IS_JOB_SEEKER].sum(axis=1)

    def month(self, t: int, counts: np.ndarray, rf_company: np.ndarray, effort: np.ndarray | None = None) -> Month:
        """The context of month ``t`` from the stocks per replication and state (``counts``,
        shape (reps, NS1)), the resource courses in company offers per replication and the
        previous month's effort quantities (``effort``, (reps, N_EFFORT); None: none yet)."""
        year, cal_month = calendar.year_month(t + 1)
        sc = self.scenario
        lever = {k: v[year] for k, v in sc.lever_values.items()}
        js = np.maximum(self.job_seekers(counts).astype(float), 1.0)
        if self.u0 is None:
            self.u0 = js
        tight = (sc.inputs["labour_demand"][year] * self.u0 / js) ** sc.assumption_values["matching_elasticity"]
        par = self.par.copy()
        for key, slot in LEVER_SLOTS.items():
            par[slot] = lever[key]
        par[P.deadline_treated] = self.trial.get("internship_deadline_months", lever["internship_deadline_months"])
        a = sc.assumption_values
        places = capacity.places_factor(sc.cap("company_consultants_fte", year),
                                        lever["internship_places"] + lever["wage_subsidy_places"],
                                        a["places_per_consultant"])
        par[P.cap_internship] = round(lever["internship_places"] * places * self.scale)
        par[P.cap_wage_subsidy] = round(lever["wage_subsidy_places"] * places * self.scale)
        # The jobcenter's efforts, for the municipality's size (expected numbers: a fraction is kept).
        par[P.partial_assessments] = lever["partial_return_assessments"] * self.scale
        # Company places found for resource courses this month: each offered to a course without an
        # offer, taken with the take-up chance (``jobcenter.request``).
        free = np.maximum(counts[:, State.resource_course] - rf_company, 1.0)
        par[P.per_rep:P.per_rep + self.reps] = (np.minimum(lever["resource_course_company_places"] * self.scale / free, 1.0)
                                                * par[P.rf_company_take_up])
        cover = self.coverage(year, lever, counts, effort)
        par[P.per_rep + self.reps:P.per_rep + 2 * self.reps] = cover
        return Month(t=t, year=year, cal_month=cal_month, lever=lever, par=par,
                     tab=self.table(cal_month, tight, t + 1, sc.inputs["labour_demand"][year]), bands=self.bands,
                     job_tightness=tight, coverage=cover, places_factor=places)

    def coverage(self, year: int, lever: dict[str, float], counts: np.ndarray, effort: np.ndarray | None) -> np.ndarray:
        """Per replication, the share of the contact levers' talks the caseworkers have time for: 1
        without a cap; with one, what is left after the casework the stocks and the previous
        month's events need (``capacity``), for the whole municipality."""
        cap = self.scenario.cap("caseworkers_fte", year)
        if cap is None:
            return np.ones(self.reps)
        a = self.scenario.assumption_values
        q = {f"months.{s.name}": counts[:, s] / self.scale for s in State}
        for name in ("late_dagpenge_months",):
            q[name] = (effort[:, cost_rules.EFFORT_AT[name]] if effort is not None else np.zeros(self.reps)) / self.scale
        q.update({f"lever.{k}": np.full(self.reps, float(v)) for k, v in lever.items()})

        def factor(f: str):
            if f == "coverage":
                return 1.0
            if f.startswith("lever."):
                return lever[f[6:]]
            return a[f]
        fixed, rationed = capacity.need(capacity.CASEWORKER, q, factor, a["effective_hours_per_fte"] / 12)
        return capacity.coverage(cap, fixed, rationed)

    def status_education_starts(self, pop: np.ndarray) -> np.ndarray:
        """Education starts per year the status month's hazards imply for young benefit
        recipients (seasonality averaged out), per replication: the status month's value of the
        plan's education share, which has no flow of its own."""
        c = Citizens(pop, 0)
        young = c.birth > -self.par[P.young_months]
        g = np.flatnonzero((c.state != GONE) & IS_TEMPORARY[c.state] & young)
        mis = np.minimum(c.mis[g].astype(np.int64), params.MAX_BAND_MONTHS)
        keys = ((c.rep[g].astype(np.int64) * NS1 + c.state[g]) * self.n_bands + self.bands[c.state[g], mis]) * 2 + 1
        tab = self.table(None, np.ones(self.reps))
        return 12.0 * np.bincount(c.rep[g], weights=tab[keys, D["education"]], minlength=self.reps)

    def table(self, cal_month: int | None, tight: np.ndarray, into: int | None = None,
              demand: float = 1.0) -> np.ndarray:
        """Hazards per (replication, state, band, young) row and destination, with the total
        (capped at 0.99) in the last column, for the moves into month ``into``. ``cal_month=None``:
        seasonality averaged out. The labour market: job finding of everyone not employed follows
        the tightness (matching), job loss the labour ``demand`` the other way (``separation``);
        national rules in force
        by month ``into`` (``reforms``, unless the context keeps them out: a burn-in) multiply their
        hazards."""
        p = np.repeat(self.base[None], tight.size, axis=0)
        if cal_month is not None:
            p[..., D["education"]] *= self.hazards.season[cal_month - 1]
        p[..., D["employed"]] *= np.where(self.not_employed[None, :, None, None], tight[:, None, None, None], 1.0)
        p[:, State.employed, ..., D["unemployment"]] *= separation(demand, self.scenario.assumption_values)
        if into is not None and self.dated_rules:
            for r in reforms.in_force(into):
                p[:, r.states, ..., D[r.destination]] *= r.multiplier
        flat = p.reshape(-1, N_DEST)
        out = np.empty((flat.shape[0], N_DEST + 1))
        out[:, :N_DEST] = flat
        out[:, N_DEST] = np.minimum(flat.sum(-1), 0.99)
        return out


def close_effort(effort: np.ndarray) -> None:
    """The run's effort quantities (reps, months, N_EFFORT) at its end: the last month, which has
    no month context of its own, keeps the capacity shares of the month before."""
    for item in (cost_rules.COVERAGE, cost_rules.PLACES_FACTOR):
        effort[:, -1, item] = effort[:, -2, item]


@dataclass
class RunResult:
    """The output of a run of one or more replications, each array with the replication first:
    monthly stocks per state and the indicator measures, plus the flows that make the
    accounting checkable."""

    scenario_hash: str
    municipality: Municipality    # whose citizens were simulated (and whose targets judge them)
    seed: int
    engine: str
    scale: float
    states: np.ndarray            # (reps, months, N_STATES) stock per state
    measures: np.ndarray          # (reps, months, len(MEASURES))
    flows: np.ndarray             # (reps, months, N_STATES, N_STATES) moves into month t, from -> to
    entrants: np.ndarray          # (reps, months, N_STATES) newcomers by state
    leavers: np.ndarray           # (reps, months, N_STATES) reached pension age or exited, by last state
    costs: np.ndarray             # (reps, months, len(COMPONENTS), 3): gross, state refusion, municipal net (DKK)
    effort: np.ndarray            # (reps, months, cost_rules.N_EFFORT): the effort quantities (model/costs/effort.py)
    scenario: Scenario            # what was run (prices the effort; pickled as its TOML text)

    @property
    def replications(self) -> int:
        return self.states.shape[0]

    def indicators(self, rep: int = 0) -> dict[str, dict[int, float]]:
        return indicators.yearly(self.measures[rep])
