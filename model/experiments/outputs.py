"""Self-describing outputs: the batch's tables, their columns, units and descriptions, from one
source.

``COLUMNS`` names every column a batch writes with its unit and description; ``FILES`` says
which columns each file holds. Every Parquet file is written through ``to_parquet``, which puts
the unit and description into each column's metadata (``pyarrow`` field metadata ``unit`` and
``description``), and ``markdown`` renders the same source as the data dictionary
(docs/outputs.md; ``python -m model.experiments.outputs > docs/outputs.md``; a test keeps it current and
checks it against the files). Lever and assumption columns are described from their own data
(``data/levers.toml``, ``data/effects.toml``).

Months are dates (the first day of the month); every row of the indicator tables and the summary
carries the lever values in force that year and the assumption values of its scenario as
columns (BehaviorSpace style) beside the scenario id. The monthly and yearly tables hold the
same indicators (``indicators.INDICATORS``).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from model import calendar
from model.costs import accounts
from model.inputs import assumptions, levers
from model.sim import indicators
from model.states import State

# Months as timestamps (the first day of the month): Parquet's timestamp type, which pandas reads back
# as datetimes (a date type would read back as plain Python objects).
MONTH_DATES = np.array([date(*calendar.year_month(t), 1) for t in range(calendar.N_MONTHS)], dtype="datetime64[ms]")
ASSUMPTION_PREFIX = "assumption_"
STATE_NAMES = ", ".join(s.name for s in State)


@dataclass(frozen=True)
class Column:
    unit: str
    description: str


COLUMNS: dict[str, Column] = {
    "scenario_id": Column("", "the scenario's id: its hash (a sweep point's or a sensitivity point's id); "
                              "manifest.json and scenarios.parquet hold its text and values"),
    "scenario": Column("", "the scenario's label (a sweep point names its values)"),
    "replication": Column("", "the future's number within the batch (0 first); the same number is the same "
                              "seed in every scenario (common random numbers)"),
    "month": Column("date", "the calendar month (its first day); 2016-07 is the status month"),
    "year": Column("year", "the calendar year; 2016 is the status month (2016-07)"),
    "indicator": Column("", "the plan's indicator: " + ", ".join(indicators.INDICATORS)),
    "value": Column("persons or share", "the indicator's value: a count of persons (count indicators) or a share "
                                        "0–1; undefined (NaN) when nobody is in a share's denominator. Monthly "
                                        "youth_to_education is the month's starts per young recipient, times 12"),
    "kind": Column("", "count (persons) or share (0–1): how the indicator is scaled"),
    "state": Column("", "the benefit state: " + STATE_NAMES),
    "count": Column("persons", "persons (in the state at the month's end, or moving)"),
    "flow": Column("", "move (from_state to to_state), entrant (arrived in to_state) or leaver "
                       "(left the population from from_state)"),
    "from_state": Column("", "the state at the end of the month before (empty for entrants)"),
    "to_state": Column("", "the state at the end of the month (empty for leavers)"),
    "component": Column("", "what is paid for: a benefit state, integration_grants (cost_rules), casework or the "
                            "effort: effort_caseworkers, effort_consultants, effort_offers, ... (costs.effort; "
                            "docs/model.md §4.7)"),
    "measure": Column("", "gross_dkk (the spending), state_refusion_dkk (the state's refusion), municipal_net_dkk "
                          "(gross less refusion: the municipality's cost, dagpenge before the beskæftigelsestilskud), "
                          "state_net_dkk (the state's) or public_net_dkk (the two together)"),
    "dkk": Column("DKK", "kroner spent in the year (nominal)"),
    "runs": Column("futures", "futures (replications) summarised"),
    "undefined_runs": Column("futures", "futures in which the value is undefined (nobody in the denominator)"),
    "mean": Column("persons or share", "mean over futures (counts for the whole municipality)"),
    "p05": Column("persons or share", "5 % quantile over futures (counts for the whole municipality)"),
    "p50": Column("persons or share", "median over futures (counts for the whole municipality)"),
    "p95": Column("persons or share", "95 % quantile over futures (counts for the whole municipality)"),
    "target": Column("persons or share", "the plan's target for the year (empty where it sets none)"),
    "share_meeting_target": Column("share", "share of futures on the right side of the target"),
    "scale": Column("× municipality", "the population scale simulated (1 = the whole municipality)"),
    "counts_scaled": Column("", "true: counts are for the whole municipality (simulated ÷ scale); false: "
                                "counts as simulated at the row's scale"),
    "citizen": Column("", "the citizen's number within the job's run (fixed for the citizen's life)"),
    "offer": Column("", "the offer the citizen is in: none, internship_private, internship_public, wage_subsidy"),
    "months_in_state": Column("months", "months in the current state (0 = its first month)"),
    "age": Column("years", "age in whole years"),
    "male": Column("", "true for men"),
    "refugee": Column("", "true for refugees (arrived as such)"),
    "educated": Column("", "true with a vocational or higher education"),
    "insured": Column("", "true for members of an unemployment insurance fund (a-kasse)"),
    "partial": Column("", "true on a partial return to work (sickness benefit, job clarification)"),
}

# File -> (description, its fixed columns, whether lever and assumption columns follow).
FILES: dict[str, tuple[str, list[str], bool]] = {
    "summary.parquet": ("scenario × indicator × year over all futures (also summary.csv); counts for the whole "
                        "municipality", ["scenario_id", "scenario", "indicator", "kind", "year", "runs",
                                         "undefined_runs", "mean", "p05", "p50", "p95", "target",
                                         "share_meeting_target", "scale", "counts_scaled"], True),
    "scenarios.parquet": ("scenario × year: the lever values in force and the assumption values (join on "
                          "scenario_id and year)", ["scenario_id", "scenario", "year"], True),
    "indicators.parquet": ("per job: replication × month × indicator, as simulated",
                           ["scenario_id", "replication", "month", "indicator", "kind", "value", "scale",
                            "counts_scaled"], True),
    "yearly.parquet": ("per job: replication × year × indicator, as simulated (the same indicators)",
                       ["scenario_id", "replication", "year", "indicator", "kind", "value", "scale",
                        "counts_scaled"], True),
    "states.parquet": ("per job: replication × month × state, persons at the month's end, as simulated",
                       ["scenario_id", "replication", "month", "state", "count", "scale", "counts_scaled"], False),
    "flows.parquet": ("per job: moves between states, entrants and leavers into each month (only non-zero rows: "
                      "a missing row is zero), as simulated. Stock(m) = stock(m−1) + moves in − moves out + "
                      "entrants − leavers",
                      ["scenario_id", "replication", "month", "flow", "from_state", "to_state", "count", "scale",
                       "counts_scaled"], False),
    "costs.parquet": ("per job: replication × year × cost component × measure, DKK as simulated (÷ scale for the "
                      "whole municipality)",
                      ["scenario_id", "replication", "year", "component", "measure", "dkk", "scale",
                       "counts_scaled"], False),
    "panel": ("opt-in (--panel N): one row per citizen and month for the first N futures of each scenario, "
              "partitioned by scenario_id and replication (panel/scenario_id=…/replication=…/part-0.parquet)",
              ["scenario_id", "replication", "month", "citizen", "state", "offer", "months_in_state", "age",
               "male", "refugee", "educated", "insured", "partial"], False),
}


def lever_columns() -> dict[str, Column]:
    return {k: Column(lv.unit_en, f"lever: {lv.label_en} (in force in the row's year; 2016: 2016 practice)")
            for k, lv in levers.LEVERS.items()}


def assumption_columns() -> dict[str, Column]:
    return {ASSUMPTION_PREFIX + k: Column(a.unit, f"assumption: {a.label_en}")
            for k, a in assumptions.ASSUMPTIONS.items()}


def dictionary() -> dict[str, Column]:
    """Every column any output holds, with its unit and description."""
    return {**COLUMNS, **lever_columns(), **assumption_columns()}


def columns_of(file: str) -> list[str]:
    """The columns ``file`` holds, in order."""
    _, fixed, scenario_values = FILES[file]
    return fixed + (list(lever_columns()) + list(assumption_columns()) if scenario_values else [])


def scenario_values(sc, year: int) -> dict[str, float]:
    """The lever values in force in ``year`` and the assumption values, as columns."""
    out = {k: sc.lever_values[k][year] for k in levers.LEVERS}
    out.update({ASSUMPTION_PREFIX + k: float(sc.assumption_values[k]) for k in assumptions.ASSUMPTIONS})
    return out


def with_scenario_values(df: pd.DataFrame, sc, years: np.ndarray | pd.Series) -> pd.DataFrame:
    """``df`` with the scenario's lever (per row's year) and assumption values as columns."""
    years = np.asarray(years)
    per_year = {y: scenario_values(sc, int(y)) for y in np.unique(years)}
    extra = {}
    for col in list(lever_columns()) + list(assumption_columns()):
        lookup = {y: v[col] for y, v in per_year.items()}
        extra[col] = pd.Series(years).map(lookup).to_numpy()
    return pd.concat([df.reset_index(drop=True), pd.DataFrame(extra)], axis=1)


def to_parquet(df: pd.DataFrame, file: str, partitioned: tuple[str, ...] = ()) -> bytes:
    """``df`` as Parquet bytes with its columns in ``file``'s order, each with its unit and
    description in the field metadata, and the table's description in the file's (schema
    metadata ``description``; KeyError for a column the dictionary lacks). Columns in
    ``partitioned`` are in the file's path (Hive partitioning), not in the file."""
    names = [c for c in columns_of(file) if c not in partitioned]
    missing = set(df.columns) ^ set(names)
    if missing:
        raise KeyError(f"{file}: columns not as the data dictionary says: {sorted(missing)}")
    # One thread: a batch's workers already use every core; pyarrow's threads for frames of this size
    # only cost (a job's files: 83 ms on one thread, 90 ms with threads; 97–103 ms with two workers).
    table = pa.Table.from_pandas(df[names], preserve_index=False, nthreads=1)
    d = dictionary()
    fields = [f.with_metadata({"unit": d[f.name].unit, "description": d[f.name].description})
              for f in table.schema]
    metadata = {**(table.schema.metadata or {}), b"description": FILES[file][0].encode("utf-8"),
                b"data_dictionary": b"docs/outputs.md"}
    table = pa.Table.from_arrays(table.columns, schema=pa.schema(fields, metadata=metadata))
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# The per-job tables.

