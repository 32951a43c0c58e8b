"""Briefing's Textual interface. It only calls ``assistant``; it holds no retrieval logic."""
