from pathlib import Path

import pytest

from assistant.answer.engine import Engine
from assistant.errors import GoldenFileError
from assistant.eval.answers import run_eval, score_case
from assistant.eval.golden import GoldenBrief, GoldenCase, conversation_order, load_golden
from assistant.eval.scoring import holds
from assistant.export.json_output import eval_report_json
from assistant.types import Answer, Citation
from tests.fakes import HashEmbedder
from tests.helpers import ROOT, SEED, build

SEED_GOLDEN = ROOT / "tests" / "golden" / "seed.yaml"


def test_seed_golden_set_meets_its_brief():
    cases = load_golden(SEED_GOLDEN).questions
    answerable = [c for c in cases if c.answerable]
    off_topic = [c for c in cases if not c.answerable and not c.hard]
    near = [c for c in cases if not c.answerable and c.hard]
    assert len(cases) >= 45
    assert len([c for c in cases if c.follow_up_of]) >= 4
    assert len(off_topic) >= 8 and len(near) >= 4
    assert all(c.evidence for c in answerable)


def test_every_evidence_string_occurs_in_the_corpus():
    corpus = SEED.read_text(encoding="utf-8")
    for case in load_golden(SEED_GOLDEN).questions:
        for evidence in case.evidence:
            assert holds(corpus, evidence), f"{case.id}: {evidence!r} is not in the corpus"


@pytest.mark.parametrize(
    "body, message",
    [
        ("- id: a\n  question: Q?\n  colour: red\n", "case 'a': unknown key 'colour'"),
        ("- id: a\n  question: Q?\n  follow_up_of: zzz\n", "follow_up_of names missing id 'zzz'"),
        ("- id: a\n  question: Q?\n- id: a\n  question: R?\n", "duplicate case id 'a'"),
        ("- id: a\n", "'question' is required"),
        ("- id: a\n  question: Q?\n  answerable: maybe\n", "'answerable' must be true or false"),
        ("- id: a\n  question: [unclosed\n", "not valid YAML"),
        ("just a string\n", "expected a non-empty YAML list"),
    ],
)
def test_malformed_golden_files_name_the_problem(tmp_path: Path, body: str, message: str):
    path = tmp_path / "g.yaml"
    path.write_text(body)
    with pytest.raises(GoldenFileError, match=message.replace("(", r"\(").replace("?", r"\?")):
        load_golden(path)


def test_follow_ups_are_grouped_after_their_base():
    cases = [GoldenCase("b2", "?", follow_up_of="b"), GoldenCase("a", "?"), GoldenCase("b", "?"),
             GoldenCase("b3", "?", follow_up_of="b2")]
    assert [[c.id for c in g] for g in conversation_order(cases)] == [["a"], ["b", "b2", "b3"]]


def _answer(text: str, spans: list[tuple[str, int, int]], abstained: bool = False) -> Answer:
    cits = tuple(Citation(n=i + 1, doc_id=d, start=a, end=b, text=SEED.read_text()[a:b], score=1.0)
                 for i, (d, a, b) in enumerate(spans))
    return Answer(question="q", text=text, abstained=abstained, citations=cits)


def test_scoring_rules():
    source = SEED.read_text()
    at = source.index("Zhenwu M890")
    case = GoldenCase("c", "q", evidence=("zhenwu   m890",), must_include=("Zhenwu",), sources=("us-china",))
    good = _answer("Zhenwu [1]", [("us-china.txt", at - 10, at + 20)])
    result = score_case(case, good, lambda _d: source)
    assert result.passed and result.evidence_rank == 1
    wrong = _answer("Nothing [1]", [("other.txt", 0, 10)])
    result = score_case(case, wrong, lambda _d: source)
    assert not result.passed and "evidence" in result.why and "answer lacks" in result.why
    refused = score_case(GoldenCase("r", "q", answerable=False), _answer("no", [], abstained=True), lambda _d: None)
    assert refused.passed


def test_eval_with_fake_engine_reports_every_figure(settings, corpus):

    (corpus / "f.txt").write_text("Acme opened a plant in Ohio in 2024. Acme invests $2 billion in batteries.\n")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.2), HashEmbedder())
    cases = [GoldenCase("ohio", "Where did Acme open a plant?", evidence=("Ohio",)),
             GoldenCase("money", "How much does it invest?", evidence=("$2 billion",), follow_up_of="ohio"),
             GoldenCase("off", "Best sourdough bread starter recipe?", answerable=False)]
    report = run_eval(engine, cases)
    data = eval_report_json(report)
    s = data["summary"]
    assert s["evidence_hit_rate"] == 1.0 and s["refusal_rate"] == 1.0 and s["false_refusals"] == 0
    assert s["citations_verbatim"] == 1.0 and s["latency_p50_ms"] > 0
    assert {c["id"] for c in data["cases"]} == {"ohio", "money", "off"}
    assert all({"n", "doc", "start", "end", "text"} <= set(cit) for c in data["cases"] for cit in c["citations"])


