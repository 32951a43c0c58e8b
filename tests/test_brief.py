"""The brief: its parts with small hand-made inputs, the whole with the fake embedder, and the
seed corpus with the real model (the seed golden brief set, tests/golden/briefs.yaml, gates more)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answer.candidates import Candidate
from assistant.answer.engine import Engine
from assistant.brief.actors import capitalised_names, find_actors, kind_of
from assistant.brief.key_points import Budget, choose_points
from assistant.brief.make import make_brief
from assistant.brief.material import Sentence, is_boilerplate, specificity
from assistant.brief.timeline import build_timeline, is_target
from assistant.errors import QuestionError
from assistant.export.brief import brief_markdown, write_docx
from assistant.export.json_output import brief_json
from assistant.retrieval.hybrid import Scope
from assistant.text.dates import find_dates
from assistant.types import Chunk, Citation, DocMeta, Hit
from tests.fakes import HashEmbedder
from tests.helpers import build

NEWS = (
    "---\ntitle: Cobalt wire\ndate: 2026-02-01\n---\n"
    "Cobalt exports from Congo were suspended on March 3, 2025. "
    "Miners such as Glencore and Umicore protested the cobalt ban.\n\n"
    "Cobalt prices doubled by June 2025 after the cobalt suspension.\n\n"
    "Congo plans to resume cobalt exports by 2027.\n\n"
    "Bakers in Paris prefer sourdough.\n"
)


def unit(i: int) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[i % 8] = 1.0
    return v


def sentence(doc: str, start: int, text: str, score: float, vector: np.ndarray) -> Sentence:
    chunk = Chunk(0, doc, start, start + len(text), text, ((start, start + len(text)),))
    candidate = Candidate(doc, start, start + len(text), text, Hit(1, chunk, 1.0), None)
    return Sentence(candidate, 1.0, 0.5, 0.5, score, vector)


def follows(a: Sentence, b: Sentence) -> bool:
    return a.doc_id == b.doc_id and b.start == a.end + 1


# -- selection ----------------------------------------------------------------------------------


def test_selection_keeps_distinct_points_and_groups_repeats_under_them():
    a = sentence("a.txt", 0, "Cobalt exports were suspended in March 2025 by Congo.", 0.9, unit(0))
    repeat = sentence("b.txt", 0, "Congo suspended its cobalt exports in March 2025.", 0.85, unit(0))
    b = sentence("a.txt", 200, "Prices of cobalt doubled within three months.", 0.8, unit(1))
    c = sentence("a.txt", 400, "Glencore and Umicore protested the ban.", 0.7, unit(2))
    points = choose_points([a, repeat, b, c], Budget(1000, 8, 6), follows)
    assert [p.sentences for p in points] == [[a], [b], [c]]
    assert points[0].also == [repeat]


def test_adjacent_sentences_make_one_key_point():
    first = sentence("a.txt", 0, "The ministry suspended cobalt exports.", 0.9, unit(0))
    second = sentence("a.txt", first.end + 1, "It cited falling reserves of 40,000 tonnes.", 0.7, unit(1))
    far = sentence("a.txt", 900, "A later review found prices had doubled.", 0.8, unit(2))
    points = choose_points([first, far, second], Budget(1000, 8, 6), follows)
    assert [p.sentences for p in points][0] == [first, second]


def test_the_budget_bounds_the_key_points_beyond_the_minimum_three():
    many = [sentence("a.txt", 100 * i, f"Distinct fact number {i} is about cobalt.", 0.9 - i / 100, unit(i))
            for i in range(6)]
    assert sum(len(p.sentences) for p in choose_points(many, Budget(60, 8, 6), follows)) == 3
    assert sum(len(p.sentences) for p in choose_points(many, Budget(170, 8, 6), follows)) == 4
    assert sum(len(p.sentences) for p in choose_points(many, Budget(1000, 8, 6), follows)) == 6
    assert len(choose_points(many, Budget(1000, 5, 6), follows)) == 5


def test_a_title_scoring_first_is_no_key_point_and_no_timeline_event():
    """Issue 34, item 8: a brief led with an article's title (and dated a title as an event)."""
    from assistant.brief.timeline import build_timeline

    title = sentence("a.txt", 0, "Cobalt export suspension in Congo, 2025", 1.0, unit(0))
    fact = sentence("a.txt", 100, "Congo suspended cobalt exports in February 2025.", 0.9, unit(1))
    points = choose_points([title, fact], Budget(1000, 8, 6), follows)
    assert [p.sentences for p in points] == [[fact]]
    rows = build_timeline([title, fact], lambda s: Citation(1, s.doc_id, s.start, s.end, s.text, s.score),
                          lambda doc: None, 6)
    assert [row.citation.text for row in rows] == [fact.text]


def test_sentences_below_the_relative_floor_are_not_key_points():
    strong = sentence("a.txt", 0, "Cobalt exports were suspended in 2025.", 1.0, unit(0))
    weak = sentence("a.txt", 500, "Bakers in Paris prefer sourdough.", 0.2, unit(3))
    assert [p.sentences for p in choose_points([strong, weak], Budget(1000, 8, 6), follows)] == [[strong]]


