"""Briefing's Textual interface. It only calls ``assistant``; it holds no retrieval logic.

Laid out as posting and toolong lay out a Textual app: the app is the frame, a screen per
place the official goes, widgets for the parts of a screen, and the long work in thread
workers that post messages named for what happened.

- ``app``: the frame: settings and engine, keys that work on every screen, ``run_app``.
- ``screens/``: the chat screen and the screens it opens.
- ``widgets/``: the parts of a screen.
- ``index_keeper``: watches the corpus folder, rebuilds the index, cancels a rebuild.
- ``index_state``: what the keeper is doing, as one frozen value, and its transitions.
- ``jobs``: the chat screen's long work as plain functions returning the message to post.
- ``messages``: the messages workers post.
- ``slash``: slash commands, each naming the app action its key runs.
- ``keys``: the help screen's key tables, made from the bindings.
- ``literal``: document text, titles and file names reach widgets as literal text.
- ``terminal``: quit when the terminal goes away.
"""
