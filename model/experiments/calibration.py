"""Calibration: fit base hazards marked as assumptions so that, under 2016 practice, the model
reproduces the duration profiles and stocks it is judged by (``data/calibration.toml``).

The objective is simulated: each evaluation runs the fast engine on the baseline scenario with
fixed seeds (so calibrating twice from the same seed gives the same values), and
``scipy.optimize.least_squares`` minimises the relative errors. The fitted values are written
into ``data/fitted.toml`` with the record of the fit (never into the sourced ``data/hazards.toml``)."""
from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from scipy.optimize import least_squares

from model import calendar, paths
from model.inputs import params, scenario
from model.sim import engine
from model.sim.citizens import popcount
from model.states import N_STATES, State

S = State
# Below this scale the simulated objective is mostly noise: with 8 replications the spread of a
# target over 10 seeds is at most 15 % of the target (median 6 %) at 0.1, at 0.05 16 % (8 %),
# at 0.01 52 % (16 %).
MIN_SCALE = 0.1


# The national follow-up of the cash-benefit stock (data/followup.toml): where the July 2016
# recipients of kontanthjælp, uddannelseshjælp and integrationsydelse stand after 19 and 30 months.
CASH_TYPE = (S.cash_benefit_jobready, S.cash_benefit_activity, S.education_benefit_obvious, S.education_benefit_ready,
             S.education_benefit_activity, S.integration_benefit)
FOLLOW_UP_GROUPS = {
    "still": CASH_TYPE, "employment": (S.employed, S.igu), "education": (S.education,),
    "self_support": (S.outside_labour_force,),
    "other_benefit": (S.unemployment_insurance, S.sickness_benefit, S.job_clarification, S.resource_course,
                      S.flexjob_unemployment, S.flexjob, S.disability_pension),
}
FOLLOW_UP_MONTHS = (19, 30)


def followup() -> dict:
    return params.read_toml(paths.DATA / "followup.toml")


def followup_targets() -> dict[str, dict]:
    """The follow-up's shares as calibration targets: {key: {value, tolerance, source}}, shares of
    the cohort still in the labour-market population (data/followup.toml says how)."""
    f = followup()
    m19, m30, tol = f["months_19"], f["months_30"], f["tolerance"]
    andet = m19["other_benefit"] * m19["andet_share_of_other"]
    base19 = f["cohort"] - andet
    base30 = f["cohort"] * (1 - m30["andet_share_of_cohort"])
    src19, src30 = "src:BEU326-2018; src:JV-KH2018 (andet left out; derived)", "src:NB-KH2019 (derived)"
    out = {f"followup_{k}_19m": {"value": v / base19, "tolerance": tol["still"] if k == "still" else tol["share"],
                                 "source": src19}
           for k, v in (("still", m19["still"]), ("employment", m19["employment"]), ("education", m19["education"]),
                        ("self_support", m19["self_support"]), ("other_benefit", m19["other_benefit"] - andet))}
    out["followup_still_30m"] = {"value": (f["cohort"] - m30["left"]) / base30, "tolerance": tol["months_30"],
                                 "source": src30}
    out["followup_employment_or_education_30m"] = {
        "value": m30["left"] * m30["employed_or_education_share_of_left"] / base30, "tolerance": tol["months_30"],
        "source": src30}
    return out


def spec() -> dict:
    """What the calibration fits, to which targets: calibration.toml, plus the follow-up's shares
    (each target's scale is its tolerance)."""
    sp = params.read_toml(paths.DATA / "calibration.toml")
    sp["target"] = sp["target"] + [{"key": k, "value": v["value"], "scale": v["tolerance"], "source": v["source"]}
                                   for k, v in followup_targets().items()]
    return sp


def hazards_with(values: dict[str, float], parameters: list[dict]) -> params.HazardTable:
    """The base hazards with the calibrated parameters set to ``values``."""
    return params.hazard_table({(p["state"], p["from"], p["destination"], p["group"]): values[p["key"]]
                                for p in parameters})


