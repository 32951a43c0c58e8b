"""Golden files and their scores, and the gates CI applies to them.

- ``golden``: golden-question files: the YAML format testers write.
- ``answers``: an engine scored on answers, citations and refusals.
- ``briefs``: briefs scored on facts carried, dates, uncovered topics and verbatim spans.
- ``scoring``: the rules every golden score is judged by, written once.
- ``gates``: the gates CI applies: one rule for every threshold.
- ``rephrase``: questions rephrased by rule, as people who were not the tuners would ask.
- ``reading``: whether citable sentences read as a reader expects (none cut, no page furniture).
"""