def test_boilerplate_and_specificity():
    assert is_boilerplate("Li  Q, Guan  X, Wu  P,  et al.  Early transmission dynamics in Wuhan, 2020.")
    assert is_boilerplate("Available at https://www.who.int/emergencies/situation-reports/.")
    assert is_boilerplate("Copyright © 2020 The Authors. All rights reserved.")
    assert not is_boilerplate("The incubation period had a mean of 5.8 days (95% CI: 4.3-7.5).")
    topic = {"incub", "period"}
    assert specificity("The incubation period had a mean of 5.8 days in Wuhan.", topic) > \
        specificity("The incubation period is an important period.", topic)


# -- timeline -------------------------------------------------------------------------------------


def test_the_same_event_from_two_documents_is_one_timeline_row():
    one = sentence("a.txt", 0, "Congo suspended cobalt exports on March 3, 2025.", 0.9, unit(0))
    two = sentence("b.txt", 0, "On March 3, 2025 Congo suspended cobalt exports.", 0.8, unit(0))
    other = sentence("b.txt", 100, "Prices doubled in June 2025.", 0.7, unit(1))

    def cite(s: Sentence) -> Citation:
        return Citation(1, s.doc_id, s.start, s.end, s.text, s.score)

    rows = build_timeline([one, two, other], cite, lambda _doc: None, limit=6)
    assert [r.date for r in rows] == ["2025-03-03", "2025-06"]
    assert rows[0].citation.doc_id == "a.txt" and [c.doc_id for c in rows[0].also] == ["b.txt"]


def test_events_come_before_the_dates_of_documents_named_and_one_event_fills_one_row():
    """A notice's timeline was six rows of "…Service Bulletin, dated June 12, 2020" while the
    accidents that led to it were left out, and two sentences on one event took two of the rows."""
    bulletin = sentence("a.txt", 0, "The AD requires the actions in the bulletin dated June 12, 2020.", 0.9, unit(0))
    crash = sentence("a.txt", 100, "On October 29, 2018, an airplane crashed after takeoff.", 0.5, unit(1))
    again = sentence("a.txt", 200, "The airplane crashed on October 29, 2018, killing all.", 0.45, unit(1))
    order = sentence("a.txt", 300, "The FAA grounded the fleet on March 13, 2019.", 0.4, unit(2))

    def cite(s: Sentence) -> Citation:
        return Citation(1, s.doc_id, s.start, s.end, s.text, s.score)

    rows = build_timeline([bulletin, crash, again, order], cite, lambda _doc: None, limit=2)
    assert [r.date for r in rows] == ["2018-10-29", "2019-03-13"]
    assert [c.start for c in rows[0].also] == [200]
    assert [r.date for r in build_timeline([bulletin, crash], cite, lambda _doc: None, limit=6)] == \
        ["2018-10-29", "2020-06-12"]  # still shown when there is room


def test_a_deadline_in_the_past_is_not_a_target():
    future = "Congo plans to resume cobalt exports by 2027."
    past = "By May 2026, discussions on a new trade framework had advanced."
    assert is_target(find_dates(future)[0], future, "2026-02-01")
    assert not is_target(find_dates(past)[0], past, None)
    assert not is_target(find_dates(past)[0], "By May 2026, talks will advance.", "2026-05")
    assert not is_target(find_dates(future)[0], future, "2028-01-01")


# -- actors ----------------------------------------------------------------------------------------


def test_actor_kinds_and_descriptions_that_are_not_actors():
    sentence = "The Biden-era AI Diffusion Rule hit Chinese-made chips, said President Trump."
    names = [n for n, _o, _t in capitalised_names(sentence)]
    assert names == ["AI Diffusion Rule", "Trump"]
    assert kind_of("AI Diffusion Rule", False) == "policy, law or report"
    assert kind_of("Ministry of Commerce", False) == "organisation" and kind_of("IEA", False) == "organisation"
    assert kind_of("Trump", True) == "person" and kind_of("China", False) == "country or place"
    assert kind_of("Washington", False) == "country or place"
    cites = [Citation(1, "a.txt", 0, 40, "Donald Trump met Jensen Huang in Beijing.", 1.0),
             Citation(2, "a.txt", 50, 80, "Later Trump raised tariffs.", 1.0),
             Citation(3, "a.txt", 50, 80, "Later Trump raised tariffs.", 1.0)]  # the same span twice
    actors = {a.name: a for a in find_actors(cites)}
    assert actors["Donald Trump"].mentions == 2 and "Trump" not in actors


# -- the whole brief, fake embedder ---------------------------------------------------------------


@pytest.fixture
def engine(settings, corpus):
    (corpus / "wire.md").write_text(NEWS, encoding="utf-8")
    build(settings, HashEmbedder())
    return Engine(settings.replace(refusal_threshold=0.15), HashEmbedder())


