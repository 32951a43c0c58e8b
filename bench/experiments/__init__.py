"""Archived experiments, kept so the figures the README quotes from them can be reproduced.

They are not steps of ``python -m bench`` and not part of the product's checks: ``levers``
patches private names of the code to try a change beside the default (``python -m
bench.experiments.levers VARIANT``), and ``learned`` fits rankers on the dev sets' features.
A change to the names they patch may break them; they are fixed when one is run again.
"""
