"""Briefs against reading: covidqa-dev's 32 brief topics, Briefing's brief beside the textbook.

The textbook pipeline (LangChain splitter at 500 characters, the bundled model, cosine) takes
its top chunks until they hold as many characters as the brief (the last one cut to fit), so
both read the same amount. A fact (an annotated answer span of the topic's article) counts as
carried when one of its occurrences in that article lies inside the text a side shows: the
union of its cited spans, spans that touch or are separated by white space only merged.

    python -m bench.briefs [--limit N]     (writes bench/results/briefs.json)

The same run scores what an official would judge (issue 28): the share of key-point spans from
the topic's own article (on-topic), key points leaning on a sentence not shown (dangling), the
kinds of the actors shown against the labelled list bench/golden/covidqa-actors.yaml, and the
cases of bench/golden/covidqa-briefs.yaml (free-form topics with their facts; near topics that
must be refused or warned about). It also times warm briefs: on the seed corpus (the topics of
tests/golden/briefs.yaml) and, when `python -m bench.scifact` has built it, on the 5,183-document
SciFact index, beside the code before issue 28 (commit ``BASELINE``, a git worktree) in the same
run.

Long because one step measures three things that share its corpus, topics and baseline worktree
(facts against the textbook, the two versions judged by the same rules, warm timings), and the
code run under the baseline's ``PYTHONPATH`` is kept here as strings beside what reads its output.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.common import RESULTS, ROOT, baseline_tree, machine
from bench.datasets import COVIDQA
from bench.textbook import Textbook

WORK = ROOT / "bench" / "work" / "covidqa"
TEXTBOOK_CHUNK = 500
GOLDEN = ROOT / "bench" / "golden" / "covidqa-briefs.yaml"
ACTOR_LABELS = ROOT / "bench" / "golden" / "covidqa-actors.yaml"
BASELINE = "1acc207"
"""The last commit before issue 28's work on briefs: its brief time is today's "before"."""
TARGETS = {"ratio": 1.5, "brief_on_topic_share": 0.97, "actor_kind_accuracy": 0.9, "dangling": 0,
           "near_topic_rate": 0.9, "brief_5k_p50_vs_baseline": 1.5}


@dataclass(frozen=True)
class Span:
    doc: str
    start: int
    end: int


def covered(spans: list[Span], doc: str, text: str) -> list[tuple[int, int]]:
    """Merged intervals of ``doc`` that the spans show (gaps of white space only are bridged)."""
    intervals = sorted((s.start, s.end) for s in spans if s.doc == doc)
    merged: list[list[int]] = []
    for a, b in intervals:
        if merged and (a <= merged[-1][1] or not text[merged[-1][1]:a].strip()):
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def occurrences(fact: str, text: str) -> list[tuple[int, int]]:
    out, at = [], text.find(fact)
    while at >= 0:
        out.append((at, at + len(fact)))
        at = text.find(fact, at + 1)
    return out


def facts_carried(facts: list[str], spans: list[Span], doc: str, text: str) -> int:
    intervals = covered(spans, doc, text)
    return sum(1 for f in facts
               if any(a <= fa and fb <= b for fa, fb in occurrences(f, text) for a, b in intervals))


def shown_chars(spans: list[Span]) -> int:
    """Characters a reader reads: overlapping spans counted once."""
    total = 0
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for s in spans:
        by_doc.setdefault(s.doc, []).append((s.start, s.end))
    for intervals in by_doc.values():
        end = -1
        for a, b in sorted(intervals):
            a = max(a, end)
            if b > a:
                total += b - a
                end = b
    return total


def brief_spans(brief: Any) -> list[Span]:
    cites = [k.citation for k in brief.key_points]
    cites += [a for k in brief.key_points for a in (*k.also, *k.differs)]
    cites += [t.citation for t in brief.timeline]
    return list(dict.fromkeys(Span(c.doc_id, c.start, c.end) for c in cites))


def build_index(settings: Any) -> None:
    import shutil

    from assistant.embedders import embedder_for
    from assistant.index.build import build_index

    corpus = settings.paths.corpus_dir
    if not corpus.exists():
        shutil.copytree(COVIDQA / "corpus", corpus)
    build_index(settings, embedder_for(settings))


def run(limit: int | None = None) -> dict[str, Any]:
    from assistant.answer.engine import Engine
    from assistant.brief.make import make_brief
    from assistant.settings import Settings

    if not COVIDQA.exists():
        raise SystemExit(f"covidqa-dev not found at {COVIDQA} (../shared/benchmarks from the project root)")
    settings = Settings.from_env({}, corpus_dir=WORK / "corpus", index_dir=WORK / "index")
    build_index(settings)
    topics = yaml.safe_load((COVIDQA / "briefs.yaml").read_text(encoding="utf-8"))[:limit]
    engine = Engine(settings)
    engine.warm()
    textbook = Textbook(settings.paths.corpus_dir, engine.embedder, TEXTBOOK_CHUNK, WORK)
    rows = []
    seconds = []
    briefs = []
    for t in topics:
        text = (settings.paths.corpus_dir / t["doc"]).read_text(encoding="utf-8")
        facts = [f for f in t["facts"] if f in text]
        started = time.perf_counter()
        brief = make_brief(engine, t["topic"])
        seconds.append(time.perf_counter() - started)
        briefs.append(brief)
        ours = brief_spans(brief)
        chars = shown_chars(ours)
        theirs = [Span(p.doc, p.start, p.end) for p in textbook.top_chars(t["topic"], chars)] if chars else []
        rows.append({
            "topic": t["topic"], "doc": t["doc"], "facts": len(facts), "chars": chars,
            "brief_facts": facts_carried(facts, ours, t["doc"], text),
            "textbook_facts": facts_carried(facts, theirs, t["doc"], text),
            "brief_on_topic": sum(s.doc == t["doc"] for s in ours), "brief_spans": len(ours),
            "textbook_on_topic": sum(s.doc == t["doc"] for s in theirs), "textbook_spans": len(theirs),
            "key_points": len(brief.key_points), "timeline": len(brief.timeline), "actors": len(brief.actors),
        })

    def rate(key: str) -> float:
        return statistics.mean(r[key] / r["facts"] for r in rows if r["facts"])

    def share(key: str) -> float:
        spans = sum(r[f"{key}_spans"] for r in rows)
        return sum(r[f"{key}_on_topic"] for r in rows) / spans if spans else 0.0

    brief_rate, textbook_rate = rate("brief_facts"), rate("textbook_facts")
    golden = judged(engine, briefs)
    return {
        "machine": {**machine(), "python": sys.version.split()[0]},
        "topics": len(rows),
        "mean_brief_chars": round(statistics.mean(r["chars"] for r in rows), 1),
        "brief_fact_rate": round(brief_rate, 4),
        "textbook_fact_rate": round(textbook_rate, 4),
        "ratio": round(brief_rate / textbook_rate, 3) if textbook_rate else None,
        "brief_on_topic_share": round(share("brief"), 4),
        "textbook_on_topic_share": round(share("textbook"), 4),
        "brief_seconds_p50": round(statistics.median(seconds), 3),
        **golden,
        "rows": rows,
    }


def judged(engine: Any, title_briefs: list[Any]) -> dict[str, Any]:
    """What an official would judge: the golden cases (free-form facts, near topics), dangling
    key points and actor kinds over every brief made (the 32 title topics and the cases)."""
    from assistant.eval.briefs import dangling_points, run_brief_eval
    from assistant.eval.golden import NOT_AN_ACTOR, load_golden

    report = run_brief_eval(engine, load_golden(GOLDEN).briefs)
    every = title_briefs + [r.brief for r in report.results]
    labels: dict[str, str] = yaml.safe_load(ACTOR_LABELS.read_text(encoding="utf-8"))
    shown = [(a.name, a.kind) for b in every for a in b.actors]
    labelled = [(name, kind) for name, kind in shown if name in labels]
    right = sum(kind == labels[name] for name, kind in labelled)
    wrong = sorted({f"{name}: {kind}, labelled {labels[name]}" for name, kind in labelled if kind != labels[name]})
    s = report.summary
    return {
        "dangling": sum(dangling_points(b) for b in every),
        "actor_kind_accuracy": round(right / len(labelled), 4) if labelled else None,
        "actors_labelled_shown": len(labelled),
        "actors_wrong": wrong,
        "actors_unlabelled": sorted({name for name, _k in shown if name not in labels}),
        "actors_not_an_actor_label": NOT_AN_ACTOR,
        "free_form_fact_recall": round(s.fact_recall, 4) if s.fact_recall is not None else None,
        "near_topic_rate": round(s.near_topic_rate, 4) if s.near_topic_rate is not None else None,
        "golden_cases": [{"id": r.case.id, "passed": r.passed, "why": r.why} for r in report.results],
    }


def warm_brief_seconds(corpus: Path, index: Path, topics: list[str]) -> float:
    """p50 seconds of a brief in a warm session: the index and the model loaded, one unrelated
    brief made first, then each topic briefed once (its sentences not seen before)."""
    from assistant.settings import Settings

    build_index(Settings.from_env({}, corpus_dir=corpus, index_dir=index))
    return round(_timed(ROOT, corpus, index, topics), 3)


def timings() -> dict[str, Any]:
    golden = yaml.safe_load((ROOT / "tests" / "golden" / "briefs.yaml").read_text(encoding="utf-8"))
    seed_topics = [c["brief"] for c in golden if c.get("covered", True)]
    seed = WORK.parent / "seed-briefs"
    out: dict[str, Any] = {"seed_brief_p50_s": warm_brief_seconds(ROOT / "corpus", seed / "index", seed_topics)}
    scifact = WORK.parent / "scifact"
    if (scifact / "index").exists():
        queries = [json.loads(line)["text"] for line in (scifact / "queries.jsonl").read_text().splitlines()][:20]
        out.update(side_by_side(scifact / "corpus", scifact / "index", queries))
    else:
        out["scifact_5k_brief_p50_s"] = None
    out.setdefault("baseline_commit", BASELINE)  # the versions judged side by side, whatever was timed
    return out


_TIMER = """
import json, statistics, sys, time
from pathlib import Path
from assistant.answer.engine import Engine
from assistant.brief.make import make_brief
from assistant.settings import Settings
corpus, index, topics = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
engine = Engine(Settings.from_env({}, corpus_dir=corpus, index_dir=index))
engine.warm()
make_brief(engine, "weather")
seconds = []
for topic in topics:
    started = time.perf_counter()
    make_brief(engine, topic)
    seconds.append(time.perf_counter() - started)
