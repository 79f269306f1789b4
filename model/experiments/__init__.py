"""Experiments over many runs: batches and their outputs, the citizen panel, goal-seek and
drivers, sensitivity (Morris, Sobol), scenario discovery (PRIM), calibration and simulated trials.

May import: every package below it (top level, inputs, sim, costs, reports); never the command line.
"""
