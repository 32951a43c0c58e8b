"""The kind of thing a question asks for, and the lines that hold one (a ranking signal)."""

from __future__ import annotations

import pytest

from assistant.answer.asked_kind import asked, holds


@pytest.mark.parametrize(("question", "kind"), [
    ("Who signed the manual transmittal for IRM 2.3.59?", "person"),
    ("Whose performance evaluation will the board discuss?", "person"),
    ("On what day was the oral argument heard?", "date"),
    ("When did the FAA issue the emergency directive?", "date"),
    ("At what time does the special meeting begin?", "time"),
    ("How many airplanes of U.S. registry are affected?", "figure"),
    ("How old was the child at the time of the incident?", "figure"),
    ("Why did the FAA ground the airplanes?", None),
    ("What does the proposed rule require?", None),
])
def test_the_kind_a_question_asks_for(question, kind):
    assert asked(question) == kind


def test_a_name_the_question_does_not_use_is_a_person_and_its_own_names_are_not():
    question = "Who signed the transmittal for the Chief Information Officer?"
    assert holds("person", "Nancy Sieger", question)
    assert holds("person", "CHARLES M. SEVILLA, ESQ., San Diego, Cal.", question)
    assert holds("person", "Lance T. Gant,", question)
    # a letter after a model's name is no initial (it was taken for a name, and lost fr-who-signed)
    assert not holds("person", "They are items in the existing Boeing 737 MAX B–737–8/-9 MMEL, Revision 2.", question)
    assert not holds("person", "Chief Information Officer", question)  # the question's own words
    assert not holds("person", "What's Really at Stake in the US-China AI Competition?", "Who will win?")
    assert not holds("person", "the transmittal was issued on time", question)
    assert not holds("person", "before the Supreme Court of the United States", question)  # no name known
    assert not holds("person", "Chief Information Officer", "Who signed it?")  # "Officer" is a surname too
    assert holds("person", "Unrepresented Employee: Superintendent Wendy Gudalewicz", "Whose evaluation is it?")
    # a sentence's article is no part of a name, nor an initial: one word is left, and no name
    assert not holds("person", "A Brookings assessment from April 2026 emphasized it.", question)
    assert not holds("person", "The Trump administration repealed the rule.", question)
    assert holds("person", "The Wendy Gudalewicz contract was renewed.", question)
    # a name sharing a word with the question's is its subject ("Knowles v. Mirzayance")
    knowles = "Who argued for the respondent in Knowles v. Mirzayance?"
    assert not holds("person", "MICHAEL A. KNOWLES, : WARDEN", knowles)


def test_a_which_question_asks_for_the_line_its_noun_labels():
    question = "Which agency is named on the 90-day summary report for case 150109-DSP-Milw-505?"
    assert asked(question) == "label"
    assert holds("label", "Agency: Bureau of Milwaukee Child Welfare", question)
    assert not holds("label", "Case Tracking Number: 150109-DSP-Milw-505", question)
    assert not holds("label", "The agency received a report on January 10, 2015.", question)  # no label
    assert asked("What is the incubation period?") is None  # "what is" names no kind
    assert asked("Which elements did it cover?") is None  # a list is asked for (``lists``)
    glossary = ("Agency: an office of government that administers programmes, grants and contracts, "
                "and answers to a department of the executive branch.")
    assert not holds("label", glossary, question)  # a glossary's definition, not a form's value


def test_the_noun_asked_for_is_the_head_of_the_which_phrase_and_is_held_when_named_with_an_identifier():
    question = "Which flight control computer software version must be installed before further flight?"
    assert asked(question) == "label"
    assert holds("label", "Before further flight, install FCC OPS software version P12.1.2, or later.", question)
    assert not holds("label", "This AD would require installing new flight control computer (FCC) software.", question)
    assert not holds("label", "The software version was approved.", question)  # the noun, but not named
    assert holds("label", "Code 670: Heliophysics Science Division", "Which division has code 670?") is False
    assert holds("label", "Division: Heliophysics Science", "Which division has code 670?")


