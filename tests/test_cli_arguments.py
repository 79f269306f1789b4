"""Every command-line argument is checked: a bad one is a single line naming it and its allowed
range, exit code 2, and nothing runs or is written. Scenario paths must be regular readable
files; `describe` writes to standard output or --out, never into the source tree."""
import os
import socket
import stat

import pytest

from model import cli
from model.reports import describe

from conftest import SCENARIOS, refused

PLAN = str(SCENARIOS / "plan-2017.toml")



@pytest.mark.parametrize("argv,says", [
    (["run", PLAN, "--seed", "-1"], "--seed: -1, allowed 0 or more (at most 4,294,967,295)"),
    (["run", PLAN, "--seed", str(2 ** 32)], "--seed: 4294967296"),
    (["run", PLAN, "--seed", "x"], "--seed: 'x' is not a whole number"),
    (["batch", PLAN, "--out", "o", "--seed", "-1"], "--seed: -1, allowed 0 or more"),
    (["run", PLAN, "--replications", "1000000000000"], "at most 1,000"),
    (["run", PLAN, "--replications", "0"], "allowed 1 or more"),
    (["batch", PLAN, "--out", "o", "--replications", "100001"], "at most 100,000"),
    (["batch", PLAN, "--out", "o", "--workers", "0"], "--workers: 0, allowed 1 or more (at most 256)"),
    (["batch", PLAN, "--out", "o", "--dask-local", "65"], "--dask-local: 65"),
    (["batch", PLAN, "--out", ""], "--out: an output path is needed"),
    (["batch", PLAN, "--out", "o", "--scheduler", "not an address"], "is not a scheduler address"),
    (["trials", "--replications", "1001"], "at most 1,000"),
    (["calibrate", "--replications", "101"], "at most 100"),
    (["sensitivity", "--trajectories", "0"], "--trajectories: 0"),
    (["run", PLAN, "--format", "xml"], "invalid choice"),
    (["frobnicate"], "invalid choice"),
])
def test_an_argument_out_of_range_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch, argv, says):
    monkeypatch.chdir(tmp_path)
    refused(capsys, argv, says)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def bad_paths(tmp_path):
    d = tmp_path / "folder"
    d.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    return {"a directory, not a scenario file": d,
            "not a regular file": fifo,
            "not a regular file ": "/dev/zero",
            "a loop of symbolic links": tmp_path / "loop1",
            "file name too long": tmp_path / ("a" * 300),
            "file name too long ": "/".join(["a"] * 3000),
            "no such scenario file": tmp_path / "missing.toml"}


@pytest.mark.parametrize("command", ["run", "batch"])
def test_a_scenario_path_must_be_a_regular_readable_file(capsys, tmp_path, bad_paths, command):
    for says, path in bad_paths.items():
        argv = ["run", str(path)] if command == "run" else ["batch", str(path), "--out", str(tmp_path / "out")]
        refused(capsys, argv, says.strip())
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_an_unreadable_scenario_is_refused(capsys, tmp_path):
    p = tmp_path / "secret.toml"
    p.write_text('name = "x"\n')
    p.chmod(0)
    try:
        refused(capsys, ["run", str(p)], "permission denied")
    finally:
        p.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_an_unreachable_scheduler_is_one_line_and_writes_nothing(capsys, tmp_path):
    with socket.socket() as s:                                    # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    refused(capsys, ["batch", PLAN, "--scheduler", f"tcp://127.0.0.1:{port}", "--out", str(tmp_path / "out")],
            "not reachable")
    assert not (tmp_path / "out").exists()


def test_summary_of_a_corrupt_or_missing_batch_is_one_line(capsys, tmp_path):
    refused(capsys, ["summary", str(tmp_path / "nowhere")], "no summary")
    (tmp_path / "manifest.json").write_text('{"identity": {"scale": 1}}')
    (tmp_path / "summary.parquet").write_bytes(b"not parquet at all")
    refused(capsys, ["summary", str(tmp_path)], "summary or manifest not readable")


def test_describe_writes_to_standard_output_and_leaves_the_source_tree_alone(capsys, tmp_path):
    before = describe.DOCS.stat().st_mtime_ns
    assert cli.main(["describe"]) == 0
    assert capsys.readouterr().out == describe.parameters_markdown()
    assert describe.DOCS.stat().st_mtime_ns == before
    assert cli.main(["describe", "--out", str(tmp_path / "p.md")]) == 0
    assert (tmp_path / "p.md").read_text(encoding="utf-8") == describe.parameters_markdown()
    assert cli.main(["describe", "--out", str(tmp_path / "no" / "p.md")]) == cli.EXIT_OUTPUT
    assert len(capsys.readouterr().err.splitlines()) == 2        # "written to ..." and the one-line error


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        cli.main(["batch", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for code in ("0 done", "1 some runs failed", "2 bad input", "3 output not writable", "4 disk full", "130/143"):
        assert code in out
