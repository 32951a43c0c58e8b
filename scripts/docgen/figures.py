"""Measured figures, each table from one ``bench/results`` file with the CPU that measured it.

A figure the file does not hold raises ``KeyError`` (the page is not written with a hole): the
benchmark that measures it must run first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docgen import RESULTS
from docgen.markdown import table


class Results:
    """One ``bench/results`` file: figures by path, and the CPU that measured each."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = RESULTS / name
        self.data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))

    def get(self, *path: str) -> Any:
        data: Any = self.data
        for key in path:
            if not isinstance(data, dict) or key not in data:
                raise KeyError(f"bench/results/{self.name} has no {'.'.join(path)}")
            data = data[key]
        return data

    def optional(self, *path: str) -> Any:
        """A figure a run may leave out (it needs another step's data first): None when absent."""
        try:
            return self.get(*path)
        except KeyError:
            return None

    def machine(self, *path: str) -> str:
        """The CPU of the nearest ``machine`` (or ``measured_by``) enclosing ``path``."""
        found = None
        data: Any = self.data
        for key in ("", *path):
            if key:
                data = data.get(key) if isinstance(data, dict) else None
            if isinstance(data, dict):
                found = data.get("machine") or data.get("measured_by") or found
        if not isinstance(found, dict):
            return ""
        cpu = str(found.get("cpu", "unknown CPU")).replace("(R)", "").replace(" Processor", "")
        return f"{cpu}, {found.get('cores', '?')} cores"

    def source(self, *path: str, command: str = "") -> str:
        how = f"; `{command}`" if command else ""
        commit = self.data.get("measured_by", {}).get("commit") if isinstance(self.data.get("measured_by"), dict) \
            else None
        at = f" at commit {commit}" if commit else ""
        cpu = self.machine(*path)
        where = f"Measured on {cpu}{at}" if cpu else "Quality figures; the file does not record the CPU"
        return f"*{where}; from `bench/results/{self.name}`{how}.*"


def num(value: Any, digits: int = 3) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:.{digits}f}%"


def qa_dev_block() -> str:
    r = Results("qa-dev.json")
    sets = ("covidqa", "policyqa")

    def row(label: str, fn: Callable[[str], str]) -> list[str]:
        return [label, *(fn(s) for s in sets)]

    rows = [
        row("Briefing: evidence rate", lambda s: num(r.get(s, "briefing", "evidence_rate"))),
        row("Briefing: false refusals", lambda s: f"{r.get(s, 'briefing', 'false_refusals')} "
                                                  f"({pct(r.get(s, 'briefing', 'false_refusal_rate'))})"),
        row("Briefing: median answer length (characters)", lambda s: num(r.get(s, "briefing", "median_chars"), 0)),
        row("textbook top-1 / top-3, 500-character chunks",
            lambda s: f"{num(r.get(s, 'textbook', '500_top1', 'evidence_rate'))} / "
                      f"{num(r.get(s, 'textbook', '500_top3', 'evidence_rate'))}"),
        row("textbook top-1 / top-3, 1,000-character chunks",
            lambda s: f"{num(r.get(s, 'textbook', '1000_top1', 'evidence_rate'))} / "
                      f"{num(r.get(s, 'textbook', '1000_top3', 'evidence_rate'))}"),
        row("gold in the first 1 / 3 / 10 passages retrieved",
            lambda s: " / ".join(num(r.get(s, "gold_in_passage", k)) for k in ("@1", "@3", "@10"))),
        row("gold in the first 1 / 3 sentences ranked",
            lambda s: " / ".join(num(r.get(s, "gold_in_sentence", k)) for k in ("@1", "@3"))),
        row("own unanswerable questions refused: off-topic / near-topic",
            lambda s: f"{r.get(s, 'unanswerable_refused', 'off')} / {r.get(s, 'unanswerable_refused', 'near')}"),
        row("answers whose supporting sentence shares none of the lead's subject words",
            lambda s: pct(r.get(s, "answer_quality", "off_subject_support"))),
        row("reference-list entries cited", lambda s: num(r.get(s, "answer_quality", "cited_reference_entries"))),
    ]
    headers = ["", *(f"{s}-dev ({r.get(s, 'questions')} questions)" for s in sets)]
    return table(headers, rows) + "\n\n" + r.source(command="python -m bench run qa_dev") + "\n"


