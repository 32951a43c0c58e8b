"""The index on disk: planned against the corpus, built (here or on Ray), stored in
generations a reader sees whole, and kept current.

- ``layout``: the index folder's layout: what lives where in it.
- ``manifest``: what a generation records about itself and each document.
- ``store``: a generation loaded and checked, and a new one written and published.
- ``plan``: what the next build will do: the corpus compared with the live index.
- ``prepare``: the files to load parsed and chunked, on threads or on Ray tasks.
- ``build``: incremental, crash-safe builds, run by ``build_index`` for every caller.
- ``pooling``: passage vectors pooled from sentence vectors.
- ``dense``: the FAISS index: exact, HNSW or IVF-PQ by size.
- ``bm25``: BM25 over chunks (bm25s, PyStemmer).
- ``status``: per-document status, without loading the model or the vectors.
- ``document_text``: a document's text read back: what every citation is checked against.
- ``passages``: what a passage is indexed as: its text, headed by its document's title.
- ``marking_record``: each document's protective marking as the index records it (``markings.json``).
- ``watch``: the corpus folder watched, and one incremental build at a time.
- ``cluster/``: builds spread over a Ray cluster.
"""
