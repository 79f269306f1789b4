"""What a scenario changes, before anything runs (``python -m model run SCENARIO --dry-run`` and the
app's scenario box): which levers differ from 2016 practice and from the plan, per year; which
inputs differ from the municipality's own forecast and which assumptions the scenario sets; how
many citizens of July 2016 each changed lever can touch; and, where it is so, that the scenario
changes nothing.

Whom a lever can touch is data (``data/reach.toml``: state groups of ``states.py``, under 30 or
not); the count is the July 2016 stock of those states in the municipality's profile, the
population every run starts from. Nothing is simulated: the answer is immediate.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from model import paths
from model.calendar import PLAN_YEARS
from model.inputs import assumptions, levers, params
from model.inputs.municipalities import Municipality
from model.inputs.scenario import Scenario
from model.reports.numbers import fmt_value
from model.states import GROUPS, LABELS_DA, LABELS_EN, State

INPUT_LABELS = {"refugees_per_year": ("Flygtninge boligplaceret pr. år", "Refugees housed per year"),
                "labour_demand": ("Efterspørgsel efter arbejdskraft (2016 = 1)", "Labour demand (2016 = 1)")}
TITLE = {"da": "Hvad ændrer scenariet?", "en": "What does the scenario change?"}
COLUMNS = ["kind", "key", "label", "year", "value", "practice_2016", "plan", "profile", "differs_from_2016",
           "differs_from_plan", "citizens_july_2016"]


@cache
def reach() -> dict[str, dict]:
    """Whom each lever can touch (``data/reach.toml``)."""
    return params.read_toml(paths.DATA / "reach.toml")


def reached_states(key: str) -> tuple[tuple[State, ...], bool]:
    """The states a lever acts on and whether only on those under 30."""
    r = reach()[key]
    states = [s for g in r.get("groups", []) for s in GROUPS[g]] + [State[s] for s in r.get("states", [])]
    return tuple(dict.fromkeys(states)), bool(r.get("young", False))


def citizens(key: str, municipality: Municipality) -> int:
    """Citizens of July 2016 (the profile's stocks) the lever can touch."""
    states, young = reached_states(key)
    stocks = municipality.stocks
    return int(round(sum(stocks[s.name]["count"] * (stocks[s.name]["young"] if young else 1.0)
                         for s in states if s.name in stocks)))


def who_words(key: str, municipality: Municipality, lang: str = "en") -> str:
    """'can touch 1,920 citizens in July 2016 (unemployment insurance benefit; cash benefit, job-ready)'."""
    da = lang == "da"
    states, young = reached_states(key)
    labels = LABELS_DA if da else LABELS_EN
    who = "; ".join(labels[s][0].lower() + labels[s][1:] for s in states)
    n = citizens(key, municipality)
    count = f"{n:,}".replace(",", ".") if da else f"{n:,}"
    under = (" under 30 år" if da else " under 30") if young else ""
    extra = reach()[key].get("also_da" if da else "also_en")
    extra = f", {extra}" if extra else ""
    return (f"kan nå {count} borgere{under} i juli 2016 ({who}{extra})" if da else
            f"can touch {count} citizens{under} in July 2016 ({who}{extra})")


def _same(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-12


@dataclass
class DryRun:
    """A scenario's changes: ``rows`` (one per lever, input or assumption and year), as ``table``
    and ``text``."""

    scenario: Scenario
    rows: list[dict]

    @property
    def changed_levers(self) -> list[str]:
        return list(dict.fromkeys(r["key"] for r in self.rows if r["kind"] == "lever" and r["differs_from_2016"]))

    @property
    def off_plan(self) -> list[str]:
        return list(dict.fromkeys(r["key"] for r in self.rows if r["kind"] == "lever" and r["differs_from_plan"]))

    @property
    def changed_inputs(self) -> list[str]:
        return list(dict.fromkeys(r["key"] for r in self.rows if r["kind"] == "input" and r["differs_from_2016"]))

    @property
    def set_assumptions(self) -> list[str]:
        return [r["key"] for r in self.rows if r["kind"] == "assumption" and r["differs_from_2016"]]

    @property
    def nothing(self) -> bool:
        """True when the scenario is 2016 practice with the municipality's own inputs and the
        model's assumptions: running it shows what happens without a policy change."""
        return not (self.changed_levers or self.changed_inputs or self.set_assumptions)

    def table(self, lang: str = "en") -> pd.DataFrame:
        """One row per lever, input and set assumption and year: the scenario's value beside 2016
        practice, the plan and the profile's forecast, whether it differs, whom a lever can touch."""
        df = pd.DataFrame(self.rows, columns=COLUMNS)
        df["label"] = df["label"].map(lambda x: x[0] if lang == "da" else x[1])
        return df

    def text(self, lang: str = "en") -> str:
        """The changes in words, then the levers and inputs that differ, as a table per year."""
        da = lang == "da"
        sc = self.scenario
        lines = [f"{sc.name} ({sc.municipality.name}) — " + ("tørkørsel: intet simuleres." if da else
                                                        "dry run: nothing is simulated.")]
        if self.nothing:
            lines.append("Scenariet ændrer intet: alle håndtag som praksis i 2016, kommunens egne forudsætninger og "
                         "modellens antagelser. Det viser, hvad der sker uden en ny indsats." if da else
                         "This scenario changes nothing: every lever at 2016 practice, the municipality's own inputs "
                         "and the model's assumptions. It shows what happens without a change of policy.")
        changed = self.changed_levers
        if changed:
            lines.append(f"Håndtag ændret fra praksis i 2016 ({len(changed)}):" if da else
                         f"Levers changed from 2016 practice ({len(changed)}):")
            lines += [f"  - {self._lever_words(k, lang)}" for k in changed]
        elif not self.nothing:
            lines.append("Alle håndtag som praksis i 2016." if da else "Every lever at 2016 practice.")
        off = [k for k in self.off_plan if levers.LEVERS[k].plan is not None]
        if off:
            lines.append(("Afviger fra planen: " if da else "Differ from the plan: ")
                         + "; ".join(self._plan_words(k, lang) for k in off) + ".")
        elif any(lv.plan is not None for lv in levers.LEVERS.values()):
            lines.append("Alle håndtag, planen sætter, som i planen." if da else
                         "Every lever the plan sets is as in the plan.")
        for k in self.changed_inputs:
            rows = [r for r in self.rows if r["kind"] == "input" and r["key"] == k and r["differs_from_2016"]]
            label = INPUT_LABELS[k][0 if da else 1]
            body = ", ".join(f"{r['year']}: {r['value']:g} ({'kommunens' if da else 'profile'} {r['profile']:g})"
                             for r in rows)
            lines.append(f"{'Forudsætning' if da else 'Input'} {label}: {body}.")
        for k in self.set_assumptions:
            a = assumptions.ASSUMPTIONS[k]
            value = sc.assumption_values[k]
            lines.append(f"{'Antagelse' if da else 'Assumption'} {a.label_da if da else a.label_en}: {value:g} "
                         f"({'modellens' if da else 'model'} {a.value:g}).")
        table = self._wide(lang)
        if len(table):
            lines += ["", ("Pr. år (scenariet; praksis 2016 og planen til sammenligning):" if da else
                           "Per year (the scenario; 2016 practice and the plan to compare):"), table.to_string()]
        return "\n".join(lines)

    def markdown(self, lang: str = "en") -> str:
        """The same as ``text``, for the app: the words as a list, the years as a Markdown table."""
        words = self.text(lang).split("\n\n")[0].splitlines()[1:]
        lines = [("- " + x.strip()[2:]) if x.startswith("  - ") else (x if x.endswith(":") else f"\n{x}\n")
                 for x in words]
        table = self._wide(lang)
        if len(table):
            head = ["", *table.columns]
            lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            lines += ["| " + " | ".join([str(i), *map(str, row)]) + " |" for i, row in zip(table.index, table.values)]
        return "\n".join(lines)

    def _lever_words(self, key: str, lang: str) -> str:
        lv = levers.LEVERS[key]
        da = lang == "da"
        years = [y for y in PLAN_YEARS if not _same(self.scenario.lever(key, y), lv.practice_2016)]
        values = [self.scenario.lever(key, y) for y in years]
        unit = "" if lv.unit_en.startswith("share") else f" {lv.unit(lang)}"
        if len(set(values)) == 1:
            body = f"{fmt_value(lv.practice_2016, lv.unit_en, lang)} → {fmt_value(values[0], lv.unit_en, lang)}{unit}"
        else:
            body = "; ".join(f"{y}: {fmt_value(v, lv.unit_en, lang)}" for y, v in zip(years, values)) + unit + (
                f" ({'praksis' if da else 'practice'} {fmt_value(lv.practice_2016, lv.unit_en, lang)})")
        span = (f" {'i' if da else 'in'} {years[0]}–{years[-1]}" if len(years) < len(PLAN_YEARS) and len(years) > 1
                else f" {'i' if da else 'in'} {years[0]}" if len(years) == 1 and len(PLAN_YEARS) > 1 else "")
        return f"{lv.label(lang)}: {body}{span}; {who_words(key, self.scenario.municipality, lang)}"

    def _plan_words(self, key: str, lang: str) -> str:
        lv = levers.LEVERS[key]
        plan = "planen" if lang == "da" else "plan"
        years = [y for y in PLAN_YEARS if not _same(self.scenario.lever(key, y), lv.plan[y])]
        pairs = [(fmt_value(self.scenario.lever(key, y), lv.unit_en, lang), fmt_value(lv.plan[y], lv.unit_en, lang))
                 for y in years]
        short = lv.label(lang).split(" (")[0]
        if len(set(pairs)) == 1:
            when = "" if len(years) == len(PLAN_YEARS) else f" {'i' if lang == 'da' else 'in'} " + ", ".join(map(str, years))
            return f"{short} {pairs[0][0]} ({plan} {pairs[0][1]}){when}"
        return short + " " + ", ".join(f"{y}: {v} ({plan} {p})" for y, (v, p) in zip(years, pairs))

    def _wide(self, lang: str) -> pd.DataFrame:
        """Levers and inputs that differ from 2016 practice or the plan: one row each, the years as
        columns, with 2016 practice and the plan beside them."""
        da = lang == "da"
        out = {}
        keys = list(dict.fromkeys([*self.changed_levers, *self.off_plan]))
        for k in keys:
            lv = levers.LEVERS[k]
            row = {("praksis 2016" if da else "2016 practice"): fmt_value(lv.practice_2016, lv.unit_en, lang),
                   ("planen" if da else "plan"): "/".join(dict.fromkeys(fmt_value(lv.plan[y], lv.unit_en, lang)
                                                                        for y in PLAN_YEARS)) if lv.plan else "–"}
            row.update({str(y): fmt_value(self.scenario.lever(k, y), lv.unit_en, lang) for y in PLAN_YEARS})
            out[lv.label(lang).split(" (")[0]] = row
        for k in self.changed_inputs:            # the profile's forecast is the plan's expectation
            profile = {r["year"]: r["profile"] for r in self.rows if r["kind"] == "input" and r["key"] == k}
            row = {("praksis 2016" if da else "2016 practice"): f"{profile[2016]:g}",
                   ("planen" if da else "plan"): "/".join(f"{profile[y]:g}" for y in PLAN_YEARS)}
            row.update({str(y): f"{self.scenario.inputs[k][y]:g}" for y in PLAN_YEARS})
            out[INPUT_LABELS[k][0 if da else 1]] = row
        return pd.DataFrame.from_dict(out, orient="index")


def explain(sc: Scenario) -> DryRun:
    """What ``sc`` changes (nothing is simulated)."""
    rows = []
    for key, lv in levers.LEVERS.items():
        n = citizens(key, sc.municipality)
        for y in PLAN_YEARS:
            v = sc.lever(key, y)
            plan = lv.plan[y] if lv.plan else None
            rows.append({"kind": "lever", "key": key, "label": (lv.label_da, lv.label_en), "year": y, "value": v,
                         "practice_2016": lv.practice_2016, "plan": plan, "profile": None,
                         "differs_from_2016": not _same(v, lv.practice_2016),
                         "differs_from_plan": plan is not None and not _same(v, plan), "citizens_july_2016": n})
    profile = sc.municipality.inputs
    for key, (label_da, label_en) in INPUT_LABELS.items():
        own = {int(y): v for y, v in profile[key].items()}
        for y in (2016, *PLAN_YEARS):
            v = sc.inputs[key][y]
            rows.append({"kind": "input", "key": key, "label": (label_da, label_en), "year": y, "value": v,
                         "practice_2016": None, "plan": None, "profile": own[y],
                         "differs_from_2016": not _same(v, own[y]), "differs_from_plan": False,
                         "citizens_july_2016": None})
    for key, a in assumptions.ASSUMPTIONS.items():
        v = sc.assumption_values[key]
        if not _same(v, a.value):
            rows.append({"kind": "assumption", "key": key, "label": (a.label_da, a.label_en), "year": None,
                         "value": v, "practice_2016": None, "plan": None, "profile": a.value,
                         "differs_from_2016": True, "differs_from_plan": False, "citizens_july_2016": None})
    return DryRun(sc, rows)
