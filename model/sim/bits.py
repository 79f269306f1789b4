"""Month histories as bit masks (bit k = k months before the month the mask is aligned to),
counted by compiled code."""
from __future__ import annotations

import numpy as np
from numba import njit

ONE = np.uint64(1)


@njit(cache=True, inline="always")
def popcount(x: np.uint64) -> int:
    """Set bits of a 64-bit word."""
    x = x - ((x >> ONE) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True, inline="always")
def months_in(bits, n) -> int:
    """Months set among the last ``n`` (bit 0 = the month the history is aligned to)."""
    b = np.uint64(bits)
    if n < 64:
        b &= (ONE << np.uint64(n)) - ONE
    return popcount(b)
