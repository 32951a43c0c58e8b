"""A site's marking scheme: its levels in order, its caveats, the marking of what nothing marks,
and the folders whose documents are marked by rule.

Read from ``markings.toml`` beside the corpus folder (or the file ``BRIEFING_MARKINGS_FILE`` names)::

    unmarked = "OFFICIAL"              # optional: the lowest level by default

    [[level]]                          # lowest first
    name = "OFFICIAL"
    portion = "O"                      # how a paragraph is portion-marked: "(O)"
    [[level]]
    name = "OFFICIAL-SENSITIVE"
    portion = "OS"
    aliases = ["OFFICIAL SENSITIVE"]   # other ways documents print it
    [[level]]
    name = "SECRET"
    portion = "S"

    [[caveat]]
    name = "NOFORN"
    portion = "NF"
    aliases = ["NOT RELEASABLE TO FOREIGN NATIONALS"]

    [[rule]]                           # documents under a folder carry at least this marking
    glob = "restricted/**"
    marking = "OFFICIAL-SENSITIVE"

A marking is written as a level, then its caveats: "SECRET//NOFORN", "SECRET//NOFORN/UK EYES
ONLY". A clearance the same way ("SECRET/NOFORN" too). Without a scheme there are no markings:
every document is unmarked, every reader sees everything, output carries no banner.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.markings.marking import Clearance, Marking
from assistant.settings import Settings

FILE_NAME = "markings.toml"


@dataclass(frozen=True)
class Named:
    """A level or a caveat: its name, the portion code a paragraph is marked with, other spellings."""

    name: str
    portion: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """Documents whose id matches ``glob`` carry at least ``marking``."""

    glob: str
    marking: Marking


@dataclass(frozen=True)
class Scheme:
    levels: tuple[Named, ...]
    caveats: tuple[Named, ...] = ()
    unmarked: int = 0
    """The level of a document nothing marks."""
    rules: tuple[Rule, ...] = ()
    _spellings: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _caveat_spellings: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for i, level in enumerate(self.levels):
            for spelling in (level.name, *level.aliases):
                self._spellings[_key(spelling)] = i
        for caveat in self.caveats:
            for spelling in (caveat.name, *caveat.aliases):
                self._caveat_spellings[_key(spelling)] = caveat.name

    @property
    def unmarked_marking(self) -> Marking:
        return Marking(self.unmarked)

    @property
    def highest_level(self) -> int:
        return len(self.levels) - 1

    def parse(self, text: str) -> Marking | None:
        """The marking ``text`` writes ("SECRET//NOFORN", "official-sensitive"), or None when it
        is not one of this scheme's."""
        parts = [p for p in re.split(r"\s*//\s*", _key(text)) if p]
        if not parts or parts[0] not in self._spellings:
            return None
        caveats = []
        for part in parts[1:]:
            for name in re.split(r"\s*[/,]\s*", part):
                if name not in self._caveat_spellings:
                    return None
                caveats.append(self._caveat_spellings[name])
        return Marking(self._spellings[parts[0]], frozenset(caveats))

    def clearance(self, text: str) -> Clearance:
        """A reader's clearance as written ("SECRET", "SECRET/NOFORN", "SECRET//NOFORN/UK EYES
        ONLY"); anything else is a ``ConfigError`` naming what the scheme knows."""
        parts = [p for p in re.split(r"\s*/+\s*", _key(text)) if p]
        if not parts or parts[0] not in self._spellings:
            known = ", ".join(level.name for level in self.levels)
            raise ConfigError(f"clearance {text!r} is not a level of the marking scheme ({known})")
        unknown = [p for p in parts[1:] if p not in self._caveat_spellings]
        if unknown:
            known = ", ".join(c.name for c in self.caveats) or "none"
            raise ConfigError(f"clearance {text!r}: {unknown[0]} is not a caveat of the marking scheme ({known})")
        return Clearance(self._spellings[parts[0]], frozenset(self._caveat_spellings[p] for p in parts[1:]))

    def label(self, marking: Marking) -> str:
        """How a marking is written on output: "SECRET//NOFORN"."""
        name = self.levels[min(marking.level, self.highest_level)].name
        caveats = "/".join(sorted(marking.caveats))
        return f"{name}//{caveats}" if caveats else name

    def portion(self, marking: Marking) -> str:
        """How a paragraph carrying ``marking`` is portion-marked: "(S//NF)"; the label when the
        scheme gives the level no portion code."""
        level = self.levels[min(marking.level, self.highest_level)]
        code = level.portion or level.name
        codes = {c.name: (c.portion or c.name) for c in self.caveats}
        caveats = "/".join(sorted(codes.get(c, c) for c in marking.caveats))
        return f"({code}//{caveats})" if caveats else f"({code})"

    def ruled(self, doc_id: str) -> list[tuple[str, Marking]]:
        """The rules that mark ``doc_id`` (their globs and markings)."""
        return [(r.glob, r.marking) for r in self.rules if fnmatchcase(doc_id, r.glob) or
                (r.glob.endswith("/**") and doc_id.startswith(r.glob[:-2]))]

    def clearance_label(self, clearance: Clearance) -> str:
        return self.label(Marking(clearance.level, clearance.caveats))


