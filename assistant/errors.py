"""The exceptions Briefing raises on purpose.

Every one carries a message written for the user; the CLI prints it on one line and
exits with ``exit_code``, the TUI shows it as an error notification.
"""


class BriefingError(Exception):
    """Base class: a problem the user can act on, never a bug."""

    exit_code = 2


class IndexMissing(BriefingError):
    """No index has been built at the configured path."""


class IndexCorrupt(BriefingError):
    """The index on disk is unreadable or does not match its manifest."""


class IndexUnwritable(BriefingError):
    """The index folder cannot be written (read-only file system, permissions, disk full)."""


class IndexLocked(BriefingError):
    """Another process holds the build lock."""


class CorpusError(BriefingError):
    """The corpus folder is missing or unreadable."""


class QuestionError(BriefingError):
    """The question (or topic) cannot be answered as given, e.g. it is empty."""


class GoldenFileError(BriefingError):
    """A golden-question file is malformed."""


class ConfigError(BriefingError):
    """A setting has a value that cannot be used."""


class ClusterError(BriefingError):
    """A Ray cluster could not be reached, or was lost during a build (the previous index stays)."""


class SkipFile(Exception):
    """One file cannot be indexed; the message is the reason shown to the analyst.

    Not a ``BriefingError``: it never reaches the user as an error, a build or a status
    records it against the file and goes on."""
