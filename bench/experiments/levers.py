"""Levers that were measured and dropped, reproducible: seed, covidqa-dev and policyqa-dev
evidence with one lever patched into the answer path (nothing here is product code).

    python -m bench.experiments.levers VARIANT [seed|covidqa|policyqa ...]    (after `python -m bench.qa`)

VARIANT is ``base`` (no lever), ``prf-DOCS-TERMS-WEIGHT`` (BM25 pseudo-relevance feedback:
the first DOCS passages' TERMS heaviest terms added at WEIGHT), ``strip`` (question words
removed before the question is embedded), ``type-WEIGHT`` (a bonus for sentences stating a
date or a number when the question asks for one), ``reserve`` (the best sentence's continuation,
when it leans on it, has its room kept before supporting sentences are chosen), ``heading`` (each
passage's section heading in what is indexed and embedded for it), ``titlebm25-REPEATS`` (the
title as a BM25 field of that weight), ``tokens`` (one-character words indexed), ``voice`` or
``voice-statement`` (the question embedded in a policy's voice), ``expand-text`` or ``expand-carried``
(abbreviations expanded by the corpus's definitions), ``bm25-METHOD`` (another BM25 variant),
``elsewhere-PASSAGES[-ZIPF]`` (a word the corpus uses rarely must be in the passages found),
``const-NAME-VALUE`` (one of ``assistant.answer.compose``'s weights changed), ``short-CHARS-PENALTY``,
``window-WORDS``, ``blend-WEIGHT`` (the best sentence in a passage's dense score), ``ties-COUNT``
(near-ties chosen before the continuation) or
``setting-NAME-VALUE`` (one setting changed, such as
``setting-chunk_overlap-0``). Indexes are built once under ``bench/work/levers`` (a variant that
changes the index in a folder of its own); one JSON object is printed; the figures are in the
README's lever table.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import numpy as np

from bench.common import ROOT
from bench.datasets import BENCHMARKS

SHARED = BENCHMARKS
SETS = {"seed": (ROOT / "corpus", ROOT / "tests" / "golden" / "seed.yaml"),
        "covidqa": (ROOT / "bench" / "work" / "covidqa" / "corpus", SHARED / "covidqa-dev" / "golden.yaml"),
        "policyqa": (ROOT / "bench" / "work" / "policyqa" / "corpus", SHARED / "policyqa-dev" / "golden.yaml")}

_QUESTION_WORDS = re.compile(
    r"^(?:(?:what|which|who|whom|whose|when|where|why|how)(?:\s+(?:many|much|long|often|far|old))?"
    r"(?:\s+(?:is|are|was|were|do|does|did|can|could|should|would|will|has|have|had))?|"
    r"(?:is|are|was|were|do|does|did|can|could|should|would|will|has|have|had))\s+", re.I)
_DATE = re.compile(r"\b(?:1[6-9]|20)\d\d\b|\b(?:january|february|march|april|may|june|july|august|september|"
                   r"october|november|december)\b", re.I)
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand|"
                     r"million|billion|half|double)\b", re.I)
_WHEN = re.compile(r"^\s*when\b|\bwhat (?:year|date|month|day|time)\b|\bin which year\b", re.I)
_AMOUNT = re.compile(r"\bhow (?:many|much|long|old|often|far|large|big|high)\b|\bwhat (?:percentage|proportion|"
                     r"fraction|number|rate|amount|size|dose|duration|age|range)\b|\b(?:percentage|proportion) of\b",
                     re.I)


def pseudo_relevance_feedback(docs: int, terms: int, weight: float) -> None:
    """BM25 scores plus ``weight`` times those of the first passages' heaviest new terms."""
    from assistant.index.bm25 import SparseIndex

    first_pass = SparseIndex.scores

    def scores(self: Any, tokens: list[str], mask: Any = None) -> Any:
        first = first_pass(self, tokens, mask)
        if self._retriever is None or not tokens or not first.any():
            return first
        top = np.argsort(-first, kind="stable")[:docs]
        top = top[first[top] > 0]
        csc = self._retriever.scores
        hit = np.flatnonzero(np.isin(csc["indices"], top))
        if not len(hit):
            return first
        columns = np.searchsorted(csc["indptr"], hit, side="right") - 1
        heavy = np.bincount(columns, weights=np.asarray(csc["data"])[hit], minlength=len(csc["indptr"]) - 1)
        vocabulary = {v: k for k, v in self._retriever.vocab_dict.items()}
        extra = [t for c in np.argsort(-heavy)[: terms * 4] if heavy[c] > 0
                 and (t := vocabulary.get(int(c))) and t not in tokens][:terms]
        if not extra:
            return first
        known = len([t for t in tokens if t in self._idf]) or 1
        return first + weight * first_pass(self, extra, mask) / len(extra) * known

    SparseIndex.scores = scores  # type: ignore[method-assign]


