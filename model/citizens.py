"""The citizens as a struct of arrays: one array per attribute, one element per citizen.

Both engines use it: the fast engine holds the whole population in one ``Citizens``; a Mesa
``Citizen`` agent holds a ``Citizens`` of length one, so the rule functions are the same.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .states import N_STATES

GONE = N_STATES          # state code of a slot whose citizen has left (fast engine only)
NO_ARRIVAL = -9999       # arrival month of citizens who did not arrive as refugees
NEVER = 999              # months since the last offer, for citizens never in one


class Offer:
    """Offer codes (tilbud): what a citizen is doing in the month besides the benefit."""

    none = 0
    internship_private = 1   # virksomhedspraktik, private employer
    internship_public = 2    # virksomhedspraktik / nytteindsats, public employer
    wage_subsidy = 3         # offentligt løntilskud


@dataclass
class Citizens:
    birth: np.ndarray        # int32: birth month index (0 = 2016-07); age in months = t - birth
    pension_at: np.ndarray   # int32: month index of reaching folkepension age (by birth cohort)
    early_at: np.ndarray     # int32: month index of reaching efterløn age (by birth cohort)
    male: np.ndarray         # bool
    educated: np.ndarray     # bool: vocational or higher education (erhvervskompetencegivende)
    insured: np.ndarray      # bool: member of an a-kasse
    refugee: np.ndarray      # bool
    arrival: np.ndarray      # int32: month index of arrival (refugees), NO_ARRIVAL otherwise
    state: np.ndarray        # int8: State code (GONE when the citizen has left)
    mis: np.ndarray          # int16: months in the current state (0 = first month)
    dp_hist: np.ndarray      # uint64: bit i set = on dagpenge i months ago (bit 0 = this month)
    sdp_hist: np.ndarray     # uint16: bit i set = on sygedagpenge i months ago
    unemp_hist: np.ndarray   # uint16: bit i set = unemployed (benefit, not in an offer) i months ago
    sdp_extended: np.ndarray # bool: sick pay extended at the 22-week reassessment
    offer: np.ndarray        # int8: Offer code
    offer_left: np.ndarray   # int8: months left of the current offer
    offer_len: np.ndarray    # int8: months spent in the current offer so far
    offer_max: np.ndarray    # int8: the current offer's granted length
    since_offer: np.ndarray  # int16: months since the last offer ended (NEVER if none)
    post_kind: np.ndarray    # int8: Offer code of the last offer (for post-programme effects)
    offered: np.ndarray      # bool: has had an offer in the current spell
    partial: np.ndarray      # bool: partial return to work (sick pay / job clarification)
    flex_hours: np.ndarray   # int8: weekly hours in flex-job
    rank: np.ndarray         # float32: fixed uniform draw; share-levers reach those below the share
    rep: np.ndarray          # int16: replication the citizen belongs to (the fast engine runs several at once)
    id: np.ndarray           # int32: the citizen's number within the run (to follow a person over months)

    def __len__(self) -> int:
        return len(self.state)

    @classmethod
    def empty(cls, n: int) -> "Citizens":
        return cls(
            birth=np.zeros(n, np.int32), pension_at=np.zeros(n, np.int32), early_at=np.zeros(n, np.int32), male=np.zeros(n, bool), educated=np.zeros(n, bool),
            insured=np.zeros(n, bool), refugee=np.zeros(n, bool),
            arrival=np.full(n, NO_ARRIVAL, np.int32), state=np.full(n, GONE, np.int8),
            mis=np.zeros(n, np.int16), dp_hist=np.zeros(n, np.uint64), sdp_hist=np.zeros(n, np.uint16),
            unemp_hist=np.zeros(n, np.uint16), sdp_extended=np.zeros(n, bool),
            offer=np.zeros(n, np.int8), offer_left=np.zeros(n, np.int8), offer_len=np.zeros(n, np.int8),
            offer_max=np.zeros(n, np.int8), since_offer=np.full(n, NEVER, np.int16),
            post_kind=np.zeros(n, np.int8), offered=np.zeros(n, bool), partial=np.zeros(n, bool),
            flex_hours=np.zeros(n, np.int8), rank=np.zeros(n, np.float32), rep=np.zeros(n, np.int16),
            id=np.zeros(n, np.int32),
        )

    def names(self) -> list[str]:
        return [f.name for f in fields(self)]

    def take(self, idx) -> "Citizens":
        """A copy holding the citizens at ``idx``."""
        return Citizens(**{k: getattr(self, k)[idx].copy() for k in self.names()})

    def put(self, idx, other: "Citizens") -> None:
        """Write ``other``'s citizens into the slots ``idx``."""
        for k in self.names():
            getattr(self, k)[idx] = getattr(other, k)

    def concat(self, other: "Citizens") -> "Citizens":
        return Citizens(**{k: np.concatenate([getattr(self, k), getattr(other, k)]) for k in self.names()})


def popcount(x: np.ndarray, bits: int) -> np.ndarray:
    """Number of set bits among the lowest ``bits`` bits (months counted in a window)."""
    return np.bitwise_count(x & x.dtype.type((1 << bits) - 1))
