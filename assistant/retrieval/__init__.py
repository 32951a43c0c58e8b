"""Finding passages: hybrid dense + BM25 retrieval with fusion and scopes (``hybrid``), over
one index generation at a time (``snapshot``)."""
