"""Money computed from runs ("Midler"): the yearly accounts (gross, refusion, net), the business
case of each lever and the plausibility check against public totals.

May import: the top level, ``model.inputs`` and ``model.sim``.
"""
