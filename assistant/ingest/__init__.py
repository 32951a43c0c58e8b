"""From files to chunks: the corpus scanned, each file read as its author laid it out
(``loaders``, one reader per format behind ``converters``), split into offset-exact chunks.

- ``corpus``: which files are documents, and the one confinement rule for every read.
- ``loaders``: each file into ``Document``s: decoded, front matter read, containers opened.
- ``converters``: the one entry point for every format that is not plain text.
- ``converted``: what a format's reader returns.
- ``archives``: an Office file's zip checked before any library opens it.
- ``library_warnings``: parsing libraries' complaints, kept as the file's notes.
- ``pdf``: PDF to text, page by page: text layer, OCR or tables.
- ``pdf_document``: a PDF's pages given their roles as one document.
- ``pdf_layout``: one PDF page's text layer in its author's reading order.
- ``pdf_tables``: tables on PDF pages.
- ``scan_tables``: tables on a scanned page, where their grid is visible.
- ``table_layout``: what a table's layout means: header rows, labels spanning columns.
- ``tables``: tables as citable text: a row per line, carrying its headers.
- ``ocr``: scanned pages and images read with Tesseract, once per page.
- ``images``: image files read by OCR.
- ``paragraphs``: printed lines joined into their author's paragraphs.
- ``html``: HTML to text: the main content, headings as sections.
- ``word``: Word documents.
- ``slides``: PowerPoint decks, a citation naming the slide.
- ``sheets``: spreadsheets and CSV, a citation naming the sheet.
- ``mail``: e-mail messages and mbox archives.
- ``structure``: headings, spans never cited and parts, as a reader hands them on.
- ``text_headings``: headings of plain-text and Markdown files.
- ``apparatus``: reference lists, figure labels and copyright lines.
- ``tidy``: extracted text normalised, offsets carried through.
- ``office_properties``: an Office file's document properties, where a marking is often recorded.
- ``chunking``: a document split into chunks that keep exact offsets.
"""
