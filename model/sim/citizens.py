"""The citizens: one record per person in a NumPy structured array, which the compiled rules
index row by row (``pop[i].state``). Both engines hold their citizens this way: the fast
engine one array for a whole chunk of replications, the Mesa engine one array whose rows its
``Citizen`` agents own.

Clocks are kept lazily, as the month something started, so that a citizen whom nothing happens
to needs no write in a month: months in the state are ``t - spell``, months since the last offer
``t - offer_end``, and the benefit histories are bit masks aligned to the month ``hist_t`` (bit k
= k months before it). ``Citizens`` presents the usual per-month view of those clocks (``mis``,
``since_offer``, ``dp_hist`` with bit 0 = this month, ...) for a given month ``t``.
"""
from __future__ import annotations

from enum import IntEnum

import numpy as np

from model.states import GONE

NO_ARRIVAL = -9999       # arrival month of citizens who did not arrive as refugees
NEVER = 999              # months since the last offer, for citizens never in one


class Offer(IntEnum):
    """Offer codes (tilbud): what a citizen is doing in the month besides the benefit."""

    none = 0
    internship_private = 1   # virksomhedspraktik, private employer
    internship_public = 2    # virksomhedspraktik / nytteindsats, public employer
    wage_subsidy = 3         # offentligt løntilskud


# One record per citizen, 64 bytes (one cache line: the month's passes over the citizens are
# bound by memory traffic). Widest fields first, so the record packs without holes.
CITIZEN = np.dtype([
    ("dp_bits", np.uint64),     # bit k: on dagpenge k months before hist_t
    ("self_bits", np.uint64),   # the refusion clock: self-supported months since its count started (cost_rules)
    ("u", np.float32),          # this month's uniform draw (-1: none yet); the rules consume it
    ("rank", np.float32),       # fixed uniform draw: share-levers reach those below the share
    ("ref_weeks", np.float32),  # the refusion clock: weeks on covered benefits since its count started
    ("birth", np.int16),        # birth month index (0 = 2016-07); age in months = t - birth
    ("pension_at", np.int16),   # month index of reaching folkepension age (by birth cohort)
    ("early_at", np.int16),     # month index of reaching efterløn age (by birth cohort)
    ("arrival", np.int16),      # month index of arrival (refugees), NO_ARRIVAL otherwise
    ("spell", np.int16),        # month the current spell in the state began
    ("offer_start", np.int16),  # month the current offer was granted
    ("offer_end", np.int16),    # month the last offer ended (-NEVER: never in one)
    ("hist_t", np.int16),       # months before this are accounted for (histories, costs); bit 0 = this month
    ("sdp_bits", np.uint16),    # bit k: on sygedagpenge k months before hist_t
    ("unemp_bits", np.uint16),  # bit k: unemployed (benefit, not in an offer) k months before hist_t
    ("rep", np.int8),           # replication the citizen belongs to (a chunk holds at most 127)
    ("state", np.int8),         # State code (GONE when the citizen has left)
    ("offer", np.int8),         # Offer code
    ("offer_max", np.int8),     # the current offer's granted length (months)
    ("post_kind", np.int8),     # Offer code of the last offer (for post-programme effects)
    ("flex_hours", np.int8),    # weekly hours in flex-job
    ("forced", np.int8),        # this month: a move the law or demography forces (-1: none)
    ("req_kind", np.int8),      # this month: the kind of place asked for (0: none)
    ("req_prio", np.int8),      # this month: the request's priority (0 first)
    ("male", np.bool_),
    ("educated", np.bool_),     # vocational or higher education (erhvervskompetencegivende)
    ("insured", np.bool_),      # member of an a-kasse
    ("refugee", np.bool_),
    ("sdp_extended", np.bool_),  # sick pay extended at the 22-week reassessment
    ("offered", np.bool_),      # has had an offer in the current spell
    ("partial", np.bool_),      # partial return to work (sick pay / job clarification)
], align=True)
MAX_REPLICATIONS = int(np.iinfo(np.int8).max)
assert CITIZEN.itemsize == 64, CITIZEN.itemsize
FIELDS = frozenset(CITIZEN.names)
HISTORY_BITS = {"dp_hist": ("dp_bits", 64), "sdp_hist": ("sdp_bits", 16), "unemp_hist": ("unemp_bits", 16)}


def records(n: int) -> np.ndarray:
    """An uninitialised array of ``n`` citizen records starting on a cache line."""
    raw = np.empty(n * CITIZEN.itemsize + 64, np.uint8)
    start = -raw.ctypes.data % 64
    return raw[start:start + n * CITIZEN.itemsize].view(CITIZEN)