def strip_question_words() -> None:
    """The question is embedded without its interrogative opening ("What is the …?" → "the …")."""

    _embed_rewritten(lambda text: _QUESTION_WORDS.sub("", text.strip()).rstrip("?").strip() or text)


def answer_type_bonus(weight: float) -> None:
    """Sentences that state a date (when-questions) or a number (how many/much/long…) gain ``weight``."""
    from assistant.answer import sentence_scores as scores_module

    score = scores_module.score_candidates

    def scored(query: Any, candidates: Any, vectors: Any, sparse: Any) -> Any:
        out = score(query, candidates, vectors, sparse)
        wanted = _DATE if _WHEN.search(query.text) else _NUMBER if _AMOUNT.search(query.text) else None
        if wanted is None:
            return out
        for x in out:
            if wanted.search(x.candidate.text):
                object.__setattr__(x, "score", x.score + weight)
        return sorted(out, key=lambda x: -x.score)

    scores_module.score_candidates = scored  # type: ignore[assignment]


def reserve_continuation() -> None:
    """``select`` keeps room for a leaning continuation before it chooses supporting sentences."""
    from assistant.answer import candidates as candidates_module
    from assistant.answer import compose as answer

    chosen_by = answer.select

    def select(scored: Any, budget: int, max_sentences: int) -> Any:
        after = candidates_module.continuation(scored[0].candidate) if scored else None
        if after is not None and candidates_module.needs_previous(after.text) \
                and len(scored[0].candidate.text) + 1 + len(after.text) <= budget:
            budget -= 1 + len(after.text)
            scored = [s for s in scored if (s.candidate.doc_id, s.candidate.start) != (after.doc_id, after.start)]
        return chosen_by(scored, budget, max_sentences)

    answer.select = select  # type: ignore[assignment]


def section_heading_context() -> None:
    """Each passage's section heading (``overview.headings``: the last one before the passage,
    if the passage does not open with it) heads what is BM25-indexed for it and joins its pooled
    vector, as the title does with ``BRIEFING_TITLE_PREFIX``; offsets are unchanged."""
    from assistant.brief.topics import headings
    from assistant.index import build, pooling

    heading_of: dict[str, str] = {}
    planned_for = build.IndexBuild._planned_for

    def planned(self: Any, doc: Any, chunks: Any, src: Any) -> Any:
        found, at = [], 0
        for line in headings(doc.text, doc.title):
            at = doc.text.find(line, at)
            if at >= 0:
                found.append((at, line))
        for chunk in chunks:
            before = [line for at, line in found if at < chunk.start and not chunk.text.startswith(line)]
            if before:
                heading_of[chunk.text] = before[-1]
        return planned_for(self, doc, chunks, src)

    plain = build.passage_text

    def passage_text(heading: str, text: str) -> str:
        own = plain(heading, text)
        return f"{heading_of[text]}\n{own}" if text in heading_of else own

    texts_of = pooling.SentenceTexts.of.__func__  # type: ignore[attr-defined]
    pooled = pooling.SentenceTexts.passage_matrix

    def of(cls: Any, chunks: Any, title: Any) -> Any:
        out = texts_of(cls, chunks, title)
        out.heads = {}
        for position, chunk in enumerate(chunks):
            if chunk.text in heading_of:
                out.heads[position] = len(out.texts)
                out.texts.append(heading_of[chunk.text])
        return out

    def passage_matrix(self: Any, vectors: Any) -> Any:
        out = pooled(self, vectors)
        for position, row in getattr(self, "heads", {}).items():
            mixed = out[position] + 0.3 * vectors[row]  # pooled rows are unit length: a heading's share
            out[position] = mixed / max(float(np.linalg.norm(mixed)), 1e-12)
        return out

    build.IndexBuild._planned_for = planned  # type: ignore[method-assign]
    build.passage_text = passage_text
    pooling.SentenceTexts.of = classmethod(of)  # type: ignore[method-assign,assignment]
    pooling.SentenceTexts.passage_matrix = passage_matrix  # type: ignore[method-assign]


