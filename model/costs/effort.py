"""What the effort costs: a run's quantities priced with the scenario's unit costs, month by month.

The run counts the quantities (``quantities``: the stock of every state, months in each kind of
offer by state, events such as offer starts and new partial returns, and what the capacity
allowed); the rows of ``data/effort.toml`` price them (``inputs.effort``), on the component
``casework`` (what everyone on a benefit needs, whatever the levers do: it follows the number of
people on benefits) or one of the effort's (``effort_*``: what the levers add). Caseworker and
consultant time becomes full-time equivalents — the staff the month needs, or the scenario's cap
where it sets one (``capacity``; the casework first) — paid a full-time year's cost; the running of offers, mentors and courses
becomes kroner, refunded by the state within the driftsloft of each group of recipients
(``rates/offers.toml``: 50 % of a group's operating costs up to its ceiling per full-year recipient
times its full-year recipients, year by year); the IGU training allowance is refunded in full and
the IGU bonus is the state's. Unit costs are in their price year's prices and follow wages by
``wage_index`` a year.

Because the pricing comes after the run, a unit cost can be varied without simulating again
(``price`` with other assumption values: the business case's sensitivity does this).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import calendar
from model.inputs import effort, rates
from model.inputs.scenario import Scenario
from model.sim import capacity, cost_rules
from model.sim.context import RunResult
from model.sim.indicators import M as MEASURE
from model.states import State

COMPONENTS = effort.COMPONENTS
MONTH_YEAR = np.asarray(calendar.YEAR_OF)                                   # calendar year of each month
# The year whose levers apply in month m: the rules' (the moves decided in month m lead into m + 1).
LEVER_YEAR = np.asarray([calendar.YEAR_OF[min(m + 1, calendar.N_MONTHS - 1)] for m in range(calendar.N_MONTHS)])
EFFORT_COMPONENTS = effort.EFFORT_COMPONENTS          # what the levers add (not the casework)
STAFF = {"caseworker": ("effort_caseworkers", "caseworker_fte_cost", "caseworkers_fte"),
         "consultant": ("effort_consultants", "consultant_fte_cost", "company_consultants_fte")}


def _scale(results: list[RunResult]) -> float:
    scales = {float(r.scale) for r in results}
    if len(scales) != 1:
        raise ValueError(f"results of different scales mixed: {sorted(scales)}")
    return scales.pop()


def scenario_of(results: list[RunResult]) -> Scenario:
    """The one scenario the results are of."""
    hashes = {r.scenario_hash for r in results}
    if len(hashes) != 1:
        raise ValueError(f"results of {len(hashes)} scenarios mixed")
    return results[0].scenario


def quantities(results: list[RunResult]) -> dict[str, np.ndarray]:
    """What the futures did that the effort prices, per future and month (reps, months), for the
    whole municipality: ``months.<state>``, ``offer_months.<kind>.<state>``, the events of
    ``inputs.effort.EVENTS`` and ``coverage`` (a share, not scaled)."""
    scale = _scale(results)
    states = np.concatenate([r.states for r in results]).astype(float) / scale           # (reps, T, states)
    counts = np.concatenate([r.effort for r in results])                                   # (reps, T, N_EFFORT)
    flows = np.concatenate([r.flows for r in results]).astype(float) / scale              # (reps, T, from, to)
    measures = np.concatenate([r.measures for r in results])
    q = {f"months.{s.name}": states[:, :, s] for s in State}
    for s in State:
        for kind in effort.OFFER_KINDS:
            offer = cost_rules.OFFER_KINDS.index(kind) + 1
            q[f"offer_months.{kind}.{s.name}"] = counts[:, :, cost_rules.offer_item.py_func(int(s), offer)] / scale
    for name in ("late_dagpenge_months", "partial_return_starts", "flex_hour_steps", "internship_starts",
                 "wage_subsidy_starts"):
        q[name] = counts[:, :, cost_rules.EFFORT_AT[name]] / scale
    q["igu_starts"] = flows[:, :, :, State.igu].sum(axis=2) - flows[:, :, State.igu, State.igu]
    starts = measures[:, :, MEASURE["youth_education_starts"]] / scale
    starts[:, 0] = 0.0                          # the status month holds a yearly rate, not a month's starts
    q["youth_education_starts"] = starts
    q["coverage"] = counts[:, :, cost_rules.COVERAGE]
    return q


@dataclass(frozen=True)
class Priced:
    """The effort of some futures, month by month: ``costs`` (reps, months, COMPONENTS, 3: gross,
    state refusion, municipal net, DKK), the staff needed and paid (``fte_need``, ``fte_paid``:
    resource -> (reps, months)), the full need of the contact levers' talks before a cap
    (``fte_full``) and each pricing row's gross amount (``rows``: key -> (reps, months))."""

    costs: np.ndarray
    fte_need: dict[str, np.ndarray]
    fte_paid: dict[str, np.ndarray]
    fte_full: dict[str, np.ndarray]
    rows: dict[str, np.ndarray]


