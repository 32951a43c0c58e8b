"""Briefing core: an extractive, citation-verified question answerer over a folder of documents.

This package is a library. It never imports Textual; long operations yield progress
instead of touching a UI, so the CLI and the TUI can both drive them.

- ``ingest/``: files to documents and offset-exact chunks, every format read as laid out.
- ``markings/``: protective markings: what a document is marked and who may read it.
- ``embedders/``: texts to vectors: the bundled MiniLM on onnxruntime, or on torch.
- ``index/``: the index on disk: planned, built, stored, watched.
- ``retrieval/``: passages found by dense and BM25 rankings fused, over one index generation.
- ``answer/``: a question answered with cited sentences, or refused.
- ``brief/``: a brief on a topic: key points, timeline, actors and sources.
- ``eval/``: golden files, their scores, and the gates CI applies.
- ``export/``: what leaves Briefing as a file: Markdown, Word and every JSON shape.
- ``server/``: the local JSON API and Model Context Protocol server.
- ``cli/``: the ``briefing`` command line.
- ``text/``: text rules every stage shares (sentences, dates, names, safe display).
- ``types``: the typed value objects passed between the stages.
- ``settings``: one settings model for the whole application, in sections.
- ``errors``: the exceptions Briefing raises on purpose, each a message a user can act on.
- ``offline``: the switches that keep third-party libraries off the network.
- ``background``: work beside questions (a rebuild in the TUI) yields the CPU to them.
"""

__version__ = "0.1.0"

from assistant import offline as _offline

# Before anything can import onnxruntime or a Hugging Face library: see assistant/offline.py.
_offline.enforce()
