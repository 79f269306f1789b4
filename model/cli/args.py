"""The command line's shared vocabulary: exit codes, argument types, the language option and how a
problem is said (one line on standard error, ``error: ...``).

Everything here is light (the standard library and ``model.lines``/``model.sim.limits``): ``--help``
and argument errors answer before numpy, pandas or the compiled engine are loaded. An argument
type that needs the model (an indicator's name, a lever's range, the trials' smallest scale) loads
it only when that argument is given.

Exit codes (also in ``--help`` and docs/batches.md):

    0    done
    1    some runs failed (named; rerun the same command to retry them)
    2    bad input: scenario or sweep file, argument, a resume of another batch or model version,
         an unreachable Dask scheduler, an unreadable summary or batch folder; nothing run
    3    the output (--out) cannot be written: not writable, read-only, a file, a parent a file,
         or in use by another batch
    4    disk full while writing; the failed jobs are listed; free space and rerun to resume
    130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM; rerun the same command to resume
"""
from __future__ import annotations

import argparse
import codecs
import math
import re
import sys
import unicodedata
from collections.abc import Callable

from model.lines import clip
from model.sim import limits

EXIT_DONE = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_OUTPUT = 3
EXIT_DISK_FULL = 4
EXIT_SIGINT = 130
EXIT_SIGTERM = 143
EXIT_CODES = ("exit codes: 0 done; 1 some runs failed (named); 2 bad input (nothing run); 3 output not writable "
              "or in use; 4 disk full (failed jobs listed); 130/143 interrupted by SIGINT/SIGTERM (rerun to resume)")
MAX_SEED = 2 ** 32 - 1
LANGS = ("en", "da")


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {clip(message, 300)} (see --help)\n")


# ------------------------------------------------------------------------------------ saying a problem

def error(message: object, code: int) -> int:
    """Say a problem in one line on standard error; return the exit code."""
    print(f"error: {clip(message, 1000)}", file=sys.stderr)
    return code


def problems(lines: list[str], code: int = EXIT_BAD_INPUT) -> int:
    """Say several problems, one line each (a scenario file's, as validation found them)."""
    for line in lines:
        print(line, file=sys.stderr)
    return code


def note(message: str) -> None:
    """A remark on standard error that is not an error (the scale's count rule, a taken-over lock)."""
    print(f"note: {message}", file=sys.stderr)


# ------------------------------------------------------------------------------------ output in any encoding

# What a character the terminal cannot show becomes (Danish letters as Danes write them without them).
PLAIN = {"—": "-", "–": "-", "−": "-", "‐": "-", "…": "...", "×": "x", "→": "->", "←": "<-", "«": '"', "»": '"',
         "‘": "'", "’": "'", "“": '"', "”": '"', "≈": "~", "≤": "<=", "≥": ">=", "±": "+/-", "·": ".", "•": "*",
         "æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "\u00a0": " ", "\u202f": " ",
         "\u2009": " ", "°": " deg", "€": "EUR", "█": "#", "▏": "|", "▎": "|", "▍": "|", "▌": "|", "▋": "|",
         "▊": "|", "▉": "|"}


def _plain(exc: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: the plain equivalent of what cannot be encoded, else '?'."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        if ch in PLAIN:
            out.append(PLAIN[ch])
        else:
            bare = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
            out.append(bare or "?")
    text = "".join(out)
    try:                                         # the replacement itself must be encodable
        text.encode(exc.encoding)
    except (UnicodeError, LookupError):
        text = "?" * len(text)
    return text, exc.end


codecs.register_error("model-plain", _plain)


def plain_output() -> None:
    """Standard output and error never fail on a character their encoding lacks (PYTHONIOENCODING=
    latin-1 or ascii, a C locale): the em dash becomes '-', 'ø' 'oe', anything else '?'."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and getattr(stream, "errors", "") in ("strict", None):
            try:
                stream.reconfigure(errors="model-plain")
            except (ValueError, OSError):
                pass


# ------------------------------------------------------------------------------------ argument types

def whole(lo: int, hi: int) -> Callable[[str], int]:
    """A whole number lo–hi."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{clip(repr(text), 40)} is not a whole number, "
                                             f"allowed {lo}–{hi:,}") from None
        if not lo <= value <= hi:
            shown = str(value) if abs(value) < 10 ** 30 else f"a number of {len(str(abs(value)))} digits"
            raise argparse.ArgumentTypeError(f"{shown}, allowed {lo} or more (at most {hi:,})")
        return value
    return parse