def price_index(values: dict[str, float]) -> np.ndarray:
    """Per month, what a DKK unit cost of its price year is worth: (1 + wage_index) ** years since."""
    return (1.0 + values["wage_index"]) ** (MONTH_YEAR - 2016)


def price(q: dict[str, np.ndarray], sc: Scenario, values: dict[str, float] | None = None,
          book: rates.RateBook | None = None) -> Priced:
    """Price the quantities ``q`` (``quantities``) with the unit costs of ``values`` (default: the
    scenario's assumption values), the scenario's levers and caps and the rate files' refusion rules."""
    values = values or sc.assumption_values
    book = book or rates.book()
    reps, n_months = q["months.employed"].shape
    index = price_index(values)
    tables = cost_rules.tables() if book is rates.book() else cost_rules.cost_tables(book)
    lever = {k: np.asarray([sc.lever(k, int(y)) for y in LEVER_YEAR], dtype=float) for k in sc.lever_values}

    def factor(name: str):
        if name == "coverage":
            return q["coverage"]
        head, _, tail = name.partition(".")
        if head == "lever":
            return lever[tail]
        if head == "rate":
            return tables.gross[MONTH_YEAR - cost_rules.FIRST_YEAR, State[tail], len(cost_rules.BANDS) - 1]
        return values[name] * index if effort.indexed(name) else values[name]

    quantities_ = {**q, **{f"lever.{k}": np.broadcast_to(v, (reps, n_months)) for k, v in lever.items()}}
    costs = np.zeros((reps, n_months, len(COMPONENTS), 3))
    rows: dict[str, np.ndarray] = {}
    hours = values["effective_hours_per_fte"] / 12
    fte: dict[str, dict[str, np.ndarray]] = {r: {} for r in STAFF}        # resource -> component -> FTE
    operating: list[tuple[int, str | None, np.ndarray]] = []
    for row in effort.pricing():
        got = effort.amounts(row, quantities_, factor)
        total = np.zeros((reps, n_months))
        for amount in got.values():
            total = total + amount
        if row.measure != "dkk":
            resource = row.measure.split("_")[0]
            if row.measure.endswith("_hours"):
                total = total / hours
            fte[resource][row.component] = fte[resource].get(row.component, 0.0) + total
            rows[row.key] = total * values[STAFF[resource][1]] * index / 12
            continue
        rows[row.key] = total
        c = COMPONENTS.index(row.component)
        costs[:, :, c, 0] += total
        if row.refund in ("full", "state"):
            costs[:, :, c, 1] += total
        elif row.refund == "none":
            costs[:, :, c, 2] += total
        else:
            for name, amount in got.items():
                operating.append((c, effort.state_of(name) or row.refund_state, amount))
    _operating_refusion(costs, operating, q, book)
    need, paid, full = {}, {}, {}
    for resource, (_, cost_key, cap_key) in STAFF.items():
        need[resource] = sum(fte[resource].values(), np.zeros((reps, n_months)))
        f_full = lambda f: 1.0 if f == "coverage" else factor(f)          # noqa: E731
        full[resource] = np.broadcast_to(sum(capacity.need(resource, quantities_, f_full, hours)),
                                         (reps, n_months)).astype(float)
        cap = np.asarray([sc.cap(cap_key, int(y)) if sc.cap(cap_key, int(y)) is not None else np.inf
                          for y in MONTH_YEAR])
        paid[resource] = np.minimum(need[resource], cap)
        # Under a cap the casework everyone on a benefit needs comes first, the levers' effort after.
        left = paid[resource]
        for component in sorted(fte[resource], key=lambda c: c != "casework"):
            got = np.minimum(fte[resource][component], left)
            left = left - got
            cost = got * values[cost_key] * index / 12
            costs[:, :, COMPONENTS.index(component), 0] += cost
            costs[:, :, COMPONENTS.index(component), 2] += cost
    return Priced(costs, need, paid, full, rows)


