"""One table of what vpckit costs at organisation scale: read, model, build, validate, queries, batch.

For each size it writes a synthetic organisation as JSON (benchmarks/synthetic.py), then measures
in fresh processes where it matters (peak memory, start-up): reading the file (parse + model),
building the network, `validate`'s checks with the five slowest rules, query latency p50/p99
(best of three runs of each query, which filters out other processes' noise), and the batch CLI
(`vpckit reach --queries FILE --format json`) per query on top of its start-up. Prints a Markdown
table (the one in benchmarks/README.md).

    python benchmarks/scale.py --enis 1000 10000 50000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import organisation  # noqa: E402


def _child(path: str, queries: str) -> dict:
    """Runs in a fresh process: everything but the batch CLI."""
    from vpckit.checks import RULES, load_rules
    from vpckit.checks.registry import CheckContext
    from vpckit.network import build_network
    from vpckit.reach import answer, parse_query
    from vpckit.sources import load

    out = {}
    start = time.perf_counter()
    design = load(path)
    out["read_s"] = time.perf_counter() - start
    start = time.perf_counter()
    network = build_network(design)
    out["build_s"] = time.perf_counter() - start
    load_rules()
    context = CheckContext(design, network)
    timings = []
    start = time.perf_counter()
    for rule_id, rule in RULES.items():
        begin = time.perf_counter()
        list(rule.check(context))
        timings.append((time.perf_counter() - begin, rule_id))
    out["checks_s"] = time.perf_counter() - start
    out["slowest"] = [f"{rule_id} {seconds:.2f}" for seconds, rule_id in sorted(timings, reverse=True)[:5]]
    parsed = [parse_query(q) for q in json.loads(Path(queries).read_text())]
    best = []
    for query in parsed:
        runs = []
        for _ in range(3):
            begin = time.perf_counter()
            answer(network, query)
            runs.append(time.perf_counter() - begin)
        best.append(min(runs))
    best.sort()
    out["query_p50_ms"] = best[len(best) // 2] * 1000
    out["query_p99_ms"] = best[int(len(best) * 0.99)] * 1000
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _queries(design: dict, count: int) -> list[dict]:
    names = [f"{v}/{i}" for v, vpc in design["vpcs"].items() for i in vpc["instances"]]
    rng = random.Random(7)
    ends = names + ["internet", "203.0.113.10"]
    return [{"from": rng.choice(names), "to": rng.choice(ends), "protocol": "tcp",
             "port": rng.choice([22, 443, 5432, 8080])} for _ in range(count)]


def bench(enis: int, count: int, folder: Path) -> dict:
    design = organisation(enis)
    path = folder / f"org-{enis}.json"
    path.write_text(json.dumps(design))
    queries = folder / f"queries-{enis}.json"
    queries.write_text(json.dumps(_queries(design, count)))
    code = f"import json, sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import scale; " \
           f"print(json.dumps(scale._child({str(path)!r}, {str(queries)!r})))"
    result = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                       cwd=ROOT).stdout)
    vpckit = str(Path(sys.executable).with_name("vpckit"))
    batch = []
    for file in (queries, None):
        if file is None:
            one = folder / "one.json"
            one.write_text(json.dumps(_queries(design, 1)))
            file = one
        begin = time.perf_counter()
        subprocess.run([vpckit, "reach", str(path), "--queries", str(file), "-f", "json"], capture_output=True,
                       check=False)
        batch.append(time.perf_counter() - begin)
    result["batch_per_query_ms"] = (batch[0] - batch[1]) / max(1, count - 1) * 1000
    result["enis"] = enis
    result["file_mb"] = path.stat().st_size / 1e6
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enis", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args(argv)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| ENIs | file | read (parse + model) | build | validate checks | slowest rules | query p50 / p99 "
          "| batch CLI per query | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for enis in args.enis:
            r = bench(enis, args.queries, Path(folder))
            print(f"| {r['enis']:,} | {r['file_mb']:.1f} MB | {r['read_s']:.2f} s | {r['build_s']:.2f} s | "
                  f"{r['checks_s']:.2f} s | {', '.join(r['slowest'])} | {r['query_p50_ms']:.2f} / "
                  f"{r['query_p99_ms']:.2f} ms | {r['batch_per_query_ms']:.2f} ms | {r['peak_mb']:.0f} MB |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
