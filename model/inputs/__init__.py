"""What a run is given: the data files' parameters (``params``), the levers the municipality
decides, the assumptions nobody controls, the benefit rates, the municipality (its profile as one
object), scenario files (varied only by ``Scenario.replace``) and sweeps.

May import: the shared vocabulary at ``model``'s top level (states, calendar, paths, fingerprint).
"""
