"""HTML to text: the page's main content, block by block, data tables as labelled rows; ``h1``-``h6``
are the sections (headings, never cited themselves)."""

from __future__ import annotations

from typing import Any

from assistant.ingest.converted import Converted
from assistant.ingest.structure import Block, StructuredText
from assistant.ingest.tables import Table, clean_cell, table_lines

_DROP = "script, style, noscript, template, nav, header, footer, aside, form, svg, iframe"
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
           "blockquote", "pre", "dd", "dt", "figcaption", "main", "ul", "ol", "table", "td", "th"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_MARK = "\ue000table{}\ue000"
_LONG_CELL = 150
"""Mean characters per cell above which a table is layout (paragraphs in cells), not data."""


def convert_html(raw: bytes) -> Converted:
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
    tables = _data_tables(root)
    lines: list[Block] = []
    current: list[str] = []
    level = 0  # the heading level of the block being read (h1-h6), 0 for any other block

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(Block(text, "heading", level) if level else Block(text))
        current.clear()

    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            piece = node.text(deep=False)
            key = piece.strip()
            if key in tables:
                flush()
                lines.extend(Block(line, "table") for line in tables[key])
            else:
                if not current:
                    level = _heading_level(node)
                current.append(piece)
        elif node.tag in _BLOCKS:
            flush()
    flush()
    written = StructuredText("\n")
    written.add_page(lines)
    done = written.finish()
    return Converted(done.text, title, date[:10] if date else None, sections=list(done.sections),
                     uncitable=list(done.uncitable))


def _heading_level(node: Any) -> int:
    """1-6 when the text ``node`` stands in an ``h1``-``h6`` (its nearest block), else 0."""
    parent = node.parent
    while parent is not None and parent.tag not in _BLOCKS:
        parent = parent.parent
    if parent is not None and parent.tag in _HEADINGS:
        return int(parent.tag[1])
    return 0


def _data_tables(root: Any) -> dict[str, list[str]]:
    """Replace each data table under ``root`` by a marker; returns each marker's row lines."""
    found: dict[str, list[str]] = {}
    for table in reversed(root.css("table")):  # inner tables first
        if len(table.css("table")) > 1:  # the table itself matches too
            continue  # a table holding tables lays a page out
        rows = []
        header_rows = 0
        for tr in table.css("tr"):
            cells = tr.css("th, td")
            row = []
            for cell in cells:
                span = _span(cell)
                row.extend([clean_cell(cell.text(separator=" "))] * span)
            rows.append(tuple(row))
            if header_rows == len(rows) - 1 and (tr.parent is not None and tr.parent.tag == "thead"
                                                 or all(c.tag == "th" for c in cells)):
                header_rows += 1
        filled = [c for row in rows for c in row if c]
        if len(rows) < 2 or max(len(r) for r in rows) < 2 or not filled:
            continue
        if sum(len(c) for c in filled) / len(filled) > _LONG_CELL:
            continue
        mark = _MARK.format(len(found))
        found[mark] = table_lines(Table(tuple(rows), header_rows or 1))
        table.replace_with(mark)
    return found


def _span(cell: Any) -> int:
    try:
        return max(1, min(int(cell.attributes.get("colspan") or 1), 50))
    except ValueError:
        return 1
