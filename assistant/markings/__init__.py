"""Protective markings: what a document is marked, who may read it, and how output carries it.

``scheme`` reads a site's ordered levels and caveats (``markings.toml``); ``marking`` is a
marking and a reader's clearance, compared and combined; ``detect`` finds a document's marking
in its metadata, its page banners and its paragraphs' portion marks. Nothing here knows the
index or a question: the index records what ``detect`` finds, and every reader's view of it
(``retrieval.snapshot``) withholds what a clearance does not permit.
"""