def _kind(names) -> np.ndarray:
    return np.array([indicators.INDICATORS[k].kind for k in names])


def monthly_values(measures: np.ndarray) -> dict[str, np.ndarray]:
    """The plan's indicators per month from one replication's monthly measures (months, M):
    stocks and shares of the month; youth_to_education as the month's education starts per
    young recipient of the month before, times 12 (the status month: its yearly rate)."""
    M = indicators.M
    m = measures

    def ratio(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)
    young = m[:, M["youth_on_benefits"]]
    starts = m[:, M["youth_education_starts"]]
    education = np.empty(m.shape[0])
    education[0] = ratio(starts[:1], young[:1])[0]
    education[1:] = 12 * ratio(starts[1:], young[:-1])
    return {
        "youth_to_education": education,
        "long_term_unemployed": m[:, M["long_term_unemployed"]],
        "youth_on_benefits": young,
        "partial_return_share": ratio(m[:, M["sick_partial"]], m[:, M["sick_total"]]),
        "company_offer_share": ratio(m[:, M["company_offers"]], m[:, M["unemployed_and_sick"]]),
        "resource_course_company_share": ratio(m[:, M["resource_course_company"]], m[:, M["resource_course"]]),
        "refugees_self_supporting": ratio(m[:, M["refugees_self_supporting"]], m[:, M["refugees_total"]]),
    }