def eval_seed_block() -> str:
    out = []
    for name, title in (("eval-seed.json", "seed questions"), ("eval-seed-variants.json", "seed questions rephrased")):
        r = Results(name)
        s = r.get("summary")
        hard = s["hard"]
        out.append((title, f"{s['answerable']} / {s['unanswerable']}", num(s["evidence_hit_rate"]), num(s["mrr"]),
                    num(s["refusal_rate"]), num(s["false_refusals"]), num(s["median_answer_chars"], 0),
                    num(s["citations_verbatim"]),
                    f"{num(hard['refusal_rate'])} of {hard['unanswerable']}" if hard["cases"] else "—"))
    head = ["set", "answerable / unanswerable", "evidence hit rate", "MRR", "off-topic refused", "false refusals",
            "median answer (characters)", "citations verbatim", "near-topic refused"]
    seed = Results("eval-seed.json")
    cal = seed.get("summary", "calibration")
    note = (f"Relevance floor {seed.get('summary', 'refusal_threshold')}: the least confident answerable question "
            f"scored {num(cal['answerable_min'])}, the most confident off-topic one {num(cal['unanswerable_max'])}.")
    return (table(head, out) + "\n\n" + note + "\n\n*Quality figures (no timings); the eval reports do not record "
            "the CPU. From `bench/results/eval-seed.json` and `eval-seed-variants.json`; "
            "`python -m bench run golden`.*\n")


def eval_briefs_block() -> str:
    r = Results("eval-briefs.json")
    s = r.get("briefs", "summary")
    rows = [("cases passed", f"{s['passed']} of {s['cases']}"), ("fact recall", num(s["fact_recall"])),
            ("date recall", num(s["date_recall"])), ("topics not covered, refused", num(s["not_covered_rate"])),
            ("near topics refused or warned", num(s["near_topic_rate"])),
            ("actor kinds right", num(s["actor_kind_accuracy"])), ("key points leaning on a sentence not shown",
                                                                   num(s["dangling"])),
            ("spans read back verbatim", num(s["citations_verbatim"]))]
    return (table(["seed brief cases (`tests/golden/briefs.yaml`)", "value"], rows)
            + "\n\n*Quality figures; from `bench/results/eval-briefs.json` (`python -m bench run golden`).*\n")


def robustness_block() -> str:
    r = Results("robustness.json")
    variants = ("original", "british", "instruction", "reordered")
    rows = []
    for name in ("seed", "covidqa", "policyqa"):
        cells = []
        for v in variants:
            row = r.get(name, v)
            changed = "" if v == "original" else f" ({row['changed']} changed)" if v == "british" else ""
            cells.append(f"{num(row['evidence_rate'])} / {row['false_refusals']}{changed}")
        rows.append((f"{name} ({r.get(name, 'original', 'cases')} questions)", *cells))
    headers = ["set", "as written", "British spelling", "an instruction", "reordered"]
    return (table(headers, rows) + "\n\nEach cell: evidence rate / false refusals.\n\n"
            + r.source(command="python -m bench run robustness") + "\n")


def scifact_block() -> str:
    r = Results("scifact.json")
    rows = []
    for run in ("bm25", "dense", "hybrid"):
        rows.append((run, f"{num(r.get(run, 'ndcg@10'), 4)} / {num(r.get(run, 'recall@100'), 3)}",
                     f"{num(r.get('paragraph_layout', run, 'ndcg@10'), 4)} / "
                     f"{num(r.get('paragraph_layout', run, 'recall@100'), 3)}"))
    build = r.get("build")
    note = (f"{num(r.get('documents'))} documents, {num(r.get('queries'))} test claims; the build embedded "
            f"{num(build['texts_embedded'])} texts for {num(build['chunks_embedded'])} passages.")
    return (table(["run", "title, then text: nDCG@10 / Recall@100", "title, blank line, text"], rows)
            + f"\n\n{note}\n\n" + r.source(command="python -m bench run scifact") + "\n")


def fusion_block() -> str:
    r = Results("fusion_sweep.json")
    rows = [(name, num(v["ndcg@10"], 4), num(v["recall@100"], 3)) for name, v in r.data.items()]
    return (table(["fusion", "nDCG@10", "Recall@100"], rows)
            + "\n\n*Quality figures on SciFact's test claims (no timings); from `bench/results/fusion_sweep.json` "
              "(`python -m bench.fusion_sweep`).*\n")


