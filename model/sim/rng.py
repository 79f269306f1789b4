"""Random numbers for the compiled rules: xoshiro256+ streams whose state is a small array the
caller owns (no hidden global state), seeded from ``numpy.random.SeedSequence``.

The fast engine keeps one stream per chunk of replications; the Mesa engine one per model,
seeded from the model's own generator. (Blackman & Vigna, "Scrambled linear pseudorandom number
generators", ACM TOMS 2021; the upper 53 bits make a double in [0, 1).)
"""
from __future__ import annotations

import numpy as np
from numba import njit

_TO_UNIT = 1.0 / 9007199254740992.0          # 2**-53


def stream(seed: int | np.random.SeedSequence) -> np.ndarray:
    """A new stream's state (four 64-bit words, never all zero)."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(int(seed))
    state = ss.generate_state(4, np.uint64)
    if not state.any():
        state[0] = 1
    return state


@njit(cache=True, inline="always")
def uniform(s: np.ndarray) -> float:
    """The next double in [0, 1) of stream ``s`` (advances it)."""
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    result = s0 + s3
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << np.uint64(45)) | (s3 >> np.uint64(19))
    s[0] = s0
    s[1] = s1
    s[2] = s2
    s[3] = s3
    return (result >> np.uint64(11)) * _TO_UNIT


@njit(cache=True, inline="always")
def geometric(s: np.ndarray, log_q: float) -> int:
    """Trials up to and including the first success of chance p (0 < p < 1), given
    ``log_q = log1p(-p)`` (computed once by the caller: a loop draws many with the same p)."""
    u = 1.0 - uniform(s)                      # in (0, 1]
    return 1 + int(np.log(u) / log_q)
