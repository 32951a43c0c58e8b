"""The places the official goes, one screen each.

- ``chat``: questions and answers: queue, selection, scope, export, slash commands, status.
- ``brief``: a brief on a topic, saved as Word or Markdown.
- ``viewer``: a document opened at a cited span.
- ``corpus``: the documents, their index status and the rebuild action.
- ``dialogs``: small modal dialogs: prompt, scope, help.
"""