def title_field_weight(repeats: int) -> None:
    """BM25 indexes each passage with its document's title ``repeats`` times before it (the
    title as a field weighted ``repeats`` times); what is embedded is unchanged."""
    from assistant.index import build

    def passage_text(heading: str, text: str) -> str:
        return "\n".join([heading] * repeats + [text]) if heading else text

    build.passage_text = passage_text


def single_character_tokens() -> None:
    """Words of one letter or digit are tokens too ("B cells", "IL-6", "type 1"): bm25s drops
    them by default (its pattern wants two word characters)."""
    import functools

    import bm25s

    bm25s.tokenize = functools.partial(bm25s.tokenize, token_pattern=r"(?u)\b\w+\b")


_VOICE = [(r"\b(?:the|this) (?:company|website|site|app|service|organi[sz]ation|business)(?:'s)?\b", "we"),
          (r"\bthey\b", "we"), (r"\btheir\b", "our"), (r"\bthem\b", "us"), (r"\byou\b", "we"),
          (r"\byour\b", "our"), (r"\bmy\b", "your"), (r"\bme\b", "you"), (r"\bI\b", "you"),
          (r"\buser'?s'?\b", "your"), (r"\busers\b", "you")]


def documents_voice(statement: bool) -> None:
    """The question is embedded in the voice a policy is written in ("Do you share my data?" →
    "Do we share your data?"; with ``statement``, "we share your data")."""

    def rewrite(text: str) -> str:
        for pattern, written in _VOICE:  # marked, so a word rewritten is not rewritten again
            text = re.sub(pattern, "\0" + written + "\0", text, flags=re.I)
        text = text.replace("\0", "")
        if statement:
            text = re.sub(r"^(?:do|does|did|will|would|can|could|may|is|are|shall)\s+(we)\b", r"\1", text.strip(),
                          flags=re.I).rstrip("?")
        return text

    _embed_rewritten(rewrite)


def _embed_rewritten(rewrite: Any) -> None:
    """Questions are embedded as ``rewrite`` has them (their words are analysed as asked)."""
    from assistant.answer.engine import Engine

    ranked = Engine.rank_sentences

    def rank(self: Any, resolution: Any, scope: Any, k: int, snap: Any = None) -> Any:
        real = self.embedder.embed_one
        self.embedder.embed_one = lambda text: real(rewrite(text))
        try:
            return ranked(self, resolution, scope, k, snap)
        finally:
            self.embedder.embed_one = real

    Engine.rank_sentences = rank  # type: ignore[method-assign]


def expand_abbreviations(how: str) -> None:
    """Each abbreviation a question uses ("How is RSV transmitted?") is expanded by the long form
    the corpus defines for it: written into the question (``text``), or carried as a follow-up's
    terms are (``carried``)."""
    import dataclasses

    from assistant.answer.engine import Engine
    from assistant.text import abbreviations as definitions
    from assistant.text.analyser import analyze

    found: dict[tuple[int, str], str | None] = {}

    def long_form(snap: Any, short: str) -> str | None:
        if (id(snap), short) not in found:
            tokens, out = analyze([short])[0], None
            for row in (snap.index.sparse.passages_with(tokens[0])[:200].tolist() if tokens else []):
                text = snap.index.chunks[row].text
                for m in re.finditer(rf"\(\s*{re.escape(short.removesuffix('s'))}s?\s*[),;]", text):
                    out = out or definitions._long_form_before(short.removesuffix("s"), text[: m.start()])
                if out:
                    break
            found[(id(snap), short)] = out.strip("'\"“”‘’ ") if out else None
        return found[(id(snap), short)]

    ranked = Engine.rank_sentences

    def rank(self: Any, resolution: Any, scope: Any, k: int, snap: Any = None) -> Any:
        snap = snap or self.snapshot()
        words = re.findall(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9-]{1,9}(?![\w-])", resolution.question)
        extra = [lf for w in words if sum(c.isupper() for c in w) >= 2 and (lf := long_form(snap, w))
                 and lf.lower() not in resolution.question.lower()]
        if extra and not resolution.is_follow_up:
            resolution = dataclasses.replace(resolution, question=f"{resolution.question} ({'; '.join(extra)})") \
                if how == "text" else dataclasses.replace(resolution, carried=tuple(extra))
        return ranked(self, resolution, scope, k, snap)

    Engine.rank_sentences = rank  # type: ignore[method-assign]


