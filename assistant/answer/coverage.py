"""Near-topic questions about something the corpus never mentions.

"What export controls has Japan imposed on chipmaking equipment?" shares many words with an
article on chips and export controls, so its best sentences look relevant; but if "Japan"
appears nowhere in the corpus, no sentence can answer it. The question's names (capitalised
words after the first, acronyms, model numbers such as "H200") are its subject: when one of
them is absent from the whole corpus (the BM25 vocabulary, stemmed), the answer is a refusal
that says which. A lower-case word that names a particular thing ("ivermectin", "biometric":
rare in English, by wordfreq's lists) is a subject too. A question most of whose words the
corpus never uses is refused as well, unless its best sentences are clearly relevant. A
misspelling of a corpus word ("Bacilius") is not an absent subject (``Vocabulary.knows_close``).
On a large corpus, almost any question finds a passage sharing a word with it; when every word
it shares is one the corpus uses no more than English at large does, the question is off-topic
(``only_everyday_words``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache

from assistant.answer.tuning import ANSWER
from assistant.retrieval.vocabulary import Vocabulary
from assistant.text.analyser import analyze
from assistant.text.framing import QUESTION_WORDS
from assistant.text.gazetteer import country_of, is_place
from assistant.text.names import capitalised_runs
from assistant.text.spelling import variants

_WORD = re.compile(r"[A-Za-z][\w'’-]*|\w*\d\w*")


def _words(question: str) -> list[str]:
    """The question's words, possessives dropped ("Nvidia's" is "Nvidia")."""
    return [m.group(0).removesuffix("'s").removesuffix("’s") for m in _WORD.finditer(question)]




def question_names(question: str) -> list[str]:
    """The question's (or topic's) names (``text.names``): runs of capitalised words, model
    names and other alphanumerics ("Nvidia H200"), acronyms. Its first word counts unless it is
    there only to open it (``_ordinary_opener``: "What", "Summarise", "The")."""
    names: list[str] = []
    for run in capitalised_runs(question, connectors=frozenset(), alphanumerics=True, descriptions=True):
        opener = _opens_sentence(question, run.start)
        owner = len(run.words) == 1 and question[:run.end].endswith(("'s", "’s"))  # "Apple's plans"
        words = run.words[1:] if opener and not owner and _ordinary_opener(run.words[0]) else run.words
        if words:
            names.append(" ".join(words))
    return names


_SENTENCE_END = re.compile(r"(?:[?!]|(?<![A-Z])(?<!\b[A-Za-z])\.)[\"'’”)\]]*\s*$")
"""What ends a sentence before the next opens: a question or exclamation mark, or a full stop that
does not end an initial ("U.S. Trade Representative" goes on)."""


def _opens_sentence(question: str, at: int) -> bool:
    """Whether the word at ``at`` opens the question or one of its sentences ("…? Please list…"),
    where a capital says nothing about a name."""
    before = question[:at].rstrip()
    return not before or bool(_SENTENCE_END.search(before))


def _ordinary_opener(word: str) -> bool:
    """Whether a question's capitalised first word is an ordinary word, not a name: a question
    or instruction word, a stop word, or a word common in English (``ANSWER.opener_common_zipf``).
    Acronyms and alphanumerics are names."""
    if (len(word) > 1 and word.isupper()) or any(ch.isdigit() for ch in word):
        return False
    if country_of(word) or is_place(word):
        return False  # "Japanese rare earth stockpiles", "India chip manufacturing": the topic's subject
    tokens = analyze([word.lower()])[0]
    return all(t in _phrasing_words() for t in tokens) or _zipf(word.lower()) >= ANSWER.opener_common_zipf


def absent_names(question: str, vocabulary: Vocabulary,
                 initials: Callable[[], Collection[str]] = frozenset) -> list[str]:
    """The question's names of which some word never occurs in the corpus, nor a word it could be
    a misspelling of ("Bacilius" is the corpus's "Bacillus"): a typo is not an absent subject.
    Words with digits ("HIN1", "5th", "IL-1Beta") are not checked. An abbreviation and the name
    it stands for are one subject (``same_as_known``): "EU" asked of a corpus that writes
    "European Union" (``initials`` gives the corpus's, ``abbreviations.initialisms``; it is called
    only for a name the corpus lacks, since gathering them costs time on a large index), and
    the reverse."""
    out = []

    def unknown(text: str) -> bool:
        return any(_unknown_word(word, vocabulary) for word in text.split())

    for name in question_names(question):
        if unknown(name) and not same_as_known(name, vocabulary, initials()):
            # Say which words: "Russia", not "Russia AI" of a corpus that writes about AI.
            out.append(" ".join(w for w in name.split() if unknown(w)) or name)
    return out


