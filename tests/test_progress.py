"""Progress on standard error for commands that take more than a moment: shown on a terminal,
silent with --quiet and when standard error is not a terminal (a pipe or a file)."""
import fcntl
import os
import pty
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


def test_no_bar_when_standard_error_is_not_a_terminal():
    r = subprocess.run(RUN, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "run:" not in r.stderr and "%|" not in r.stderr
