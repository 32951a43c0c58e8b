"""A brief's actors: who and what acts in the on-topic material, each labelled and cited.

No named-entity model installs offline from the package registries with its weights (the
spaCy pipelines on PyPI are third-party re-uploads), so these are rules: capitalised phrases
with a stop list, countries recognised with pycountry (and demonyms: "Chinese" -> China),
then a kind from the phrase itself: an organisation by its words ("Ministry", "Inc") or an
acronym, a person by a title before the name ("President", "CEO"), a policy, law or report by
its last word ("Rule", "Act", "Report"). Adjectival compounds ("Chinese-made", "Biden-era")
are descriptions, not actors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text.abbreviations import spelled_out
from assistant.text.names import capitalised_runs
from assistant.types import Citation

MAX_ACTORS = 15


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    """country | organisation | person | policy, law or report | organisation or person"""
    citations: tuple[Citation, ...]

    @property
    def mentions(self) -> int:
        return len(self.citations)


_NOT_ACTORS = frozenset(
    """a an the this that these those it its in on at by for from to of and or but as if so yet also even
    according after although because before despite during however instead meanwhile moreover rather since
    still then therefore though thus unlike until when whereas while what which who whom whose why how where
    he she they we i you his her their our my your there here many most some several all both each every
    more less no not new by-the-way ai api apis gpu gpus cpu cpus llm llms ml it's one two three four
    first second third last next other another such same percent per later earlier today yesterday tomorrow now
    recently initially finally previously currently similarly additionally notably overall together unlike
    instead nevertheless nonetheless furthermore likewise""".split()
)
_MONTHS = frozenset("""january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split())
_DEMONYMS = {"american": "United States", "chinese": "China", "british": "United Kingdom", "european": "European Union",
             "japanese": "Japan", "russian": "Russia", "indian": "India", "french": "France", "german": "Germany",
             "korean": "South Korea", "taiwanese": "Taiwan", "canadian": "Canada", "australian": "Australia"}
_COUNTRY_ALIASES = {"us": "United States", "u.s.": "United States", "usa": "United States", "america": "United States",
                    "uk": "United Kingdom", "britain": "United Kingdom", "eu": "European Union",
                    "european union": "European Union", "russia": "Russia", "south korea": "South Korea",
                    "taiwan": "Taiwan", "west": "the West"}


def _country(name: str) -> str | None:
    lowered = name.lower()
    if lowered in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[lowered]
    if lowered in _DEMONYMS:
        return _DEMONYMS[lowered]
    import pycountry

    for attr in ("name", "common_name", "official_name"):
        for country in pycountry.countries:
            if getattr(country, attr, "").lower() == lowered:
                return str(getattr(country, "common_name", None) or country.name)
    return None


_ORGANISATION_WORDS = frozenset("""inc corp corporation ltd llc plc group agency ministry department commission council
    university institute bank association organization organisation administration committee office bureau authority
    foundation company co party unit center centre court congress senate parliament government service services
    forces army navy alliance union federation network laboratory laboratories lab labs holdings
    technologies""".split())
_POLICY_WORDS = frozenset("""act rule rules law laws directive regulation regulations policy report agreement treaty
    strategy plan initiative order bill framework program programme accord protocol guidelines sanctions""".split())
_TITLES = frozenset("""president minister secretary ceo chairman chairwoman chair premier senator governor dr mr mrs ms
    prof professor king queen prince general ambassador chancellor director commissioner spokesperson
    founder""".split())


# Capitals stand for their governments ("Washington's internal contradiction") or are places.
_CAPITALS = frozenset(["washington", "beijing", "moscow", "london", "paris", "berlin", "tokyo", "brussels", "taipei",
                       "seoul", "new delhi", "ottawa", "canberra", "kyiv", "tehran", "riyadh", "ankara", "brasilia"])


def _defined_acronyms(text: str) -> list[tuple[str, str]]:
    """(acronym, name) for each "Name Words (NW)" in ``text`` whose name is capitalised: the
    abbreviations ``abbreviations.spelled_out`` finds, written in capitals, naming an actor."""
    return [(short, long_form) for short, long_form in spelled_out(text)
            if short.isupper() and all(w[:1].isupper() or w in _NAME_JOINERS for w in long_form.split())]


