"""Briefing core: an extractive, citation-verified question answerer over a folder of documents.

This package is a library. It never imports Textual; long operations yield progress
instead of touching a UI, so the CLI and the TUI can both drive them.
"""

__version__ = "0.1.0"

from assistant import offline as _offline

# Before anything can import onnxruntime or a Hugging Face library: see assistant/offline.py.
_offline.enforce()
