"""PowerPoint decks: each slide's title, text, tables and speaker notes; a citation names the slide,
and the slide's title is its section (a heading, never cited itself)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from assistant.ingest.archives import check_office_archive
from assistant.ingest.converted import Converted
from assistant.ingest.office_properties import office_properties
from assistant.ingest.structure import MAX_HEADING_CHARS, Block, StructuredText
from assistant.ingest.tables import Table, table_lines
from assistant.markings.detect import marking_fields


def convert_pptx(raw: bytes) -> Converted:
    from pptx import Presentation

    check_office_archive(raw, "PPTX")
    deck = Presentation(io.BytesIO(raw))
    written = StructuredText("\n")
    first_title = ""
    for slide in deck.slides:
        lines: list[Block] = []
        title_shape = slide.shapes.title
        title = " ".join(title_shape.text_frame.text.split()) if title_shape is not None else ""
        if len(title) > MAX_HEADING_CHARS:  # a list typed into the title placeholder: the slide's text
            title_shape, title = None, ""
        first_title = first_title or title
        if title:
            lines.append(Block(title, "heading", 1))
        for shape in _shapes(slide.shapes):
            if title_shape is not None and shape.shape_id == title_shape.shape_id:
                continue
            if getattr(shape, "has_table", False) and shape.has_table:
                rows = tuple(tuple(cell.text for cell in row.cells) for row in shape.table.rows)
                lines.extend(Block(line, "table") for line in table_lines(Table(rows, 1)))
            elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                lines.extend(Block(p) for p in (" ".join(par_text(par).split()) for par in shape.text_frame.paragraphs)
                             if p)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            text = " ".join(notes.text.split()) if notes is not None else ""
            if text:
                lines.append(Block(f"Speaker notes: {text}"))
        written.add_page(lines)
    done = written.finish()
    props = deck.core_properties
    created = props.created.date().isoformat() if props.created else None
    labels = [f"slide {i}" for i in range(1, len(done.pages) + 1)]
    return Converted(done.text, props.title or first_title, created, pages=list(done.pages), part_labels=labels,
                     sections=list(done.sections), uncitable=list(done.uncitable),
                     metadata=marking_fields(office_properties(raw)))


def par_text(paragraph: Any) -> str:
    return "".join(run.text for run in paragraph.runs) or paragraph.text


def _shapes(shapes: Any) -> Iterator[Any]:
    """Every shape, groups opened, top to bottom then left to right as a reader scans a slide."""
    flat: list[Any] = []

    def walk(group: Any) -> None:
        for shape in group:
            if getattr(shape, "shape_type", None) == 6:  # MSO_SHAPE_TYPE.GROUP
                walk(shape.shapes)
            else:
                flat.append(shape)

    walk(shapes)
    yield from sorted(flat, key=lambda s: ((s.top or 0) // 100_000, s.left or 0))
