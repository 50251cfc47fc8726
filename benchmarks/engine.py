"""The engine benchmark suite: one command, one core, every figure beside its target.

    python benchmarks/engine.py                 # full size (about 15 minutes on 2 vCPU)
    python benchmarks/engine.py --quick         # tiny sizes, a smoke run (under a minute)
    python benchmarks/engine.py --json          # one JSON object on stdout
    python benchmarks/engine.py --profile prof.txt   # also cProfile the shipped-packs path

It pins itself to one core (as `taskset -c 0`; its `hegui inspect` subprocesses inherit
the pinning, except the `--jobs` comparison, which needs both cores). Figures:

1. The shipped packs on realistic traffic (benchmarks/corpus.py: five industries, phone
   and chat, PII, a realistic violation rate), end to end through `hegui inspect` — as a
   subprocess and in process through the same Typer app — with a breakdown (parse,
   load + compile, inspect, findings to JSON), a naive baseline, live feed latency.
2. Generated 5,000- and 20,000-rule libraries (benchmarks/rulegen.py) on the same
   utterances, against the naive per-rule `re` loop.
3. Compile time of the largest library, peak memory of `hegui inspect` as the input
   grows, and the `--jobs 2` speed-up.
4. What each analysis costs per utterance (benchmarks/analyses.py): the rules, the
   semantic pack, the classifier, the sentiment findings, conversation metrics, a
   scorecard; and audio analysis per hour of audio.

In-process timings are the best of N with the garbage collector off (as `timeit`); each is
given per wall second and per CPU second of this process (the second is steadier when
other work shares the core). Subprocess timings are real runs, GC on.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import analyses
import corpus
import hegui_api as api
import measure as m
import report
import rulegen

FULL = {
    "conversations": 2000,
    "rules": [5000, 20000],
    "baseline_utterances": 1000,
    "memory": [20000, 100000],
    "repeat": 3,
}
QUICK = {
    "conversations": 40,
    "rules": [100, 300],
    "baseline_utterances": 100,
    "memory": [30, 90],
    "repeat": 1,
}


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="tiny sizes: checks the suite runs")
    p.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    p.add_argument("--conversations", type=int, help="realistic corpus size for 1 and 2")
    p.add_argument("--rules", type=lambda s: [int(x) for x in s.split(",")], help="e.g. 5000,20000")
    p.add_argument("--baseline-utterances", type=int, help="utterances the naive loops run on")
    p.add_argument("--memory", type=lambda s: [int(x) for x in s.split(",")], help="conversations")
    p.add_argument("--repeat", type=int, help="best of N")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--backend", default="auto", help="auto | hyperscan | portable")
    p.add_argument("--profile", type=Path, help="write a cProfile report of the shipped path")
    p.add_argument("--save", type=Path, help="also write the JSON object to this file")
    p.add_argument("--no-pin", action="store_true", help="do not pin to one core")
    p.add_argument("--no-analyses", action="store_true", help="skip section 4 (analysis costs)")
    p.add_argument(
        "--analyses-conversations", type=int, default=300, help="corpus prefix for section 4"
    )
    args = p.parse_args(argv)
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def naive_loop(work: list[tuple[list[Any], list[str]]]) -> int:
    """The baseline: every rule's regex on every utterance, in plain Python."""
    hits = 0
    for patterns, texts in work:
        for text in texts:
            for pattern in patterns:
                if pattern.search(text):
                    hits += 1
    return hits


def _baseline_slice(convs: list[Any], utterances: int) -> list[Any]:
    out, n = [], 0
    for conv in convs:
        if n >= utterances:
            break
        out.append(conv)
        n += len(conv.utterances)
    return out


