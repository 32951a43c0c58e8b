"""Near-topic questions whose subject the corpus never mentions are refused, and say why."""

from __future__ import annotations

from assistant.answer.coverage import absent_names, absent_terms, only_everyday_words, question_names
from assistant.answer.engine import Engine
from tests.fakes import HashEmbedder
from tests.helpers import build, vocabulary_of

CORPUS = ["Huawei designs chips in Shenzhen. Bacillus subtilis can carry vaccines.",
          "The H1N1 outbreak reached California in 2009. Nvidia sells H200 chips."]


def test_names_are_capitalised_runs_acronyms_and_model_numbers():
    assert question_names("What did Xi Jinping say to Trump in Beijing?") == ["Xi Jinping", "Trump", "Beijing"]
    assert question_names("How many chips does TSMC produce for Huawei?") == ["TSMC", "Huawei"]
    assert question_names("What is the price of one Nvidia H200 chip?") == ["Nvidia H200"]
    # A topic's first word is a name unless it only opens the sentence (common, or a question word)
    assert question_names("Gulf states investment in AI") == ["Gulf", "AI"]
    assert question_names("Summarise the EU's plan") == ["EU"] and question_names("Tell me about Huawei") == ["Huawei"]
    assert question_names("New export controls on chips") == []  # a common word: judged by its other words
    # A country, a people or a place opening a topic is its subject, however common the word
    assert question_names("China's export controls") == ["China"]
    assert question_names("Japanese rare earth stockpiles") == ["Japanese"]
    assert question_names("Apple's plans in China") == ["Apple", "China"]  # an owner is a name
    assert question_names("what does huawei make?") == []  # lower case: nothing to check


def test_absent_names_tolerate_typos_and_skip_words_with_digits():
    sparse = vocabulary_of(CORPUS)
    assert absent_names("How many chips does TSMC make for Huawei?", sparse) == ["TSMC"]
    assert absent_names("What export controls has Japan imposed?", sparse) == ["Japan"]
    assert absent_names("Japan Huawei partnership", sparse) == ["Japan"]  # the missing word, not the whole run
    assert absent_names("How can Bacilius subtilis carry a vaccine?", sparse) == []  # misspelt, still known
    assert absent_names("Did HIN1 reach Californian towns on the 5th?", sparse) == []
    assert absent_names("What does Huawei design in Shenzhen?", sparse) == []


def test_a_typo_changes_a_letter_or_two_it_does_not_add_a_word_part():
    sparse = vocabulary_of(["Bacillus subtilis was found in monkeys, in a facility near third parties.",
                                "Data travels under SSL encryption."])
    assert sparse.knows_close("bacilius")  # one letter changed
    assert sparse.knows_close("pariti")  # "parities": one letter added to "parties"
    assert not sparse.knows_close("monkeypox")  # a word part added to "monkey"
    assert not sparse.knows_close("fauci")  # two edits in five letters: another word than "facil(ity)"
    assert not sparse.knows_close("ssn")  # one edit in three letters makes another word than "ssl"


def test_absent_terms_are_specific_words_the_corpus_never_uses():
    sparse = vocabulary_of(["Chip export controls were tightened. Vaccines against influenza were tested in mice.",
                                "Third parties may receive your data."])
    assert absent_terms("What is the recommended dose of ivermectin for influenza?", sparse) == ["ivermectin"]
    assert absent_terms("Is my biometric data stored?", sparse) == ["biometric"]
    # words every question may use, however absent, are how it is phrased, not what it is about
    assert absent_terms("Do the controls work better for customers?", sparse) == []
    assert absent_terms("Which chipmakers gain from the export controls?", sparse) == []  # "chip" + "makers"
    assert absent_terms("Do you share my data with third parities?", sparse) == []  # a typo of "parties"
    assert absent_terms("Did Ivermectin and Japan reach the market?", sparse) == []  # names: ``absent_names``


def test_a_question_about_an_absent_lower_case_subject_is_refused_with_the_reason(settings, corpus):
    engine = _chips_engine(settings, corpus, 0.05)
    refused = engine.ask("Which export controls cover chipmaking equipment for gallium mining?")
    assert refused.abstained and refused.notes == ("the corpus never mentions gallium",)


def _chips_engine(settings, corpus, threshold: float) -> Engine:  # type: ignore[no-untyped-def]
    (corpus / "chips.txt").write_text(
        "Export controls on chipmaking equipment were tightened by the United States in 2024. "
        "The controls cover lithography machines and etching tools.\n", encoding="utf-8")
    build(settings, HashEmbedder())
    return Engine(settings.replace(refusal_threshold=threshold), HashEmbedder())


def test_a_question_about_an_absent_subject_is_refused_with_the_reason(settings, corpus):
    engine = _chips_engine(settings, corpus, 0.05)
    answered = engine.ask("What export controls on chipmaking equipment did the United States tighten?")
    assert not answered.abstained and any("United States in 2024" in c.text for c in answered.citations)
    refused = engine.ask("What export controls on chipmaking equipment has Japan imposed?")
    assert refused.abstained and refused.notes == ("the corpus never mentions Japan",)


def test_unknown_words_are_the_content_words_the_corpus_never_uses():
    from assistant.answer.coverage import unknown_words

    sparse = vocabulary_of(CORPUS)
    assert unknown_words("How should a sprained ankle be treated?", sparse) == (["sprain", "ankl", "treat"], 3)
    assert unknown_words("Which chips does Huawei design?", sparse) == ([], 3)  # "which", "does": asking words
    assert unknown_words("What did the outbrek reach?", sparse)[0] == []  # a typo of a corpus word is known