def test_brief_sections_are_cited_and_ordered(engine, corpus):
    brief = make_brief(engine, "cobalt exports")
    text = (corpus / "wire.md").read_text()
    assert brief.not_covered is None and 1 <= len(brief.key_points) <= 8
    dates = [t.date for t in brief.timeline]
    assert dates == sorted(dates) and "2025-03-03" in dates
    assert all(t.reported == "2026-02-01" for t in brief.timeline)
    assert "Congo" in {a.name for a in brief.actors if a.kind == "country or place"}
    assert [s.doc_id for s in brief.sources] == ["wire.md"] and brief.sources[0].title == "Cobalt wire"
    everything = brief.citations() + [c for a in brief.actors for c in a.citations]
    assert everything and all(text[c.start : c.end] == c.text for c in everything)
    assert not any("sourdough" in c.text for c in everything)


def test_brief_lengths_differ_and_a_bad_length_is_refused(engine):
    short, long = make_brief(engine, "cobalt", length="short"), make_brief(engine, "cobalt", length="long")
    assert sum(len(k.citation.text) for k in short.key_points) <= sum(len(k.citation.text) for k in long.key_points)
    with pytest.raises(QuestionError, match="--length"):
        make_brief(engine, "cobalt", length="huge")  # type: ignore[arg-type]


def test_brief_json_markdown_and_the_screen_variant(engine):
    brief = make_brief(engine, "cobalt")
    data = json.loads(json.dumps(brief_json(brief)))
    assert set(data) == {"topic", "key_points", "sources_differ", "timeline", "actors", "sources", "not_covered",
                         "thin"}
    for entry in data["timeline"]:
        assert {"date", "precision", "wording", "citation", "also"} <= set(entry)
        assert {"doc", "start", "end", "text"} <= set(entry["citation"])
    note = brief_markdown(brief)
    assert note.startswith("# Briefing: cobalt") and "[^1]:" in note and "## Sources" in note
    screen = brief_markdown(brief, references="list")
    assert "[^" not in screen and "## References" in screen and "\n1. wire.md, characters" in screen
    assert "| date |" not in screen  # the timeline is a list there, which wraps


def test_word_export_opens_with_the_brief_in_it(engine, tmp_path):
    import docx

    brief = make_brief(engine, "cobalt")
    target = tmp_path / "out" / "brief.docx"
    write_docx(brief, target)
    document = docx.Document(str(target))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Briefing: cobalt"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:1] == ["Key points"] and "References" in headings
    first = " ".join(brief.key_points[0].citation.text.split())
    assert any(p.startswith(first) and p.endswith("[1]") for p in paragraphs)
    assert any(f"“{first}”" in p for p in paragraphs)  # the reference quotes the span
    tables = document.tables
    assert tables and [c.text for c in tables[0].rows[0].cells][:2] in (["Date", "Wording"], ["Actor", "Kind"])
    assert not list(target.parent.glob(".*.tmp"))


def test_absent_topic_is_not_covered(engine):
    brief = make_brief(engine, "medieval cathedral stained glass windows")
    assert brief.not_covered and not brief.key_points and not brief.timeline
    with pytest.raises(QuestionError):
        make_brief(engine, "  ")


def test_a_topic_whose_subject_the_corpus_never_mentions_is_not_covered_saying_why(engine):
    # "cobalt exports" alone would find material: the brief is refused as the question would be
    brief = make_brief(engine, "Zambian cobalt exports")
    assert brief.not_covered == "The corpus does not cover “Zambian cobalt exports”: the corpus never mentions Zambian."
    assert not brief.key_points and not brief.timeline and brief.thin is None
    covered = make_brief(engine, "cobalt exports")
    assert covered.key_points and covered.not_covered is None  # covered: no refusal, whatever else it says


def test_a_thin_brief_warns_without_refusing(settings, corpus):
    """"Little on X" and "not covered" were one field that callers told apart by other fields."""
    from assistant.answer.engine import Engine
    from tests.fakes import HashEmbedder
    from tests.helpers import build

    (corpus / "note.txt").write_text("Gallium\n\nGallium exports from China were restricted in 2023.\n",
                                     encoding="utf-8")
    build(settings, HashEmbedder())
    brief = make_brief(Engine(settings.replace(refusal_threshold=0.0), HashEmbedder()), "gallium exports")
    assert brief.not_covered is None and brief.key_points
    assert brief.thin is not None and brief.thin.startswith("The corpus has little on “gallium exports”")
    assert f"> {brief.thin}" in brief_markdown(brief)


# -- the seed corpus, real model ---------------------------------------------------------------------


@pytest.mark.integration
def test_seed_rare_earth_timeline_is_dated_ordered_and_verbatim(seed_engine, seed_settings):
    brief = make_brief(seed_engine, "China's rare earth export controls")
    dates = [t.date for t in brief.timeline]
    assert "2025-04-04" in dates and dates == sorted(dates)
    source = (seed_settings.paths.corpus_dir / "us-china-ai-power-struggle.txt").read_text(encoding="utf-8")
    assert all(source[c.start : c.end] == c.text for c in brief.citations())


@pytest.mark.integration
def test_seed_chip_restrictions_carry_the_policy_events(seed_engine):
    brief = make_brief(seed_engine, "US restrictions on chip exports to China")
    points = " ".join(k.citation.text for k in brief.key_points)
    assert "AI Diffusion Rule" in points and "Chinese-made" in points
    assert not any("IEA" in t.citation.text for t in brief.timeline)
    kinds = {a.name: a.kind for a in brief.actors}
    assert kinds.get("AI Diffusion Rule") == "policy, law or report" and "Chinese-made" not in kinds
    assert make_brief(seed_engine, "medieval cathedral architecture").not_covered


