"""Golden files and their scores: loading cases (``golden``), scoring answers and briefs
(``answers``, ``briefs``) by one set of rules (``scoring``), and the gates CI applies."""