print(json.dumps(statistics.median(seconds)))
"""
"""A warm session's brief p50, run with whichever code ``PYTHONPATH`` names (never building)."""


def _timed(code: Path, corpus: Path, index: Path, topics: list[str]) -> float:
    import os
    import subprocess

    index = _own_index(code, corpus, index)

    env = {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", _TIMER, str(corpus), str(index), json.dumps(topics)],
                          cwd=code, env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


_DUMP = """
import json, sys
from pathlib import Path
from assistant.answer.engine import Engine
from assistant.brief.make import make_brief
from assistant.settings import Settings
corpus, index, topics = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text())
engine = Engine(Settings.from_env({}, corpus_dir=corpus, index_dir=index))
rows = []
for topic in topics:
    b = make_brief(engine, topic)
    rows.append({"topic": topic, "refused_or_warned": bool(b.not_covered or b.thin),
                 "key_points": [k.citation.text for k in b.key_points],
                 "spans": [c.doc_id for k in b.key_points for c in (k.citation, *k.also)]
                          + [r.citation.doc_id for r in b.timeline],
                 "actors": [[a.name, a.kind] for a in b.actors]})
print(json.dumps(rows))
"""
"""Briefs as some version of the code makes them, in plain data that this version judges."""
_KIND_RENAMES = {"country": "country or place", "place or government": "country or place"}
"""Actor kinds before issue 28, as named now ("organisation or person" stays undecided: wrong)."""


def _own_index(code: Path, corpus: Path, index: Path) -> Path:
    """The index ``code`` reads: this version's, or one the baseline's code builds beside it (a
    later index format is one the baseline cannot read)."""
    import os
    import subprocess

    if code == ROOT:
        return index
    own = index.with_name(f"{index.name}-{BASELINE}")
    if not (own / "CURRENT").exists() and not (own / "manifest.json").exists():
        env = {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}
        build = ("import sys\nfrom assistant.cli.main import main\n"
                 "main(['--corpus', sys.argv[1], '--index', sys.argv[2], 'index', 'build'])")
        subprocess.run([sys.executable, "-c", build, str(corpus), str(own)], cwd=code, env=env,
                       capture_output=True, text=True, check=True)
    return own


def _dumped(code: Path, corpus: Path, index: Path, topics: list[str]) -> list[dict[str, Any]]:
    import os
    import subprocess
    import tempfile

    index = _own_index(code, corpus, index)

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(topics, f)
    env = {**os.environ, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", _DUMP, str(corpus), str(index), f.name], cwd=code, env=env,
                          capture_output=True, text=True, check=True)
    os.unlink(f.name)
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return rows


def judge_versions() -> dict[str, Any]:
    """This code's briefs and ``BASELINE``'s, judged by the same rules in one run: on-topic share
    (covidqa-dev's 32 title topics), dangling key points, near topics refused or warned, and actor
    kinds against the labelled lists (covidqa-dev's, and the seed cases' in tests/golden/briefs.yaml)."""
    from assistant.brief.key_points import ends_open, stands_alone
    from assistant.eval.briefs import first_sentence

    titles = yaml.safe_load((COVIDQA / "briefs.yaml").read_text(encoding="utf-8"))
    golden = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    seed = yaml.safe_load((ROOT / "tests" / "golden" / "briefs.yaml").read_text(encoding="utf-8"))
    covid_labels: dict[str, str] = yaml.safe_load(ACTOR_LABELS.read_text(encoding="utf-8"))
    seed_labels = {k: v for case in seed for k, v in (case.get("actors") or {}).items()}
    seed_index = WORK.parent / "seed-briefs" / "index"

    def judged(covid: list[dict[str, Any]], seeded: list[dict[str, Any]]) -> dict[str, Any]:
        spans = [(d, t["doc"]) for row, t in zip(covid, titles, strict=False) for d in row["spans"]]

        def dangling(rows: list[dict[str, Any]]) -> int:
            return sum(1 for r in rows for i, t in enumerate(r["key_points"]) if ends_open(t) or not stands_alone(
                first_sentence(t), r["topic"], r["key_points"][:i] + r["key_points"][i + 1:]))

        def near(rows: list[dict[str, Any]], cases: list[dict[str, Any]]) -> float:
            chosen = [r for r, c in zip(rows, cases, strict=True) if c.get("covered", True) is not True]
            return round(sum(r["refused_or_warned"] for r in chosen) / len(chosen), 4)

        def actors(rows: list[dict[str, Any]], labels: dict[str, str]) -> dict[str, Any]:
            shown = [(a, _KIND_RENAMES.get(k, k)) for r in rows for a, k in r["actors"]]
            labelled = [(a, k) for a, k in shown if a in labels]
            return {"accuracy": round(sum(k == labels[a] for a, k in labelled) / len(labelled), 4),
                    "labelled_shown": len(labelled), "shown": len(shown)}

        return {"on_topic_share": round(sum(d == doc for d, doc in spans) / len(spans), 4),
                "dangling_covidqa": dangling(covid), "dangling_seed": dangling(seeded),
                "near_topic_rate_covidqa": near(covid[len(titles):], golden),
                "near_topic_rate_seed": near(seeded, seed),
                "actors_covidqa": actors(covid, covid_labels), "actors_seed": actors(seeded, seed_labels)}

    covid_topics = [t["topic"] for t in titles] + [c["brief"] for c in golden]
    seed_topics = [c["brief"] for c in seed]
    out: dict[str, Any] = {}
    tree = baseline_tree(BASELINE)
    for name, code in (("now", ROOT), ("before", tree)):
        if code is not None:
            out[name] = judged(_dumped(code, WORK / "corpus", WORK / "index", covid_topics),
                               _dumped(code, ROOT / "corpus", seed_index, seed_topics))
    return out


def side_by_side(corpus: Path, index: Path, topics: list[str], rounds: int = 2) -> dict[str, Any]:
    """Brief p50 at 5k documents with this code and with ``BASELINE``'s (a git worktree), each on
    the index it builds from the same corpus, alternating, the best of ``rounds`` each: the ratio
    is measured in one run."""

    tree = baseline_tree(BASELINE)

    ours, before = [], []
    for _ in range(rounds):
        ours.append(_timed(ROOT, corpus, index, topics))
        if tree is not None:
            before.append(_timed(tree, corpus, index, topics))
    out: dict[str, Any] = {"scifact_5k_brief_p50_s": round(min(ours), 3), "baseline_commit": BASELINE}
    if before:
        out["baseline_scifact_5k_brief_p50_s"] = round(min(before), 3)
        out["brief_5k_p50_vs_baseline"] = round(min(ours) / min(before), 3)
    return out


def _met(key: str, value: Any) -> bool | None:
    """Whether a figure meets its target: at most for dangling points and time, at least otherwise."""
    if not isinstance(value, (int, float)):
        return None
    return value <= TARGETS[key] if key in ("dangling", "brief_5k_p50_vs_baseline") else value >= TARGETS[key]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.briefs", description=__doc__)
    parser.add_argument("--limit", type=int, help="only the first N topics (nothing is written)")
    limit = parser.parse_args().limit
    result = run(limit)
    result.update(timings())
    result["versions"] = judge_versions()
    result["targets"] = TARGETS
    result["targets_met"] = {k: _met(k, result.get(k)) for k in TARGETS}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "briefs.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    summary = {k: v for k, v in result.items() if k != "rows"}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
