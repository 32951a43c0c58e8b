"""A brief's actors: who and what acts in the on-topic material, each labelled and cited.

No named-entity model installs offline from the package registries with its weights (no
spaCy pipeline is published on PyPI), so actors are capitalised phrases with a stop list, and
their kind comes from the phrase and a gazetteer (``brief.gazetteer``): a country or place by
pycountry (with demonyms: "Chinese" -> China) or the list of regions and cities; a policy, law
or report by its last word ("Rule", "Act", "Report"); an organisation by its words ("Ministry",
"Inc") or an acronym; a person by a title before the name ("President", "CEO") or a name that
opens with a given name ("Elon Musk", "Xi Jinping"), or a lone given or family name; anything
else capitalised that acts is an organisation ("Goldman Sachs", "Alibaba"). Adjectival
compounds ("Chinese-made", "Biden-era") and phrases ("American AI") are descriptions, not actors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wordfreq import zipf_frequency

from assistant.brief.tuning import BRIEF
from assistant.text.abbreviations import spelled_out
from assistant.text.gazetteer import DEMONYMS, REGIONS, country_of, is_family_name, is_given_name, is_place
from assistant.text.names import capitalised_runs
from assistant.types import Citation

_ET_AL = re.compile(r"\b([A-Z][\w'’-]+)\s+et\s+al\b")
"""An author cited as "Ilavska et al." is a person."""
_TERM_BEFORE_NOUN = re.compile(
    r"\b([A-Z][a-z]+)\s+(?:\([^()]{1,12}\)\s+)?(?:virus|viruses|fever|disease|diseases|syndrome|infection|infections|vaccine|vaccines|"
    r"protein|proteins|gene|genes|cells?|strains?|[a-z]{3,}(?:i|ae|um|is|us|ensis|oides))\b")
"""A capitalised word naming a kind of thing: "Zika virus", "Envelope protein" or a genus before its
species ("Aedes aegypti", "Bacillus subtilis"). Counted as written in lower case: a term, not an actor."""
_SEARCHED = re.compile(r"\b(?:searched|databases?|search engines?|repositor(?:y|ies)|deposited|accession)\b", re.I)
"""A sentence on where a search looked ("We searched PubMed, Embase and…"): the names in it are
sources consulted, not actors, unless something marks them as one."""
_LISTED = re.compile(r"\b[A-Z][\w-]+(?:, [A-Z][\w-]+)+,? and [A-Z][\w-]+")
"""Capitalised words listed together ("Spike, Envelope, Membrane and Nucleoprotein") are things
of one kind: when one of them is a term, so are the others."""
_PRODUCT_AFTER = re.compile(r"\s+[A-Za-z]*\d[\w-]*\b")
_WORD = re.compile(r"[^\W\d_]+")
PERSON, ORGANISATION, PLACE, POLICY = "person", "organisation", "country or place", "policy, law or report"
KINDS = (PERSON, ORGANISATION, PLACE, POLICY)


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    """One of ``KINDS``: person, organisation, country or place, policy, law or report."""
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
    monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov
    dec""".split())
_ORGANISATION_WORDS = frozenset("""inc corp corporation ltd llc plc group agency ministry department commission council
    university institute bank association organization organisation administration committee office bureau authority
    foundation company co party unit center centre court congress senate parliament government service services
    forces army navy alliance union federation network laboratory laboratories lab labs holdings
    technologies library society academy agencies""".split())
_POLICY_WORDS = frozenset("""act rule rules law laws directive regulation regulations policy report agreement treaty
    strategy plan initiative order bill framework program programme accord protocol guideline guidelines sanctions
    practice practices standard standards convention declaration code charter""".split())
_TITLES = frozenset("""president minister secretary ceo chairman chairwoman chair premier senator governor dr mr mrs ms
    prof professor king queen prince general ambassador chancellor director commissioner spokesperson
    founder""".split())


# Capitals stand for their governments ("Washington's internal contradiction") or are places.
_CAPITALS = frozenset(["washington", "beijing", "moscow", "london", "paris", "berlin", "tokyo", "brussels", "taipei",
                       "seoul", "new delhi", "ottawa", "canberra", "kyiv", "tehran", "riyadh", "ankara", "brasilia"])


def defined_acronyms(text: str) -> list[tuple[str, str]]:
    """(acronym, name) for each "Name Words (NW)" in ``text`` whose name is capitalised: the
    abbreviations ``abbreviations.spelled_out`` finds, written in capitals, naming an actor."""
    return [(short, long_form) for short, long_form in spelled_out(text)
            if short.isupper() and all(w[:1].isupper() or w in _NAME_JOINERS for w in long_form.split())]


_NAME_JOINERS = frozenset("of for and the on".split())
"""Lower-case words a capitalised name may hold ("Public Health Emergency of International Concern")."""


_PLACE_WORDS = frozenset("""province city county region prefecture district state states municipality island
    islands valley river sea ocean gulf strait peninsula""".split())