def scale(minimum: float | Callable[[], float] = limits.MIN_SCALE) -> Callable[[str], float]:
    """A population scale minimum–MAX_SCALE (``minimum`` may be a function: a command's own floor,
    looked up only when the argument is given)."""
    def parse(text: str) -> float:
        low = minimum() if callable(minimum) else minimum
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{clip(repr(text), 40)} is not a number, allowed "
                                             f"{low:g}–{limits.MAX_SCALE:g}") from None
        if not (math.isfinite(value) and low <= value <= limits.MAX_SCALE):
            raise argparse.ArgumentTypeError(f"{value:g}, allowed {low:g}–{limits.MAX_SCALE:g} "
                                             "(1 = the whole municipality)")
        return value
    return parse


def share(text: str) -> float:
    """A number strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{clip(repr(text), 40)} is not a number, allowed 0–1") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{value:g}, allowed between 0 and 1")
    return value


def probability(text: str) -> float:
    """A share of futures: above 0 and at most 1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= 1):
        raise argparse.ArgumentTypeError(f"{clip(text, 40)}: allowed above 0 and at most 1 (e.g. 0.8 = met in 80 % "
                                         "of futures)")
    return value


def plan_year(text: str) -> int:
    """A year of the plan (2017–2020)."""
    from model.calendar import PLAN_YEARS
    if not (text.strip().isdigit() and int(text) in PLAN_YEARS):
        raise argparse.ArgumentTypeError(f"{clip(repr(text), 40)}: no plan targets that year, allowed "
                                         f"{PLAN_YEARS[0]}–{PLAN_YEARS[-1]}")
    return int(text)


def indicator(text: str) -> str:
    """One of the plan's indicators (``indicators.INDICATORS``)."""
    from model.sim import indicators
    if text not in indicators.INDICATORS:
        raise argparse.ArgumentTypeError(f"{clip(repr(text), 60)} is not a plan indicator, allowed: "
                                         f"{', '.join(indicators.INDICATORS)}")
    return text


def lever_range(text: str) -> tuple[str, float, float]:
    """LEVER=LOW:HIGH within the lever's bounds (goal-seek's --range)."""
    from model.experiments import seek
    try:
        return seek.parse_range(text)
    except seek.SeekError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def address(text: str) -> str:
    """A Dask scheduler address: [scheme://]host:port."""
    if not re.fullmatch(r"(?:(?:tcp|tls|ws|wss|ucx)://)?[A-Za-z0-9._\-\[\]:]+:[0-9]{1,5}", text):
        raise argparse.ArgumentTypeError(f"{clip(repr(text), 80)} is not a scheduler address like tcp://host:8786")
    return text


def out(text: str) -> str:
    """An output path (checked for writing when the command starts)."""
    if not text or "\0" in text:
        raise argparse.ArgumentTypeError("an output path is needed")
    return text


SEED = whole(0, MAX_SEED)
WORKERS = whole(1, 256)
SCALE_HELP = (f"population scale, 1 = the whole municipality, {limits.MIN_SCALE:g}–{limits.MAX_SCALE:g}; "
              "counts are reported for the whole municipality")


def add_lang(p: argparse.ArgumentParser, what: str = "words and labels") -> None:
    """The one language rule: ``--lang en`` (default, for researchers) or ``da``."""
    p.add_argument("--lang", choices=LANGS, default="en", help=f"language of the {what}: en (default) or da")


def add_seed(p: argparse.ArgumentParser, what: str = "master seed") -> None:
    p.add_argument("--seed", type=SEED, default=1, help=f"{what}, 0–{MAX_SEED} (default 1)")
