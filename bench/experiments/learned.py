"""A learned combination of the sentence features, against the hand-set weights (issue 15).

    python -m bench.experiments.learned        (after `python -m bench.qa`; writes bench/results/learned.json)

For every answerable covidqa-dev and policyqa-dev question with annotated evidence, the product
ranks the sentences of its top passages (``Engine.rank_sentences``); each candidate gets the
features below and a label (it holds the evidence). Two models learn to score them: a linear
listwise model (softmax over a question's candidates) and gradient-boosted trees (scikit-learn,
pointwise). Each is judged only on questions it did not see: trained on one half of a set and
tested on the other (both ways), and trained on one set and tested on the other. The answer is
chosen by the product's own ``select`` from the learned scores, within the same budget, beside
the product's scores on the same questions. Nothing here is product code: the lever was dropped.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from bench.common import RESULTS, ROOT, machine
from bench.experiments.levers import SETS

FEATURES = ("cosine", "idf_overlap", "passage_fused", "passage_inverse_rank", "passage_dense", "passage_bm25",
            "terms_matched", "log_length", "position", "leans_on_previous", "dangling", "why_cause",
            "states_answer_type", "previous_cosine", "next_cosine", "cosine_below_passage_best",
            "log_doc_passages", "cosine_below_best", "product_score")


@dataclass
class Question:
    scored: list[Any]
    """The product's ``Scored`` candidates, best first."""
    features: np.ndarray
    labels: np.ndarray


def features_of(question: str, query: Any, scored: list[Any], sparse: Any) -> np.ndarray:
    from assistant.answer import candidates as candidates_module
    from assistant.answer import expected_type as answer_type
    from assistant.answer import sentence_scores as scores_module
    from assistant.text.analyser import analyze

    cands = [s.candidate for s in scored]
    vectors = np.stack([s.vector for s in scored])
    cos = vectors @ query.vector
    total = sum(sparse.idf(t) * w for t, w in query.terms.items()) or 1.0
    tokens = [set(t) for t in analyze([c.text for c in cands])]
    overlap = np.array([sum(sparse.idf(t) * w for t, w in query.terms.items() if t in tk) / total for tk in tokens])
    matched = np.array([sum(t in tk for t in query.terms) / max(1, len(query.terms)) for tk in tokens])
    fused = np.array([c.hit.score for c in cands])
    bm25 = np.array([c.hit.sparse_score for c in cands])
    why = bool(scores_module._WHY.search(question))
    kind = answer_type.wanted(question)
    after: dict[tuple[str, int], int] = {(c.doc_id, c.end): i for i, c in enumerate(cands)}
    previous_cos, next_cos = np.zeros(len(cands)), np.zeros(len(cands))
    for i, c in enumerate(cands):
        for gap in range(0, 4):
            j = after.get((c.doc_id, c.start - gap))
            if j is not None:
                previous_cos[i], next_cos[j] = cos[j], cos[i]
                break
    best_in_passage: dict[int, float] = {}
    per_doc: dict[str, int] = {}
    for i, c in enumerate(cands):
        best_in_passage[c.hit.chunk.chunk_id] = max(best_in_passage.get(c.hit.chunk.chunk_id, -1.0), float(cos[i]))
        per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
    return np.column_stack([
        cos, overlap, fused / (fused.max() or 1.0), [1 / c.hit.rank for c in cands],
        [c.hit.dense_score for c in cands], bm25 / (bm25.max() or 1.0), matched,
        [np.log(len(c.text) / 100) for c in cands], [c.position / 10 for c in cands],
        [candidates_module.needs_previous(c.text) for c in cands],
        [c.prev is None and candidates_module.needs_previous(c.text) for c in cands],
        [why and bool(scores_module._CAUSE.search(c.text)) for c in cands],
        [kind is not None and answer_type.satisfies(kind, c.text) for c in cands],
        previous_cos, next_cos, [cos[i] - best_in_passage[c.hit.chunk.chunk_id] for i, c in enumerate(cands)],
        [np.log(per_doc[c.doc_id]) for c in cands], cos - cos.max(), [s.score for s in scored],
    ]).astype(np.float64)