_KNOWN_ACRONYMS = frozenset("""WHO UN EU NATO IMF OECD WTO CDC ECDC NIH FDA EPA NASA IEA RAND UNESCO UNICEF ASEAN OPEC
    IAEA UNHCR BRICS G7 G20 MIT IBM AMD TSMC SMIC BIS NSF DOD DOE NHS UNDP IPCC""".split())
"""Organisations known by their initials. Any other acronym is an actor only when the material
spells it out as one ("International Energy Agency (IEA)"): "HIV", "PCR" or "SNP" is a term."""
_SECTION_LABELS = frozenset("""abstract background objective objectives methods method results conclusion conclusions
    importance introduction discussion summary purpose aims design setting findings interpretation fig figure
    table supplementary appendix""".split())


def kind_of(name: str, titled: bool) -> str:
    """What an actor is, from its own words, the gazetteer and whether a title stood before it:
    a capitalised name nothing else marks ("Goldman Sachs", "Alibaba") is an organisation."""
    return _marked_kind(name, titled) or ORGANISATION


def _marked_kind(name: str, titled: bool) -> str | None:
    if country_of(name) or name.lower() in _CAPITALS or name.lower() in REGIONS:
        return PLACE  # a capital often stands for its government ("Washington's contradiction")
    words = name.split()
    lowered = [w.lower().rstrip(".") for w in words]
    if lowered[-1] in _POLICY_WORDS:
        return POLICY
    if any(w in _ORGANISATION_WORDS for w in lowered) or name in _KNOWN_ACRONYMS:
        return ORGANISATION
    if titled:
        return PERSON
    if is_place(name) or (len(words) > 1 and (lowered[-1] in _PLACE_WORDS or is_place(words[0]) and all(
            w in _NAME_JOINERS or is_place(w) or country_of(w) for w in words[1:]))):
        return PLACE  # "Guangdong Province", "Wuhan of China"
    if len(words) > 1 and is_given_name(words[0], opening_a_name=True) and len(words) <= 4:
        return PERSON
    if len(words) == 1 and (is_given_name(name) or is_family_name(name)):
        return PERSON
    return None


def capitalised_names(sentence: str) -> list[tuple[str, bool, bool]]:
    """Capitalised phrases: ``(name, opens_sentence, titled)``. Digits end a phrase ("Nvidia H200" ->
    Nvidia); a hyphenated word ending in lower case ("Chinese-made") is a description, not a name;
    a title ("President") before a name is dropped from it and remembered."""
    out: list[tuple[str, bool, bool]] = []
    for run in capitalised_runs(sentence):
        words = list(run.words)
        titled = False
        while words and ((words[0].lower() in _NOT_ACTORS and not _acronym_heading(words) and not _initials(words[0]))
                         or words[0].lower() in _MONTHS or words[0].lower().rstrip(".") in _TITLES):
            titled |= words[0].lower().rstrip(".") in _TITLES
            words.pop(0)
        if len(words) > 1 and words[0].lower() in DEMONYMS and all(w.lower() in _NOT_ACTORS for w in words[1:]):
            words = []  # an adjective phrase ("American AI", "Chinese AI"), not an actor
        name = " ".join(words)
        if _PRODUCT_AFTER.match(sentence, run.end) and sentence[:run.start].rstrip().lower().endswith(" the"):
            continue  # "the Zhenwu M890": a product and its model number, not who made it
        label = sentence[run.end:run.end + 1] == ":" and run.start == 0
        if words and not label and (name.lower() not in _NOT_ACTORS or _initials(name)) \
                and name.lower() not in _MONTHS:
            opens = run.opens or sentence[:run.start].rstrip().endswith((".", "!", "?", ".”", '."'))
            out.append((name, opens and words[0] == run.words[0], titled))
    return out


def _initials(word: str) -> bool:
    """ "WHO": an organisation's initials, never the stop word they also spell."""
    return word in _KNOWN_ACRONYMS


def _acronym_heading(words: list[str]) -> bool:
    """ "AI Safety Institute" keeps its "AI": an acronym of two letters or more heading a longer
    name. A capital "A" opening a sentence ("A Brookings study…") is an article, trimmed."""
    return len(words) > 1 and len(words[0]) > 1 and words[0].isupper()


def _is_acronym(name: str) -> bool:
    """ "HIV", "MERS-CoV", "IFITMs", "RNAi": initials (capitals, perhaps a plural or a short tail)."""
    letters = [ch for ch in name if ch.isalpha()]
    return " " not in name and len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 0.5 * len(letters) \
        and sum(ch.isupper() for ch in letters) >= 2