def realdocs_block() -> str:
    r = Results("realdocs.json")
    b = r.get("briefing")
    t = r.get("textbook")
    q = r.get("questions")
    rows = [("evidence cited (answerable)", f"{b['evidence_cited']} ({num(b['evidence_rate'])})",
             f"top-1 {num(t['evidence_top1'])}, top-3 {num(t['evidence_top3'])}"),
            ("false refusals", num(b["false_refusals"]), "— (never refuses)"),
            ("off-topic / near-topic refused", f"{b['off_topic_refused']} / {b['near_topic_refused']}", "—"),
            ("evidence still in the extracted text / retrieved in the first 10",
             f"{b['evidence_extracted']} / {b['evidence_retrieved_at_10']}", "—"),
            ("spans read back verbatim", num(b["citations_verbatim"]), "—")]
    lost = ", ".join(f"{reason}: {len(items)}" for reason, items in b["lost"].items())
    return (table(["", "Briefing", "textbook pipeline"], rows)
            + f"\n\n{num(r.get('documents'))} documents; {q['answerable']} answerable, {q['off_topic']} off-topic and "
              f"{q['near_topic']} near-topic questions. Where answerable questions were lost: {lost}.\n\n"
            + r.source(command="python -m bench run realdocs") + "\n")


def _measured(value: Any) -> str:
    return "not measured (run the scifact step first)" if value is None else num(value)


def briefs_block() -> str:
    r = Results("briefs.json")
    now, before = r.get("versions", "now"), r.get("versions", "before")
    rows = [
        ("facts carried vs the textbook at equal length",
         f"{num(r.get('ratio'), 2)}× ({pct(r.get('brief_fact_rate'), 2)} vs {pct(r.get('textbook_fact_rate'), 2)})",
         "—"),
        ("key-point and timeline spans from the topic's own article", num(now["on_topic_share"]),
         num(before["on_topic_share"])),
        ("actor kinds right (labelled list)", f"{num(now['actors_covidqa']['accuracy'])} "
                                              f"({now['actors_covidqa']['shown']} shown)",
         f"{num(before['actors_covidqa']['accuracy'])} ({before['actors_covidqa']['shown']} shown)"),
        ("key points leaning on a sentence not shown", num(now["dangling_covidqa"]), num(before["dangling_covidqa"])),
        ("near topics refused or warned", num(now["near_topic_rate_covidqa"]), num(before["near_topic_rate_covidqa"])),
        ("free-form topics: facts carried", num(r.get("free_form_fact_recall")), "—"),
        ("warm brief p50, 5,183 SciFact documents (s)", _measured(r.optional("scifact_5k_brief_p50_s")),
         _measured(r.optional("baseline_scifact_5k_brief_p50_s"))),
        ("warm brief p50, seed corpus (s)", num(r.get("seed_brief_p50_s")), "—"),
    ]
    head = [f"covidqa-dev, {r.get('topics')} title topics", "now",
            f"before issue 28 (commit {r.get('baseline_commit')})"]
    return table(head, rows) + "\n\n" + r.source(command="python -m bench run briefs") + "\n"


def formats_block() -> str:
    r = Results("formats.json")
    ocr, mixed, mbox = r.get("ocr"), r.get("mixed_build"), r.get("mbox_10k")
    rows = [
        (f"OCR of {ocr['pages']} scanned pages ({ocr['page_pixels']}): pages per second, 1 worker / 2",
         f"{num(ocr['pages_per_s_1_workers'], 2)} / {num(ocr['pages_per_s_2_workers'], 2)}"),
        ("OCR character error rate (mean word confidence)", f"{pct(ocr['cer'], 2)} ({ocr['mean_confidence']})"),
        (f"build of {mixed['all_formats']['files']} mixed files ({mixed['all_formats']['documents']} documents, "
         f"{num(mixed['all_formats']['chunks'])} chunks)", f"{mixed['all_formats']['seconds']} s"),
        (f"the same folder's {mixed['old_formats_only']['files']} files in text, Markdown, HTML, PDF and Word "
         f"({num(mixed['old_formats_only']['chunks'])} chunks)", f"{mixed['old_formats_only']['seconds']} s"),
        (f"one mbox of {num(mbox['messages'])} messages ({mbox['mbox_mb']} MB): first build / one message appended",
         f"{mbox['first_build']['seconds']} s ({num(mbox['first_build']['texts_embedded'])} texts embedded) / "
         f"{mbox['one_appended']['seconds']} s ({num(mbox['one_appended']['texts_embedded'])})"),
    ]
    return table(["figure", "value"], rows) + "\n\n" + r.source(command="python -m bench run formats") + "\n"


