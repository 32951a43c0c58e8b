"""What leaves Briefing as a file or a document: conversations and briefs as Markdown and
Word, and every JSON shape the commands print.

- ``brief_layout``: a brief laid out once, for every renderer.
- ``brief``: a brief as Markdown and Word.
- ``conversation``: a conversation as a Markdown note with footnotes quoting each span.
- ``eval_report``: an evaluation's table rows, and the Markdown report.
- ``json_output``: every JSON shape Briefing prints, in one place.
"""