def test_brief_cases_are_read_beside_questions(tmp_path):
    path = tmp_path / "mixed.yaml"
    path.write_text(
        "- id: q1\n  question: What happened?\n  evidence: [x]\n"
        "- id: b1\n  brief: Cobalt exports\n  facts: [suspended]\n  dates: ['2025-03-03']\n  length: short\n"
        "- id: b2\n  brief: Gothic cathedrals\n  covered: false\n", encoding="utf-8")
    golden = load_golden(path)
    assert [c.id for c in golden.questions] == ["q1"]
    assert golden.briefs == [GoldenBrief("b1", "Cobalt exports", ("suspended",), ("2025-03-03",), True, "short"),
                             GoldenBrief("b2", "Gothic cathedrals", covered=False)]


@pytest.mark.parametrize(("text", "message"), [
    ("- id: b\n  brief: x\n  evidence: [y]\n", "brief case 'b': unknown key 'evidence'"),
    ("- id: b\n  brief: x\n  covered: maybe\n", "'covered' must be true, false or little"),
    ("- id: b\n  brief: x\n  actors: {Wuhan: city}\n", "'actors' must map names to one of: person, organisation"),
    ("- id: b\n  brief: x\n  length: huge\n", "'length' must be one of short, standard, long"),
    ("- id: b\n  brief: '  '\n", "'brief' is required"),
    ("- id: b\n  brief: x\n- id: b\n  question: y\n", "duplicate case id 'b'"),
])
def test_bad_brief_cases_name_the_problem(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GoldenFileError, match=message.replace("(", r"\(")):
        load_golden(path)


def test_brief_scoring_and_its_gate(settings, corpus):
    from assistant.eval.briefs import run_brief_eval
    from assistant.eval.gates import Thresholds, failures

    (corpus / "wire.txt").write_text(
        "Cobalt exports from Congo were suspended on March 3, 2025. Cobalt prices doubled afterwards.\n")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.15), HashEmbedder())
    cases = [GoldenBrief("covered", "cobalt exports", ("suspended on March 3, 2025", "lithium glut"),
                         ("2025-03-03", "2030")),
             GoldenBrief("absent", "medieval cathedral stained glass windows", covered=False)]
    report = run_brief_eval(engine, cases)
    s = report.summary
    assert (s.fact_recall, s.date_recall, s.not_covered_rate, s.citations_verbatim) == (0.5, 0.5, 1.0, 1.0)
    assert [r.passed for r in report.results] == [False, True]
    assert "missing facts: lithium glut" in report.results[0].why and "missing dates: 2030" in report.results[0].why
    assert failures(None, report, Thresholds(min_fact_recall=0.9, min_not_covered=1.0, min_verbatim=1.0)) == [
        "brief fact recall 0.500 < --min-fact-recall 0.9"]
    assert failures(None, report, Thresholds(0.99, 1.0, 0, 1.0, 0.5, 0.5, 1.0, 1.0)) == []  # answers' gates: no report


def test_near_topics_labelled_actors_and_dangling_points_are_scored_and_gated(settings, corpus):
    from assistant.eval.briefs import run_brief_eval
    from assistant.eval.gates import Thresholds, failures
    from assistant.eval.golden import ActorLabel

    (corpus / "wire.txt").write_text(
        "Cobalt exports from Congo were suspended on March 3, 2025 by the Ministry of Mines. "
        "Cobalt prices doubled afterwards. Glencore said cobalt supply from Congo would stay tight.\n")
    build(settings, HashEmbedder())
    engine = Engine(settings.replace(refusal_threshold=0.15), HashEmbedder())
    labels = (ActorLabel("Congo", "country or place"), ActorLabel("Ministry of Mines", "person"),
              ActorLabel("Cobalt", "not an actor"), ActorLabel("Zambia", "country or place"))
    cases = [GoldenBrief("covered", "cobalt exports", actors=labels),
             GoldenBrief("near", "cobalt exports", little=True),
             GoldenBrief("absent", "medieval cathedral stained glass windows", covered=False)]
    report = run_brief_eval(engine, cases)
    s = report.summary
    # Congo right, the ministry shown with another kind, "Cobalt" (a word) not shown, Zambia never shown: not counted
    assert report.results[0].actors_right == [True, False, True] and s.actor_kind_accuracy == 2 / 3
    assert "Ministry of Mines shown as organisation, labelled person" in report.results[0].why
    # a full brief on a topic said to be covered in passing fails; a refusal counts as near-topic handled
    assert [r.passed for r in report.results[1:]] == [False, True] and s.near_topic_rate == 0.5
    assert s.dangling == 0 and s.fact_recall is None  # the near topic's brief is not a covered case
    assert failures(None, report, Thresholds(min_near_topic=0.9, min_actor_accuracy=0.9, max_dangling=0)) == [
        "brief near-topic rate 0.500 < --min-near-topic 0.9", "actor-kind accuracy 0.667 < --min-actor-accuracy 0.9"]


