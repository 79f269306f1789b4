"""Viborg employment-plan simulator: an agent-based model of benefit states, levers and the plan's indicators."""

__version__ = "0.1.0"