_TOKEN_EDGES = "()[]{}<>,;:!?\"'“”‘’."
_YEAR = re.compile(r"[12]\d{3}")


def _is_identifier(token: str) -> bool:
    """A number of two or more digits that is not a year, or a code mixing digits with letters
    or dashes ("670", "07-1315", "150109-DSP-Milw-505", "P12.1.2", "COVID-19")."""
    digits = sum(ch.isdigit() for ch in token)
    if not digits or _YEAR.fullmatch(token):
        return False
    return digits >= 2 or any(ch.isalpha() or ch == "-" for ch in token)


def identifiers(text: str) -> frozenset[str]:
    """The identifiers ``text`` holds (``_is_identifier``), lower-cased."""
    tokens = (t.strip(_TOKEN_EDGES).lower() for t in text.split())
    return frozenset(t for t in tokens if _is_identifier(t))


def identified(question: str, sentences: Sequence[str]) -> bool:
    """Whether one of ``sentences`` holds every identifier the question asks about (and it asks
    about one): "Which Goddard division has code 670?" is answered by "Code 670: Heliophysics
    Science Division" in a deck that writes Goddard only as GSFC. An identifier is more specific
    than a name, so a name the corpus lacks does not then refuse the question."""
    wanted = identifiers(question)
    return bool(wanted) and any(wanted <= identifiers(s) for s in sentences)


def _unknown_word(word: str, vocabulary: Vocabulary) -> bool:
    """Whether the corpus never uses ``word`` nor a word it could be a misspelling of; initials
    are never misspelt ("NBA" is not the corpus's "DNA")."""
    tokens = [t for t in analyze([word])[0] if not any(ch.isdigit() for ch in t)]
    if len(word) > 1 and word.isupper():
        return any(not vocabulary.knows(t) for t in tokens)
    return any(not vocabulary.knows(t) and not vocabulary.knows_close(t) for t in tokens)


def same_as_known(name: str, vocabulary: Vocabulary, initials: Collection[str]) -> bool:
    """Whether ``name`` is another way of writing a name the corpus uses: an abbreviation (all
    capitals) of a name it spells out ("EU": "European Union"), or a country code ("DEU":
    "Germany", by pycountry); or a name whose initials the corpus uses as a word ("European
    Union": "EU")."""
    if len(name) > 1 and name.isupper() and " " not in name:
        if name.lower() in initials:
            return True
        return any(_all_known(country, vocabulary) for country in _country_names(name))
    words = [w for w in name.split() if w[:1].isupper()]
    if any(len(w) > 1 and w.isupper() for w in words):
        return False  # "NBA Finals" is not an "NF" the corpus writes: a name holding initials is not spelt out
    return len(words) >= 2 and vocabulary.knows("".join(w[0] for w in words).lower())


def _all_known(text: str, vocabulary: Vocabulary) -> bool:
    tokens = analyze([text])[0]
    return bool(tokens) and all(vocabulary.knows(t) for t in tokens)


def _country_names(code: str) -> list[str]:
    """The names of the country whose ISO code this is ("DE", "DEU": "Germany", "Federal Republic
    of Germany"), or none."""
    import pycountry

    country = None
    with contextlib.suppress(KeyError, LookupError):
        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else \
            pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if country is None:
        return []
    return [n for n in (getattr(country, "name", None), getattr(country, "common_name", None),
                        getattr(country, "official_name", None)) if n]