def reader_clearance(scheme: Scheme | None, text: str | None) -> Clearance | None:
    """A reader's clearance as configured (``--clearance``, ``BRIEFING_CLEARANCE``, a server
    token's): as written, else the level of unmarked documents, so that nothing marked above it
    is shown to a reader who claims nothing. None without a scheme (everything is shown); a
    clearance given without one is a ``ConfigError``, not ignored."""
    if scheme is None:
        if text:
            raise ConfigError(f"clearance {text!r} needs a marking scheme ({FILE_NAME} beside the corpus folder, "
                              "or BRIEFING_MARKINGS_FILE)")
        return None
    return scheme.clearance(text) if text else Clearance(scheme.unmarked)


def check_clearance(settings: Settings) -> None:
    """A clearance the scheme in force does not know (or one given without a scheme) is refused
    before any work: one line (``ConfigError``), exit 2."""
    scheme = configured_scheme(settings.markings.markings_file, settings.paths.corpus_dir)
    reader_clearance(None if scheme is None else scheme.scheme, settings.markings.clearance)


def _key(text: str) -> str:
    """A spelling as compared: upper case, white space folded."""
    return " ".join(text.upper().split())


def scheme_path(configured: Path | None, corpus_dir: Path) -> Path | None:
    """The scheme file in force: the configured one, else ``markings.toml`` beside the corpus
    folder when there is one; None: no scheme."""
    if configured is not None:
        return configured
    beside = corpus_dir.resolve().parent / FILE_NAME
    return beside if beside.is_file() else None


@dataclass(frozen=True)
class SchemeFile:
    """A scheme and the text it was read from: the index records the text (so its documents'
    markings are read with the scheme that made them) and its hash (so a build sees it change)."""

    scheme: Scheme
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def load_scheme(path: Path | None) -> Scheme | None:
    """The scheme in ``path`` (None: no scheme); a file that cannot be read or is not a valid
    scheme is a ``ConfigError`` on one line."""
    read = read_scheme_file(path)
    return None if read is None else read.scheme


def read_scheme_file(path: Path | None) -> SchemeFile | None:
    """``load_scheme``, with the text it was read from."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the marking scheme {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"the marking scheme {path} is not valid TOML: {str(exc).splitlines()[0]}") from None
    return SchemeFile(parse_scheme(text, str(path)), text)


def parse_scheme(text: str, where: str) -> Scheme:
    """The scheme ``text`` writes (``where`` names it in the one-line ``ConfigError``)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the marking scheme {where} is not valid TOML: {str(exc).splitlines()[0]}") from None
    try:
        return _scheme(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"the marking scheme {where}: {exc}") from None


def configured_scheme(markings_file: Path | None, corpus_dir: Path) -> SchemeFile | None:
    """The scheme in force for these settings' paths (``scheme_path``), read and checked."""
    return read_scheme_file(scheme_path(markings_file, corpus_dir))


def _scheme(data: dict[str, Any]) -> Scheme:
    levels = tuple(_named(item, "level") for item in _tables(data, "level"))
    if not levels:
        raise ValueError("no [[level]] tables (the levels, lowest first)")
    caveats = tuple(_named(item, "caveat") for item in _tables(data, "caveat"))
    names = [n.name.upper() for n in (*levels, *caveats)]
    if len(set(names)) != len(names):
        raise ValueError("a level or caveat is named twice")
    bare = Scheme(levels, caveats)
    unmarked = data.get("unmarked")
    level = 0
    if unmarked is not None:
        parsed = bare.parse(str(unmarked))
        if parsed is None or parsed.caveats:
            raise ValueError(f"unmarked = {unmarked!r} is not one of the levels")
        level = parsed.level
    rules = []
    for item in _tables(data, "rule"):
        glob, text = str(item["glob"]).strip().strip("/"), str(item["marking"])
        marking = bare.parse(text)
        if marking is None:
            raise ValueError(f"rule {glob!r}: {text!r} is not a marking of the scheme")
        rules.append(Rule(glob, marking))
    return Scheme(levels, caveats, level, tuple(rules))


def _tables(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"[[{key}]] must be tables")
    return items


def _named(item: dict[str, Any], what: str) -> Named:
    name = " ".join(str(item["name"]).upper().split())
    if not name or "/" in name:
        raise ValueError(f"a {what} needs a name without '/'")
    portion = item.get("portion")
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list):
        raise ValueError(f"{what} {name}: aliases must be a list")
    return Named(name, " ".join(str(portion).upper().split()) if portion else None,
                 tuple(" ".join(str(a).upper().split()) for a in aliases))