def collect(key: str) -> list[Question]:
    from assistant.answer import candidates as candidates_module
    from assistant.answer.conversation import Resolution
    from assistant.answer.engine import Engine
    from assistant.eval.golden import load_golden
    from assistant.eval.scoring import holds
    from assistant.index.build import IndexBuild
    from assistant.retrieval.hybrid import Scope
    from assistant.settings import Settings

    corpus, golden = SETS[key]
    settings = Settings.from_env({}, corpus_dir=corpus, index_dir=ROOT / "bench" / "work" / "levers" / key)
    engine = Engine(settings)
    for _ in IndexBuild(settings, engine.embedder).run():
        pass
    snap = engine.snapshot()
    out = []
    for case in load_golden(golden).questions:
        if not case.answerable or not case.evidence or case.follow_up_of:
            continue
        resolution = Resolution(case.question)
        ranked = engine.rank_sentences(resolution, Scope(case.scope), settings.top_k, snap)
        if not ranked.scored:
            continue
        query = candidates_module.Query.build(case.question, (), engine.embedder.embed_one(case.question))
        labels = np.array([any(holds(s.candidate.text, e) for e in case.evidence) for s in ranked.scored],
                          dtype=float)
        out.append(Question(ranked.scored, features_of(case.question, query, ranked.scored, snap.index.sparse),
                            labels))
    return out


class Linear:
    """Softmax over each question's candidates; standardised features, L2, plain gradient descent."""

    def fit(self, data: list[Question], l2: float = 1e-2, steps: int = 600, rate: float = 0.5) -> Linear:
        stacked = np.vstack([q.features for q in data])
        self.mu, self.sd = stacked.mean(0), stacked.std(0) + 1e-6
        groups = [((q.features - self.mu) / self.sd, q.labels / q.labels.sum()) for q in data if q.labels.any()]
        self.w = np.zeros(stacked.shape[1])
        for _ in range(steps):
            grad = l2 * self.w
            for x, target in groups:
                s = x @ self.w
                p = np.exp(s - s.max())
                grad += x.T @ (p / p.sum() - target) / len(groups)
            self.w -= rate * grad
        return self

    def score(self, q: Question) -> np.ndarray:
        return np.asarray((q.features - self.mu) / self.sd @ self.w)


class Trees:
    def fit(self, data: list[Question]) -> Trees:
        from sklearn.ensemble import HistGradientBoostingClassifier

        self.model = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                                    l2_regularization=1.0, random_state=0)
        self.model.fit(np.vstack([q.features for q in data]), np.concatenate([q.labels for q in data]))
        return self

    def score(self, q: Question) -> np.ndarray:
        return np.asarray(self.model.predict_proba(q.features)[:, 1])


def evidence_rate(data: list[Question], scores: Any) -> float:
    """Share of questions whose answer, as ``select`` chooses it from these scores, holds the evidence.

    Only the order is learned: the i-th candidate by the learned score takes the product's i-th
    highest score, so ``select``'s floor relative to the best sentence keeps its meaning."""
    from assistant.answer import candidates as candidates_module
    from assistant.answer import compose as answer
    from assistant.settings import Settings

    s = Settings.from_env({})
    hits = 0
    for q in data:
        order = np.argsort(-scores(q), kind="stable")
        values = sorted((x.score for x in q.scored), reverse=True)
        rescored = [candidates_module.Scored(q.scored[i].candidate, v, q.scored[i].relevance, q.scored[i].vector)
                    for i, v in zip(order.tolist(), values, strict=True)]
        label = {id(x.candidate): y for x, y in zip(q.scored, q.labels, strict=True)}
        hits += any(label[id(x.candidate)] for x in answer.select(rescored, s.answer_budget, s.max_sentences))
    return round(hits / len(data), 4)


def main() -> None:
    data = {key: collect(key) for key in ("covidqa", "policyqa")}

    def product(q: Question) -> np.ndarray:
        return np.array([x.score for x in q.scored])

    splits: list[tuple[str, list[Question], list[Question]]] = []
    for key, questions in data.items():
        half = len(questions) // 2
        splits += [(f"{key} second half (trained on the first)", questions[:half], questions[half:]),
                   (f"{key} first half (trained on the second)", questions[half:], questions[:half])]
    splits += [("policyqa (trained on covidqa)", data["covidqa"], data["policyqa"]),
               ("covidqa (trained on policyqa)", data["policyqa"], data["covidqa"])]
    rows = []
    for name, train, test in splits:
        linear, trees = Linear().fit(train), Trees().fit(train)
        rows.append({"tested_on": name, "questions": len(test), "product": evidence_rate(test, product),
                     "linear": evidence_rate(test, linear.score), "trees": evidence_rate(test, trees.score)})
        print(json.dumps(rows[-1]), file=sys.stderr)
    mean = {m: round(float(np.mean([r[m] for r in rows])), 4) for m in ("product", "linear", "trees")}
    out = {"machine": machine(), "features": FEATURES, "splits": rows, "mean": mean}
    (RESULTS / "learned.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(mean))


if __name__ == "__main__":
    main()