def _operating_refusion(costs: np.ndarray, operating: list, q: dict[str, np.ndarray], book: rates.RateBook) -> None:
    """Book the operating costs with their refusion: per year and group, the state refunds
    ``operating_refusion_share`` of the group's costs up to its ceiling per full-year recipient
    times its full-year recipients (person-months / 12), shared out over the months and rows in
    proportion to their costs. Costs of a state in no group that year are not refunded."""
    if not operating:
        return
    amounts = np.stack([a for _, _, a in operating])                        # (rows, reps, months)
    component = np.asarray([c for c, _, _ in operating])
    states = [s for _, s, _ in operating]
    refund = np.zeros_like(amounts)
    for y in calendar.REPORT_YEARS:
        at = np.flatnonzero(MONTH_YEAR == y)
        months = slice(at[0], at[-1] + 1)                                   # a year's months are consecutive
        share = book.value("offers", "operating_refusion_share", y)
        for group, years in book.operating_refusion_groups.items():
            members = years[y]
            rows = [i for i, s in enumerate(states) if s in members]
            if not rows:
                continue
            spent = amounts[rows][:, :, months].sum(axis=(0, 2))                  # (reps,)
            persons = sum(q[f"months.{s}"][:, months].sum(axis=1) for s in members) / 12
            ceiling = book.value("offers", f"ceiling_{group}", y) * persons
            with np.errstate(divide="ignore", invalid="ignore"):
                f = np.where(spent > 0, share * np.minimum(spent, ceiling) / np.where(spent > 0, spent, 1.0), 0.0)
            for i in rows:
                refund[i, :, months] = amounts[i, :, months] * f[:, None]
    for c in np.unique(component):
        mine = component == c
        costs[:, :, c, 1] += refund[mine].sum(axis=0)
        costs[:, :, c, 2] += (amounts[mine] - refund[mine]).sum(axis=0)


def priced(results: list[RunResult], values: dict[str, float] | None = None) -> Priced:
    """The effort of ``results`` (one scenario's futures) at the scenario's unit costs (or ``values``)."""
    return price(quantities(results), scenario_of(results), values)


# ---------------------------------------------------------------- capacity in words

def staff_by_year(p: Priced, resource: str) -> dict[str, np.ndarray]:
    """Full-time equivalents per future and year (``calendar.REPORT_YEARS``; mean over the year's
    months): ``need`` (what the month's work needs with the talks delivered), ``full`` (with every
    talk the levers ask for) and ``paid``."""
    out = {}
    for name, a in (("need", p.fte_need[resource]), ("full", p.fte_full[resource]), ("paid", p.fte_paid[resource])):
        out[name] = np.stack([a[:, MONTH_YEAR == y].mean(axis=1) for y in calendar.REPORT_YEARS], axis=1)
    return out


def over_capacity(p: Priced, sc: Scenario) -> list[tuple[str, int, float, float]]:
    """Where the scenario asks for more staff than its cap: (resource, year, mean full need, cap) for
    every plan year whose mean need with every talk delivered (caseworkers) or every place kept
    (consultants: the places levers at full size) exceeds the cap by more than half a person."""
    out = []
    for resource, (_, _, cap_key) in STAFF.items():
        full = staff_by_year(p, resource)["full"].mean(axis=0)
        for j, y in enumerate(calendar.REPORT_YEARS):
            cap = sc.cap(cap_key, y)
            if cap is not None and full[j] > cap + 0.5:
                out.append((resource, y, float(full[j]), float(cap)))
    return out