def test_overview_topics_come_from_titles_and_headings():
    from assistant.brief.topics import corpus_overview, headings
    from assistant.index.manifest import DocEntry

    text = ("Title line\nHow Are Chip Restrictions Reshaping the Competition?\nA sentence ends here.\n"
            "- A list item line\n")
    assert headings(text, "Title line") == ["How Are Chip Restrictions Reshaping the Competition?"]
    docs = {"a.md": DocEntry(DocMeta("Older report", "x", "markdown", date="2024-01"), 0, 1),
            "b.md": DocEntry(DocMeta("Newer report", "y", "markdown", date="2025-06"), 1, 1)}
    overview = corpus_overview(docs, lambda d: "## Section on cobalt mining\nBody text here.\n")
    assert overview.topics == ("Section on cobalt mining", "Newer report", "Older report")
    assert overview.describe() == "2 documents, dated 2024-01 to 2025-06"


def test_a_brief_across_documents_names_each_points_sources(settings, corpus):
    (corpus / "wire.md").write_text(NEWS, encoding="utf-8")
    (corpus / "daily.md").write_text(
        "---\ntitle: Daily metals\ndate: 2026-03-05\n---\n"
        "Congo suspended its cobalt exports on March 3, 2025, the ministry said.\n\n"
        "Cobalt traders in London expect shortages of the metal through 2026.\n", encoding="utf-8")
    build(settings, HashEmbedder())
    brief = make_brief(Engine(settings.replace(refusal_threshold=0.15), HashEmbedder()), "cobalt exports")
    assert {s.doc_id for s in brief.sources} == {"wire.md", "daily.md"}
    note = brief_markdown(brief)
    section = note.split("## Key points", 1)[1].split("\n## ", 1)[0]
    points = [line for line in section.splitlines() if line.startswith("- ")]
    assert points and all(" — _" in p and ("Cobalt wire (2026-02-01)" in p or "Daily metals (2026-03-05)" in p)
                          for p in points)


def test_an_off_topic_sentence_stays_out_but_a_continuation_of_the_topic_comes_in():
    def with_topic(s: Sentence, topic: float) -> Sentence:
        return Sentence(s.candidate, 1.0, topic, 0.5, s.score, s.vector)

    lead = with_topic(sentence("a.txt", 0, "China added seven rare earths to its export list.", 0.9, unit(0)), 0.7)
    reason = with_topic(sentence("a.txt", lead.end + 1, "This decision was seen as a response to tariffs.", 0.7,
                                 unit(1)), 0.2)
    stray = with_topic(sentence("a.txt", 500, "Bakers in Paris prefer sourdough bread.", 0.7, unit(2)), 0.1)
    chosen = [s for p in choose_points([lead, reason, stray], Budget(1000, 8, 6), follows) for s in p.sentences]
    assert reason in chosen and stray not in chosen


def test_an_acronym_is_the_name_it_abbreviates_and_the_west_is_a_country_group():
    text = "The International Energy Agency (IEA) recorded the rule. The West depends on it."
    cites = [Citation(1, "a.txt", 0, 90, text, 1.0),
             Citation(2, "a.txt", 100, 140, "According to the IEA, exports need licences.", 1.0)]
    actors = {a.name: a for a in find_actors(cites)}
    assert actors["International Energy Agency"].mentions == 2 and "IEA" not in actors
    assert actors["the West"].kind == "country or place"


def test_people_and_firms_are_told_apart_by_the_gazetteer():
    """A given name opens a person's name; a capitalised name nothing marks is an organisation."""
    assert kind_of("Elon Musk", False) == "person" and kind_of("Tim Cook", False) == "person"
    assert kind_of("Xi Jinping", False) == "person" and kind_of("Jensen Huang", False) == "person"
    assert kind_of("Goldman Sachs", False) == "organisation" and kind_of("Alibaba", False) == "organisation"
    assert kind_of("Huawei", False) == "organisation" and kind_of("Trump", False) == "person"  # a family name
    assert kind_of("Wuhan", False) == "country or place" and kind_of("Guangdong Province", False) == "country or place"
    assert kind_of("Middle East", False) == "country or place"
    assert kind_of("Wuhan of China", False) == "country or place"
    assert kind_of("Good Manufacturing Practice", False) == "policy, law or report"


def _actors_of(*texts: str, document: str = "") -> dict[str, str]:
    cites = [Citation(i, "a.txt", 100 * i, 100 * i + len(t), t, 1.0) for i, t in enumerate(texts, 1)]
    return {a.name: a.kind for a in find_actors(cites, lambda _doc: document or None)}


