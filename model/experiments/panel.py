"""The citizen panel: one row per citizen and month for chosen futures (BehaviorSpace's and
Mesa ``batch_run``'s agent-level data), recorded by an engine observer.

The fast engine calls ``observer(t, (citizens,))`` every month with its citizens read at month
t; ``Recorder`` keeps the citizens present (not departed) of the futures asked for. A batch run
with ``--panel N`` writes, per scenario and future below N,
``panel/scenario_id=<id>/replication=<r>/part-0.parquet`` (Hive partitioning: read one future
with a filter, docs/outputs.md shows pandas and DuckDB). The panel of a future adds up to that
future's stocks (``states.parquet``), month for month.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from model.experiments import outputs
from model.sim.citizens import Offer
from model.states import N_STATES, State

PARTITIONS = ("scenario_id", "replication")
STATE_NAMES = np.array([s.name for s in State])
OFFER_NAMES = np.array([o.name for o in Offer])


class Recorder:
    """An engine observer keeping, for the replications ``reps`` of the run (0 = its first), each
    present citizen's month."""

    def __init__(self, reps):
        self.reps = np.asarray(list(reps), dtype=np.int64)
        self.parts: list[dict[str, np.ndarray]] = []

    def __call__(self, t: int, stores) -> None:
        (c,) = stores
        keep = np.flatnonzero((c.state < N_STATES) & np.isin(c.rep, self.reps))
        rec = c.rec[keep]
        self.parts.append({
            "rep": rec["rep"].astype(np.int64), "t": np.full(keep.size, t, np.int16), "citizen": c.id[keep],
            "state": rec["state"], "offer": rec["offer"], "months_in_state": c.mis[keep],
            "age": ((t - rec["birth"].astype(np.int64)) // 12).astype(np.int16), "male": rec["male"],
            "refugee": rec["refugee"], "educated": rec["educated"], "insured": rec["insured"],
            "partial": rec["partial"],
        })

    def tables(self, first: int):
        """(replication within the run, its panel) for each recorded replication."""
        cols = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        months = outputs.MONTH_DATES
        for q in self.reps:
            sel = cols["rep"] == q
            yield int(q), pd.DataFrame({
                "month": months[cols["t"][sel]], "citizen": cols["citizen"][sel].astype(np.int64),
                "state": pd.Categorical(STATE_NAMES[cols["state"][sel]], categories=STATE_NAMES),
                "offer": pd.Categorical(OFFER_NAMES[cols["offer"][sel]], categories=OFFER_NAMES),
                "months_in_state": cols["months_in_state"][sel], "age": cols["age"][sel],
                **{k: cols[k][sel] for k in ("male", "refugee", "educated", "insured", "partial")},
            })


def to_parquet(df: pd.DataFrame) -> bytes:
    """One future's panel as Parquet, its columns described (the partition keys are in the path)."""
    return outputs.to_parquet(df, "panel", partitioned=PARTITIONS)


def read(out, scenario_id: str | None = None, replication: int | None = None) -> pd.DataFrame:
    """A batch's panel, filtered to a scenario and a future when given."""
    from pathlib import Path
    filters = [(k, "=", v) for k, v in (("scenario_id", scenario_id), ("replication", replication)) if v is not None]
    df = pd.read_parquet(Path(out) / "panel", filters=filters or None)
    df["month"] = pd.to_datetime(df["month"])
    return df
