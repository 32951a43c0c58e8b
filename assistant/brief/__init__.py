"""A brief on a topic: the on-topic material (``material``), its key points, timeline and
actors, assembled by ``make``; ``topics`` suggests what to brief on."""