def test_terms_are_not_actors():
    """Initials nobody spells out as an organisation, taxa, words the source also writes in lower
    case, section labels and sentence openers are not actors; known initials and authors are."""
    found = _actors_of("HIV and PCR were studied by the WHO in Wuhan.", "Typically Hantavirus spreads in Kwara.",
                       "BACKGROUND Beside DC-SIGNR the Spike, Envelope and Membrane proteins bind.",
                       "Ilavska et al. reported an effect. Zika virus spreads; Zika is carried by Aedes aegypti.",
                       document="the spike protein binds")
    assert found == {"WHO": "organisation", "Wuhan": "country or place", "Kwara": "country or place",
                     "Ilavska": "person"}


def test_names_in_a_search_sentence_are_sources_not_actors():
    found = _actors_of("We searched PubMed, Embase and the Cochrane Library for trials run by Pfizer Inc.")
    assert "PubMed" not in found and "Embase" not in found and found.get("Pfizer Inc") == "organisation"


def test_a_people_adjective_alone_is_its_country_and_a_phrase_with_it_is_no_actor():
    found = _actors_of("Danish patients joined Spanish trials.", "American AI leads, said Goldman Sachs.")
    assert found == {"Denmark": "country or place", "Spain": "country or place", "Goldman Sachs": "organisation"}


def test_every_section_of_the_layout_reaches_all_four_renderings(engine, tmp_path, capsys):
    """Markdown, Word, the terminal and JSON render one layout: a section in it is in each of them."""
    import docx

    from assistant.cli.render import print_brief
    from assistant.export.brief_layout import layout

    brief = make_brief(engine, "cobalt")
    shown = layout(brief)
    assert {s.key for s in shown.sections} >= {"key_points", "timeline", "actors", "sources"}
    write_docx(brief, tmp_path / "b.docx")
    paragraphs = docx.Document(str(tmp_path / "b.docx")).paragraphs
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    print_brief(brief)
    terminal = capsys.readouterr().out
    data = brief_json(brief)
    for section in shown.sections:
        assert f"## {section.title}" in brief_markdown(brief) and f"## {section.title}" in brief_markdown(
            brief, references="list")
        assert section.title in headings and section.title in terminal
        assert len(data[section.key]) == len(section.rows)
    every_span = {(c.doc_id, c.start, c.end) for c in brief.citations()}
    cited = {(c.doc_id, c.start, c.end) for s in shown.sections for r in s.rows for c in r.cited}
    assert every_span <= cited  # no cited span is lost on the way to a rendering


def test_an_article_is_trimmed_from_an_actor_and_an_adjective_phrase_is_no_actor():
    """Issue 28: "A Brookings" and "American AI" were actors of the seed's briefs."""
    from assistant.brief.actors import capitalised_names

    found = [name for name, _opens, _titled in capitalised_names(
        "A Brookings study found that American AI leads, said the AI Safety Institute and Chinese AI firms.")]
    assert found == ["Brookings", "AI Safety Institute"]
    assert [n for n, _o, _t in capitalised_names("The Chinese Academy of Sciences and the European Union agreed.")] == [
        "Chinese Academy of Sciences", "European Union"]


def test_a_point_that_leans_on_what_comes_before_carries_it_or_is_left_out():
    """Issue 28: "This decision was widely seen as a response…" stood alone as a key point."""
    fact = sentence("a.txt", 0, "China restricted exports of seven rare earths in April 2025.", 0.3, unit(0))
    leaning = sentence("a.txt", fact.end + 1, "This decision was widely seen as a response to tariffs.", 0.9, unit(1))
    orphan = sentence("b.txt", 500, "However, the ban was lifted for some buyers in June.", 0.85, unit(2))
    other = sentence("c.txt", 0, "Gallium prices doubled within three months of the ban.", 0.8, unit(3))
    points = choose_points([leaning, orphan, other, fact], Budget(1000, 8, 6), follows)
    heads = [p.sentences[0] for p in points]
    assert orphan not in [s for p in points for s in p.sentences]  # nothing before it: not a point
    assert all(p.sentences[0] is fact for p in points if leaning in p.sentences)  # its antecedent first
    assert leaning not in heads and other in heads


def test_glossary_entries_are_key_points_only_when_the_topic_asks_what_terms_mean():
    from assistant.brief.key_points import asks_meaning

    gloss = sentence("a.txt", 0, "Rare Earth Elements: Critical minerals used in magnets and turbines.", 0.95, unit(0))
    fact = sentence("a.txt", 300, "China restricted exports of seven rare earths in April 2025.", 0.8, unit(1))
    section = sentence("b.txt", 0, "Results: Magnet output fell by a third within a year.", 0.7, unit(2))
    plain = choose_points([gloss, fact, section], Budget(1000, 8, 6), follows)
    assert gloss not in [s for p in plain for s in p.sentences] and section in [p.sentences[0] for p in plain]
    asked = choose_points([gloss, fact, section], Budget(1000, 8, 6), follows, glossary=True)
    assert gloss in [p.sentences[0] for p in asked]
    assert asks_meaning("What are rare earth elements?") and not asks_meaning("rare earth export controls")


# -- on the topic, and honest about thin coverage ---------------------------------------------------


def _hit(rank: int, doc: str, start: int, fused: float, dense: float) -> Hit:
    chunk = Chunk(rank, doc, start, start + 10, "x" * 10, ((start, start + 10),))
    return Hit(rank, chunk, fused, dense)


