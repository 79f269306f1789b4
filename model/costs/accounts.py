"""What the simulated futures cost: the engines' monthly cost accounts as yearly tables.

Every run accounts, per replication, month and cost component (a benefit state, ``offers``,
``integration_grants``; see ``cost_rules``), the gross spending, the state's refusion and the
municipality's net (gross = refusion + net). Here they become yearly sums for the whole
municipality (divided by the run's scale, like every count) and a tidy summary over futures.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from model import calendar, states
from model.sim.context import RunResult
from model.sim.cost_rules import COMPONENTS

MEASURES = ("gross_dkk", "state_refusion_dkk", "municipal_net_dkk")
YEARS = calendar.PLAN_YEARS                 # whole calendar years simulated (2016 is half a year)
NET = MEASURES.index("municipal_net_dkk")
TOTAL = "total"
COLUMNS = ["year", "component", "measure", "mean", "p05", "p95"]


def _scale(results: list[RunResult]) -> float:
    scales = {float(r.scale) for r in results}
    if len(scales) != 1:
        raise ValueError(f"results of different scales mixed: {sorted(scales)}")
    return scales.pop()


def yearly(results: list[RunResult]) -> np.ndarray:
    """Costs per future, year (``YEARS``), component and measure, in DKK for the whole
    municipality: array (replications, years, components, measures)."""
    costs = np.concatenate([r.costs for r in results]) / _scale(results)      # (reps, months, comps, 3)
    year_of = np.asarray(calendar.YEAR_OF)
    return np.stack([costs[:, year_of == y].sum(axis=1) for y in YEARS], axis=1)


def municipal_net(results: list[RunResult], years: tuple[int, ...] = YEARS) -> np.ndarray:
    """The municipality's net cost over ``years`` (all components) per future, DKK."""
    y = yearly(results)
    pick = [YEARS.index(year) for year in years]
    return y[:, pick][..., NET].sum(axis=(1, 2))       # (not y[:, pick, :, NET]: numpy moves that axis first)


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

LABELS_DA = {**{s.name: states.LABELS_DA[s] for s in states.State},
             "offers": "Tilbud (løntilskud og driftsudgifter)",
             "integration_grants": "Integrationstilskud (resultattilskud og bonus; indtægt)",
             TOTAL: "I alt"}
LABELS_EN = {**{s.name: states.LABELS_EN[s] for s in states.State},
             "offers": "Offers (wage subsidy and operating costs)",
             "integration_grants": "Integration grants (result grants and bonus; income)",
             TOTAL: "Total"}
MEASURE_LABELS = {
    "da": {"gross_dkk": "Bruttoudgift", "state_refusion_dkk": "Statslig refusion",
           "municipal_net_dkk": "Kommunal nettoudgift"},
    "en": {"gross_dkk": "Gross spending", "state_refusion_dkk": "State refusion",
           "municipal_net_dkk": "Municipal net cost"},
}

# Benefit groups as a budget shows them (the app's chart and tables): (key, Danish, English, components).
GROUPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("dagpenge", "A-dagpenge (medfinansiering)", "Unemployment insurance (co-financing)",
     ("unemployment_insurance",)),
    ("cash", "Kontanthjælp", "Cash benefit", tuple(s.name for s in states.CASH_BENEFIT)),
    ("education_benefit", "Uddannelseshjælp", "Education benefit", tuple(s.name for s in states.EDUCATION_BENEFIT)),
    ("integration", "Integrationsydelse", "Integration benefit", ("integration_benefit",)),
    ("sick", "Sygedagpenge og jobafklaring", "Sickness benefit and job clarification",
     tuple(s.name for s in states.SICK)),
    ("resource", "Ressourceforløb", "Resource courses", ("resource_course",)),
    ("flex", "Fleksjob og ledighedsydelse", "Flex-jobs and flex-job unemployment benefit",
     ("flexjob", "flexjob_unemployment")),
    ("pension", "Førtidspension (medfinansiering)", "Disability pension (co-financing)", ("disability_pension",)),
    ("offers", "Tilbud (løntilskud og drift)", "Offers (wage subsidy and operations)", ("offers",)),
    ("grants", "Integrationstilskud (indtægt)", "Integration grants (income)", ("integration_grants",)),
)


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