def bm25_variant(method: str) -> None:
    """BM25 as another of bm25s's variants scores it (``robertson``, ``atire``, ``bm25l``,
    ``bm25+``; the product's is ``lucene``)."""
    import bm25s

    plain = bm25s.BM25.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        plain(self, *args, **{**kwargs, "method": method})

    bm25s.BM25.__init__ = init  # type: ignore[method-assign]


def found_elsewhere(passages: float, zipf: float | None) -> None:
    """A question word the corpus uses in at most ``passages`` passages, none of them among the
    passages found, makes the question one about what the corpus says elsewhere: refused. With
    ``zipf``, only words rarer than that in English count (wordfreq's Zipf scale)."""
    from assistant.answer import coverage
    from assistant.answer.engine import Engine

    checked = Engine.not_covered

    def not_covered(self: Any, snap: Any, resolution: Any, ranked: Any) -> Any:
        why = checked(self, snap, resolution, ranked)
        if why or resolution.is_follow_up:
            return why
        sparse, asking = snap.index.sparse, coverage._asking_words()
        ids = [h.chunk.chunk_id for h in ranked.hits]
        words = [w for w in coverage._words(resolution.question) if not any(ch.isdigit() for ch in w)]
        for word, tokens in zip(words, coverage.analyze(words), strict=True):
            if zipf is not None and not 0 < coverage._zipf(word.lower()) < zipf:
                continue
            for token in tokens:
                if token not in asking and sparse.knows(token) and \
                        sparse.passage_share(token) * sparse.n_docs <= passages and not sparse.occurs_in(token, ids):
                    return f"the passages found never mention {word}"
        return None

    Engine.not_covered = not_covered  # type: ignore[method-assign]


def short_sentence_penalty(chars: int, penalty: float) -> None:
    """A sentence shorter than ``chars`` characters loses ``penalty`` from its score."""
    from assistant.answer import sentence_scores as scores_module

    score = scores_module.score_candidates

    def scored(query: Any, candidates: Any, vectors: Any, sparse: Any) -> Any:
        out = score(query, candidates, vectors, sparse)
        for x in out:
            if len(x.candidate.text) < chars:
                object.__setattr__(x, "score", x.score - penalty)
        return sorted(out, key=lambda x: -x.score)

    scores_module.score_candidates = scored  # type: ignore[assignment]


def pairs_within(words: int) -> None:
    """The question's word pairs count when they stand within ``words`` of each other, not only
    side by side."""
    from assistant.answer import sentence_scores as scores_module

    def phrase(pairs: dict[tuple[str, str], float], tokens: Any) -> float:
        near = {(a, b) for i, a in enumerate(tokens) for b in tokens[i + 1 : i + 1 + words]}
        return sum(pairs.get(pair, 0.0) for pair in near)

    scores_module._phrase = phrase


def best_sentence_blend(weight: float) -> None:
    """Each passage's dense score blended with its best sentence's (``HybridRetriever.search``);
    the default is now ``BRIEFING_BEST_SENTENCE`` (0.3), which this overrides."""
    from assistant.retrieval.hybrid import HybridRetriever

    search = HybridRetriever.search

    def blended(self: Any, query_vec: Any, tokens: Any, k: int, mask: Any = None,
                best_sentence: float | None = None) -> Any:
        return search(self, query_vec, tokens, k, mask, weight)

    HybridRetriever.search = blended  # type: ignore[method-assign,assignment]


