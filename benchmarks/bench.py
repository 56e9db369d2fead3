"""ptkb benchmark: `make bench`. Prints every figure, then one summary line per figure.

Ratios are taken inside one run (the machines are shared and noisy); medians of repeated rounds.
"""
from __future__ import annotations

import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import case_from_mapping, consult, consult_with, rule_by_id  # noqa: E402
from engine.case import Case  # noqa: E402
from engine.stock import stock_engine  # noqa: E402
from explain import derivation_graph, to_dot, why  # noqa: E402
from kb import PosteriorThighKB  # noqa: E402
from kb.rulebook import Findings  # noqa: E402

SUMMARY: dict[str, str] = {}


def timed(func, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


def p90(values):
    return sorted(values)[int(0.9 * (len(values) - 1))]


def scenario_documents():
    import yaml
    docs = []
    for path in sorted((ROOT / "scenarios").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        docs.append({key: data[key] for key in ("id", "red_flag_screen", "findings") if key in data})
    return docs


def bench_consultation(docs, rounds=15):
    cases = [case_from_mapping(d) for d in docs]
    stock = stock_engine(PosteriorThighKB)

    def ptkb_all():
        for doc in docs:
            consult(case_from_mapping(doc))  # validation, run, trace, result records

    def stock_all():
        for case in cases:
            stock.reset()
            stock.declare(Findings(**dict(case.findings)))
            stock.run()

    ptkb_all(), stock_all()  # warm up: engines built, caches filled
    per_case = len(docs)
    ptkb_times, stock_times = [], []
    for _ in range(rounds):  # interleaved, so both see the same machine load
        ptkb_times += timed(ptkb_all, 1)
        stock_times += timed(stock_all, 1)
    ptkb_ms = [1000 * t / per_case for t in ptkb_times]
    stock_ms = [1000 * t / per_case for t in stock_times]
    latency = []
    for doc in docs:
        latency += timed(lambda: consult(case_from_mapping(doc)), 5)
    latency_ms = [1000 * t for t in latency]
    print(f"consultation ({len(docs)} scenarios, one engine reused with reset):")
    print(f"  ptkb consult (validate + run + trace + records): median {statistics.median(latency_ms):.3f} ms, "
          f"p90 {p90(latency_ms):.3f} ms per consultation")
    print(f"  ptkb: {statistics.median(ptkb_ms):.3f} ms/consultation, "
          f"{1000 / statistics.median(ptkb_ms):.0f} consultations/s")
    print(f"  stock experta (stock matcher and strategy, no trace): {statistics.median(stock_ms):.3f} ms, "
          f"{1000 / statistics.median(stock_ms):.0f} consultations/s")
    ratio = statistics.median(ptkb_ms) / statistics.median(stock_ms)
    print(f"  overhead_ratio (ptkb / stock): {ratio:.3f}  (target <= 0.70)")
    SUMMARY["overhead_ratio"] = f"{ratio:.3f}"
    SUMMARY["latency_median_ms"] = f"{statistics.median(latency_ms):.3f}"
    SUMMARY["latency_p90_ms"] = f"{p90(latency_ms):.3f}"
    SUMMARY["throughput_per_s"] = f"{1000 / statistics.median(ptkb_ms):.0f}"
    return statistics.median(ptkb_ms)


def bench_explanations(docs, consult_ms, rounds=5):
    rules = rule_by_id()
    results = [consult(case_from_mapping(d)) for d in docs]

    def all_whys():
        for result in results:
            graph = derivation_graph(result, rules)
            for conclusion in result.conclusions:
                why(result, conclusion.id, rules, graph)

    def all_dots():
        for result in results:
            to_dot(derivation_graph(result, rules))

    why_ms = 1000 * statistics.median(timed(all_whys, rounds)) / len(results)
    dot_ms = 1000 * statistics.median(timed(all_dots, rounds)) / len(results)
    print("explanations (per consultation):")
    print(f"  why for every conclusion: {why_ms:.2f} ms = {why_ms / consult_ms:.1f}x a consultation")
    print(f"  DOT of the derivation graph: {dot_ms:.2f} ms = {dot_ms / consult_ms:.1f}x a consultation")
    SUMMARY["why_ratio"] = f"{why_ms / consult_ms:.2f}"
    SUMMARY["dot_ratio"] = f"{dot_ms / consult_ms:.2f}"


def bench_cold_start(rounds=7):
    """Whole-process wall time. An installed program starts from its bytecode caches, so the figure
    (cold_start_s) is taken with them: written by one untimed run, whatever PYTHONDONTWRITEBYTECODE
    says in this shell. The same command compiling every module each time (an empty cache prefix,
    nothing written) is printed beside it."""
    case = ROOT / "scenarios/hamstring/case-study-hamstring-strain.yaml"
    ptkb = shutil.which("ptkb") or str(Path(sys.executable).parent / "ptkb")
    consult_json = [ptkb, "consult", str(case), "--format", "json"]
    experta_name = "python -c 'import experta'"
    cached = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    subprocess.run(consult_json, capture_output=True, check=True, env=cached)
    with tempfile.TemporaryDirectory() as empty:
        uncached = {**cached, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": empty}
        commands = {"ptkb consult --format json": (consult_json, cached),
                    "the same, no bytecode caches at all (stdlib included)": (consult_json, uncached),
                    experta_name: ([sys.executable, "-c", "import experta"], cached),
                    "python -c 'pass'": ([sys.executable, "-c", "pass"], cached)}
        print("cold start (whole process, wall time; with bytecode caches, as installed):")
        medians = {}
        for name, (command, env) in commands.items():
            times = timed(lambda: subprocess.run(command, capture_output=True, check=True, env=env), rounds)
            medians[name] = statistics.median(times)
            print(f"  {name}: median {medians[name]:.3f} s  (target <= 0.25 s)"
                  if name.startswith("ptkb") else f"  {name}: median {medians[name]:.3f} s")
    SUMMARY["cold_start_s"] = f"{medians['ptkb consult --format json']:.3f}"
    SUMMARY["cold_start_uncompiled_s"] = f"{medians['the same, no bytecode caches at all (stdlib included)']:.3f}"
    SUMMARY["import_experta_s"] = f"{medians[experta_name]:.3f}"


def bench_regress(copies=12):
    from ptkb.regression import run_suite
    work = Path(tempfile.mkdtemp(prefix="ptkb-bench-"))
    try:
        sources = sorted((ROOT / "scenarios").rglob("*.yaml"))
        for i in range(copies):
            for path in sources:
                text = path.read_text(encoding="utf-8").replace("id: ", f"id: c{i}-", 1)
                (work / f"{i}-{path.name}").write_text(text, encoding="utf-8")
        total = copies * len(sources)
        run_suite([work], jobs=1)  # warm: engine built in this process before workers fork
        times = {}
        for jobs in (1, 2):
            times[jobs] = statistics.median(timed(lambda: run_suite([work], jobs=jobs), 3))
        print(f"regress ({total} scenario runs: the suite x{copies}):")
        for jobs, seconds in times.items():
            print(f"  --jobs {jobs}: {seconds:.2f} s, {total / seconds:.0f} consultations/s")
        speedup = times[1] / times[2]
        print(f"  speed-up --jobs 2 vs --jobs 1: {speedup:.2f}x on {os.cpu_count()} cores (target >= 1.7x)")
        SUMMARY["throughput_per_core"] = f"{total / times[1]:.0f}"
        SUMMARY["jobs_speedup"] = f"{speedup:.2f}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------- scaling

def synthetic_kb(scale: int, busy: int, seed: int = 7):
    """A knowledge base shaped like ptkb's -- 40 findings and 120 rules (clue, hypothesis and
    management layers, with NOT guards) at 1x -- made of `scale` renamed copies of one seeded
    template, and 30 cases declaring 25 findings in each of the first `busy` copies. With
    busy == scale every copy does the same work, so the work itself grows linearly; with busy == 1
    every size runs the same consultation and only the rules it never reaches are added."""
    from experta import KnowledgeEngine

    from kb import vocabulary as v
    from kb.conditions import Has, Is, Lacks, Layer, NoneOfKind, RuleMeta
    from kb.rulebook import compile_rule
    rnd = random.Random(seed)
    template, n = [], 40
    for i in range(n):
        template.append((Layer.CLUE, v.Kind.CLUE, [("is", rnd.randrange(n), True), ("is", rnd.randrange(n), rnd.random() < .5)], f"c{i}"))
    for i in range(n):
        a, b = rnd.sample(range(n), 2)
        template.append((Layer.HYPOTHESIS, v.Kind.HYPOTHESIS, [("has", f"c{a}"), ("lacks", f"c{b}")], f"h{i}"))
    for i in range(n):
        template.append((Layer.MANAGEMENT, v.Kind.TREATMENT_PRINCIPLE, [("has", f"h{rnd.randrange(n)}"), ("guard",)], f"t{i}"))
    choices = [[(f, rnd.random() < .6) for f in rnd.sample(range(n), 25)] for _ in range(30)]

    metas, findings = [], {}
    def fid(copy, i):
        name = f"syn_f{copy}_{i}"
        findings[name] = v.FindingDef(name, "bool", "synthetic")
        return name

    def cid(copy, name):
        return f"syn_{name}_{copy}"

    for copy in range(scale):
        for layer, kind, conds, then in template:
            when = []
            for cond in conds:
                if cond[0] == "is":
                    when.append(Is(fid(copy, cond[1]), cond[2]))
                elif cond[0] == "has":
                    when.append(Has(cid(copy, cond[1])))
                elif cond[0] == "lacks":
                    when.append(Lacks(cid(copy, cond[1])))
                else:
                    when.append(NoneOfKind("red_flag"))
            concluded = cid(copy, then)
            v.CONCLUSIONS.setdefault(concluded, v.ConclusionDef(concluded, kind, "synthetic"))
            rid = f"S{copy}-{len(metas) % 1000:03d}"
            metas.append(RuleMeta(rid, f"r_{copy}_{len(metas)}", "synthetic", layer, "Synthetic.",
                                  "Synthetic.\n\nWhen: x.\nThen: y.", ("sapiens2022",), "expert", tuple(when),
                                  (concluded,)))
    v.FINDINGS.update(findings)  # benchmark-only ids, so that the records can name them
    kb_class = type(f"Synthetic{scale}", (KnowledgeEngine,), {m.method: compile_rule(m) for m in metas})
    cases = [Case(id=f"syn-{k}", findings=tuple(sorted((f"syn_f{copy}_{f}", value) for copy in range(busy)
                                                       for f, value in chosen)))
             for k, chosen in enumerate(choices)]
    return kb_class, cases


def scaling_point(scale: int, busy: int, rounds: int = 15, stock_rounds: int = 5) -> tuple[float, float, float]:
    """(ptkb ms, stock ms, mean firings) per consultation on the synthetic KB, in this process."""
    kb_class, cases = synthetic_kb(scale, busy)
    for case in cases:
        consult_with(kb_class, case)
    firings = statistics.mean(len(consult_with(kb_class, c).firings) for c in cases)
    ms = 1000 * statistics.median(timed(lambda: [consult_with(kb_class, c) for c in cases], rounds)) / len(cases)
    stock = stock_engine(kb_class)

    def run_stock():
        for c in cases:
            stock.reset()
            stock.declare(Findings(**dict(c.findings)))
            stock.run()
    run_stock()
    stock_ms = 1000 * statistics.median(timed(run_stock, stock_rounds)) / len(cases)
    return ms, stock_ms, firings


SCALES = (1, 2, 4)


def scaling_series(busy_all: bool, processes: int = 3) -> tuple[float, float]:
    """Time at 1x, 2x, 4x and the fitted exponents (ptkb, stock). Every point is measured in fresh
    processes (a shared heap would slow the later sizes down), several per size, interleaved across
    sizes so that a slow spell of the machine hits every size alike; the median process counts."""
    runs = {scale: [] for scale in SCALES}
    for _ in range(processes):
        for scale in SCALES:
            busy = scale if busy_all else 1
            done = subprocess.run([sys.executable, __file__, "--scaling-point", str(scale), str(busy)],
                                  capture_output=True, text=True, check=True)
            runs[scale].append(tuple(map(float, done.stdout.split())))
    points = []
    for scale in SCALES:
        ms = statistics.median(r[0] for r in runs[scale])
        stock_ms = statistics.median(r[1] for r in runs[scale])
        points.append((120 * scale, ms, stock_ms))
        print(f"  {scale}x: {120 * scale} rules, {40 * scale} findings, {runs[scale][0][2]:.0f} firings: "
              f"ptkb {ms:.3f} ms, stock {stock_ms:.3f} ms per consultation")
    xs = [math.log(p[0]) for p in points]
    return _slope(xs, [math.log(p[1]) for p in points]), _slope(xs, [math.log(p[2]) for p in points])


def bench_scaling():
    """The issue's shape -- 40 findings, 120 rules, 25 findings declared, ~15 firings a consultation --
    at 1x, 2x and 4x the rules and findings. The target series keeps the consultation (25 findings
    declared, 15 firings) and multiplies the knowledge base around it; the second series also
    multiplies the case, so that its work, and the ideal time, grow exactly linearly."""
    print("scaling (synthetic KB of ptkb's shape: 40 findings and 120 rules at 1x; 25 findings declared):")
    print(" same consultation, larger knowledge base (the 25 findings of the first copy at every size):")
    exponent, stock_exponent = scaling_series(busy_all=False)
    print(f"  fitted exponent (time ~ rules^k): ptkb k = {exponent:.2f} (target <= 1.0), stock k = {stock_exponent:.2f}")
    print(" case grows with the knowledge base (25 findings declared in every copy; ideal k = 1.0 exactly):")
    busy, stock_busy = scaling_series(busy_all=True)
    print(f"  fitted exponent (time ~ rules^k): ptkb k = {busy:.2f}, stock k = {stock_busy:.2f}")
    SUMMARY["scaling_exponent"] = f"{exponent:.2f}"
    SUMMARY["stock_scaling_exponent"] = f"{stock_exponent:.2f}"
    SUMMARY["scaling_exponent_busy"] = f"{busy:.2f}"
    SUMMARY["stock_scaling_exponent_busy"] = f"{stock_busy:.2f}"


def _slope(xs, ys):
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def bench_evaluator(docs, rounds=15):
    """The compiled evaluator vs ptkb's experta path (consult_with, conclusions only), same
    scenarios, interleaved rounds; and the whole mutation sweep on 2 processes."""
    from engine import catalogue, consult_with
    from engine.evaluator import compile_rules
    from ptkb.mutate import _candidates, run_mutations
    cases = [case_from_mapping(d) for d in docs]
    findings = [dict(c.findings) for c in cases]
    evaluate = compile_rules(catalogue())

    def experta_all():
        for case in cases:
            consult_with(PosteriorThighKB, case).ids()

    def evaluator_all():
        for f in findings:
            evaluate(f)

    experta_all(), evaluator_all()
    experta_t, evaluator_t = [], []
    for _ in range(rounds):
        experta_t += timed(experta_all, 1)
        evaluator_t += timed(evaluator_all, 1)
    speedup = statistics.median(experta_t) / statistics.median(evaluator_t)
    print("compiled evaluator (same scenarios, conclusions only):")
    print(f"  experta path {1000 * statistics.median(experta_t) / len(cases):.3f} ms, evaluator "
          f"{1e6 * statistics.median(evaluator_t) / len(cases):.1f} us per case; eval_speedup {speedup:.0f}x "
          "(target >= 50x)")
    start = time.perf_counter()
    report = run_mutations([ROOT / "scenarios"], len(_candidates(catalogue())), seed=0, jobs=2)
    sweep = time.perf_counter() - start
    print(f"  mutation sweep, all {report.total} mutants on 2 processes: {sweep:.2f} s (target <= 15 s), "
          f"kill ratio {100 * report.kill_ratio:.1f}%, {report.fallbacks} run on experta")
    SUMMARY["eval_speedup"] = f"{speedup:.0f}"
    SUMMARY["mutation_sweep_s"] = f"{sweep:.2f}"
    SUMMARY["mutation_kill_ratio_pct"] = f"{100 * report.kill_ratio:.1f}"


def bench_verify():
    """The whole-KB verification (invariants, witnesses, per-rule redundancy) on 2 processes, in a
    fresh process (model construction included)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ptkb.cli", "verify", "--jobs", "2"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    print("verify (ptkb verify --jobs 2, whole KB, fresh process):")
    print(f"  {seconds:.2f} s, exit {done.returncode}  (target <= 60 s)")
    print("  " + "\n  ".join(done.stdout.strip().splitlines()[-3:]))
    SUMMARY["verify_s"] = f"{seconds:.2f}"


def bench_serve():
    from serve_load import report, run_load  # beside this script
    figures = run_load(users=20, seconds=30)
    report(figures)
    SUMMARY["serve_p95_ms"] = round(figures["p95_ms"], 1)
    SUMMARY["serve_errors"] = figures["errors"]
    SUMMARY["serve_rss_start_end_mb"] = f"{figures['rss_start_mb']:.1f}/{figures['rss_end_mb']:.1f}"


def main():
    print(f"ptkb benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    from engine.runner import quiet_collector
    with quiet_collector():  # as the CLI does: a program of many consultations
        run_all()


def run_all():
    docs = scenario_documents()
    consult_ms = bench_consultation(docs)
    bench_explanations(docs, consult_ms)
    bench_evaluator(docs)
    bench_cold_start()
    bench_regress()
    bench_scaling()
    bench_verify()
    bench_serve()
    print("\nsummary")
    for name, value in SUMMARY.items():
        print(f"{name} {value}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--scaling-point"]:
        from engine.runner import quiet_collector
        with quiet_collector():  # each point is a program of many consultations, as the CLI is
            print(*scaling_point(int(sys.argv[2]), int(sys.argv[3])))
    else:
        main()
