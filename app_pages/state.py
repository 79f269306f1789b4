"""The session: the levers' widget values, where they came from (the origin: a scenario file, an
uploaded file or a named scenario of this session), the scenario they make with its honest
name, the run applied, the link (URL) and its refused values."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache

import streamlit as st

from model import calendar, changes, levers, numbers, scenario

from .texts import SCENARIO_EN, UI

FILES = {p.stem: p for p in scenario.available()}
DEFAULT_SCENARIO = "plan-2017"
PRACTICE_SCENARIO = "baseline-2016"
# Levers with a value per year on offer: those the plan sets per year, the places, and the efforts
# (the plan scenario steps its efforts up year by year).
PER_YEAR = [k for k, lv in levers.LEVERS.items()
            if (lv.plan and len(set(lv.plan.values())) > 1) or lv.effort
            or k in ("internship_places", "wage_subsidy_places")]
NUMBER_BOX = [k for k, lv in levers.LEVERS.items() if lv.kind == "int" and lv.max - lv.min > 100]
REPS = (2, 200)
SEED = (0, 2**31 - 1)
ss = st.session_state


@dataclass(frozen=True)
class Origin:
    """Where the levers came from: a scenario's TOML, and its name and description per language."""

    kind: str            # "file", "upload" or "saved"
    key: str
    toml: str
    name_da: str
    name_en: str
    description_da: str
    description_en: str

    def name(self, lang: str) -> str:
        return self.name_da if lang == "da" else self.name_en

    def description(self, lang: str) -> str:
        return self.description_da if lang == "da" else self.description_en


@lru_cache(maxsize=64)
def parse(toml: str) -> scenario.Scenario:
    """A scenario from its TOML text (cached: the app parses the same few texts over and over)."""
    return scenario.parse(toml, where="app")


@lru_cache(maxsize=8)
def file_origin(stem: str) -> Origin:
    sc = scenario.load(FILES[stem])
    name_en, description_en = SCENARIO_EN.get(stem, (sc.name, sc.description))
    return Origin("file", stem, sc.to_toml(), sc.name, name_en, sc.description, description_en)


def scenario_origin(sc: scenario.Scenario, kind: str) -> Origin:
    """An uploaded or saved scenario: its own name and description in both languages."""
    return Origin(kind, sc.name, sc.to_toml(), sc.name, sc.name, sc.description, sc.description)


def file_name(stem: str, lang: str) -> str:
    return file_origin(stem).name(lang)


# ---------------------------------------------------------------- levers <-> widgets

def lever_values() -> dict:
    """The sidebar's lever values: one number, or one per plan year."""
    out = {}
    for key in levers.LEVERS:
        if ss.get(f"{key}__per_year"):
            out[key] = {y: ss[f"{key}__{y}"] for y in calendar.PLAN_YEARS}
        else:
            out[key] = ss[key]
    return out


def set_levers(sc: scenario.Scenario) -> None:
    """Put a scenario's lever values into the sidebar's widgets."""
    for key, lv in levers.LEVERS.items():
        row = {y: sc.lever(key, y) for y in calendar.PLAN_YEARS}
        ss[f"{key}__per_year"] = len(set(row.values())) > 1
        ss[key] = lv.cast(row[calendar.PLAN_YEARS[0]])
        for y, v in row.items():
            ss[f"{key}__{y}"] = lv.cast(v)


def set_origin(origin: Origin) -> None:
    ss["origin"] = asdict(origin)
    set_levers(parse(origin.toml))


def origin() -> Origin:
    return Origin(**ss["origin"])


# ---------------------------------------------------------------- the scenario the levers make

@lru_cache(maxsize=256)
def _build(values_json: str, origin_json: str, lang: str) -> tuple[scenario.Scenario, tuple[str, ...]]:
    values = json.loads(values_json)
    org = Origin(**json.loads(origin_json))
    base = parse(org.toml)
    moved = changes.lever_changes(base.lever_values, levers.resolve(
        {k: ({int(y): x for y, x in v.items()} if isinstance(v, dict) else v) for k, v in values.items()}))
    name, description = changes.name_and_description(org.name(lang), org.description(lang), moved, lang)
    return base.replace(levers=values, name=name, description=description), tuple(c.text(lang) for c in moved)


def build(values: dict, org: Origin, lang: str) -> tuple[scenario.Scenario, tuple[str, ...]]:
    """The scenario of these lever values, named after its origin (or as changed from it), and
    the list of changes in words."""
    return _build(json.dumps(values, sort_keys=True), json.dumps(asdict(org), sort_keys=True), lang)


def current(lang: str) -> tuple[scenario.Scenario, tuple[str, ...]]:
    return build(lever_values(), origin(), lang)


def snapshot() -> dict:
    """What a run applies: the lever values, their origin, seed and number of futures."""
    return {"values": json.loads(json.dumps(lever_values())), "origin": ss["origin"],
            "seed": int(ss["seed"]), "reps": int(ss["reps"])}