class Measure:
    """The calibration targets, measured from one run (an engine observer)."""

    def __init__(self, reps: int, scale: float):
        self.scale = scale
        self.prev = None
        self.dp_at_risk = np.zeros(60)
        self.dp_exit = np.zeros(60)
        self.sick_at_risk = np.zeros(12)
        self.sick_exit = np.zeros(12)
        self.refugees = {12: np.zeros(2), 36: np.zeros(2)}      # (employed, all) at 12 and 36 months
        self.values: dict[str, float] = {}
        self.cohort: np.ndarray | None = None                   # ids of the status month's cash-type stock

    def follow_up(self, t, stores) -> None:
        """The status month's cash-type recipients, followed by id: where they are 19 and 30
        months on, as shares of those still in the population and not retired."""
        ids = np.concatenate([c.id for c in stores])
        st = np.concatenate([c.state for c in stores])
        if t == 0:
            self.cohort = ids[np.isin(st, CASH_TYPE)]
            return
        if t not in FOLLOW_UP_MONTHS or self.cohort is None:
            return
        now = np.full(int(max(ids.max(), self.cohort.max())) + 1, N_STATES)
        now[ids] = st
        got = now[self.cohort]
        present = (got < N_STATES) & (got != S.retired)
        n = max(int(present.sum()), 1)
        share = {k: float(np.isin(got, states).sum()) / n for k, states in FOLLOW_UP_GROUPS.items()}
        if t == FOLLOW_UP_MONTHS[0]:
            for k, v in share.items():
                self.values[f"followup_{k}_19m"] = v
        else:
            self.values["followup_still_30m"] = share["still"]
            self.values["followup_employment_or_education_30m"] = share["employment"] + share["education"]

    def __call__(self, t, stores):
        self.follow_up(t, stores)
        alive = [c.state < N_STATES for c in stores]             # departed rows may repeat an id
        ids = np.concatenate([c.id[a] for c, a in zip(stores, alive)])
        st = np.concatenate([c.state[a] for c, a in zip(stores, alive)])
        mis = np.concatenate([c.mis[a] for c, a in zip(stores, alive)])
        if self.prev is not None:
            pid, pst, pmis = self.prev
            order = np.argsort(ids)
            pos = np.minimum(np.searchsorted(ids[order], pid), ids.size - 1)
            now = np.where(ids[order][pos] == pid, st[order][pos], N_STATES)
            for state, at_risk, exits in ((S.unemployment_insurance, self.dp_at_risk, self.dp_exit),
                                          (S.sickness_benefit, self.sick_at_risk, self.sick_exit)):
                sel = (pst == state) & (pmis < at_risk.size)
                np.add.at(at_risk, pmis[sel], 1)
                np.add.at(exits, pmis[sel], now[sel] != state)
        self.prev = (ids, st, mis)
        # Refugees who arrived in the window, 12 and 36 months after arrival: in work (or IGU)?
        for months, tally in self.refugees.items():
            for c in stores:
                r = c.refugee & (c.state < N_STATES) & (c.arrival == t - months) & (c.arrival >= 1)
                tally[0] += int((r & ((c.state == S.employed) | (c.state == S.igu))).sum())
                tally[1] += int(r.sum())
        if t == calendar.year_end_index(2016):
            self.values["dp_stock_end_2016"] = float((st == S.unemployment_insurance).sum()) / self.scale
            self.values["sick_stock_end_2016"] = float((st == S.sickness_benefit).sum()) / self.scale
        if t == calendar.year_end_index(2017):
            dp = [c for c in stores]
            n = sum(int((c.state == S.unemployment_insurance).sum()) for c in dp)
            rule = params.rules()["long_term_unemployment"]
            lt = sum(int(((c.state == S.unemployment_insurance)
                          & (popcount(c.dp_hist, rule["window_months"]) >= rule["min_months"])).sum()) for c in dp)
            self.values["dp_long_term_share"] = lt / max(n, 1)

    def add_result(self, result) -> None:
        """Exit mixes and the education share, from the run's flows and indicators."""
        flows = result.flows.sum(axis=(0, 1)).astype(float)              # from, to
        out = flows.sum(axis=1) + result.leavers.sum(axis=(0, 1))
        jaf, rf = S.job_clarification, S.resource_course
        unemployment = [S.unemployment_insurance, S.cash_benefit_jobready, S.cash_benefit_activity,
                        S.education_benefit_obvious, S.education_benefit_ready, S.education_benefit_activity]
        self.values["clarification_exit_share_employed"] = flows[jaf, S.employed] / max(out[jaf], 1)
        self.values["clarification_exit_share_unemployment"] = flows[jaf, unemployment].sum() / max(out[jaf], 1)
        self.values["resource_course_exit_share_pension"] = flows[rf, S.disability_pension] / max(out[rf], 1)
        self.values["resource_course_exit_share_flexjob"] = ((flows[rf, S.flexjob_unemployment] + flows[rf, S.flexjob])
                                                             / max(out[rf], 1))
        self.values["youth_to_education_2017"] = float(np.mean(
            [result.indicators(q)["youth_to_education"][2017] for q in range(result.replications)]))

    def results(self) -> dict[str, float]:
        for months, (employed, total) in self.refugees.items():
            years = months // 12
            self.values[f"refugees_employed_after_{years}_year" + ("s" if years > 1 else "")] = employed / max(total, 1)
        h = self.dp_exit / np.maximum(self.dp_at_risk, 1)
        surv = np.concatenate([[1.0], np.cumprod(1 - h)])
        k = int(np.argmax(surv < 0.5))                     # first month with survival below a half
        frac = (surv[k - 1] - 0.5) / max(surv[k - 1] - surv[k], 1e-9)
        self.values["dp_median_spell_weeks"] = (k - 1 + frac) * 52 / 12
        hs = self.sick_exit / np.maximum(self.sick_at_risk, 1)
        reassessed = params.rules()["sickness_benefit"]["reassessment_months"] - 1     # months before the 22 weeks
        self.values["sick_share_reaching_22_weeks"] = float(np.prod(1 - hs[:reassessed]))
        return self.values