def test_dates_times_and_figures():
    assert holds("date", "Tuesday, January 13, 2009", "On what day was it heard?")
    assert not holds("date", "The matter came on for oral argument.", "On what day was it heard?")
    assert holds("time", "April 6, 2016 7:30 a.m.", "At what time does it begin?")
    assert not holds("time", "April 6, 2016", "At what time does it begin?")
    question = "How many airplanes would the directive affect?"
    assert holds("figure", "The FAA estimates that this proposed AD affects 73 airplanes of U.S. registry.", question)
    assert not holds("figure", "This proposed AD was issued in 2020.", question)  # a year is no count
    # a model number beside the thing asked for counts none of them
    assert not holds("figure", "AD 2018–23–51 applies to all The Boeing Company 737 MAX airplanes.", question)
    assert not holds("figure", "The FAA proposes changes to the 737 MAX type design.", "How many design changes?")
    assert holds("figure", "the FAA proposes to require four design changes:", "How many design changes?")
    # what is counted may be written with dots; "one-to-one" states no number
    registered = "How many U.S.-registered airplanes would the directive affect?"
    assert not holds("figure", "AD 2018–23–51 applies to all 51 operators of 737 MAX airplanes.", registered)
    assert holds("figure", "The FAA estimates that this proposed AD affects 73 airplanes of U.S. registry.", registered)
    total = "What was the total number of firearm background checks for Texas?"
    assert asked(total) == "figure"
    assert not holds("figure", "a one-to-one correlation cannot be made between a check and a sale", total)


def test_a_bare_value_is_a_candidate_only_for_a_question_asking_for_its_kind():
    from assistant.answer.candidates import candidates_from
    from assistant.types import Chunk, Hit

    text = "Tuesday, January 13, 2009\nThe matter came on for oral argument at 1:01 p.m."
    cut = text.index("\n")
    chunk = Chunk(0, "t.txt", 0, len(text), text, ((0, cut), (cut + 1, len(text))))
    hit = Hit(1, chunk, 1.0)
    question = "On what day was the oral argument heard?"
    plain = [c.text for c in candidates_from([hit])]
    admitted = [c.text for c in candidates_from([hit], lambda line: holds("date", line, question))]
    assert plain == ["The matter came on for oral argument at 1:01 p.m."]  # a dateline states nothing
    assert admitted == ["Tuesday, January 13, 2009", "The matter came on for oral argument at 1:01 p.m."]


def test_overlapping_passages_never_give_the_same_text_twice():
    from assistant.answer.candidates import candidates_from
    from assistant.types import Chunk, Hit

    text = "The FAA proposes a rule. Since then a fix was found. This rule requires new software."
    one, two = text.index(" Since") + 1, text.index(" This") + 1
    # the first passage split its first two sentences as one, the next (overlapping) one apart
    first = Chunk(0, "fr.pdf", 0, two - 1, text[: two - 1], ((0, two - 1),))
    second = Chunk(1, "fr.pdf", one, len(text), text[one:], ((one, two - 1), (two, len(text))))
    spans = [(c.start, c.end) for c in candidates_from([Hit(1, first, 1.0), Hit(2, second, 0.9)])]
    assert spans == [(0, two - 1), (two, len(text))]


def test_a_sentence_saying_what_the_asked_thing_is_holds_it():
    """Realdocs fr-pilatus-unsafe-condition: "What unsafe condition prompted…?" was answered by
    "…to address the unsafe condition on these products", past the sentence naming it."""
    question = "What unsafe condition prompted the proposed directive for Pilatus PC-12/47E airplanes?"
    assert holds("label", "The MCAI describes the unsafe condition as seizing of a main landing gear (MLG) "
                          "spring pack assembly.", question)
    assert not holds("label", "The FAA is proposing this AD to address the unsafe condition on these products.",
                     question)
    assert not holds("label", "The agency regards the condition as well understood.", question)
