"""Rules that keep an answer to the point however it is asked (issue 25): a frame around the
question, a list asked for, a figure stated rather than used, support relevant in its own right."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.candidates import Candidate, Scored
from assistant.answer.compose import select
from assistant.answer.lists import enumerated_items, list_kind
from assistant.answer.sentence_scores import merely_uses
from assistant.text.framing import core
from assistant.types import Chunk, Hit


@pytest.mark.parametrize(("asked", "meant"), [
    ("Summarise: why can chips and rare earths not be separated?", "Why can chips and rare earths not be separated?"),
    ("According to the sources, when did Trump visit Beijing?", "When did Trump visit Beijing?"),
    ("Could you please tell me who supports it?", "Who supports it?"),
    ("Please, based on the documents: what is PHEIC?", "What is PHEIC?"),
    ("Summarise the Brookings assessment.", "Summarise the Brookings assessment."),  # an instruction, not a frame
    ("In the US, how is AI sold?", "In the US, how is AI sold?"),  # a place, not the sources
    ("Explain:", "Explain:"),  # nothing left: the question as asked
])
def test_a_frame_around_a_question_is_not_what_it_asks(asked, meant):
    assert core(asked) == meant


@pytest.mark.parametrize(("question", "kind"), [
    ("Which rare earth elements were put under Chinese export controls?", "rare earth elements"),
    ("What are the symptoms of COVID-19?", "symptoms"),
    ("List the banks that were represented in the delegation.", "banks"),
    ("Enumerate the rare earth elements.", "rare earth elements"),
    ("What is the incubation period?", None),
    ("Which country imposed controls?", None),
])
def test_a_list_question_names_the_kind_it_asks_for(question, kind):
    assert list_kind(question) == kind


def test_the_items_a_sentence_enumerates():
    assert enumerated_items("On April 4, 2025, China added products related to samarium, gadolinium, terbium, "
                            "dysprosium, lutetium, scandium, and yttrium to its export control list.") == \
        ["samarium", "gadolinium", "terbium", "dysprosium", "lutetium", "scandium", "yttrium"]
    assert enumerated_items("Fever, cough and fatigue are common.") == ["Fever", "cough", "fatigue"]
    assert enumerated_items("The virus, which spread, was contained.") == []
    assert enumerated_items("However, the agency said that it would act.") == []


def test_a_sentence_that_uses_a_figure_is_told_from_one_that_states_it():
    assert merely_uses("We set the same value (5.2 days) of the incubation period and the latent period.")
    assert merely_uses("The latent period was assumed to be 3 days.")
    assert not merely_uses("The mean incubation period was 5.2 days (95% CI: 4.1-7.0).")


def _candidates(relevances: list[float], scores: list[float]) -> list[Scored]:
    # one paragraph each: no sentence carries the lead on (``carry_on``), each is judged alone
    text = "\n".join(f"Sentence number {i} says something different here." for i in range(len(scores)))
    starts = [text.index(f"Sentence number {i}") for i in range(len(scores))]
    bounds = [(a, a + len(f"Sentence number {i} says something different here.")) for i, a in enumerate(starts)]
    chunk = Chunk(0, "a.txt", 0, len(text), text, tuple(bounds))
    out = []
    for i, ((a, b), rel, score) in enumerate(zip(bounds, relevances, scores, strict=True)):
        vector = np.eye(1, 8, i, dtype=np.float32)[0]  # all different: MMR keeps each
        out.append(Scored(Candidate("a.txt", a, b, text[a:b], Hit(1, chunk, 1.0), None, i), score, rel, vector))
    return sorted(out, key=lambda s: -s.score)


def test_a_supporting_sentence_must_be_relevant_in_its_own_right():
    # the third scores close to the lead (its passage ranks high) but is barely relevant itself
    scored = _candidates([0.8, 0.6, 0.3], [0.8, 0.7, 0.75])
    chosen = select(scored, 2000, 3, support_floor=0.6)
    assert {s.relevance for s in chosen} == {0.8, 0.6}
    assert len(select(scored, 2000, 3, support_floor=0.0)) == 3  # without the floor, filler joins
    # an answer may be one sentence
    assert len(select(_candidates([0.8, 0.3], [0.8, 0.75]), 2000, 3, support_floor=0.6)) == 1


def test_one_adjacency_rule_for_answers_and_briefs():
    from assistant.answer.candidates import directly_follows

    text = "Prices rose. They fell.  Then more.\n\nA new paragraph.\nA wrapped line."
    one, two = text.index(" They"), text.index("They")
    assert directly_follows(text, one, two)  # one space
    assert directly_follows(text, text.index(" Then") - 1, text.index("Then"))  # two spaces
    assert not directly_follows(text, text.index("\n\nA"), text.index("A new"))  # a paragraph break
    assert directly_follows(text, text.index("\nA wrapped"), text.index("A wrapped"))  # a line break alone
    assert not directly_follows(text, 0, text.index("They"))  # words between
    assert not directly_follows(text, two, one)  # backwards


def _rows(texts: list[str], scores: list[float], vectors: list[np.ndarray]) -> list[Scored]:
    text = "\n\n".join(texts)
    bounds = [(text.index(t), text.index(t) + len(t)) for t in texts]
    chunk = Chunk(0, "r.pdf", 0, len(text), text, tuple(bounds))
    return [Scored(Candidate("r.pdf", a, b, text[a:b], Hit(1, chunk, 1.0), None, i), score, score, vector)
            for i, ((a, b), score, vector) in enumerate(zip(bounds, scores, vectors, strict=True))]


def test_two_rows_alike_in_words_but_not_in_figures_are_not_one_saying_the_same():
    same = np.eye(1, 8, 0, dtype=np.float32)[0]  # rows of one table embed alike
    scored = _rows(["Month: July 2015; Employees Affected: 8,574", "Month: Total; Employees Affected: 53,454",
                    "Month: July 2015; Employees Affected: 8,574."], [0.8, 0.79, 0.78], [same, same, same])
    chosen = [s.candidate.text for s in select(scored, 2000, 3, support_floor=0.0)]
    assert chosen == ["Month: July 2015; Employees Affected: 8,574", "Month: Total; Employees Affected: 53,454"]


def test_when_the_lead_holds_nothing_of_the_kind_asked_the_best_sentence_that_does_follows_it():
    vectors = [np.eye(1, 8, i, dtype=np.float32)[0] for i in range(3)]
    texts = ["The matter came on for oral argument at 1:01 p.m.", "v. : No. 07-1315 ALEXANDRE MIRZAYANCE.",
             "Tuesday, January 13, 2009"]
    scored = _rows(texts, [0.6, 0.35, 0.3], vectors)  # the dateline is far below either floor

    def dated(text: str) -> bool:
        return "2009" in text

    assert [s.candidate.text for s in select(scored, 2000, 3)] == [texts[0]]
    assert [s.candidate.text for s in select(scored, 2000, 3, wanted=dated)] == [texts[0], texts[2]]
    # the lead holding it already, nothing is added
    assert [s.candidate.text for s in select(scored, 2000, 3, wanted=lambda t: "1:01" in t)] == [texts[0]]


def test_an_answer_keeps_to_the_notice_its_lead_stands_in():
    from assistant.answer.compose import within_lead_part

    vectors = [np.eye(1, 8, i, dtype=np.float32)[0] for i in range(3)]
    texts = ["The Pilatus directive addresses a seized spring pack.", "The Boeing directive requires new software.",
             "The MCAI describes the unsafe condition as seizing of a spring pack."]
    scored = _rows(texts, [0.8, 0.7, 0.6], vectors)
    boeing_starts = scored[1].candidate.start  # the file prints the Boeing notice between two Pilatus passages

    def part_at(doc_id: str, at: int) -> int | None:
        return boeing_starts if boeing_starts <= at < scored[2].candidate.start else 0

    kept = [s.candidate.text for s in within_lead_part(scored, part_at)]
    assert kept == [texts[0], texts[2]]
    assert within_lead_part(scored, lambda _doc, _at: None) == scored  # a file of one document


def test_the_row_a_question_names_is_told_from_its_neighbour_with_a_qualifier():
    from assistant.answer.sentence_scores import row_named
    from assistant.text.analyser import analyze

    def terms(question: str) -> list[str]:
        return analyze([question])[0]

    deficit = terms("What is the total deficit for 2013 through 2022?")
    assert row_named(deficit, "Group: Receipts; Column 1: Deficit; 2013: 772; 2022: 1,190")
    assert not row_named(deficit, "Group: Receipts; Column 1: On-budget deficit; 2013: 810; 2022: 1,190")
    nationwide = terms("How many checks were there nationwide in November 2015?")
    assert row_named(nationwide, "State / Territory: Totals; Permit: 804,006; Totals: 2,236,457")
    assert not row_named(nationwide, "State / Territory: Texas; Permit: 21,550; Totals: 146,982")
    assert not row_named(deficit, "The total deficit rose in 2013.")  # prose is no row
