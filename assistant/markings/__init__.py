"""Protective markings: what a document is marked, who may read it, and how output carries it.

Nothing here knows the index or a question: the index records what ``detect`` finds, and every
reader's view of it (``retrieval.snapshot``) withholds what a clearance does not permit.

- ``scheme``: a site's ordered levels and caveats (``markings.toml``), and folders marked by rule.
- ``marking``: a marking and a reader's clearance, compared and combined.
- ``detect``: a document's marking found in its metadata, page banners and portion marks.
"""
