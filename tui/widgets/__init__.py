"""The parts of a screen.

- ``chat``: the transcript and its bubbles.
- ``citations``: the sources panel: the selected answer's citations.
- ``question_input``: the question box, with history on up and down.
- ``start``: the empty chat's start panel: the corpus at a glance and topics to brief on.
"""