def near_ties_first(count: int) -> None:
    """Up to ``count`` near-ties with the best sentence (``TIE_RATIO``) are chosen right after it,
    before its continuation and MMR."""
    from assistant.answer import compose as answer

    chosen_by = answer.select

    def select(scored: Any, budget: int, max_sentences: int) -> Any:
        if not scored:
            return chosen_by(scored, budget, max_sentences)
        lead, used, first = scored[0], len(scored[0].candidate.text), [scored[0]]
        for s in [s for s in scored[1:] if s.score >= answer.TIE_RATIO * lead.score][:count]:
            if len(first) < max_sentences and used + 1 + len(s.candidate.text) <= budget * answer.HARD_CAP_RATIO \
                    and float(s.vector @ lead.vector) <= answer.REDUNDANT_COSINE:
                first.append(s)
                used += 1 + len(s.candidate.text)
        rest = chosen_by([lead, *[s for s in scored[1:] if s not in first]], budget - (used - len(lead.candidate.text)),
                         max_sentences - len(first) + 1)
        return [*first, *rest[1:]]

    answer.select = select  # type: ignore[assignment]


QUERY_TIME = ("base", "prf", "strip", "type", "reserve", "voice", "expand", "elsewhere", "const",
              "short", "window", "blend", "ties")
"""Variants that change only how questions are answered: they share the plain index."""


def main() -> None:
    from assistant.answer.engine import Engine
    from assistant.eval.answers import run_eval
    from assistant.eval.golden import load_golden
    from assistant.index.build import IndexBuild
    from assistant.settings import Settings

    variant = sys.argv[1] if len(sys.argv) > 1 else "base"
    chosen = sys.argv[2:] or list(SETS)
    name, *args = variant.split("-")
    overrides: dict[str, Any] = {}
    if name == "prf":
        pseudo_relevance_feedback(int(args[0]), int(args[1]), float(args[2]))
    elif name == "strip":
        strip_question_words()
    elif name == "type":
        answer_type_bonus(float(args[0]))
    elif name == "reserve":
        reserve_continuation()
    elif name == "setting":  # a setting that changes the index is built in a folder of its own
        field = args[0].replace(".", "_")
        overrides = {field: type(getattr(Settings.from_env({}), field))(args[1])}
    elif name == "heading":
        section_heading_context()
    elif name == "voice":
        documents_voice(bool(args and args[0] == "statement"))
    elif name == "expand":
        expand_abbreviations(args[0])
    elif name == "bm25":
        bm25_variant(args[0])
    elif name == "const":  # one of the answer's weights changed, such as ``const-W_PHRASE-0.09``
        from assistant.answer import compose as answer

        setattr(answer, args[0], float(args[1]))
    elif name == "elsewhere":
        found_elsewhere(float(args[0]), float(args[1]) if len(args) > 1 else None)
    elif name == "short":
        short_sentence_penalty(int(args[0]), float(args[1]))
    elif name == "window":
        pairs_within(int(args[0]))
    elif name == "blend":
        best_sentence_blend(float(args[0]))
    elif name == "ties":
        near_ties_first(int(args[0]))
    elif name == "tokens":
        single_character_tokens()
    elif name == "titlebm25":
        title_field_weight(int(args[0]))
    elif name != "base":
        raise SystemExit(f"unknown variant {variant}")
    out: dict[str, Any] = {"variant": variant}
    for key in chosen:
        corpus, golden = SETS[key]
        folder = key if name in QUERY_TIME else f"{key}-{variant}"
        settings = Settings.from_env({}, corpus_dir=corpus, index_dir=ROOT / "bench" / "work" / "levers" / folder,
                                     **overrides)
        engine = Engine(settings)
        for _ in IndexBuild(settings, engine.embedder).run():
            pass
        engine.warm(prefetch=False)
        report = run_eval(engine, load_golden(golden).questions)
        gated = report.gated
        out[key] = {"evidence": round(gated.evidence_hit_rate or 0.0, 4), "false_refusals": gated.false_refusals,
                    "median_chars": gated.median_answer_chars}
        if key == "seed":
            out[key].update(passed=gated.passed, refusal_rate=gated.refusal_rate,
                            hard_refusal_rate=report.hard.refusal_rate)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
