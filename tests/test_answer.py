import re

import pytest

from assistant.answer.compose import REFUSAL
from assistant.answer.conversation import Conversation, is_follow_up
from assistant.answer.engine import Engine
from assistant.errors import QuestionError
from assistant.export.json_output import answer_json
from tests.fakes import HashEmbedder
from tests.helpers import build

ARTICLE = (
    "Acme Robotics opened a factory in Ohio in March 2024. The plant employs 900 workers.\n"
    "Acme Robotics plans to invest $2 billion in battery research over five years.\n"
    "Lithium prices fell sharply during 2023. This decline hurt mining companies in Chile.\n"
    "Zebra Foods sells frozen dumplings across Europe.\n"
)


@pytest.fixture
def engine(settings, corpus):
    (corpus / "news.txt").write_text(ARTICLE, encoding="utf-8")
    build(settings, HashEmbedder())
    return Engine(settings.replace(refusal_threshold=0.2), HashEmbedder())


def test_answer_cites_exact_spans_with_matching_markers(engine, corpus):
    answer = engine.ask("Where did Acme Robotics open a factory?")
    assert not answer.abstained
    text = (corpus / "news.txt").read_text()
    assert answer.citations and answer.citations[0].text.startswith("Acme Robotics opened a factory in Ohio")
    for c in answer.citations:
        assert text[c.start : c.end] == c.text
        assert c.context_start <= c.start < c.end <= c.context_end
    assert [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)] == [c.n for c in answer.citations]


def test_unrelated_question_is_refused_with_nearest_material(engine):
    answer = engine.ask("What is the recipe for sourdough bread starter?")
    assert answer.abstained and answer.text == REFUSAL and not answer.citations
    assert answer_json(answer)["abstained"] is True


def test_threshold_decides_refusal(engine):
    question = "How much will Acme invest in battery research?"
    assert not engine.ask(question).abstained
    strict = Engine(engine.settings.replace(refusal_threshold=0.99), engine.embedder)
    assert strict.ask(question).abstained


def test_a_tampered_span_is_dropped_never_shown(engine, corpus, caplog):
    question = "How much will Acme invest in battery research?"
    good = engine.ask(question)
    target = good.citations[0]
    path = corpus / "news.txt"
    text = path.read_text()
    forged = text[: target.start] + target.text.replace("$2 billion", "$9 billion") + text[target.end :]
    path.write_text(forged)
    answer = engine.ask(question)  # the same engine: its cached copy of the file must not be trusted
    assert "$9 billion" not in answer.text and "$2 billion" not in answer.text
    assert answer.dropped >= 1
    assert any("dropped citation" in r.message for r in caplog.records)


def test_sentence_needing_its_predecessor_brings_it_along(engine):
    answer = engine.ask("Which decline hurt mining companies in Chile?")
    cited = " ".join(c.text for c in answer.citations)
    assert "This decline hurt mining companies in Chile." in cited
    assert "Lithium prices fell sharply during 2023. This decline" in cited


def test_answers_stay_within_the_budget(engine):
    short = Engine(engine.settings.replace(answer_budget=60, max_sentences=2), engine.embedder)
    answer = short.ask("Acme Robotics factory Ohio workers battery")
    assert len(answer.citations) <= 2
    assert len(answer.citations) == 1 or sum(len(c.text) for c in answer.citations) <= 60 * 1.4


@pytest.mark.parametrize("bad", ["", "   ", "?!?", "x" * 5000])
def test_bad_questions_raise_question_error(engine, bad):
    with pytest.raises(QuestionError):
        engine.ask(bad)


def test_follow_up_detection():
    assert is_follow_up("How much is that company investing?")
    assert is_follow_up("Why?")
    assert is_follow_up("And in 2025?")
    assert not is_follow_up("How much is Acme Robotics investing in batteries?")


def test_follow_up_carries_the_previous_subject(engine):
    convo = Conversation()
    first = engine.ask("Where did Acme Robotics open a factory?", convo)
    assert "Ohio" in first.text
    resolution = convo.resolve("How much is that company investing?")
    assert "Acme" in resolution.carried and resolution.is_follow_up
    follow = engine.ask("How much is that company investing?", convo)
    assert "$2 billion" in follow.text
    assert len(convo.turns) == 2 and convo.turns[1].resolved_query.startswith("How much is that company")
    standalone = Conversation().resolve("How much is that company investing?")
    assert not standalone.carried


def test_conversation_file_round_trip(tmp_path, engine):
    convo = Conversation()
    engine.ask("Where did Acme Robotics open a factory?", convo)
    path = tmp_path / "c.json"
    convo.save(path)
    again = Conversation.load(path)
    assert again.turns == convo.turns
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(QuestionError):
        Conversation.load(tmp_path / "bad.json")


