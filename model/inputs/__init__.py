"""What a run is given: the data files' parameters (``params``), the levers the municipality
decides, the assumptions nobody controls, the benefit rates, scenario files and sweeps.

May import: the shared vocabulary at ``model``'s top level (states, calendar, paths, fingerprint).
"""
