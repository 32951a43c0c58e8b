"""Finding passages: hybrid dense + BM25 retrieval over one index generation at a time,
and every other lookup in the index a question needs.

- ``snapshot``: one loaded index generation, shared by every thread that answers from it.
- ``hybrid``: dense and BM25 rankings fused, with scopes, and the index's other lookups.
- ``vocabulary``: what the answer side may ask of the corpus's words, and nothing more.
- ``cleared``: a generation as a reader with some clearance sees it (documents, BM25, vocabulary).
- ``tuning``: how wide each ranking's candidate pool is before fusion.
"""