def test_neighbouring_documents_and_unrelated_sections_are_not_material():
    from assistant.brief.material import passages

    hits = [_hit(i, "own.txt" if i < 2 else "neighbour.txt", 100 * i, s, d)
            for i, (s, d) in enumerate([(1.0, 0.6), (0.75, 0.5), (0.65, 0.55), (0.6, 0.2)] + [(0.1, 0.1)] * 6)]
    # Two passages clear the floor; the fallback does not pad from the neighbouring article
    assert [h.rank for h in passages(hits)] == [0, 1]
    same_article = [_hit(i, "own.txt", 100 * i, s, d)
                    for i, (s, d) in enumerate([(1.0, 0.6), (0.6, 0.5), (0.6, 0.2)] + [(0.1, 0.1)] * 6)]
    # A weaker passage of the same article is material while its meaning stays near; another section is not
    assert [h.rank for h in passages(same_article)] == [0, 1]


def test_another_notice_printed_in_the_same_file_is_not_material_unless_as_relevant():
    from assistant.brief.material import parts_on_topic

    parts = {"register.pdf": [0, 5000]}  # two notices; other.txt is a file of one document

    def part_of(doc_id: str, at: int) -> int | None:
        starts = [p for p in parts.get(doc_id, []) if p <= at]
        return starts[-1] if starts else None

    hits = [_hit(0, "register.pdf", 100, 1.0, 0.6), _hit(1, "register.pdf", 5200, 0.88, 0.6),
            _hit(2, "register.pdf", 900, 0.8, 0.5), _hit(3, "other.txt", 0, 0.7, 0.4)]
    assert parts_on_topic(hits, part_of) == {("register.pdf", 0), ("other.txt", None)}
    both = [_hit(0, "register.pdf", 100, 1.0, 0.6), _hit(1, "register.pdf", 5200, 0.97, 0.6)]
    assert parts_on_topic(both, part_of) == {("register.pdf", 0), ("register.pdf", 5000)}  # both notices' topic


def test_a_paragraph_on_the_topic_brings_its_sentences_though_their_words_are_far_from_it():
    def with_topic(s: Sentence, topic: float) -> Sentence:
        return Sentence(s.candidate, 1.0, topic, 0.5, s.score, s.vector)

    lead = with_topic(sentence("a.txt", 0, "China is strengthening its own chip ecosystem.", 0.9, unit(0)), 0.6)
    directive = with_topic(sentence("a.txt", lead.end + 1, "A directive favours domestic chips in data centres.",
                                    0.8, unit(1)), 0.15)
    plan = with_topic(sentence("a.txt", directive.end + 1, "Alibaba announced a $53 billion investment plan.",
                               0.8, unit(2)), 0.1)
    elsewhere = with_topic(sentence("a.txt", 900, "Rare earths are used in magnets and semiconductors.", 0.8,
                                    unit(3)), 0.3)
    chosen = [s for p in choose_points([lead, directive, plan, elsewhere], Budget(1000, 8, 6), follows)
              for s in p.sentences]
    assert directive in chosen and plan in chosen and elsewhere in chosen  # 0.3 clears 0.4 x 0.6
    lone = with_topic(sentence("a.txt", 900, "Rare earths are used in magnets and semiconductors.", 0.8, unit(3)), 0.2)
    chosen = [s for p in choose_points([lead, directive, plan, lone], Budget(1000, 8, 6), follows) for s in p.sentences]
    assert directive in chosen and plan in chosen and lone not in chosen


def test_a_point_pointing_at_what_nothing_shown_names_loses_that_sentence():
    from assistant.brief.key_points import stands_alone

    assert not stands_alone("China is using this pressure as motivation.", "chip self-reliance", [])
    assert stands_alone("China is using this pressure as motivation.", "chip self-reliance",
                        ["Export controls put pressure on Beijing."])
    assert stands_alone("China mines these elements.", "rare earth elements", [])
    assert stands_alone("In this study, 40 patients were followed, such as nurses.", "patients", [])
    pressure = sentence("a.txt", 0, "China is using this pressure as motivation.", 0.9, unit(0))
    directive = sentence("a.txt", pressure.end + 1, "A directive favours domestic chips.", 0.8, unit(1))
    points = choose_points([pressure, directive], Budget(1000, 8, 6), follows, topic="chip self-reliance")
    assert [p.sentences for p in points] == [[directive]]
    lead = sentence("a.txt", 0, "The rivalry is not about tariffs alone.", 0.9, unit(0))
    pillars = sentence("a.txt", lead.end + 1, "It rests on three pillars:", 0.8, unit(1))
    points = choose_points([lead, pillars], Budget(1000, 8, 6), follows, topic="rivalry")
    assert [p.sentences for p in points] == [[lead]]  # a point does not end announcing what it lacks