def applied(lang: str, which: str = "applied") -> tuple[scenario.Scenario, tuple[str, ...], dict]:
    snap = ss[which]
    sc, moved = build(snap["values"], Origin(**snap["origin"]), lang)
    return sc, moved, snap


def apply_run() -> None:
    """The run button: the current levers become the applied run (the one before is kept)."""
    snap = snapshot()
    if snap != ss.get("applied"):
        ss["previous"] = ss.get("applied")
    ss["applied"] = snap
    ss["url_refused"] = []


def is_stale() -> bool:
    return snapshot() != ss["applied"]


def save_named() -> None:
    """Keep the current levers under a name (for comparisons and as a start)."""
    lang = ss["lang"]
    name = (ss.get("save_name") or "").strip()
    if not name:
        ss["save_message"] = ("error", UI[lang]["save_empty"])
        return
    sc, _ = current(lang)
    ss.setdefault("saved", {})[name] = sc.replace(name=name).to_toml()
    ss["save_message"] = ("ok", UI[lang]["saved_ok"].format(n=name))


# ---------------------------------------------------------------- the link

def encode_query() -> dict:
    q = {"lang": ss["lang"], "seed": str(ss["seed"]), "reps": str(ss["reps"])}
    org = origin()
    if org.kind == "file":
        q["scenario"] = org.key
    for key, v in lever_values().items():
        q[key] = ",".join(f"{x:g}" for x in v.values()) if isinstance(v, dict) else f"{v:g}"
    return q


def apply_query() -> list[dict]:
    """Lever values from the URL (a shared link reproduces the view). A value that cannot be
    used is refused and listed (field, value, allowed range, the value kept instead)."""
    q = st.query_params
    refused = []
    lang = q.get("lang") if q.get("lang") in UI else ss["lang"]
    if "lang" in q and q["lang"] not in UI:
        refused.append({"field": "lang", "value": q["lang"], "allowed": "da, en", "kept": ss["lang"]})
    ss["lang"] = lang
    if "scenario" in q:
        if q["scenario"] in FILES:
            ss["scenario"] = q["scenario"]
            set_origin(file_origin(q["scenario"]))
        else:
            refused.append({"field": UI[lang]["scenario"], "value": q["scenario"], "allowed": ", ".join(FILES),
                            "kept": file_name(ss["scenario"], lang)})
    for key, label, (lo, hi) in (("seed", UI[lang]["seed"], SEED), ("reps", UI[lang]["reps"], REPS)):
        if key not in q:
            continue
        try:
            v = int(q[key])
            if not lo <= v <= hi:
                raise ValueError
            ss[key] = v
        except ValueError:
            refused.append({"field": label, "value": q[key], "allowed": f"{lo}–{hi}", "kept": str(ss[key])})
    for key, lv in levers.LEVERS.items():
        if key not in q:
            continue
        try:
            parts = [float(x) for x in q[key].split(",")]
            ok = len(parts) in (1, len(calendar.PLAN_YEARS)) and all(
                lv.min <= x <= lv.max and (lv.kind != "int" or x == int(x)) for x in parts)
        except ValueError:
            ok = False
        if not ok:
            kept = ss[key] if not ss.get(f"{key}__per_year") else ss[f"{key}__{calendar.PLAN_YEARS[0]}"]
            refused.append({"field": lv.label(lang), "value": q[key],
                            "allowed": _allowed(lv, lang), "kept": numbers.fmt_value(kept, lv.unit_en, lang)})
            continue
        parts = [lv.cast(x) for x in parts]
        if len(parts) == len(calendar.PLAN_YEARS):
            ss[f"{key}__per_year"] = True
            for y, x in zip(calendar.PLAN_YEARS, parts):
                ss[f"{key}__{y}"] = x
            ss[key] = parts[0]
        else:
            ss[f"{key}__per_year"] = False
            ss[key] = parts[0]
    return refused


def _allowed(lv: levers.Lever, lang: str) -> str:
    if lv.unit_en.startswith("share"):
        return f"{numbers.fmt_value(lv.min, lv.unit_en, lang)}–{numbers.fmt_value(lv.max, lv.unit_en, lang)} " + \
            ("(som andel, fx 0.4)" if lang == "da" else "(as a share, e.g. 0.4)")
    return lv.allowed()


def init() -> None:
    """Once per session: defaults, the plan's levers, then whatever the link says."""
    if ss.get("initialized"):
        return
    for key, value in {"lang": "da", "scenario": DEFAULT_SCENARIO, "seed": 1, "reps": 30, "saved": {}}.items():
        ss.setdefault(key, value)
    set_origin(file_origin(ss["scenario"]))
    ss["url_refused"] = apply_query()
    ss["applied"] = snapshot()
    ss["previous"] = None
    ss["initialized"] = True