_NAME_JOINERS = frozenset("of for and the on".split())
"""Lower-case words a capitalised name may hold ("Public Health Emergency of International Concern")."""


def kind_of(name: str, titled: bool) -> str:
    """What an actor is, from its own words (and whether a title stood before it)."""
    if _country(name):
        return "country"
    if name.lower() in _CAPITALS:
        return "place or government"
    words = [w.lower().rstrip(".") for w in name.split()]
    if words and words[-1] in _POLICY_WORDS:
        return "policy, law or report"
    if any(w in _ORGANISATION_WORDS for w in words) or (name.isupper() and 2 <= len(name) <= 6):
        return "organisation"
    if titled:
        return "person"
    return "organisation or person"


def _names(sentence: str) -> list[tuple[str, bool, bool]]:
    """Capitalised phrases: ``(name, opens_sentence, titled)``. Digits end a phrase ("Nvidia H200" ->
    Nvidia); a hyphenated word ending in lower case ("Chinese-made") is a description, not a name;
    a title ("President") before a name is dropped from it and remembered."""
    out: list[tuple[str, bool, bool]] = []
    for run in capitalised_runs(sentence):
        words = list(run.words)
        titled = False
        while words and ((words[0].lower() in _NOT_ACTORS and not _acronym_heading(words))
                         or words[0].lower() in _MONTHS or words[0].lower().rstrip(".") in _TITLES):
            titled |= words[0].lower().rstrip(".") in _TITLES
            words.pop(0)
        if len(words) > 1 and words[0].lower() in _DEMONYMS and all(w.lower() in _NOT_ACTORS for w in words[1:]):
            words = []  # an adjective phrase ("American AI", "Chinese AI"), not an actor
        name = " ".join(words)
        label = sentence[run.end:run.end + 1] == ":" and run.start == 0
        if words and not label and name.lower() not in _NOT_ACTORS and name.lower() not in _MONTHS:
            out.append((name, run.opens and words[0] == run.words[0], titled))
    return out


def _acronym_heading(words: list[str]) -> bool:
    """ "AI Safety Institute" keeps its "AI": an acronym of two letters or more heading a longer
    name. A capital "A" opening a sentence ("A Brookings study…") is an article, trimmed."""
    return len(words) > 1 and len(words[0]) > 1 and words[0].isupper()


def find_actors(citations: Sequence[Citation]) -> tuple[Actor, ...]:
    """The actors named in ``citations``, most mentioned first, each with where it is named.

    A span cited twice (a key point also on the timeline) counts once; a one-word name that ends
    a longer name found in the same brief is that actor ("Trump" -> "Donald Trump")."""
    unique = list({(c.doc_id, c.start, c.end): c for c in citations}.values())
    expansions = dict(pair for c in unique for pair in _defined_acronyms(c.text))
    found = [(c, name, opens, titled) for c in unique for name, opens, titled in _names(c.text)]
    full_names = {name.split()[-1].lower(): name for _c, name, _o, _t in found
                  if " " in name and not _country(name) and kind_of(name, False) == "organisation or person"}
    # A capitalised word opening a sentence is only a name if it is also capitalised elsewhere.
    seen_inside = {name for _c, name, opens, _t in found if not opens}
    mentions: dict[str, list[Citation]] = {}
    display: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for c, name, opens, titled in found:
        country = _country(name)
        if opens and " " not in name and not country and not name.isupper() and name not in seen_inside:
            continue
        if " " not in name and name.lower() in full_names:
            name = full_names[name.lower()]
        name = expansions.get(name, name)  # "IEA" is the "International Energy Agency (IEA)" named
        key = (country or name).lower()
        display.setdefault(key, country or name)
        if kinds.get(key, "organisation or person") == "organisation or person":
            kinds[key] = "country" if country else kind_of(name, titled)
        if all(m is not c for m in mentions.get(key, [])):
            mentions.setdefault(key, []).append(c)
    ranked = sorted(mentions, key=lambda k: (-len(mentions[k]), mentions[k][0].doc_id, mentions[k][0].start))
    return tuple(Actor(display[k], kinds[k], tuple(mentions[k])) for k in ranked[:MAX_ACTORS])
