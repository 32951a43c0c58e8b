""""What is RSV?" is answered by the sentence that spells RSV out, wherever the corpus does."""

from __future__ import annotations

from assistant.answer.engine import Engine
from assistant.index.bm25 import SparseIndex
from assistant.retrieval.hybrid import Scope
from assistant.text.abbreviations import asked_abbreviation, defines
from tests.fakes import HashEmbedder
from tests.helpers import build, write_doc


def test_questions_that_ask_what_an_abbreviation_is():
    assert asked_abbreviation("What is PHEIC?") == "PHEIC"
    assert asked_abbreviation("what are RVPs") == "RVPs"
    assert asked_abbreviation("What does WHO stand for?") == "WHO"
    assert asked_abbreviation("What is meant by MERS-CoV?") == "MERS-CoV"
    assert asked_abbreviation("Define the IEA.") == "IEA"
    assert asked_abbreviation("What is hepcidin?") is None  # a word, not an abbreviation
    assert asked_abbreviation("What is Nvidia?") is None  # one capital: a name
    assert asked_abbreviation("What is the role of PHEIC in outbreaks?") is None  # not "what is it"


def test_a_definition_spells_the_short_form_out_beside_it():
    assert defines("PHEIC", "not to declare a 'Public Health Emergency of International Concern' (PHEIC) then")
    assert defines("RSV", "RSV (respiratory syncytial virus) [10] , adenovirus")  # the long form in parentheses
    assert defines("RVPs", "JEV replicon recombinant viral particles (RVPs) were used")
    assert defines("RVPs", "Recombinant viral particle (RVP) assays")  # the singular
    assert defines("IL-6", "increased levels of Interleukin-6 (IL-6) and")
    assert not defines("RSV", "a vaccine trial (RSV) began")  # its letters do not spell RSV
    assert not defines("RSV", "RSV (in children) peaks in winter")
    assert not defines("RSV", "RSV infections peak in winter")  # used, not defined
    assert not defines("HTS", "the HTS assay (high-throughput screening) ran")  # the words stand after "assay"


def test_the_passages_holding_a_word_come_from_its_column_of_the_index():
    sparse = SparseIndex.build(["RSV peaks in winter.", "Nothing here.", "Trials against RSV began.", "RSV again."])
    assert sorted(sparse.passages_with("rsv").tolist()) == [0, 2, 3]
    assert sparse.passages_with("absent").tolist() == []
    assert SparseIndex.build([]).passages_with("rsv").tolist() == []


def _engine(settings, corpus) -> Engine:  # type: ignore[no-untyped-def]
    write_doc(corpus, "winter.txt", "RSV infections peak in winter. RSV spreads in schools and nurseries. "
                                    "RSV outbreaks fill children's wards every year.\n")
    write_doc(corpus, "trials.txt", "Nasal sprays were tested on volunteers in 2019. "
                                    "Trials began against respiratory syncytial virus (RSV) in infants.\n")
    build(settings, HashEmbedder())
    return Engine(settings.replace(top_k=1, refusal_threshold=0.0), HashEmbedder())


def test_the_definition_leads_even_from_a_passage_retrieval_did_not_find(settings, corpus):
    engine = _engine(settings, corpus)
    assert [h.chunk.doc_id for h in engine.search("What is RSV?", k=1)] == ["winter.txt"]
    answer = engine.ask("What is RSV?")
    assert not answer.abstained
    assert answer.citations[0].doc_id == "trials.txt"
    assert "respiratory syncytial virus (RSV)" in answer.citations[0].text


def test_the_definition_is_looked_for_only_within_the_scope(settings, corpus):
    engine = _engine(settings, corpus)
    answer = engine.ask("What is RSV?", scope=Scope(docs=("winter.txt",)))
    assert {c.doc_id for c in answer.citations} == {"winter.txt"}
    # a question about something else is answered as before, from the passage found
    assert engine.ask("When do RSV infections peak?").citations[0].doc_id == "winter.txt"


def test_one_rule_finds_spelled_out_abbreviations_for_answers_and_actors():
    from assistant.brief.actors import defined_acronyms
    from assistant.text.abbreviations import spelled_out

    text = ("The International Energy Agency (IEA) said so. A Public Health Emergency of International "
            "Concern (PHEIC) was declared. Rates rose (RR) sharply.")
    assert spelled_out(text) == [("IEA", "International Energy Agency"),
                                 ("PHEIC", "Public Health Emergency of International Concern"),
                                 ("RR", "Rates rose")]
    assert all(defines(short, text) for short, _long in spelled_out(text))
    # an actor is a capitalised name written in capitals
    assert defined_acronyms(text) == [("IEA", "International Energy Agency"),
                                       ("PHEIC", "Public Health Emergency of International Concern")]