def serve_block() -> str:
    r = Results("step-serve.json")
    res = r.get("result")
    rows = [("in-process `Engine.ask`, the same questions", "—", f"{res['in_process']['p50_ms']} ms",
             f"{res['in_process']['p95_ms']} ms")]
    for level in res["http"]:
        rows.append((f"HTTP, {level['clients']} client{'s' if level['clients'] > 1 else ''}",
                     num(level["requests_per_s"], 1), f"{level['p50_ms']} ms", f"{level['p95_ms']} ms"))
    rebuild, watch = res["under_rebuild"], res["watch"]
    note = (f"{num(rebuild['requests'])} requests from {rebuild['clients']} clients while a build published a new "
            f"generation: {rebuild['errors']} errors. Watch mode: a new file's last write to the first answer citing "
            f"it, median {watch['write_to_answer_median_s']} s; copying 1,000 files at once caused "
            f"{watch['copy_1000_builds']} build, all indexed {watch['copy_1000_indexed_s']} s after the copy.")
    return (table(["", "requests/s", "p50", "p95"], rows) + f"\n\n{note}\n\n"
            + r.source(command="python -m bench run serve") + "\n")


@dataclass(frozen=True)
class Figure:
    """A performance figure of ``bench.json``: where it is and the target it is held to."""

    label: str
    path: tuple[str, ...]
    target: str = ""
    unit: str = ""


PERFORMANCE = [
    Figure("build throughput, default, × the textbook pipeline", ("throughput", "default", "ratio"), "build_ratio",
           "×"),
    Figure("`ask` p50 at 5k documents", ("session_5k", "p50_ms"), "p50_5k", " ms"),
    Figure("`ask` p95 at 5k documents", ("session_5k", "p95_ms"), "", " ms"),
    Figure("`ask` p50 at 100k passages (HNSW, memory-mapped)", ("scale_query", "p50_ms"), "p50_100k", " ms"),
    Figure("`ask` p95 at 100k passages", ("scale_query", "p95_ms"), "", " ms"),
    Figure("HNSW recall@10 against exact search, 100k", ("scale_query", "hnsw_recall@10"), "ivf_recall"),
    Figure("cold `briefing ask`, 5k documents", ("cold_start", "ask_s"), "ask_cold", " s"),
    Figure("cold `briefing index status`, 5k files", ("cold_start", "status_s"), "status_cold", " s"),
    Figure("TUI first paint", ("cold_start", "tui_first_paint_s"), "first_paint", " s"),
    Figure("idle TUI: CPU share of a core over 30 s", ("idle", "idle_cpu_share"), "idle_cpu"),
    Figure("`ask` p50 during a TUI rebuild / idle", ("idle", "ratio"), "rebuild_ratio", "×"),
    Figure("one document added to the 5k index: build", ("incremental", "build_s"), "", " s"),
    Figure("peak RSS, 100k build", ("scale_build", "build_peak_rss_mb"), "peak_rss", " MB"),
    Figure("peak RSS, 100k query session (with mapped index pages)", ("scale_query", "query_peak_rss_mb"), "peak_rss",
           " MB"),
    Figure("query session's own memory (RssAnon), 17k passages", ("session_5k", "rss_anon_mb"), "own_rss", " MB"),
    Figure("query session's own memory (RssAnon), 100k passages", ("scale_query", "query_rss_anon_mb"), "own_rss",
           " MB"),
    Figure("soak, 1,000 questions: own-memory growth", ("session_5k", "soak_rss_growth_mb"), "soak_rss", " MB"),
    Figure("soak, 1,000 questions: p95 drift", ("session_5k", "soak_p95_drift"), "soak_drift"),
    Figure("Ray build, 1 replica against a 1-thread local build: overhead",
           ("ray_overhead", "overhead_1_worker_vs_local_1_thread"), "ray_overhead"),
    Figure("Ray build, 2 replicas against a 2-thread local build: overhead",
           ("ray_overhead", "overhead_2_workers_vs_local_2_threads")),
    Figure("`index build --ray`: fixed cost of the driver process", ("ray_overhead", "cli_fixed_cost_s"), "", " s"),
    Figure("IVF-PQ recall@10 on SciFact's real vectors", ("ivfpq_real", "ivfpq", "recall@10_sentence_queries"),
           "ivf_recall"),
    Figure("IVF-PQ recall@10, 10M synthetic vectors, re-scored / codes only", ("ivfpq", "rescored", "recall@10"),
           "ivf_recall"),
]


