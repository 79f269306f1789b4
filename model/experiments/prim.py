"""PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as the EMA Workbench's
``analysis/prim.py`` does it: pure functions over a table of inputs and a 0/1 outcome, no model
and no batch (``discover`` reads a batch into that table). Peeling cuts off the ``alpha`` share
of cases at the low or high end of one input, whichever cut leaves the box densest, until the box
holds less than ``min_mass`` of the cases or no cut raises its density; ``choose`` picks a box of
that trajectory."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ALPHA = 0.05
MIN_MASS = 0.05
THRESHOLD = 0.8
# Is the sample large enough for the box? It should rest on at least MIN_BOX_CASES futures, and an
# input it restricts should have been swept with at least MIN_VALUES values (else the box pins the
# input to values of the sweep and cannot say how far around them the target is still met).
MIN_BOX_CASES = 30
MIN_VALUES = 5


@dataclass
class Box:
    low: np.ndarray
    high: np.ndarray
    inside: np.ndarray            # bool per case
    coverage: float
    density: float
    mass: float


def _box(x: np.ndarray, y: np.ndarray, low: np.ndarray, high: np.ndarray) -> Box:
    inside = np.all((x >= low) & (x <= high), axis=1)
    n_in = inside.sum()
    return Box(low.copy(), high.copy(), inside, float(y[inside].sum() / max(y.sum(), 1)),
               float(y[inside].mean()) if n_in else float("nan"), float(n_in / len(y)))


def peel(x: np.ndarray, y: np.ndarray, alpha: float = ALPHA, min_mass: float = MIN_MASS) -> list[Box]:
    """PRIM's peeling trajectory for inputs ``x`` (cases × inputs) and outcome ``y`` (0/1)."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    low, high = x.min(axis=0), x.max(axis=0)
    boxes = [_box(x, y, low, high)]
    while True:
        cur = boxes[-1]
        xi, yi = x[cur.inside], y[cur.inside]
        best = None
        for j in range(x.shape[1]):
            v = xi[:, j]
            if v.min() == v.max():
                continue
            for side in ("low", "high"):
                q = np.quantile(v, alpha if side == "low" else 1 - alpha)
                cut = v < q if side == "low" else v > q
                if not cut.any():                               # ties: cut the extreme value itself
                    cut = v == (v.min() if side == "low" else v.max())
                keep = ~cut
                if keep.sum() / len(y) < min_mass or not keep.any():
                    continue
                density = yi[keep].mean()
                if best is None or density > best[0] + 1e-12:
                    best = (density, j, side, v[keep].min() if side == "low" else v[keep].max())
        if best is None or best[0] < cur.density - 1e-12:
            return boxes
        _, j, side, bound = best
        low, high = cur.low.copy(), cur.high.copy()
        (low if side == "low" else high)[j] = bound
        boxes.append(_box(x, y, low, high))


def choose(boxes: list[Box], threshold: float = THRESHOLD) -> int:
    """Of the boxes with at least ``threshold`` density, the one with the largest coverage ×
    density (peeling on past it trades much coverage for little density); without one, the
    densest (the first of equals)."""
    ok = [i for i, b in enumerate(boxes) if b.density >= threshold]
    if not ok:
        return int(np.nanargmax([b.density for b in boxes]))
    return max(ok, key=lambda i: (boxes[i].coverage * boxes[i].density, -i))
