"""Answering a question, in the order a question passes through: the ``engine`` (thread-safe,
one ``request`` per question: its snapshot, settings and scope, made once), follow-ups
(``conversation``), the sentences of the passages found (``candidates``), scored
(``sentence_scores``, with list questions' enumerations weighed by ``lists``) and ranked
(``ranking``); whether the corpus covers it (``verdict``, over the rules of ``coverage`` and
``expected_type``); and choosing and citing sentences (``compose``)."""
