"""The bounds of a run: population scale, replications per job, engines. Plain numbers with no
imports, so that the command line can state them (``--help``, argument errors) before anything
heavy is loaded; ``runner`` applies them."""

CHUNK = 15
ENGINES = ("fast", "agents")
# Scale bounds. At 0.05 (3,000 citizens) every indicator's denominator was non-empty in 1,800
# replications of the three shipped scenarios (the smallest, resource courses, held 4 persons;
# no share above 78 %); at 0.03 a share reached 100 % on 3 persons, at 0.02 denominators were
# empty. 60 is about Denmark's working-age population (3.6 million).
MIN_SCALE = 0.05
MAX_SCALE = 60.0
