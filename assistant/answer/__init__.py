"""Answering a question: whether the corpus covers it (``coverage``), what kind of answer it
asks for (``expected_type``), follow-ups (``conversation``), choosing and citing sentences
(``compose``), and the thread-safe ``engine`` that ties them together."""
