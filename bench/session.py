"""Warm query latency at SciFact scale, and a soak of 1,000 questions through one engine.

    python -m bench.session INDEX CORPUS QUERIES.jsonl
"""

from __future__ import annotations

import json
import sys
from functools import partial
from pathlib import Path

from assistant.eval.answers import percentile
from bench.common import current_rss_mb, peak_rss_mb, rss_parts, timed

OFF_TOPIC = ["What is the best recipe for a French omelette?", "Who won the 2018 FIFA World Cup?",
             "How do I reset my home router password?", "Which planets in the solar system have rings?"]
FOLLOW_UPS = ["What else is known about it?", "Why is that?", "How was that measured?"]


def main() -> None:
    from assistant.answer.conversation import Conversation
    from assistant.answer.engine import Engine
    from assistant.settings import Settings

    index, corpus, queries_file = (Path(a) for a in sys.argv[1:4])
    engine = Engine(Settings.from_env({}, corpus_dir=corpus, index_dir=index))
    engine.warm()
    questions = [json.loads(line)["text"] for line in queries_file.read_text().splitlines() if line]
    latencies = [timed(partial(engine.ask, q))[0] * 1000 for q in questions[:200]]
    # Soak: answerable, off-topic and follow-ups in rotating conversations, as the TUI would.
    soak: list[float] = []
    rss_after_warmup = 0.0
    conversation = Conversation()
    for i in range(1000):
        if i % 10 == 0:
            conversation = Conversation()
        kind = i % 5
        if kind == 3:
            q = OFF_TOPIC[i % len(OFF_TOPIC)]
        elif kind == 4:
            q = FOLLOW_UPS[i % len(FOLLOW_UPS)]
        else:
            q = questions[i % len(questions)]
        soak.append(timed(partial(engine.ask, q, conversation))[0] * 1000)
        if i == 99:
            rss_after_warmup = current_rss_mb("RssAnon")  # a leak grows the process's own memory
    first, last = soak[100:200], soak[-100:]
    print(json.dumps({
        "chunks": len(engine.index.chunks),
        "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
        "soak_questions": len(soak),
        "soak_rss_growth_mb": round(current_rss_mb("RssAnon") - rss_after_warmup, 1),
        "soak_p95_first100_ms": round(percentile(first, 95), 1),
        "soak_p95_last100_ms": round(percentile(last, 95), 1),
        "soak_p95_drift": round(percentile(last, 95) / percentile(first, 95) - 1, 3),
        "peak_rss_mb": round(peak_rss_mb()), **rss_parts(),
    }))


if __name__ == "__main__":
    main()