def _is_term(name: str, expansions: dict[str, str], lower_case: set[str]) -> bool:
    """Not an actor: initials nobody spells out as an organisation, a section label or a single
    letter, or a capitalised word or phrase the source also writes in lower case ("Rare earth…",
    "Severe Acute Respiratory Syndrome" beside "respiratory syndrome")."""
    words = name.split()
    if len(name) == 1 or name.lower() in _SECTION_LABELS or words[0].lower() in _SECTION_LABELS:
        return True
    if name.isupper() and len(name) > 6:
        return True  # "IMPORTANCE", "BACKGROUND": a heading shouted, not initials
    if _is_acronym(name):
        long_form = expansions.get(name)
        return name not in _KNOWN_ACRONYMS and (long_form is None or _is_term(long_form, {}, lower_case))
    if words[-1].lower().endswith(("virus", "viruses", "viridae", "virinae", "virales")):
        return True  # a taxon ("Hepatitis C Virus", "Bunyaviridae"), not an actor
    if len(words) == 1:
        parts = name.lower().split("-")
        return all(w in lower_case for w in parts) or (len(name) <= 2 and not name.isupper())
    if any(_is_acronym(w) and w not in _KNOWN_ACRONYMS and w not in expansions for w in words) \
            and _marked_kind(name, False) is None:
        return True  # "SARSlike CoV": a term built on initials
    return _marked_kind(name, False) is None and words[-1].lower() in lower_case


def _without_opener(name: str) -> str:
    """A sentence's first word is capitalised because it opens the sentence: "Beside DC-SIGNR",
    "Different IFITM", "Typically" lose an everyday word ("beside", "typically") unless it names
    a person or a place."""
    first, _, rest = name.partition(" ")
    everyday = zipf_frequency(first.lower(), "en") >= BRIEF.opener_zipf or (first.endswith("ly") and len(first) > 4)
    if everyday and not is_given_name(first) and not is_place(first) and not country_of(first):
        words = rest.split()
        while words and words[0] in _NAME_JOINERS:  # "Permission for Nvidia" -> "Nvidia"
            words.pop(0)
        return " ".join(words)
    return name


def find_actors(citations: Sequence[Citation],
                documents: Callable[[str], str | None] | None = None) -> tuple[Actor, ...]:
    """The actors named in ``citations``, most mentioned first, each with where it is named.

    A span cited twice (a key point also on the timeline) counts once; a one-word name that ends
    a longer name found in the same brief is that actor ("Trump" -> "Donald Trump"). ``documents``
    gives a cited document's whole text: a capitalised word it also writes in lower case is a word
    ("Membrane", "Patient"), not a name; without it only the cited spans are looked at."""
    unique = list({(c.doc_id, c.start, c.end): c for c in citations}.values())
    texts = [c.text for c in unique]
    if documents is not None:
        texts += [t for t in (documents(d) for d in dict.fromkeys(c.doc_id for c in unique)) if t]
    expansions = dict(pair for t in texts for pair in defined_acronyms(t))
    found = [(c, name, opens, titled) for c in unique for name, opens, titled in capitalised_names(c.text)]
    full_names = {name.split()[-1].lower(): name for _c, name, _o, _t in found
                  if " " in name and kind_of(name, False) == PERSON}
    # A capitalised word opening a sentence is only a name if it is also capitalised elsewhere,
    # and a word the material also writes in lower case ("Rare earth…", "rare earths") is a word.
    seen_inside = {name for _c, name, opens, _t in found if not opens}
    lower_case = {w for t in texts for w in _WORD.findall(t) if w.islower()}
    lower_case |= {m.group(1).lower() for t in texts for m in _TERM_BEFORE_NOUN.finditer(t)}
    authors = {m.group(1) for t in texts for m in _ET_AL.finditer(t)}
    for t in texts:  # a list with a term in it ("Spike, Envelope and …") is a list of terms
        for m in _LISTED.finditer(t):
            listed = re.findall(r"[A-Z][\w-]+", m.group(0))
            if any(w.lower() in lower_case for w in listed):
                lower_case |= {w.lower() for w in listed if _marked_kind(w, False) is None}
    mentions: dict[str, list[Citation]] = {}
    display: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for c, name, opens, titled in found:
        if opens:
            name = _without_opener(name)
            if not name:
                continue
        country = country_of(name)
        if not country and _SEARCHED.search(c.text) and _marked_kind(name, titled) is None:
            continue
        if not country and (_is_term(name, expansions, lower_case) or (
                " " not in name and opens and name not in seen_inside and not name.isupper()
                and name not in authors)):
            continue
        if " " not in name and name.lower() in full_names:
            name = full_names[name.lower()]
        name = expansions.get(name, name)  # "IEA" is the "International Energy Agency (IEA)" named
        key = (country or name).lower()
        display.setdefault(key, country or name)
        if key not in kinds or (titled and kinds[key] != PERSON):
            kinds[key] = PLACE if country else kind_of(name, titled or name in authors)
        if all(m is not c for m in mentions.get(key, [])):
            mentions.setdefault(key, []).append(c)
    ranked = sorted(mentions, key=lambda k: (-len(mentions[k]), mentions[k][0].doc_id, mentions[k][0].start))
    return tuple(Actor(display[k], kinds[k], tuple(mentions[k])) for k in ranked[:BRIEF.max_actors])