def monthly_table(result, first: int, scenario_id: str, sc=None) -> pd.DataFrame:
    """Replication × month × indicator, as simulated (the indicators of ``indicators.INDICATORS``)."""
    T = calendar.N_MONTHS
    parts = []
    for q in range(result.replications):
        values = monthly_values(result.measures[q])
        names = list(values)
        parts.append(pd.DataFrame({"replication": first + q, "month": np.tile(MONTH_DATES, len(names)),
                                   "indicator": np.repeat(names, T), "kind": np.repeat(_kind(names), T),
                                   "value": np.concatenate([values[k] for k in names])}))
    df = pd.concat(parts, ignore_index=True)
    df.insert(0, "scenario_id", scenario_id)
    return _finish(df, result.scale, sc, np.asarray(calendar.YEAR_OF)[np.tile(np.arange(T), len(df) // T)])


def yearly_table(result, first: int, scenario_id: str, sc=None) -> pd.DataFrame:
    """Replication × year × indicator, as simulated."""
    rows = [{"scenario_id": scenario_id, "replication": first + q, "year": y, "indicator": k,
             "kind": indicators.INDICATORS[k].kind, "value": v}
            for q in range(result.replications) for k, by_year in result.indicators(q).items()
            for y, v in by_year.items()]
    df = pd.DataFrame(rows)
    return _finish(df, result.scale, sc, df["year"].to_numpy())


def _finish(df: pd.DataFrame, scale: float, sc, years) -> pd.DataFrame:
    df["scale"] = float(scale)
    df["counts_scaled"] = False
    return with_scenario_values(df, sc, years) if sc is not None else df


def state_table(result, first: int, scenario_id: str) -> pd.DataFrame:
    """Replication × month × state: persons at the month's end, as simulated."""
    reps, T, S = result.states.shape
    return pd.DataFrame({
        "scenario_id": scenario_id,
        "replication": np.repeat(np.arange(first, first + reps), T * S),
        "month": np.tile(np.repeat(MONTH_DATES, S), reps),
        "state": np.tile([s.name for s in State], reps * T),
        "count": result.states.reshape(-1),
        "scale": float(result.scale), "counts_scaled": False,
    })


def flow_table(result, first: int, scenario_id: str) -> pd.DataFrame:
    """Non-zero moves, entrants and leavers into each month (month 0 has none), as simulated."""
    names = np.array([s.name for s in State] + [None], dtype=object)
    parts = []
    for label, arr in (("move", result.flows), ("entrant", result.entrants), ("leaver", result.leavers)):
        idx = np.nonzero(arr)
        if label == "move":
            q, t, a, b = idx
        elif label == "entrant":
            q, t, b = idx
            a = np.full(q.size, -1)
        else:
            q, t, a = idx
            b = np.full(q.size, -1)
        parts.append(pd.DataFrame({"replication": first + q, "t": t, "flow": label,
                                   "from_state": names[a], "to_state": names[b], "count": arr[idx]}))
    df = pd.concat(parts, ignore_index=True).sort_values(["replication", "t", "flow"], kind="stable")
    df.insert(0, "scenario_id", scenario_id)
    df.insert(2, "month", MONTH_DATES[df.pop("t").to_numpy()])
    df["count"] = df["count"].astype(np.int64)
    df["scale"] = float(result.scale)
    df["counts_scaled"] = False
    return df.reset_index(drop=True)


def cost_table(result, first: int, scenario_id: str) -> pd.DataFrame:
    """Replication × year × component × measure: DKK as simulated (the whole municipality's costs,
    the effort priced at the scenario's unit costs, times the scale), so that ÷ scale gives the
    whole municipality's as for every count here and the cost command's figures."""
    y = accounts.yearly([result]) * float(result.scale)                      # reps, years, components, measures
    reps, Y, C, K = y.shape
    return pd.DataFrame({
        "scenario_id": scenario_id,
        "replication": np.repeat(np.arange(first, first + reps), Y * C * K),
        "year": np.tile(np.repeat(accounts.YEARS, C * K), reps),
        "component": np.tile(np.repeat(accounts.COMPONENTS, K), reps * Y),
        "measure": np.tile(accounts.MEASURES, reps * Y * C),
        "dkk": y.reshape(-1),
        "scale": float(result.scale), "counts_scaled": False,
    })


def job_files(result, first: int, scenario_id: str, sc) -> dict[str, bytes]:
    """Every per-job file, as Parquet bytes."""
    return {"indicators.parquet": to_parquet(monthly_table(result, first, scenario_id, sc), "indicators.parquet"),
            "yearly.parquet": to_parquet(yearly_table(result, first, scenario_id, sc), "yearly.parquet"),
            "states.parquet": to_parquet(state_table(result, first, scenario_id), "states.parquet"),
            "flows.parquet": to_parquet(flow_table(result, first, scenario_id), "flows.parquet"),
            "costs.parquet": to_parquet(cost_table(result, first, scenario_id), "costs.parquet")}


def scenarios_table(expanded) -> pd.DataFrame:
    """Scenario × report year: lever values in force and assumption values."""
    rows = [{"scenario_id": e.id, "scenario": e.label, "year": y, **scenario_values(e.scenario, y)}
            for e in expanded for y in calendar.REPORT_YEARS]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The data dictionary.

def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """docs/outputs.md: the data dictionary of a batch folder."""
    from model.reports import reality  # (its words of the actual figures; not needed by a batch)
    d = dictionary()
    lines = ["# Outputs: the data dictionary", "",
             "<!-- generated by `python -m model.experiments.outputs > docs/outputs.md` from "
             "model/experiments/outputs.py; "
             "a test keeps it current -->", "",
             "A batch folder (`python -m model batch ... --out DIR`) holds `manifest.json` (the batch's identity, "
             "command, seeds, jobs with their start, end and duration, the scale and whether counts are scaled), "
             "`summary.parquet`/`summary.csv`, `scenarios.parquet` and per job "
             "`runs/<scenario id>/job-<first replication>/` the tables below; with `--panel N` also `panel/`. "
             "Every Parquet column carries its unit and description in its metadata "
             "(`pyarrow.parquet.read_schema(path).field(name).metadata`), every file its table's description "
             "(`read_schema(path).metadata[b\"description\"]`, the text under each heading below); months are "
             "timestamps (the first day of the month), which pandas reads back as datetimes. Per-job files hold "
             "counts as "
             "simulated, at the batch's scale (`counts_scaled` false); the summary holds them for the whole "
             "municipality (simulated ÷ scale, `counts_scaled` true).", ""]
    for file, (about, fixed, values) in FILES.items():
        lines += [f"## {file}", "", about + ".", "", "| column | unit | description |", "|---|---|---|"]
        lines += [f"| `{c}` | {_cell(d[c].unit)} | {_cell(d[c].description)} |" for c in fixed]
        if values:
            lines.append("| *levers and assumptions* | | one column per lever and per assumption, "
                         "listed below |")
        lines.append("")
    lines += ["## Lever and assumption columns", "",
              "In `summary.parquet`, `scenarios.parquet`, `indicators.parquet` and `yearly.parquet`: the value "
              "of each lever in force in the row's year and of each assumption in the row's scenario.", "",
              "| column | unit | description |", "|---|---|---|"]
    lines += [f"| `{c}` | {_cell(col.unit)} | {_cell(col.description)} |"
              for c, col in {**lever_columns(), **assumption_columns()}.items()]
    lines += ["", *reality.markdown(), "## Reading the panel", "",
              "`DIR` is the batch folder, `ID` a scenario id (manifest.json). DuckDB is not a dependency of "
              "the project; the example was checked with duckdb 2.0.", "",
              "```python",
              "import pandas as pd",
              "panel = pd.read_parquet(\"DIR/panel\", filters=[(\"scenario_id\", \"=\", \"ID\"), (\"replication\", \"=\", 0)])",
              "panel.groupby([\"month\", \"state\"], observed=True).size()   # that future's states.parquet",
              "```", "",
              "```python",
              "import duckdb                                       # pip install duckdb",
              "duckdb.sql(\"\"\"SELECT month, state, count(*) AS persons",
              "              FROM read_parquet('DIR/panel/**/*.parquet', hive_partitioning = true)",
              "              WHERE scenario_id = 'ID' AND replication = 0 GROUP BY ALL ORDER BY ALL\"\"\").df()",
              "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys
    sys.stdout.write(markdown())