def simulate(values: dict[str, float], parameters: list[dict], seed: int, reps: int, scale: float) -> dict[str, float]:
    base = scenario.load(paths.SCENARIOS / "baseline-2016.toml")
    m = Measure(reps, scale * reps)
    result = engine.FastEngine(base, seed, scale=scale, replications=reps,
                               hazards=hazards_with(values, parameters)).run(observer=m)
    m.add_result(result)
    return m.results()


def calibrate(seed: int = 1, reps: int = 8, scale: float = 0.3, targets: dict[str, float] | None = None,
              start: dict[str, float] | None = None, keys: list[str] | None = None, max_evaluations: int = 150,
              progress=None) -> dict:
    """Fit the parameters; returns {parameters, targets (value, fitted, error), cost, evaluations}.
    A scale below MIN_SCALE is refused (ValueError). ``progress()``, if given, is called after
    each simulated evaluation."""
    if not MIN_SCALE <= scale:
        raise ValueError(f"scale = {scale:g}, allowed {MIN_SCALE:g} or more for calibration (a noisier objective "
                         "fits noise)")
    sp = spec()
    parameters = [p for p in sp["parameter"] if keys is None or p["key"] in keys]
    tg = [t for t in sp["target"]]
    if targets is not None:
        tg = [dict(t, value=targets[t["key"]]) for t in tg if t["key"] in targets]
    current = {p["key"]: _current(p) for p in parameters}
    x0 = np.array([(start or current)[p["key"]] for p in parameters])
    lo = np.array([p["low"] for p in parameters])
    hi = np.array([p["high"] for p in parameters])
    evaluations = []

    def residuals(x):
        got = simulate(dict(zip([p["key"] for p in parameters], x)), parameters, seed, reps, scale)
        evaluations.append(got)
        if progress:
            progress()
        return np.array([(got[t["key"]] - t["value"]) / t["scale"] for t in tg])

    fit = least_squares(residuals, x0, bounds=(lo, hi), x_scale="jac", diff_step=0.3,
                        xtol=1e-4, ftol=1e-6, max_nfev=max_evaluations)
    fitted = dict(zip([p["key"] for p in parameters], fit.x))
    final = simulate(fitted, parameters, seed, reps, scale)
    return {"parameters": fitted, "start": dict(zip([p["key"] for p in parameters], x0)),
            "targets": {t["key"]: {"target": t["value"], "fitted": final[t["key"]],
                                   "error": final[t["key"]] - t["value"]} for t in tg},
            "cost": float(fit.cost), "evaluations": len(evaluations), "seed": seed, "replications": reps, "scale": scale}


def check(seed: int = 1, reps: int = 16, scale: float = 0.3, progress=None) -> dict:
    """The targets at the current fitted values, without fitting (``calibrate --check``): a record
    of values set by hand (docs/model.md §3.5), in the form ``calibrate`` returns."""
    if not MIN_SCALE <= scale:
        raise ValueError(f"scale = {scale:g}, allowed {MIN_SCALE:g} or more for calibration (a noisier objective "
                         "fits noise)")
    sp = spec()
    current = {p["key"]: _current(p) for p in sp["parameter"]}
    got = simulate(current, sp["parameter"], seed, reps, scale)
    if progress:
        progress()
    errors = {t["key"]: (got[t["key"]] - t["value"]) / t["scale"] for t in sp["target"]}
    return {"parameters": current, "start": dict(current),
            "targets": {t["key"]: {"target": t["value"], "fitted": got[t["key"]], "error": got[t["key"]] - t["value"]}
                        for t in sp["target"]},
            "cost": 0.5 * float(sum(e * e for e in errors.values())), "evaluations": 1, "seed": seed,
            "replications": reps, "scale": scale}


def _current(p: dict) -> float:
    raw = params.raw_hazards()
    row = next(r for r in raw[p["state"]] if r["from"] == p["from"])
    v = row[p["destination"]]
    if isinstance(v, dict):
        return v["older"] if p["group"] in ("older", "both") else v["young"]
    return v


def write_back(result: dict) -> None:
    """Write the fitted values and the record of the fit to data/fitted.toml (its own file: the
    sourced hazards of data/hazards.toml are never edited)."""
    path = paths.DATA / "fitted.toml"
    header = path.read_text(encoding="utf-8").split("\n[values]")[0].rstrip() + "\n"
    values = {**params.read_toml(path)["values"], **{k: round(float(v), 5) for k, v in result["parameters"].items()}}
    when = datetime.now(UTC).isoformat(timespec="seconds")
    method = result.get("method", "scipy.optimize.least_squares (trust region reflective), relative errors, "
                                  "simulated objective with fixed seeds")
    lines = ["", "[values]", *(f"{k} = {v!r}" for k, v in values.items()),
             "", "[record]", f'fitted = "{when}"', f'method = "{method}"',
             f"seed = {result['seed']}", f"replications = {result['replications']}", f"scale = {result['scale']}",
             f"evaluations = {result['evaluations']}", f"cost = {result['cost']:.6g}"]
    for k, t in result["targets"].items():
        lines.append(f"target_{k} = {{ target = {t['target']:.6g}, fitted = {t['fitted']:.6g}, error = {t['error']:.4g} }}")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    params.hazards.cache_clear()
