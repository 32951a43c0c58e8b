"""Text extraction for formats that are not plain text (HTML, PDF, DOCX).

Each converter returns the text Briefing indexes and cites; it is stored in the index so
offsets stay checkable with ``briefing show``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import SkipFile


@dataclass
class Converted:
    text: str
    title: str = ""
    date: str | None = None
    pages: list[str] = field(default_factory=list)


def convert(fmt: str, raw: bytes, path: Path) -> Converted:
    try:
        if fmt == "html":
            return _html(raw)
        if fmt == "pdf":
            return _pdf(raw)
        if fmt == "docx":
            return _docx(raw)
    except SkipFile:
        raise
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything on a bad file
        raise SkipFile(f"cannot read {fmt.upper()}: {type(exc).__name__}: {exc}".splitlines()[0][:200]) from None
    raise SkipFile(f"unsupported format {fmt}")


_DROP = "script, style, noscript, template, nav, header, footer, aside, form, svg, iframe"
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
           "blockquote", "pre", "dd", "dt", "figcaption", "main", "ul", "ol", "table", "td", "th"}


def _html(raw: bytes) -> Converted:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(raw.decode("utf-8", errors="replace"))
    title_node = tree.css_first("title") or tree.css_first("h1")
    title = " ".join(title_node.text().split()) if title_node else ""
    meta_date = tree.css_first('meta[name="date"], meta[property="article:published_time"]')
    date = (meta_date.attributes.get("content") or None) if meta_date else None
    for node in tree.css(_DROP):
        node.decompose()
    root = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    if root is None:
        return Converted("", title, date)
    lines: list[str] = []
    current: list[str] = []
    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            current.append(node.text(deep=False))
        elif node.tag in _BLOCKS:
            lines.append(" ".join("".join(current).split()))
            current = []
    lines.append(" ".join("".join(current).split()))
    return Converted("\n".join(line for line in lines if line), title, date[:10] if date else None)


def _pdf(raw: bytes) -> Converted:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(raw))
    if reader.is_encrypted:
        raise SkipFile("encrypted PDF")
    pages = [(page.extract_text() or "") for page in reader.pages]
    meta = reader.metadata
    title = str(meta.title) if meta and meta.title else ""
    return Converted("\n\n".join(pages), title, None, pages)


def _docx(raw: bytes) -> Converted:
    import docx

    document = docx.Document(io.BytesIO(raw))
    text = "\n".join(p.text for p in document.paragraphs)
    props = document.core_properties
    created = props.created.date().isoformat() if props.created else None
    return Converted(text, props.title or "", created)
