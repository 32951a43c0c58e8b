"""What leaves Briefing as a file or a document: conversations and briefs as Markdown and
Word, and every JSON shape the commands print."""
