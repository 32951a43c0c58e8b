"""A brief on a topic, assembled by ``make`` from the on-topic material.

- ``make``: a brief assembled: key points, timeline, actors and sources, every line cited.
- ``material``: every on-topic sentence of the corpus, scored for what it tells.
- ``statements``: whether a sentence states something a brief can quote or date.
- ``key_points``: the most distinct information within a character budget.
- ``timeline``: every dated statement of the material, one row per event.
- ``actors``: who and what acts in the material, each labelled and cited.
- ``differences``: documents making the same point with different figures or dates.
- ``thin``: a topic the corpus touches in a sentence or two, said so.
- ``new_since``: what is new since a point in time.
- ``topics``: the corpus at a glance, and brief topics drawn from it.
- ``themes``: themes that span a corpus, for the start panel.
- ``tuning``: the values briefs are tuned by, in one typed place.
"""