def test_percentiles_do_not_depend_on_the_order_of_the_values():
    from assistant.eval.answers import percentile

    assert percentile([9.0, 1.0, 5.0, 3.0, 7.0], 50) == 5.0
    assert percentile([9.0, 1.0, 5.0, 3.0, 7.0], 100) == 9.0
    assert percentile([10.0, 0.0], 95) == 9.5


def test_the_seed_variants_file_is_the_rephrasing_of_the_seed_file():
    """tests/golden/seed-variants.yaml (gated by `make test`) is what `python -m assistant.eval.rephrase`
    makes of seed.yaml now: every gated case three times, none left out, none hand-edited away."""
    from assistant.eval.rephrase import VARIANTS, variants_of

    originals = [c for c in load_golden(SEED_GOLDEN).questions if not c.hard]
    committed = load_golden(ROOT / "tests" / "golden" / "seed-variants.yaml").questions
    assert committed == [v for variant in VARIANTS for v in variants_of(originals, variant)]
    instruction = [c.question for c in committed if c.id.endswith("~instruction")]
    assert all(not q.endswith("?") or ":" in q for q in instruction)  # instructions, or framed questions


def test_one_gate_rule_a_missing_figure_fails_like_a_low_one():
    """--min-evidence and --min-refusal once differed (a missing figure counted as 0 for one and
    was skipped by the other): a threshold no case measures now fails, whichever it is."""
    from assistant.eval.answers import EvalReport, Summary
    from assistant.eval.gates import Thresholds, below, failures

    def gated(summary: Summary) -> EvalReport:
        return EvalReport(results=[], gated=summary, hard=Summary(), threshold=0.0)

    assert below("x", 0.96, 0.95, "--min-x") == []
    assert below("x", 0.90, 0.95, "--min-x") == ["x 0.900 < --min-x 0.95"]
    assert below("x", None, None, "--min-x") == []
    assert below("x", None, 0.95, "--min-x") == ["x: no case measures it (--min-x 0.95 asked)"]
    only_answerable = Summary(evidence_hit_rate=1.0, refusal_rate=None)
    assert failures(gated(only_answerable), None, Thresholds(min_evidence=0.9)) == []
    assert failures(gated(only_answerable), None, Thresholds(min_refusal=1.0)) == [
        "refusal rate: no case measures it (--min-refusal 1.0 asked)"]
    no_evidence = Summary(evidence_hit_rate=None, refusal_rate=1.0)
    assert failures(gated(no_evidence), None, Thresholds(min_evidence=0.9, min_refusal=1.0)) == [
        "evidence hit rate: no case measures it (--min-evidence 0.9 asked)"]
    assert failures(gated(only_answerable), None, Thresholds(min_hard_refusal=0.8)) == [
        "hard refusal rate: no case measures it (--min-hard-refusal 0.8 asked)"]


def test_a_key_point_that_opens_by_leaning_on_a_sentence_not_shown_dangles():
    from assistant.brief.make import Brief, KeyPoint
    from assistant.eval.briefs import score_brief
    from assistant.types import Citation

    def brief(*texts: str) -> Brief:
        points = tuple(KeyPoint(Citation(i, "a.txt", 100 * i, 100 * i + len(t), t, 1.0)) for i, t in enumerate(texts))
        return Brief("chips", points, (), (), None)

    case = GoldenBrief("chips", "chips")
    leaning = brief("China is using this pressure as motivation. It built fabs.", "However, prices fell.")
    standing = brief("Washington restricted exports. China is using this pressure as motivation.",
                     "In this study, chips were counted.")
    assert score_brief(case, leaning, lambda _d: None, 0.0).dangling == 2
    assert score_brief(case, standing, lambda _d: None, 0.0).dangling == 0


def test_a_brief_carrying_what_its_case_excludes_fails_and_is_counted(tmp_path):
    from assistant.brief.make import Brief, KeyPoint
    from assistant.eval.briefs import BriefReport, score_brief, summarize_briefs
    from assistant.eval.gates import Thresholds, failures

    golden = tmp_path / "briefs.yaml"
    golden.write_text("- id: boeing\n  brief: Boeing 737 MAX\n  facts: [189 fatalities]\n"
                      "  excludes: [spring pack, Doug Rudolph]\n")
    case = load_golden(golden).briefs[0]
    points = ("Lion Air Flight 610 crashed, resulting in 189 fatalities.",
              "The MCAI describes seizing of a main landing gear spring pack assembly.")
    mixed = Brief("Boeing 737 MAX", tuple(KeyPoint(Citation(i, "fr.pdf", 100 * i, 100 * i + len(t), t, 1.0))
                                          for i, t in enumerate(points)), (), (), None)
    result = score_brief(case, mixed, lambda _d: None, 0.0)
    assert not result.passed and result.excluded == ("spring pack",)
    report = BriefReport([result], summarize_briefs([result]))
    assert failures(None, report, Thresholds(max_excluded=0)) == ["excluded phrases carried 1 > --max-excluded 0"]
    assert failures(None, report, Thresholds(max_excluded=1)) == []
