"""Reporting for people: numbers and words as a planner reads them, charts and their exports, the
comparison of two scenarios, the council pack and the parameter tables of the documentation.

May import: the top level, ``model.inputs``, ``model.sim`` and ``model.costs``.
"""