def test_pdf_citations_carry_their_page(settings, corpus):
    from tests.docs import write_pdf

    write_pdf(corpus / "report.pdf", ["Introduction to the annual mineral survey.",
                                      "Tungsten output in Portugal rose by a third in 2024."])
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.2), HashEmbedder())
    answer = engine.ask("How much did tungsten output in Portugal rise?")
    assert answer.citations and answer.citations[0].page == 2
    assert "Tungsten output in Portugal" in answer.citations[0].text
    first = answer.citations[0]
    assert engine.source_text("report.pdf")[first.start : first.end] == first.text


# -- sentence scoring rules for why-questions, follow-ups and leaning sentences ------------------


def _scored(question: str, texts: list[str], seen=(), prev_known=True):  # type: ignore[no-untyped-def]
    import numpy as np

    from assistant.answer.candidates import Candidate, Query
    from assistant.answer.sentence_scores import score_candidates
    from assistant.types import Chunk, Hit
    from tests.helpers import vocabulary_of

    cands = []
    for i, text in enumerate(texts):
        chunk = Chunk(i, "a.txt", 100 * i, 100 * i + len(text), text, ((100 * i, 100 * i + len(text)),))
        prev = (100 * i - 50, 100 * i - 1) if prev_known else None
        cands.append(Candidate("a.txt", 100 * i, 100 * i + len(text), text, Hit(1, chunk, 1.0, 0.5), prev))
    vectors = np.tile(np.eye(1, 8, dtype=np.float32), (len(texts), 1))  # equally similar: the rules decide
    query = Query.build(question, (), np.eye(1, 8, dtype=np.float32)[0], seen=seen)
    return {s.candidate.text: s.score for s in score_candidates(query, cands, vectors, vocabulary_of(texts))}


def test_a_sentence_keeping_the_question_words_together_scores_higher():
    together, apart = "An anal swab was taken on day three.", "The swab was taken from the anal region on day three."
    scores = _scored("When was the anal swab taken?", [together, apart])
    assert scores[together] > scores[apart]  # the same words, one of them as the question's phrase
    flat = _scored("When was it taken?", [together, apart])
    assert len(set(flat.values())) == 1  # no pair of words to keep together


def test_a_why_question_prefers_a_sentence_giving_a_cause():
    scores = _scored("Why did China restrict exports?",
                     ["China restricted exports of seven metals.", "China restricted exports in response to tariffs."])
    cause, fact = "China restricted exports in response to tariffs.", "China restricted exports of seven metals."
    assert scores[cause] > scores[fact]
    flat = _scored("Did China restrict exports?",
                   ["China restricted exports of seven metals.", "China restricted exports in response to tariffs."])
    assert len(set(flat.values())) == 1  # no "why", no bonus


def test_a_follow_up_prefers_what_the_last_answer_did_not_say():
    texts = ["Exports need licences now.", "Exports need permits now."]
    scores = _scored("Why did they do it?", texts, seen=(("a.txt", 0, len(texts[0])),))
    assert scores["Exports need licences now."] < scores["Exports need permits now."]


def test_a_sentence_leaning_on_a_missing_predecessor_scores_lower():
    lone = _scored("Tell me.", ["This distinction matters a lot.", "Computing is infrastructure here."],
                   prev_known=False)
    assert lone["This distinction matters a lot."] < lone["Computing is infrastructure here."]


def test_a_leaning_lead_keeps_its_predecessor_over_supporting_sentences():
    import numpy as np

    from assistant.answer.candidates import Candidate, Scored
    from assistant.answer.compose import compose
    from assistant.types import Chunk, DocInfo, Hit

    text = ("Beijing treats computing power as national infrastructure, like grids and ports. "
            "This distinction decides the race. Companies compete on chatbots and cloud subscriptions instead.")
    first_end = text.index(" This")
    lead_start = first_end + 1
    lead_end = text.index(" Companies")
    chunk = Chunk(0, "a.txt", 0, len(text), text, ((0, first_end), (lead_start, lead_end), (lead_end + 1, len(text))))
    hit = Hit(1, chunk, 1.0)
    lead = Candidate("a.txt", lead_start, lead_end, text[lead_start:lead_end], hit, (0, first_end), 1)
    support = Candidate("a.txt", lead_end + 1, len(text), text[lead_end + 1:], hit, None, 2)
    vector = np.zeros(8, dtype=np.float32)
    chosen = [Scored(lead, 0.9, 0.9, vector), Scored(support, 0.8, 0.8, vector)]
    answer = compose("Who wins?", "Who wins?", chosen, 0.9, lambda _d: text, 150, DocInfo.titled)
    assert [c.start for c in answer.citations] == [0]  # the lead, widened to its predecessor
    assert answer.citations[0].text == text[:lead_end] and "Companies" not in answer.text


def test_a_why_question_credits_a_dependency_as_a_reason():
    texts = ["Chips are made in many countries.", "Chip production requires rare earth elements."]
    scores = _scored("Why are chips and rare earths linked?", texts)
    assert scores["Chip production requires rare earth elements."] > scores["Chips are made in many countries."]