def test_a_topic_the_material_names_in_a_sentence_or_two_says_so():
    from assistant.brief.thin import says_little, title_case

    def plain(doc: str, start: int, text: str) -> Sentence:
        return sentence(doc, start, text, 0.5, unit(start))

    material = [plain("a.txt", 0, "Leaders from Goldman Sachs and Intel joined the trip."),
                *(plain("a.txt", 100 * i, f"Chip export rule number {i} was tightened.") for i in range(1, 6))]
    little = says_little("Goldman Sachs's view of chip exports", material)
    assert little is not None and little.name == "Goldman Sachs" and little.sentences == (material[0],)
    assert "says little about Goldman Sachs" in little.note("Goldman Sachs's view of chip exports")
    assert says_little("chip export rules", material) is None  # no names: judged by relevance alone
    assert says_little("Evidence for the Convergence Model: The Emergence of Avian Influenza", material) is None
    assert title_case("Evidence for the Convergence Model: The Emergence of Avian Influenza")
    assert not title_case("Goldman Sachs's view of Chinese chips")
    # a brief on one document whose opening names it: what the document is about, however
    # seldom its body repeats the name (a transcript's caption, a notice's summary)
    caption = "IN THE SUPREME COURT. GOLDMAN SACHS, Petitioner v. INTEL."
    assert says_little("Goldman Sachs's view of chip exports", material, opening=caption) is None
    assert says_little("Goldman Sachs's view of chip exports", material, opening="Chip exports") is not None
    # an everyday word capitalised because it opens the topic is no name the material must repeat
    assert says_little("Agricultural chip exports", material) is None
    assert says_little("Cobalt chip exports", material) is not None  # rarer: a name until written in lower case


