"""The index on disk: its folder layout and generations (``store``), the dense vectors
(``dense``), the BM25 index (``bm25``), how a build is planned (``plan``) and run (``build``,
``cluster/`` on Ray), per-document status, and reading a document's stored text back."""
