"""Issue 34's check on real PDFs: no citable sentence is the rest of a sentence cut at a line,
column or page end, and none is a running head, a page stamp or a page number.

The documents are the real-document set (``tests/realdocs/``, public documents nobody here
wrote); the counting is ``assistant.eval.reading``'s, by which ``bench/layout_realdocs.py`` also measures
the reader before this change on the same files.
"""

from __future__ import annotations

import pytest

from assistant.errors import SkipFile
from assistant.eval.reading import check
from assistant.ingest.corpus import CorpusFile
from assistant.ingest.loaders import parse_source
from assistant.ingest.ocr import OcrOptions
from tests.helpers import ROOT

PDFS = sorted((ROOT / "tests" / "realdocs" / "corpus").glob("*.pdf"))


@pytest.mark.slow
@pytest.mark.skipif(not PDFS, reason="the real-document set (tests/realdocs/) is not in this checkout")
@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_no_citable_sentence_is_a_fragment_or_page_furniture(path):
    raw = path.read_bytes()
    try:
        read = parse_source(CorpusFile(path.name, path, len(raw)), raw, OcrOptions())
    except SkipFile as exc:  # a scan where Tesseract is missing (make test installs it)
        pytest.skip(str(exc))
    found = check(read.documents[0])
    assert found["mid_sentence_starts"] == 0, found["mid_examples"]
    assert found["furniture"] == 0, found["furniture_examples"]
