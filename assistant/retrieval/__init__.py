"""Finding passages: hybrid dense + BM25 retrieval with fusion and scopes, and every other lookup
in the index a question needs (``hybrid``), over one index generation at a time (``snapshot``),
whose words the answer side sees through a small interface (``vocabulary``); the candidate
pools' width is tuned in ``tuning``."""
