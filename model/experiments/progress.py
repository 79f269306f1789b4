"""Progress on standard error, the same for every command: a bar on a terminal (tqdm), a line every
``EVERY`` seconds when standard error is a log (a file or a pipe: nothing for a command done
sooner), nothing with ``--quiet``. Remarks during a run (a stalled worker, a lock taken over) go
through ``Progress.say`` so that they never tear a bar."""
from __future__ import annotations

import os
import sys
import time

EVERY = float(os.environ.get("VIBORG_PROGRESS_SECONDS") or 10)     # seconds between lines in a log


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class Progress:
    """``total`` steps of ``unit`` (None: a counter), started at ``initial``."""

    def __init__(self, total: int | None, desc: str, unit: str, quiet: bool = False, initial: int = 0,
                 stream=None):
        self.total, self.desc, self.unit, self.n = total, desc, unit, initial
        self.stream = stream or sys.stderr
        self.postfix = ""
        self.t0 = self.last = time.monotonic()
        self.start_n = initial
        self.lines = 0
        self._bar = None
        terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        self.mode = "off" if quiet else "bar" if terminal else "log"
        if self.mode == "bar":
            from tqdm import tqdm
            self._bar = tqdm(total=total, initial=initial, desc=desc, unit=unit, file=self.stream,
                             dynamic_ncols=True, leave=False)

    def update(self, n: int = 1) -> None:
        """``n`` more steps done."""
        self.set(self.n + n)

    def set(self, n: int, postfix: str | None = None, total: int | None = None) -> None:
        """``n`` steps done in all (and what to say beside the count; the total, once known)."""
        if postfix is not None:
            self.postfix = postfix
        step, self.n = n - self.n, n
        if total is not None:
            self.total = total
        if self._bar is not None:
            if total is not None:
                self._bar.total = total
            if postfix is not None:
                self._bar.set_postfix_str(postfix, refresh=False)
            self._bar.update(step)
        elif self.mode == "log" and time.monotonic() - self.last >= EVERY:
            self._line()

    def _line(self, final: bool = False) -> None:
        now = time.monotonic()
        self.last = now
        elapsed = now - self.t0
        units = self.unit + ("" if self.n == 1 and self.total in (None, 1) else "s")
        text = f"{self.desc}: {self.n:,}" + (f"/{self.total:,} {units} ({100 * self.n / max(self.total, 1):.0f} %)"
                                             if self.total else f" {units}")
        text += f", {_clock(elapsed)} elapsed"
        done = self.n - self.start_n
        if not final and self.total and 0 < done and self.n < self.total:
            text += f", about {_clock(elapsed / done * (self.total - self.n))} left"
        if final:
            text += ", done" if not self.total or self.n >= self.total else ", stopped"
        if self.postfix:
            text += f"; {self.postfix}"
        self.lines += 1
        print(text, file=self.stream, flush=True)

    def say(self, text: str) -> None:
        """A remark on its own line (above the bar on a terminal); shown even with --quiet."""
        if self._bar is not None:
            self._bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.mode == "log" and self.lines:             # a log that was told the progress hears the end
            self._line(final=True)
        self.mode = "off"

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def bar(total: int | None, desc: str, unit: str, quiet: bool = False) -> Progress:
    """Progress of ``total`` steps (None: a counter) on standard error."""
    return Progress(total, desc, unit, quiet)
