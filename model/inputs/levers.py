"""Policy levers: what the municipality decides. Typed, bounded, per year 2017–2020.

The specifications (bounds, units, 2016 practice, the plan's value, labels, evidence and the
mechanism they act through) are data in ``data/levers.toml``; this module gives them a type.
"""
from __future__ import annotations

from dataclasses import dataclass

from model.calendar import PLAN_YEARS, REPORT_YEARS
from model.inputs import params


@dataclass(frozen=True)
class Lever:
    key: str
    kind: str                      # "int" or "float"
    min: float
    max: float
    unit_da: str
    unit_en: str
    practice_2016: float
    plan: dict[int, float] | None  # per plan year, or None where the plan sets no value
    group: str
    label_da: str
    label_en: str
    help_da: str
    help_en: str
    evidence: tuple[str, ...]
    mechanism: str
    step: float = 1.0              # one step as a planner moves it (drivers, goal-seek grid)
    helps: str = "up"              # the direction expected to help the plan's targets
    effort: str | None = None      # what one unit is as the jobcenter's work (to price it), where the lever is an effort

    def label(self, lang: str = "da") -> str:
        return self.label_da if lang == "da" else self.label_en

    def unit(self, lang: str = "da") -> str:
        return self.unit_da if lang == "da" else self.unit_en

    def allowed(self) -> str:
        fmt = (lambda x: f"{int(x)}") if self.kind == "int" else (lambda x: f"{x:g}")
        return f"{fmt(self.min)}–{fmt(self.max)}"

    def cast(self, value: float) -> float:
        return int(value) if self.kind == "int" else float(value)


def _per_year(value) -> dict[int, float] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return {int(y): v for y, v in value.items()}
    return {y: value for y in PLAN_YEARS}


def all_levers() -> dict[str, Lever]:
    """Every lever, in the order of the data file (the plan's grouping)."""
    out = {}
    for key, s in params.lever_specs().items():
        out[key] = Lever(
            key=key, kind=s["kind"], min=s["min"], max=s["max"], unit_da=s["unit_da"],
            unit_en=s["unit_en"], practice_2016=s["practice_2016"], plan=_per_year(s.get("plan")),
            group=s["group"], label_da=s["label_da"], label_en=s["label_en"], help_da=s["help_da"],
            help_en=s["help_en"], evidence=tuple(s["evidence"]), mechanism=s["mechanism"],
            step=s["step"], helps=s["helps"], effort=s.get("effort"),
        )
    return out


LEVERS = all_levers()
GROUPS = {
    "young": ("Unge", "Young people"),
    "job_ready": ("Jobparate og forsikrede ledige", "Job-ready and insured unemployed"),
    "sick": ("Sygemeldte", "Sick-listed"),
    "resource": ("Ressourceforløb og fleksjob", "Resource courses and flex-jobs"),
    "refugees": ("Flygtninge", "Refugees"),
}


def resolve(values: dict[str, dict[int, float] | float]) -> dict[str, dict[int, float]]:
    """Lever values for every report year: 2016 is always 2016 practice; a plan year without a
    value takes the previous year's (so a lever set from 2018 keeps 2016 practice in 2017)."""
    out: dict[str, dict[int, float]] = {}
    for key, lever in LEVERS.items():
        given = _per_year(values.get(key)) or {}
        row: dict[int, float] = {}
        prev = lever.practice_2016
        for year in REPORT_YEARS:
            if year in given:
                prev = given[year]
            row[year] = lever.cast(prev)
        row[2016] = lever.cast(lever.practice_2016)
        out[key] = row
    return out


def practice_2016() -> dict[str, dict[int, float]]:
    return resolve({})


def plan_values() -> dict[str, dict[int, float]]:
    return resolve({k: v.plan for k, v in LEVERS.items() if v.plan is not None})
