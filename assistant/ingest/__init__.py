"""From files to chunks: find and load documents (``loaders``, ``converters`` for PDF, HTML
and DOCX), split them into offset-exact chunks (``chunking``) and sentences (``sentences``)."""
