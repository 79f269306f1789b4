"""Progress on standard error, the same for every command: a bar on a terminal, a line every few
seconds when standard error is a log (a pipe or a file; nothing for a command done sooner), nothing
with --quiet."""
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest

from conftest import ROOT, SCENARIOS

RUN = [sys.executable, "-m", "model", "run", str(SCENARIOS / "plan-2017.toml"), "--replications", "6", "--chunk", "3",
       "--scale", "0.05", "--format", "csv"]


def on_a_terminal(argv) -> str:
    """What ``argv`` writes to standard error when that is a terminal."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))     # a terminal's size
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=300)
    os.close(leader)
    assert proc.returncode == 0, out
    return out.decode(errors="replace")


def batch(out):
    return [sys.executable, "-m", "model", "batch", str(SCENARIOS / "plan-2017.toml"), "--replications", "2",
            "--scale", "0.05", "--workers", "1", "--out", str(out)]


@pytest.mark.parametrize("command", ["run", "batch"])
def test_a_bar_on_a_terminal_and_none_with_quiet(command, tmp_path):
    argv = RUN if command == "run" else batch(tmp_path / "a")
    quiet = [*RUN, "--quiet"] if command == "run" else [*batch(tmp_path / "b"), "--quiet"]
    total = "/6 [" if command == "run" else "/2 ["
    shown = on_a_terminal(argv)
    assert f"{command}:" in shown and total in shown
    assert f"{command}:" not in on_a_terminal(quiet)


def test_no_bar_when_standard_error_is_not_a_terminal_and_nothing_for_a_short_command():
    r = subprocess.run(RUN, cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "VIBORG_PROGRESS_SECONDS": "600"})
    assert r.returncode == 0 and "run:" not in r.stderr and "%|" not in r.stderr


def log_of(argv, tmp_path) -> str:
    """What ``argv`` writes to standard error when that is a log file, a line as soon as it can."""
    log = tmp_path / "log"
    with open(log, "w") as f:
        r = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=f, timeout=300,
                           env={**os.environ, "VIBORG_PROGRESS_SECONDS": "0"})
    assert r.returncode == 0, log.read_text()
    return log.read_text()


@pytest.mark.parametrize("command", ["run", "batch"])
def test_a_log_gets_whole_lines_of_progress_and_the_end(command, tmp_path):
    text = log_of(RUN if command == "run" else batch(tmp_path / "a"), tmp_path)
    lines = [x for x in text.splitlines() if x.startswith(f"{command}:")]
    assert "\r" not in text and "%|" not in text                 # lines, never a bar's carriage returns
    total = 6 if command == "run" else 2
    assert lines and all(re.match(rf"{command}: \d+/{total} runs? \(\d+ %\), \d+:\d\d elapsed", x) for x in lines), lines
    assert lines[-1].startswith(f"{command}: {total}/{total} runs (100 %)") and lines[-1].endswith("done")