def shipped(path: Path, convs: list[Any], args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    n = api.utterance_count(convs)
    out = tmp / "findings.jsonl"
    argv = ["inspect", str(path), "--out", str(out), "--backend", args.backend]
    runs = [m.run_child([*api.cli_command(), *argv]) for _ in range(args.repeat)]
    sub = min(runs, key=lambda r: r.wall_s)
    found = sum(1 for _ in out.open(encoding="utf-8"))
    inproc = m.best_of(args.repeat, lambda: api.cli_inprocess(argv))
    parse = m.best_of(args.repeat, lambda: api.parse(path.read_text("utf-8").splitlines()))
    engine = api.Shipped(args.backend)
    build = m.best_of(1, lambda: engine.build(convs))  # cold: what a fresh process pays
    inspect = m.best_of(args.repeat, lambda: engine.inspect(convs))
    write = m.best_of(args.repeat, lambda: api.serialise(inspect.result))
    base = _baseline_slice(convs, args.baseline_utterances)
    by_industry: dict[str, tuple[list[Any], int]] = {}
    for conv in base:
        ind = api.industry_of(conv)
        if ind not in by_industry:
            packs = [rulegen.load_yaml(f) for f in api.shipped_pack_files(ind)]
            naive = [rulegen.naive_patterns(p) for p in packs]
            by_industry[ind] = ([pt for ps, _ in naive for pt in ps], sum(s for _, s in naive))
    work = [(by_industry[api.industry_of(c)][0], [u.text for u in c.utterances]) for c in base]
    naive_t = m.best_of(args.repeat, lambda: naive_loop(work))
    base_n = api.utterance_count(base)
    feed: list[float] = []
    for conv in convs[: max(1, len(convs) // 4)]:
        feed += m.timed_feed(*engine.feed_one_by_one(conv))
    result = {
        "rules_total": sum(
            len(rulegen.load_yaml(f)["rules"]) for f in api.all_shipped_pack_files()
        ),
        "utterances": n,
        "findings": found,
        "findings_per_1k_utterances": round(1000 * found / n, 1),
        "cli_subprocess": {
            "wall_s": round(sub.wall_s, 3),
            "cpu_s": round(sub.cpu_s, 3),
            "per_s": round(n / sub.wall_s, 1),
            "per_cpu_s": round(n / sub.cpu_s, 1),
            "max_rss_mb": round(sub.max_rss_mb, 1),
        },
        "cli_inprocess": {"wall_s": round(inproc.wall_s, 3), **inproc.rate(n)},
        "parse": parse.rate(n),
        "load_and_compile_s": round(build.wall_s, 3),
        "inspect": inspect.rate(n),
        "serialise": write.rate(n),
        "naive": {
            "rules_per_industry": {k: len(v[0]) for k, v in sorted(by_industry.items())},
            "rules_not_expressible": {k: v[1] for k, v in sorted(by_industry.items())},
            "utterances": base_n,
            **naive_t.rate(base_n),
        },
        "feed": m.percentiles(feed),
        "backend": engine.backend(convs[0]),
    }
    result["ratio_inspect_vs_naive"] = round(
        result["inspect"]["per_cpu_s"] / result["naive"]["per_cpu_s"], 1
    )
    if args.profile:
        text, hotspots = m.profile(lambda: api.cli_inprocess(argv))
        args.profile.write_text(text, "utf-8")
        result["profile_hotspots"] = hotspots
    return result


def generated(n_rules: int, convs: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    pack = rulegen.generated_pack(n_rules, args.seed)
    parse = m.best_of(1, lambda: api.parse_pack(pack))
    build = m.best_of(args.repeat, lambda: api.compile_rules(parse.result, args.backend))
    library = build.result
    n = api.utterance_count(convs)
    api.library_inspect(library, convs[:50])  # warm caches (lexicon, character tables)
    run = m.best_of(args.repeat, lambda: api.library_inspect(library, convs))
    patterns, skipped = rulegen.naive_patterns(pack)
    base = _baseline_slice(convs, args.baseline_utterances)
    texts = [u.text for c in base for u in c.utterances]
    naive_t = m.best_of(args.repeat, lambda: naive_loop([(patterns, texts)]))
    feed: list[float] = []
    for conv in convs[: max(1, len(convs) // 4)]:
        feed += m.timed_feed(*api.library_session(library, conv))
    result = {
        "rules": n_rules,
        **api.library_facts(library),
        "parse_s": round(parse.wall_s, 3),
        "compile_s": round(build.wall_s, 3),
        "compile_cpu_s": round(build.cpu_s, 3),
        "utterances": n,
        "findings_per_1k_utterances": round(1000 * run.result / n, 2),
        "inspect": run.rate(n),
        "naive": {
            "utterances": len(texts),
            "rules_not_expressible": skipped,
            **naive_t.rate(len(texts)),
        },
        "feed": m.percentiles(feed),
    }
    result["ratio"] = round(result["inspect"]["per_cpu_s"] / result["naive"]["per_cpu_s"], 1)
    return result


def memory(files: dict[int, Path], stats: dict[int, Any], backend: str) -> list[dict[str, Any]]:
    rows = []
    for size, path in sorted(files.items()):
        cmd = [*api.cli_command(), "inspect", str(path), "--out", "/dev/null", "--backend", backend]
        run = m.run_child(cmd)
        n = stats[size].utterances
        rows.append(
            {
                "conversations": size,
                "utterances": n,
                "input_mb": round(stats[size].bytes / 2**20, 1),
                "max_rss_mb": round(run.max_rss_mb, 1),
                "wall_s": round(run.wall_s, 2),
                "per_s": round(n / run.wall_s, 1),
                "per_cpu_s": round(n / run.cpu_s, 1),
            }
        )
    return rows


def jobs(path: Path, size: int, tmp: Path, backend: str) -> dict[str, Any]:
    outs = {j: tmp / f"jobs{j}.jsonl" for j in (1, 2)}
    runs = {
        j: m.run_child(
            [
                *api.cli_command(),
                "inspect",
                str(path),
                "--out",
                str(out),
                "--jobs",
                str(j),
                "--backend",
                backend,
            ],
            all_cpus=True,
        )
        for j, out in outs.items()
    }
    return {
        "conversations": size,
        "jobs1_wall_s": round(runs[1].wall_s, 2),
        "jobs2_wall_s": round(runs[2].wall_s, 2),
        "jobs2_max_rss_mb": round(runs[2].max_rss_mb, 1),
        "jobs1_cpu_s": round(runs[1].cpu_s, 2),
        "jobs2_cpu_s": round(runs[2].cpu_s, 2),
        "speedup": round(runs[1].wall_s / runs[2].wall_s, 2),
        "load_avg_1m_after": m.machine("")["load_avg_1m"],
        "identical_output": filecmp.cmp(outs[1], outs[2], shallow=False),
    }


def corpora(
    tmp: Path, args: argparse.Namespace
) -> tuple[Path, Any, dict[int, Path], dict[int, Any]]:
    main_path = tmp / "corpus.jsonl"
    main_stats = corpus.write_jsonl(main_path, args.conversations, args.seed)
    largest = max(args.memory)
    big = tmp / f"calls-{largest}.jsonl"
    stats = {largest: corpus.write_jsonl(big, largest, args.seed)}
    files = {largest: big}
    for size in args.memory:  # smaller inputs: the first conversations of the largest
        if size != largest:
            files[size] = tmp / f"calls-{size}.jsonl"
            stats[size] = corpus.prefix(big, files[size], size)
    return main_path, main_stats, files, stats


def run(args: argparse.Namespace) -> dict[str, Any]:
    core = None if args.no_pin else m.pin_to_one_core()
    with tempfile.TemporaryDirectory(prefix="hegui-bench-") as name:
        tmp = Path(name)
        main_path, main_stats, files, stats = corpora(tmp, args)
        convs = api.parse(main_path.read_text("utf-8").splitlines())
        out: dict[str, Any] = {
            "corpus": {**main_stats.summary(), "sources": corpus.material().sources}
        }
        out["shipped"] = shipped(main_path, convs, args, tmp)
        out["generated"] = [generated(n, convs, args) for n in args.rules]
        out["memory"] = memory(files, stats, args.backend)
        jobs_size = sorted(args.memory)[0]
        out["jobs"] = jobs(files[jobs_size], jobs_size, tmp, args.backend)
        if not args.no_analyses:
            out["analyses"] = analyses.measure_all(
                convs[: args.analyses_conversations],
                args.repeat,
                audio_minutes=0.5 if args.quick else analyses.AUDIO_MINUTES,
            )
    out["machine"] = {**m.machine(out["shipped"]["backend"]), "pinned_core": core}
    out["targets"] = report.targets(out)
    return out


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    result = run(args)
    if args.save:
        args.save.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(report.table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
