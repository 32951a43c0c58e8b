"""HTML to text: the page's main content, block by block, data tables as labelled rows."""

from __future__ import annotations

from typing import Any

from assistant.ingest.converted import Converted
from assistant.ingest.tables import Table, clean_cell, table_lines

_DROP = "script, style, noscript, template, nav, header, footer, aside, form, svg, iframe"
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
           "blockquote", "pre", "dd", "dt", "figcaption", "main", "ul", "ol", "table", "td", "th"}
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
    lines: list[str] = []
    current: list[str] = []
    for node in root.traverse(include_text=True):
        if node.tag == "-text":
            piece = node.text(deep=False)
            key = piece.strip()
            if key in tables:
                lines.append(" ".join("".join(current).split()))
                current = []
                lines.extend(tables[key])
            else:
                current.append(piece)
        elif node.tag in _BLOCKS:
            lines.append(" ".join("".join(current).split()))
            current = []
    lines.append(" ".join("".join(current).split()))
    return Converted("\n".join(line for line in lines if line), title, date[:10] if date else None)


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
