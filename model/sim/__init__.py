"""One run: the citizens' records, the month's rules and its declared order, the jobcenter's
scarce places, the July 2016 population, both engines (fast and Mesa) and the runner; also the
per-citizen cost rules, because the compiled month calls them.

May import: the top level and ``model.inputs``; never costs, reports, experiments or the command line.
Importing it points numba's cache at this version's folder (``compiled``) before any compiled
function is defined.
"""
from model.sim import compiled

compiled.configure()