def aligned(bits: np.ndarray, shift: np.ndarray, width: int) -> np.ndarray:
    """History bits moved ``shift`` months on (bits older than the width drop out)."""
    moved = bits << np.minimum(shift, width - 1).astype(bits.dtype)
    return np.where(shift >= width, bits.dtype.type(0), moved).astype(bits.dtype)


def blank(t: int) -> np.ndarray:
    """The record of a citizen not yet there (state GONE), with no offer, never in one."""
    rec = np.zeros(1, CITIZEN)
    rec["state"] = GONE
    rec["arrival"] = NO_ARRIVAL
    rec["offer_end"] = -NEVER
    rec["forced"] = -1
    rec["u"] = -1.0
    rec["hist_t"] = t
    return rec


def words(rec: np.ndarray) -> np.ndarray:
    """The records as rows of 64-bit words (a view): copying these copies the records at memory
    speed, where numpy copies structured records field by field."""
    return rec.view(np.uint64).reshape(len(rec), CITIZEN.itemsize // 8)


def clear(rec: np.ndarray, t: int = 0) -> None:
    """Make every record of ``rec`` a citizen not yet there (one broadcast of 64 bytes)."""
    words(rec)[:] = words(blank(t))


class Citizens:
    """A view of citizen records, with the per-month clocks of month ``t`` (when given)."""

    __slots__ = ("rec", "t", "rows")

    def __init__(self, rec: np.ndarray, t: int | None = None, rows: np.ndarray | None = None):
        object.__setattr__(self, "rec", rec)
        object.__setattr__(self, "t", t)
        object.__setattr__(self, "rows", rows)

    def __len__(self) -> int:
        return len(self.rec)

    def __getattr__(self, name: str) -> np.ndarray:
        if name in FIELDS:
            return self.rec[name]
        if name in HISTORY_BITS:
            field, width = HISTORY_BITS[name]
            return aligned(self.rec[field], self._now() - self.rec["hist_t"].astype(np.int64), width)
        raise AttributeError(name)

    def __setattr__(self, name, value):
        raise AttributeError("set fields in place (c.state[:] = ...) or with Citizens.set(...)")

    def _now(self) -> int:
        if self.t is None:
            raise ValueError("this view has no month: use Citizens(rec, t) to read the clocks")
        return self.t

    @property
    def id(self) -> np.ndarray:
        """Each citizen's number within the run: its row in the run's records."""
        return np.arange(len(self.rec)) if self.rows is None else self.rows

    @property
    def mis(self) -> np.ndarray:
        """Months in the current state (0 = its first month)."""
        return (self._now() - self.rec["spell"].astype(np.int64)).astype(np.int16)

    @property
    def since_offer(self) -> np.ndarray:
        """Months since the last offer ended (NEVER and more: never in one)."""
        return (self._now() - self.rec["offer_end"].astype(np.int64)).astype(np.int16)

    @property
    def offer_len(self) -> np.ndarray:
        """Months spent in the current offer so far."""
        return np.where(self.rec["offer"] != Offer.none, self._now() - self.rec["offer_start"].astype(np.int64), 0)

    @property
    def offer_left(self) -> np.ndarray:
        """Months left of the current offer."""
        return np.where(self.rec["offer"] != Offer.none, self.rec["offer_max"] - self.offer_len, 0)

    def set(self, **columns) -> Citizens:
        """Set fields, the clocks given per month (``mis``, ``since_offer``, ``offer_len``,
        ``dp_hist`` with bit 0 = month ``t``, ...) as well as stored fields."""
        t = self._now()
        rec = self.rec
        for name, value in columns.items():
            if name == "mis":
                rec["spell"] = t - np.asarray(value)
            elif name == "since_offer":
                rec["offer_end"] = t - np.asarray(value)
            elif name == "offer_len":
                rec["offer_start"] = t - np.asarray(value)
            elif name in HISTORY_BITS:
                rec[HISTORY_BITS[name][0]] = value
                rec["hist_t"] = t
            elif name in FIELDS:
                rec[name] = value
            else:
                raise AttributeError(name)
        return self

    @classmethod
    def empty(cls, n: int, t: int | None = 0) -> Citizens:
        """``n`` citizens not yet there (state GONE), with no offer, never in one."""
        rec = records(n)
        clear(rec, 0 if t is None else t)
        return cls(rec, t)

    def take(self, idx) -> Citizens:
        """A copy holding the citizens at ``idx``."""
        return Citizens(self.rec[idx].copy(), self.t)


def popcount(x: np.ndarray, bits: int) -> np.ndarray:
    """Number of set bits among the lowest ``bits`` bits (months counted in a window)."""
    return np.bitwise_count(x & x.dtype.type((1 << bits) - 1))