def absent_terms(question: str, vocabulary: Vocabulary) -> list[str]:
    """The question's lower-case words that name a particular thing (``ANSWER.specific_zipf``) and that
    the corpus never uses, nor anything spelled close to them: "What is the recommended dose of
    ivermectin?" asked of articles that never mention ivermectin. Names are ``absent_names``'."""
    names = {w for name in question_names(question) for w in name.split()}
    words = [w for w in _words(question) if w not in names and not any(ch.isdigit() for ch in w)]
    asking = _phrasing_words()
    out = []
    for word, tokens in zip(words, analyze(words), strict=True):
        tokens = [t for t in tokens if t not in asking]
        if not tokens or all(vocabulary.knows(t) or vocabulary.knows_close(t) for t in tokens):
            continue
        if 0 < _zipf(word) < ANSWER.specific_zipf and not _compound_of_corpus_word(word, vocabulary):
            out.append(word)
    return out


def _compound_of_corpus_word(word: str, vocabulary: Vocabulary) -> bool:
    """Whether ``word`` is a corpus word (four letters or more) joined to a common one (``ANSWER.compound_zipf``)."""
    for cut in range(4, len(word) - 2):
        head = analyze([word[:cut]])[0]
        if head and all(vocabulary.knows(t) for t in head) and _zipf(word[cut:]) >= ANSWER.compound_zipf:
            return True
    return False




def only_everyday_words(question: str, vocabulary: Vocabulary, chunk_ids: Sequence[int], passage_words: float) -> bool:
    """Whether the question shares words with the passages found (``chunk_ids``), but each of them
    is no more common in the corpus than in English at large: its share of the corpus's passages
    is at most the chance that a passage of ``passage_words`` English words holds it. "What is
    the capital of France?" asked of 49 articles on viruses finds "Beijing as the capital of
    China"; "capital" and "France" are words the articles use in passing, not what they are
    about. A word of the corpus's subject ("virus" there, "data" in privacy policies) is far
    more common in it than in English, and so is a term English lists do not know."""
    asking = asking_words()
    words = _words(question)
    shared = False
    for word, tokens in zip(words, analyze(words), strict=True):
        found = [t for t in tokens if t not in asking and vocabulary.occurs_in(t, chunk_ids)]
        if not found:
            continue
        shared = True
        english = 10 ** (_zipf(word) - 9)  # a word's share of English text, from its Zipf value
        if not english:
            return False
        expected = 1 - (1 - english) ** passage_words
        if any(vocabulary.share(t) > expected for t in found):
            return False
    return shared


def load_word_frequencies() -> None:
    """Read the English word list now (half a second), not at the first question that needs it."""
    with contextlib.suppress(Exception):  # a failure shows at that question, where it can be reported
        _zipf("the")


@lru_cache(maxsize=4096)
def _zipf(word: str) -> float:
    """How common a word is in English (wordfreq's bundled lists: nothing is downloaded), in
    whichever spelling English uses most: "summarise" is as common as "summarize" (``spelling``)."""
    from wordfreq import zipf_frequency

    return max(float(zipf_frequency(form, "en")) for form in variants(word))


_ASKING = " ".join(sorted(QUESTION_WORDS))
INSTRUCTIONS = ("summarize summary characterize describe description explain explanation elaborate "
                "enumerate outline list discuss detail details compare contrast identify give provide state "
                "name specify clarify show sketch recount recap review overview brief briefly present "
                "expound delineate illustrate")
"""Words that say what to do with the answer ("Summarise…", "Characterise…", "List…", "Elaborate
on…"), not what it is about: a question phrased as an instruction is judged by its other
words. British spellings are the same words (``spelling``)."""


@lru_cache(maxsize=1)
def asking_words() -> frozenset[str]:
    """Words every question uses, whatever its subject (analysed like the corpus)."""
    return frozenset(analyze([_ASKING])[0])


@lru_cache(maxsize=1)
def _phrasing_words() -> frozenset[str]:
    """Words that say how to answer, not what about: those every question uses and the verbs of
    instructions. Never a subject the corpus lacks; but a word such as "identified" that the
    passages found share with the question is still evidence they are on its subject
    (``only_everyday_words`` keeps counting it)."""
    return frozenset(analyze([_ASKING + " " + INSTRUCTIONS])[0])


def unknown_words(question: str, vocabulary: Vocabulary) -> tuple[list[str], int]:
    """The question's content words (analysed) that the corpus never uses, nor any spelled close
    to them, and how many content words it has."""
    asking = _phrasing_words()
    words = [t for t in dict.fromkeys(analyze([question])[0]) if t not in asking]
    unknown = [t for t in words if not vocabulary.knows(t) and not vocabulary.knows_close(t)]
    return unknown, len(words)

