"""Text rules every stage shares: sentences, dates, abbreviations, spelling, question frames,
and making document text safe to display. Imports nothing but the package root."""
