"""Golden files and their scores: loading cases (``golden``), scoring answers and briefs
(``answers``, ``briefs``) by one set of rules (``scoring``), the gates CI applies (``gates``), and
questions rephrased by rule, as officials who were not the tuners would ask them (``rephrase``)."""
