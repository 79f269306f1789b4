"""Sensitivity analysis names every effect size and lever and is reproducible from its seed."""
import pandas as pd

from model.experiments import sensitivity
from model.inputs import assumptions, levers
from model.sim import indicators


def test_morris_screening_names_every_factor_and_is_reproducible(tmp_path):
    a = sensitivity.run(trajectories=2, seed=4, scale=0.02, out=tmp_path / "a", workers=2, progress=False, replications=1)
    b = sensitivity.run(trajectories=2, seed=4, scale=0.02, out=tmp_path / "b", workers=1, progress=False, replications=1)
    names = {f"assumptions.{k}" for k in assumptions.EFFECTS} | {f"levers.{k}" for k in levers.LEVERS}
    for key in indicators.INDICATORS:
        assert set(a["table"][a["table"].indicator == key].factor) == names
    pd.testing.assert_frame_equal(a["table"].reset_index(drop=True), b["table"].reset_index(drop=True))
    assert a["runs"] == 2 * (len(names) + 1)
    assert (tmp_path / "a" / "morris.png").read_bytes().startswith(b"\x89PNG")
