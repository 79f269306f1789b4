"""What the simulated futures cost: the engines' monthly cost accounts and the effort, as tables.

Every run accounts, per replication, month and cost component (a benefit state, ``offers``,
``integration_grants``; see ``cost_rules``), the gross spending, the state's refusion and the
municipality's net (gross = refusion + net); the jobcenter's casework (``casework``: what everyone
on a benefit needs) and the levers' effort (``effort_*``: caseworker talks, company consultants, the
running of offers with mentors, courses, IGU) are priced from the run's quantities
(``costs.effort``). Here they become monthly and yearly sums for the whole municipality (divided by
the run's scale, like every count) and a tidy summary over futures, by purse: the municipality's
net, the state's net (its refusion, the part of dagpenge and førtidspension the municipality does
not co-finance, the IGU bonus and the grants it pays the municipality) and the public total (the two
together). The municipality's figures are before the budget guarantee and the beskæftigelsestilskud
(docs/model.md §4.3).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from model import calendar, states
from model.costs import effort
from model.sim import cost_rules
from model.sim.context import RunResult

COMPONENTS = (*cost_rules.COMPONENTS, *effort.COMPONENTS)
PRICED = tuple(COMPONENTS.index(c) for c in effort.COMPONENTS)        # priced after the run (costs.effort)
EFFORT = tuple(COMPONENTS.index(c) for c in effort.EFFORT_COMPONENTS)  # the levers' effort (not the casework)
MEASURES = ("gross_dkk", "state_refusion_dkk", "municipal_net_dkk", "state_net_dkk", "public_net_dkk")
YEARS = calendar.PLAN_YEARS                 # whole calendar years simulated (2016 is half a year)
NET = MEASURES.index("municipal_net_dkk")
STATE_NET = MEASURES.index("state_net_dkk")
PUBLIC_NET = MEASURES.index("public_net_dkk")
PURSES = {"municipal": NET, "state": STATE_NET, "public": PUBLIC_NET}
TOTAL = "total"
COLUMNS = ["year", "component", "measure", "mean", "p05", "p95"]
GRANTS = COMPONENTS.index("integration_grants")


def _scale(results: list[RunResult]) -> float:
    scales = {float(r.scale) for r in results}
    if len(scales) != 1:
        raise ValueError(f"results of different scales mixed: {sorted(scales)}")
    return scales.pop()


def with_purses(c3: np.ndarray, grants: int | None = GRANTS) -> np.ndarray:
    """(…, components, 3: gross, refusion, net) -> (…, components, MEASURES): the state's net is its
    refusion (for dagpenge, førtidspension and the IGU bonus the part the state pays), and for the
    integration grants (component ``grants``; None: not among them) what it pays the municipality;
    the public total is municipal + state."""
    out = np.empty((*c3.shape[:-1], len(MEASURES)))
    out[..., :3] = c3
    out[..., STATE_NET] = c3[..., 1]
    if grants is not None:
        out[..., grants, STATE_NET] = -c3[..., grants, 0]
    out[..., PUBLIC_NET] = out[..., NET] + out[..., STATE_NET]
    return out


def monthly(results: list[RunResult], priced: effort.Priced | None = None) -> np.ndarray:
    """Costs per future, month, component and measure, in DKK for the whole municipality: array
    (replications, months, COMPONENTS, MEASURES); the effort priced at the scenario's unit costs
    unless ``priced`` is given."""
    benefits = np.concatenate([r.costs for r in results]) / _scale(results)      # (reps, months, comps, 3)
    priced = priced or effort.priced(results)
    return with_purses(np.concatenate([benefits, priced.costs], axis=2))


def by_year(m: np.ndarray) -> np.ndarray:
    """Monthly costs (reps, months, …) summed into the whole years ``YEARS``: (reps, years, …)."""
    year_of = np.asarray(calendar.YEAR_OF)
    return np.stack([m[:, year_of == y].sum(axis=1) for y in YEARS], axis=1)


def yearly(results: list[RunResult], priced: effort.Priced | None = None) -> np.ndarray:
    """Costs per future, year (``YEARS``), component and measure, in DKK for the whole
    municipality: array (replications, years, components, measures)."""
    return by_year(monthly(results, priced))


def municipal_net(results: list[RunResult], years: tuple[int, ...] = YEARS, purse: str = "municipal") -> np.ndarray:
    """The net cost over ``years`` (all components, the effort included) per future, DKK, of the
    municipality (or ``purse`` "state" or "public")."""
    y = yearly(results)
    pick = [YEARS.index(year) for year in years]
    return y[:, pick][..., PURSES[purse]].sum(axis=(1, 2))       # (not y[:, pick, :, k]: numpy moves that axis first)


def summary(results: list[RunResult]) -> pd.DataFrame:
    """One row per year, component (and ``total``) and measure: mean, 5 % and 95 % quantiles
    over futures. Components that cost nothing in every future are left out."""
    y = yearly(results)
    return table(y)


def difference(results: list[RunResult], versus: list[RunResult]) -> pd.DataFrame:
    """``summary`` of the difference ``results`` − ``versus`` future by future: the two runs must
    share seeds, futures and scale (common random numbers), so the difference is the levers'
    effect and not chance. Measures are suffixed ``_diff``; a component is kept when it costs
    something in either run."""
    a, b = yearly(results), yearly(versus)
    if a.shape != b.shape or _scale(results) != _scale(versus):
        raise ValueError(f"runs of different sizes compared: {a.shape[0]} and {b.shape[0]} futures, "
                         f"scale {_scale(results):g} and {_scale(versus):g}")
    if [(r.seed, r.replications) for r in results] != [(r.seed, r.replications) for r in versus]:
        raise ValueError("runs with different seeds compared: a difference needs the same seeds (common random numbers)")
    keep = np.any(a != 0, axis=(0, 1, 3)) | np.any(b != 0, axis=(0, 1, 3))
    return table(a - b, keep, suffix="_diff")


def table(y: np.ndarray, keep: np.ndarray | None = None, suffix: str = "") -> pd.DataFrame:
    """Rows of ``COLUMNS`` from yearly costs per future (reps, years, components, measures),
    with the total over components; ``keep`` says which components get rows (default: those
    that cost something in some future)."""
    if keep is None:
        keep = np.any(y != 0, axis=(0, 1, 3))
    y = np.concatenate([y, y.sum(axis=2, keepdims=True)], axis=2)
    names = (*COMPONENTS, TOTAL)
    keep = np.append(keep, True)
    mean, p05, p95 = y.mean(0), np.quantile(y, 0.05, axis=0), np.quantile(y, 0.95, axis=0)
    rows = [{"year": year, "component": name, "measure": m + suffix, "mean": float(mean[j, c, k]),
             "p05": float(p05[j, c, k]), "p95": float(p95[j, c, k])}
            for j, year in enumerate(YEARS) for c, name in enumerate(names) if keep[c]
            for k, m in enumerate(MEASURES)]
    return pd.DataFrame(rows, columns=COLUMNS)


# ---------------------------------------------------------------- labels and benefit groups

# Dagpenge: the municipality's co-financing before the beskæftigelsestilskud, the block grant that
# gives back what the region's unemployment trend gives back (docs/model.md §4.3).
BEFORE_GRANT_DA, BEFORE_GRANT_EN = "før beskæftigelsestilskud", "before the employment grant"
LABELS_DA = {**{s.name: states.LABELS_DA[s] for s in states.State},
             "unemployment_insurance": f"{states.LABELS_DA[states.State.unemployment_insurance]} "
                                       f"(medfinansiering, {BEFORE_GRANT_DA})",
             "offers": "Tilbud (løntilskud)",
             "integration_grants": "Integrationstilskud (resultattilskud og bonus; indtægt)",
             "casework": "Sagsbehandling og indsats i ressourceforløb og jobafklaring (følger antallet på ydelse)",
             "effort_caseworkers": "Indsats: sagsbehandleres ekstra samtaler og planer",
             "effort_consultants": "Indsats: virksomhedskonsulenter",
             "effort_offers": "Indsats: drift af praktik, nytteindsats og løntilskud, mentorer",
             "effort_courses": "Indsats: kurser, mentorer og indsats i ressourceforløb og jobafklaring",
             "effort_igu": "Indsats: IGU (godtgørelse og bonus)",
             TOTAL: "I alt"}
LABELS_EN = {**{s.name: states.LABELS_EN[s] for s in states.State},
             "unemployment_insurance": f"{states.LABELS_EN[states.State.unemployment_insurance]} "
                                       f"(co-financing, {BEFORE_GRANT_EN})",
             "offers": "Offers (wage subsidy)",
             "integration_grants": "Integration grants (result grants and bonus; income)",
             "casework": "Casework and indsats in resource courses and job clarification (follows the number on benefits)",
             "effort_caseworkers": "Effort: caseworkers' extra talks and plans",
             "effort_consultants": "Effort: company consultants",
             "effort_offers": "Effort: running internships, nytteindsats and wage subsidy, mentors",
             "effort_courses": "Effort: courses, mentors and indsats in resource courses and job clarification",
             "effort_igu": "Effort: IGU (allowance and bonus)",
             TOTAL: "Total"}
MEASURE_LABELS = {
    "da": {"gross_dkk": "Bruttoudgift", "state_refusion_dkk": "Statslig refusion",
           "municipal_net_dkk": "Kommunal nettoudgift", "state_net_dkk": "Statens nettoudgift",
           "public_net_dkk": "Offentlig nettoudgift i alt"},
    "en": {"gross_dkk": "Gross spending", "state_refusion_dkk": "State refusion",
           "municipal_net_dkk": "Municipal net cost", "state_net_dkk": "The state's net cost",
           "public_net_dkk": "Public net cost in total"},
}

# Benefit groups as a budget shows them (the app's chart and tables): (key, Danish, English, components).
GROUPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("dagpenge", f"A-dagpenge (medfinansiering, {BEFORE_GRANT_DA})",
     f"Unemployment insurance (co-financing, {BEFORE_GRANT_EN})", ("unemployment_insurance",)),
    ("cash", "Kontanthjælp", "Cash benefit", tuple(s.name for s in states.CASH_BENEFIT)),
    ("education_benefit", "Uddannelseshjælp", "Education benefit", tuple(s.name for s in states.EDUCATION_BENEFIT)),
    ("integration", "Integrationsydelse", "Integration benefit", ("integration_benefit",)),
    ("sick", "Sygedagpenge og jobafklaring", "Sickness benefit and job clarification",
     tuple(s.name for s in states.SICK)),
    ("resource", "Ressourceforløb", "Resource courses", ("resource_course",)),
    ("flex", "Fleksjob og ledighedsydelse", "Flex-jobs and flex-job unemployment benefit",
     ("flexjob", "flexjob_unemployment")),
    ("pension", "Førtidspension (medfinansiering)", "Disability pension (co-financing)", ("disability_pension",)),
    ("offers", "Løntilskud", "Wage subsidy", ("offers",)),
    ("grants", "Integrationstilskud (indtægt)", "Integration grants (income)", ("integration_grants",)),
    ("casework", "Sagsbehandling (følger antallet på ydelse)", "Casework (follows the number on benefits)",
     ("casework",)),
    ("effort_staff", "Indsats: sagsbehandlere og virksomhedskonsulenter", "Effort: caseworkers and company consultants",
     ("effort_caseworkers", "effort_consultants")),
    ("effort_activities", "Indsats: drift af tilbud, mentorer, kurser og IGU",
     "Effort: running offers, mentors, courses and IGU", ("effort_offers", "effort_courses", "effort_igu")),
)
EFFORT_GROUPS = ("effort_staff", "effort_activities")


def label(component: str, lang: str = "da") -> str:
    """The Danish (or English) name of a cost component or ``total``."""
    return (LABELS_DA if lang == "da" else LABELS_EN)[component]


def group_label(key: str, lang: str = "da") -> str:
    return next(da if lang == "da" else en for k, da, en, _ in GROUPS if k == key)


def by_group(y: np.ndarray) -> np.ndarray:
    """Yearly costs per future (reps, years, components, measures) summed into ``GROUPS``:
    (reps, years, groups, measures). Every component with a cost belongs to one group."""
    index = {c: i for i, c in enumerate(COMPONENTS)}
    return np.stack([y[:, :, [index[c] for c in comps]].sum(axis=2) for _, _, _, comps in GROUPS], axis=2)