def _three_sentences():  # type: ignore[no-untyped-def]
    import numpy as np

    from assistant.answer.candidates import Candidate, Scored
    from assistant.types import Chunk, Hit

    text = "Tariffs rose in April. Beijing answered with export licences. Markets fell in June."
    one, two = text.index(" Beijing"), text.index(" Markets")
    bounds = [(0, one), (one + 1, two), (two + 1, len(text))]
    chunk = Chunk(0, "a.txt", 0, len(text), text, tuple(bounds))
    hit = Hit(1, chunk, 1.0)
    vector = np.zeros(8, dtype=np.float32)

    def scored(i: int, score: float) -> Scored:
        a, b = bounds[i]
        prev = bounds[i - 1] if i else None
        return Scored(Candidate("a.txt", a, b, text[a:b], hit, prev, i), score, score, vector)

    return text, scored


def test_adjacent_cited_sentences_become_one_citation():
    from assistant.answer.compose import compose
    from assistant.types import DocInfo

    text, scored = _three_sentences()
    answer = compose("What happened?", "What happened?", [scored(0, 0.9), scored(1, 0.8)], 0.9,
                     lambda _d: text, 450, DocInfo.titled)
    two = text.index(" Markets")
    assert [(c.n, c.start, c.end) for c in answer.citations] == [(1, 0, two)]
    assert answer.citations[0].text == text[:two] and answer.text == f"{text[:two]} [1]"
    one = text.index(" Beijing")
    apart = compose("What happened?", "What happened?", [scored(0, 0.9), scored(2, 0.8)], 0.9,
                    lambda _d: text, one + len(text) - two + 10, DocInfo.titled)  # no room for the middle
    assert [(c.start, c.end) for c in apart.citations] == [(0, one), (two + 1, len(text))]


def test_the_lead_carries_on_over_its_continuation_when_there_is_room():
    from assistant.answer.compose import carry_on, compose
    from assistant.types import DocInfo

    text, scored = _three_sentences()
    one, two = text.index(" Beijing"), text.index(" Markets")

    def spans(chosen, budget):  # type: ignore[no-untyped-def]
        answer = compose("What happened?", "What happened?", [*chosen, *carry_on(chosen, budget)], 0.9,
                         lambda _d: text, budget, DocInfo.titled)
        return [(c.n, c.start, c.end) for c in answer.citations]

    assert spans([scored(0, 0.9)], 450) == [(1, 0, two)]  # one span: the lead and the sentence after it
    assert spans([scored(0, 0.9)], two - 2) == [(1, 0, one)]  # no room: the lead alone
    assert spans([scored(0, 0.9), scored(2, 0.8)], 450) == [(1, 0, len(text))]  # the gap filled: one passage
    assert spans([scored(1, 0.9)], 450) == [(1, one + 1, len(text))]  # the last one's continuation
    assert spans([scored(2, 0.9)], 450) == [(1, two + 1, len(text))]  # nothing follows the last sentence


def test_a_relevant_continuation_of_the_lead_is_chosen_before_a_newer_sentence():
    import numpy as np

    from assistant.answer.candidates import Scored
    from assistant.answer.compose import select

    text, scored = _three_sentences()
    same, other = np.eye(1, 8, 0, dtype=np.float32)[0], np.eye(1, 8, 1, dtype=np.float32)[0]

    def pointing(s: Scored, vector: np.ndarray) -> Scored:
        return Scored(s.candidate, s.score, s.relevance, vector)

    lead, goes_on, elsewhere = pointing(scored(0, 0.9), same), pointing(scored(1, 0.7), same), \
        pointing(scored(2, 0.8), other)
    budget = len(lead.candidate.text) + 1 + len(goes_on.candidate.text)  # room for one more sentence
    # MMR alone would take the newer sentence and drop the continuation as saying the same
    assert [s.candidate.start for s in select([lead, elsewhere, goes_on], budget, 3)] == [0, goes_on.candidate.start]
    weak = pointing(scored(1, 0.5), same)  # below the floor for any supporting sentence: not taken
    assert [s.candidate.start for s in select([lead, elsewhere, weak], budget, 3)] == [0, elsewhere.candidate.start]


def test_a_continuation_in_the_next_paragraph_is_not_taken():
    import numpy as np

    from assistant.answer.candidates import Candidate, Scored
    from assistant.answer.compose import select
    from assistant.types import Chunk, Hit

    text = "Tariffs rose in April of that year.\nBeijing answered with export licences."
    one = text.index("\n")
    chunk = Chunk(0, "a.txt", 0, len(text), text, ((0, one), (one + 1, len(text))))
    lead = Candidate("a.txt", 0, one, text[:one], Hit(1, chunk, 1.0), None, 0)
    chosen = select([Scored(lead, 0.9, 0.9, np.zeros(8, dtype=np.float32))], 450, 3)
    assert [(s.candidate.start, s.candidate.end) for s in chosen] == [(0, one)]


def test_a_follow_up_knows_a_sentence_cited_inside_a_longer_span():
    texts = ["Exports need licences now.", "Exports need permits now."]
    scores = _scored("Why did they do it?", texts, seen=(("a.txt", 0, 50),))  # the first, and more
    assert scores["Exports need licences now."] < scores["Exports need permits now."]