def performance_block() -> str:
    from bench.run import TARGETS

    r = Results("bench.json")
    rows = []
    for f in PERFORMANCE:
        value = r.get(*f.path)
        shown = f"{value:,}{f.unit}" if isinstance(value, (int, float)) else f"{value}{f.unit}"
        if f.path == ("ivfpq", "rescored", "recall@10"):
            shown += f" / {num(r.get('ivfpq', 'codes_only', 'recall@10'))}"
        target, met = "—", "—"
        if f.target:
            text, ok = TARGETS[f.target]
            target, met = text, ("—" if text.startswith("reported") else "yes" if ok(value) else "no")
        rows.append((f.label, shown, target, met, r.machine(*f.path) or "not recorded"))
    return (table(["figure", "measured", "target", "met", "CPU"], rows)
            + "\n\n*From `bench/results/bench.json` (`make bench`, or `python -m bench run STEP` for one step); "
              "the CPU is the step's own where it recorded one, else the file's.*\n")


def candidates_block() -> str:
    r = Results("candidates.json")
    speed = Results("bench.json")
    rows = []
    for name, c in r.data.items():
        if name == "machine":
            continue
        settings = ", ".join(f"{k}={v}" for k, v in c["settings"].items()) or "the default"
        rows.append((f"`{name}` ({settings})", f"{speed.get('throughput', name, 'ratio')}×",
                     f"{num(c['covidqa']['latency_p50_ms'], 1)} ms",
                     num(c["seed"]["evidence_rate"]), num(c["covidqa"]["evidence_rate"]),
                     num(c["policyqa"]["evidence_rate"]), num(c["scifact"]["hybrid"], 4)))
    head = ["configuration", "build, × the textbook", "`ask` p50, covidqa-dev", "seed evidence", "covidqa-dev",
            "policyqa-dev", "SciFact hybrid nDCG@10"]
    return (table(head, rows) + "\n\n" + r.source(command="python -m bench run candidates")
            + f" The build ratios are the `throughput` step's, from `bench/results/bench.json` "
              f"({speed.machine('throughput')}). The quality figures were measured before later answer rules; "
              "the current dev-set figures are in [answers.md](answers.md#quality-on-public-dev-sets).\n")


def ivfpq_block() -> str:
    real, synthetic = Results("bench.json"), Results("ivfpq-10m.json")
    q = real.get("ivfpq_real")
    s = synthetic.data
    rows = [
        (f"{q['ivfpq']['index']} on SciFact's real vectors ({num(q['ivfpq']['passages'])} passages)",
         num(q["ivfpq"]["recall@10_sentence_queries"]),
         f"hybrid nDCG@10 {q['ndcg@10']['hybrid']['ivfpq']} (exact {q['ndcg@10']['hybrid']['exact']}); dense "
         f"{q['ndcg@10']['dense']['ivfpq']} (exact {q['ndcg@10']['dense']['exact']})", "—", real.machine("ivfpq_real")),
        (f"{s['index']}, {num(s['vectors'])} synthetic vectors, re-scored", num(s["rescored"]["recall@10"]), "—",
         f"{s['rescored']['p50_ms']} ms (p95 {s['rescored']['p95_ms']} ms)", synthetic.machine()),
        ("the same, codes only (no re-scoring)", num(s["codes_only"]["recall@10"]), "—",
         f"{s['codes_only']['p50_ms']} ms", synthetic.machine()),
    ]
    note = (f"The 10M run: training {s['train_s']} s, filling the index and writing the vectors "
            f"{s['add_and_write_s']} s, "
            f"an index of {num(s['index_mb_on_disk'])} MB on disk beside {num(s['vectors_mb_on_disk'])} MB of vectors, "
            f"build peak RSS {num(s['build_peak_rss_mb'])} MB ({s['note']}). The synthetic set is deliberately hard: "
            "its true ten nearest are decided by noise, while each real build reports its own recall.")
    return (table(["tier", "recall@10 vs exact", "quality", "p50 per dense search", "CPU"], rows) + f"\n\n{note}\n\n"
            "*From `bench/results/bench.json` (`python -m bench run ivfpq_real`) and "
            "`bench/results/ivfpq-10m.json` (`python -m bench run ivfpq`).*\n")


def learned_block() -> str:
    r = Results("learned.json")
    rows = [(split["tested_on"], num(split["questions"]), num(split["product"]), num(split["linear"]),
             num(split["trees"])) for split in r.get("splits")]
    return (table(["tested on", "questions", "hand-set weights", "linear model", "gradient-boosted trees"], rows)
            + f"\n\nEvidence rate on questions the model did not see; {len(r.get('features'))} sentence features.\n\n"
            + r.source() + " The script, since removed: `git show d39879d:bench/experiments/learned.py`.\n")
