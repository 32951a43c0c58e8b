"""A question is refused for its subject, never for its phrasing (issue 25): British spellings,
verbs of asking and abbreviations of names the corpus spells out are not absent subjects."""

from __future__ import annotations

import pytest

from assistant.answer.coverage import absent_names, absent_terms, unknown_words
from assistant.text.abbreviations import initialisms
from assistant.text.analyser import analyze
from assistant.text.spelling import american
from tests.fakes import HashEmbedder
from tests.helpers import build, vocabulary_of

AMERICAN = ["The agency characterized the controls as a licensing mechanism. The center of the program "
            "analyzed tumor behavior and pediatric hemorrhage.",
            "The European Union and the World Health Organization summarized the plan of the "
            "International Energy Agency. Germany agreed."]


@pytest.mark.parametrize(("british", "us"), [
    ("characterise", "characterize"), ("summarised", "summarized"), ("centre", "center"), ("tumour", "tumor"),
    ("paediatric", "pediatric"), ("haemorrhage", "hemorrhage"), ("programme", "program"), ("behaviour", "behavior"),
    ("hospitalisation", "hospitalization"), ("randomised", "randomized"),  # the "-ise" rule beyond the list
    ("chips", "chips"), ("four", "four"), ("exercise", "exercize")])  # consistent on both sides: harmless
def test_a_british_spelling_is_written_the_american_way(british, us):
    assert american(british) == us


def test_british_and_american_spellings_are_one_token():
    assert analyze(["characterise tumours centre"]) == analyze(["characterize tumors center"])


def test_a_british_spelling_is_not_an_absent_subject():
    sparse = vocabulary_of(AMERICAN)
    question = "How did the agency characterise the paediatric haemorrhage programme?"
    assert absent_terms(question, sparse) == []
    assert unknown_words(question, sparse)[0] == []


def test_a_verb_of_asking_is_not_the_subject_however_rare():
    sparse = vocabulary_of(AMERICAN)
    for question in ("Summarise the licensing mechanism.", "Enumerate the controls of the agency.",
                     "Elaborate on the licensing mechanism.", "Delineate the controls."):
        assert absent_terms(question, sparse) == [], question
        assert unknown_words(question, sparse)[0] == [], question
    # …while a rare word that names a thing still is one
    assert absent_terms("Summarise what the agency said about ivermectin.", sparse) == ["ivermectin"]


def test_initialisms_are_the_initials_of_capitalised_names():
    found = initialisms("The European Union and the World Health Organization met the Organisation for "
                        "Economic Co-operation and Development in the United Kingdom.")
    assert {"eu", "who", "oecd", "uk"} <= set(found)
    assert "euatwho" not in found  # "and the" ends a name: two names are not one


def test_an_abbreviation_of_a_name_the_corpus_spells_out_is_that_name():
    sparse = vocabulary_of(AMERICAN)
    known = frozenset(i for text in AMERICAN for i in initialisms(text))
    assert absent_names("What are the EU's stockpiling plans?", sparse, lambda: known) == []
    assert absent_names("What did the WHO and the IEA summarise?", sparse, lambda: known) == []
    assert absent_names("What did DEU agree?", sparse, lambda: known) == []  # Germany's ISO code (pycountry)
    # the rule is about initials, not any capitals: these stay absent
    assert absent_names("What did the IMF and Japan say?", sparse, lambda: known) == ["IMF", "Japan"]
    assert absent_names("What are the EU's stockpiling plans?", sparse) == ["EU"]  # without the corpus's initials


def test_a_name_whose_abbreviation_the_corpus_uses_is_known():
    sparse = vocabulary_of(["The EU agreed a stockpile of gallium."])
    assert absent_names("What did the European Union agree on gallium?", sparse) == []
    assert absent_names("What did the European Commission agree?", sparse) == ["European Commission"]


def test_engine_answers_an_abbreviation_the_corpus_spells_out(settings, corpus):
    (corpus / "stock.txt").write_text(
        "Stockpiles\n\nThe European Union plans to stockpile gallium and germanium for two years. "
        "Member states share the cost of the stockpile.\n", encoding="utf-8")
    build(settings, HashEmbedder())
    from assistant.answer.engine import Engine

    engine = Engine(settings.replace(refusal_threshold=0.0), HashEmbedder())
    assert engine.index.initialisms >= {"eu"}
    answer = engine.ask("Elaborate on the EU's stockpiling plans.")
    assert not answer.abstained, answer.notes
    refused = engine.ask("Elaborate on Japan's stockpiling plans.")
    assert refused.abstained and refused.notes == ("the corpus never mentions Japan",)


def test_the_corpus_initials_are_gathered_only_for_a_name_it_lacks():
    sparse = vocabulary_of(AMERICAN)

    def never() -> frozenset[str]:
        raise AssertionError("initials gathered for a question whose names the corpus has")

    assert absent_names("What did the European Union and Germany summarize?", sparse, never) == []