def test_themes_group_documents_by_meaning_and_are_named_by_noun_phrases_of_their_titles():
    """Issue 34: a theme is named as a reader would ("cobalt mining"), not by distinctive single
    words that include verbs ("expands, enables")."""
    from assistant.brief.themes import corpus_themes
    from assistant.brief.tuning import BRIEF
    from assistant.index.manifest import DocEntry

    rng = np.random.default_rng(7)
    centres = [unit(0), unit(1)]
    titles = [["Cobalt mining in Katanga", "Artisanal cobalt mining expands", "Cobalt mining enables exports",
               "Smelters for cobalt mining", "Cobalt mining output rises"],
              ["Vaccine trials in adults", "Antibody titres after vaccine trials", "Vaccine trials enable boosters",
               "New vaccine trials expand", "Vaccine trials in children"]]
    docs, rows = {}, []
    for i in range(10):
        group = i % 2
        docs[f"d{i}.txt"] = DocEntry(DocMeta(titles[group][i // 2], str(i), "text"), i, 1)
        rows.append(centres[group] + 0.05 * rng.standard_normal(8).astype(np.float32))
    vectors = np.vstack(rows).astype(np.float32)
    themes = corpus_themes(docs, vectors, lambda entry: "")
    assert sorted(t.documents for t in themes) == [5, 5]
    assert {t.topic.lower() for t in themes} == {"cobalt mining", "vaccine trials"}
    assert all(not {"enables", "expands", "rises", "enable", "expand"} & set(" ".join(t.phrases).lower().split())
               for t in themes)
    assert all(t.label.startswith(t.topic) and t.label.endswith("(5 documents)") for t in themes)
    few = dict(list(docs.items())[:BRIEF.min_documents - 1])
    assert corpus_themes(few, vectors, lambda entry: "") == ()


def test_a_theme_of_untitled_documents_is_named_from_their_openings():
    from assistant.brief.themes import corpus_themes
    from assistant.index.manifest import DocEntry

    rng = np.random.default_rng(3)
    docs, rows, openings = {}, [], {}
    for i in range(10):
        group = i % 2
        docs[f"d{i}.txt"] = DocEntry(DocMeta(f"Report {i}", str(i), "text"), i, 1)
        rows.append(unit(group) + 0.05 * rng.standard_normal(8).astype(np.float32))
        openings[str(i)] = ("Cobalt smelters in Katanga raised their output." if group == 0 else
                            "Antibody titres rose after the booster doses.")
    themes = corpus_themes(docs, np.vstack(rows).astype(np.float32), lambda entry: openings[entry.meta.sha256])
    named = {w for t in themes for w in " ".join(t.phrases).lower().split()}
    assert named and named <= {"cobalt", "smelters", "katanga", "output", "antibody", "titres", "booster", "doses"}


def test_figures_and_dates_that_differ_are_told_from_those_that_agree():
    from assistant.brief.differences import disagrees

    point = "Cobalt exports were suspended on March 3, 2025, cutting 40,000 tonnes."
    assert not disagrees(point, "Exports of cobalt were suspended in March 2025.")  # less precise: agrees
    assert not disagrees(point, "Congo halted 40,000 tonnes of cobalt exports.")
    assert disagrees(point, "Cobalt exports were suspended on March 5, 2025.")
    assert disagrees(point, "The suspension cut 45,000 tonnes of cobalt exports.")
    assert not disagrees("Cobalt exports were suspended.", "Cobalt exports were suspended on March 5, 2025.")


def test_sources_that_state_the_point_with_other_figures_are_shown_side_by_side(settings, corpus, tmp_path, capsys):
    import docx

    from assistant.cli.render import print_brief

    said = "Cobalt exports from Congo were suspended on {} by the mines ministry of Congo."
    for name, when in (("a.txt", "March 3, 2025"), ("b.txt", "March 5, 2025"), ("c.txt", "March 2025")):
        (corpus / name).write_text(said.format(when) + "\n", encoding="utf-8")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.15), HashEmbedder())
    brief = make_brief(engine, "cobalt exports suspended by the mines ministry")
    (point,) = [k for k in brief.key_points if k.also or k.differs]
    dates = {point.citation.doc_id: "", **{c.doc_id: "also" for c in point.also},
             **{c.doc_id: "differs" for c in point.differs}}
    assert sorted(dates.values()) == ["", "also", "differs"]
    differing = [d for d, how in dates.items() if how == "differs"]
    assert differing and differing[0] != "c.txt"  # "March 2025" agrees with either day
    data = brief_json(brief)
    assert [r["doc"] for r in data["sources_differ"]] == [point.citation.doc_id, differing[0]]
    assert "## Sources differ" in brief_markdown(brief)
    write_docx(brief, tmp_path / "b.docx")
    assert "Sources differ" in [p.text for p in docx.Document(str(tmp_path / "b.docx")).paragraphs]
    print_brief(brief)
    assert "Sources differ" in capsys.readouterr().out


def test_a_point_leaning_on_another_points_last_sentence_carries_that_point_on():
    from assistant.brief.tuning import BRIEF

    summary = sentence("a.txt", 0, "The FAA proposes to supersede Airworthiness Directive 2018-23-51.", 0.9, unit(0))
    since = sentence("a.txt", summary.end + 1, "Since the directive was issued, a final fix was found.", 0.85, unit(1))
    long_tail = ", and ".join(f"installing new flight software version {n}" for n in range(BRIEF.max_run_chars // 40))
    this = sentence("a.txt", since.end + 1, f"This proposed rule would require {long_tail}.", 0.8, unit(2))
    points = choose_points([summary, since, this], Budget(5000, 8, 6), follows, topic="airworthiness directive")
    starts = [s.start for p in points for s in p.sentences]
    assert len(starts) == len(set(starts))  # no sentence shown in two key points
    assert [[s.start for s in p.sentences] for p in points] == [[summary.start, since.start, this.start]]


@pytest.mark.parametrize(("text", "states"), [
    ("Etiology of respiratory tract infections in the community and clinic in Ilorin, Nigeria", False),
    ("Canrong Wu, Acta Pharmaceutica Sinica B, 2020", False),
    ("2.3 Results of the field survey", False),
    ("Revenue grew 12% in the third quarter", True),  # a bullet without a full stop states something
    ("Country: Japan; 2024: 3.1; 2025: 3.4", True),  # a table row
    ("The model proposes that emergence events are precipitated by several drivers.", True),
    ("AGENCY: Federal Aviation Administration (FAA), Department of Transportation (DOT).", False),  # a form's field
    ("SUMMARY: The FAA proposes to supersede an airworthiness directive for all such airplanes.", True),
    # a signature's title and a list of subjects end with a full stop, and still state nothing
    ("Director, Compliance & Airworthiness Division, Aircraft Certification Service.", False),
    ("Air transportation, Aircraft, Aviation safety, Incorporation by reference, Safety.", False),
])
def test_titles_headings_and_reference_lines_state_nothing(text, states):
    """Issue 34, item 8: such lines were key points and timeline events."""
    from assistant.brief.statements import states_something

    assert states_something(text) is states


NOTICE = (
    "# Cobalt export licences\n\n"
    "SUMMARY: The ministry proposes cobalt export licences for every cobalt trader. "
    "The cobalt export licences would replace the cobalt export ban.\n\n"
    + "".join(f"## Procedure {i}\n\nForm {i} must be stamped at office {i} on a working day before noon. "
              f"Clerks file form {i} in ledger {i} and keep it for ten years.\n\n" for i in range(1, 9))
    + "## Background\n\nOn March 3, 2025, the ministry banned cobalt exports after cobalt miners protested. "
    "However, the ban was lifted in June 2025.\n"
)


def test_a_brief_on_one_document_draws_on_all_of_it(settings, corpus):
    """Issue 34: a brief scoped to a Federal Register notice quoted its summary and never the
    accidents of its background section, whose passage scores far below the summary's."""
    (corpus / "notice.md").write_text(NOTICE, encoding="utf-8")
    (corpus / "other.md").write_text("Copper mines in Chile opened in 2024.\n", encoding="utf-8")
    small = settings.replace(chunk_size=200, chunk_overlap=0)
    build(small, HashEmbedder())
    engine = Engine(small.replace(refusal_threshold=0.0), HashEmbedder())
    topic = "cobalt export licences"
    across = make_brief(engine, topic)
    assert "2025-03-03" not in [t.date for t in across.timeline]  # across the corpus: the topic's own passages
    scoped = make_brief(engine, topic, Scope(docs=("notice.md",)))
    assert "2025-03-03" in [t.date for t in scoped.timeline]
    assert "2025-06" in [t.date for t in scoped.timeline]  # its words are far from the topic; it carries on
    assert all(c.doc_id == "notice.md" for c in scoped.citations())
