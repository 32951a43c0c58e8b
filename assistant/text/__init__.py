"""Text rules every stage shares. Imports nothing but the package root.

- ``sentences``: sentence spans with exact offsets.
- ``dates``: dates with their precision kept.
- ``figures``: the dates and numbers a statement gives, to compare statements.
- ``abbreviations``: questions about an abbreviation, and sentences that spell one out.
- ``analyser``: how text becomes search terms, the same for chunks and questions.
- ``spelling``: British and American spellings are one word.
- ``framing``: what a question asks, without the words that frame it.
- ``names``: names in text: runs of capitalised words.
- ``phrases``: noun phrases, and whether a line states anything.
- ``printable``: document text made safe to display: data, never terminal instructions.
- ``gazetteer/``: names of people and places, from lists shipped in the package.
"""