def test_a_question_in_words_the_corpus_never_uses_is_refused_saying_so(settings, corpus):
    engine = _chips_engine(settings, corpus, 0.0)
    refused = engine.ask("How should a sprained ankle be treated after running?")
    assert refused.abstained and refused.notes == ("most of the question's words never occur in the corpus",)
    # rare words among them do not make it a question about them
    refused = engine.ask("How are germanium wafers annealed?")
    assert refused.abstained and refused.notes == ("most of the question's words never occur in the corpus",)
    answered = engine.ask("Which machines do the export controls cover?")
    assert not answered.abstained and any("lithography machines" in c.text for c in answered.citations)


def _virus_passages() -> list[str]:
    """Four hundred passages about viruses; one names a capital and France in passing."""
    topics = ["The virus spreads by droplets and infects the lungs.", "Antibodies against the virus were measured.",
              "Vaccine trials tested the virus in mice.", "The outbreak of the virus reached hospitals."]
    texts = [f"{topics[i % 4]} Case {i} was recorded." for i in range(399)]
    return [*texts, "A hospital in the capital of France treated patients with the virus."]


def test_passage_share_and_occurrence_come_from_the_index():
    sparse = vocabulary_of(_virus_passages())
    assert abs(sparse.share("virus") - 1.0) < 1e-9
    assert abs(sparse.share("capit") - 1 / 400) < 1e-9
    assert sparse.share("absent") == 0.0
    assert sparse.occurs_in("franc", [0, 399]) and not sparse.occurs_in("franc", [0, 1, 2])


def test_a_question_sharing_only_everyday_words_with_the_passages_found():
    sparse = vocabulary_of([*_virus_passages(), "The rNDV vector was tested once."])
    words = 800 / 6
    # "capital" and "France": one passage in 400, less than a passage of English would hold them
    assert only_everyday_words("What is the capital of France?", sparse, [399, 0], words)
    assert not only_everyday_words("How does the virus spread?", sparse, [0, 4], words)  # the corpus's subject
    assert not only_everyday_words("What is rNDV?", sparse, [400], words)  # a term English does not use
    assert not only_everyday_words("How hot is the sun?", sparse, [0, 399], words)  # nothing shared: other checks


def test_an_off_topic_question_on_a_large_corpus_is_refused_saying_why(settings, corpus):
    for i, text in enumerate(_virus_passages()):
        (corpus / f"note-{i:03}.txt").write_text(text + "\n", encoding="utf-8")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.0), HashEmbedder())
    refused = engine.ask("What is the capital of France?")
    assert refused.abstained and refused.notes == ("the passages found share only everyday words with the question",)
    answered = engine.ask("How does the virus spread?")
    assert not answered.abstained and not answered.notes
    assert all("virus" in c.text for c in answered.citations)


def test_a_follow_up_in_plain_words_is_not_judged_by_them(settings, corpus):
    from assistant.answer.conversation import Conversation

    for i, text in enumerate(_virus_passages()):
        (corpus / f"note-{i:03}.txt").write_text(text + "\n", encoding="utf-8")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.0), HashEmbedder())
    conversation = Conversation()
    engine.ask("Which hospital in France treated patients with the virus?", conversation)
    follow_up = engine.ask("Was it in the capital?", conversation)
    assert not follow_up.abstained and not follow_up.notes
    assert any("capital of France" in c.text for c in follow_up.citations)


def test_a_second_sentence_opens_with_a_capital_that_names_nothing():
    """Issue 34: "…? Please …" was refused as "the corpus never mentions Please"."""
    assert question_names("How many chips does Huawei make? Please answer briefly.") == ["Huawei"]
    assert question_names("Which agency issued the rule. Give the date.") == []
    assert question_names("What did the U.S. Trade Representative say?") == ["U.S", "Trade Representative"]
    assert question_names("Who met in Beijing? Xi Jinping and Trump?") == ["Beijing", "Xi Jinping", "Trump"]


def test_initials_are_never_taken_for_a_misspelling_nor_spelt_out_by_a_name_holding_them():
    """"NBA" was the corpus's "DNA" (one edit), and "NBA Finals" its "NF" (initials)."""
    sparse = vocabulary_of(["DNA polymerase binds NF kB in the nucleus; the finals of the assay followed."])
    assert absent_names("Which team won the 2016 NBA Finals?", sparse) == ["NBA"]
    assert absent_names("What does DNA polymerase bind?", sparse) == []


def test_an_identifier_the_best_sentence_holds_outweighs_a_name_the_corpus_lacks():
    from assistant.answer.coverage import identified, identifiers

    assert identifiers("On what day was case No. 07-1315 heard in 2009?") == {"07-1315"}  # a year is none
    assert identifiers("Report 150109-DSP-Milw-505, version P12.1.2.") == {"150109-dsp-milw-505", "p12.1.2"}
    question = "Which Goddard division has code 670?"  # the deck writes Goddard only as GSFC
    assert identified(question, ["Other text.", "Code 670: Heliophysics Science Division"])
    assert not identified(question, ["Code 671: Heliophysics Science Technology Division"])
    assert not identified("What did Goldman Sachs say about rare earths?", ["Rare earths rose 20%."])  # none asked
