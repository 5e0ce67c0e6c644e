"""How fast `ports` answers one pair, and how that compares with asking `reach` port by port.

For each bundled design and a synthetic organisation (benchmarks/synthetic.py), it times `ports`
over every pair of a sample of endpoints (after the network is built), per protocol group, and for
one pair per input it asks `reach` for every TCP port 0-65535 one at a time (the way a user without
`ports` would), reporting the ratio.

    python benchmarks/ports_bench.py                 # bundled designs + a 10k-ENI organisation
    python benchmarks/ports_bench.py --enis 1000 --no-exhaustive
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import organisation  # noqa: E402

from vpckit.flows import ports  # noqa: E402
from vpckit.model import Design  # noqa: E402
from vpckit.model.types import PortRange  # noqa: E402
from vpckit.network import build_network  # noqa: E402
from vpckit.network.build import Network  # noqa: E402
from vpckit.reach.engine import answer  # noqa: E402
from vpckit.reach.query import Query  # noqa: E402
from vpckit.sources import load  # noqa: E402


def _pairs(network: Network, limit: int) -> list[tuple[str, str]]:
    nodes = sorted(n for n, i in network.interfaces.items() if i.owner_kind in ("instance", "rds"))
    step = max(1, len(nodes) // limit)
    sample = ["internet", *nodes[::step][:limit]]
    return [(a, b) for a in sample for b in sample if a != b and b != "internet"]


def _best(function, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return min(runs)


def bench_network(name: str, network: Network, limit: int, exhaustive: bool) -> dict:
    pairs = _pairs(network, limit)
    times, walks, rows = [], [], []
    for source, destination in pairs:
        times.append(_best(lambda: ports(network, source, destination)))
        result = ports(network, source, destination)
        walks.append(result.walks)
        rows.append(len(result.flows))
    per_protocol = {}
    source, destination = pairs[len(pairs) // 2]
    for protocol in ("tcp", "udp", "icmp", "other"):
        per_protocol[protocol] = _best(lambda: ports(network, source, destination, protocols=[protocol])) * 1e3
    out = {
        "input": name, "enis": len(network.interfaces), "pairs": len(pairs),
        "ports_p50_ms": statistics.median(times) * 1e3, "ports_max_ms": max(times) * 1e3,
        "walks_p50": statistics.median(walks), "rows_p50": statistics.median(rows),
        "per_protocol_ms": {k: round(v, 2) for k, v in per_protocol.items()},
    }
    if exhaustive:
        start = time.perf_counter()
        for port in range(65536):
            answer(network, Query(source, destination, 6, PortRange(low=port, high=port)), 4)
        by_port = time.perf_counter() - start
        out["reach_every_tcp_port_s"] = by_port
        out["ratio_reach_tcp_vs_ports_tcp"] = by_port / (per_protocol["tcp"] / 1e3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enis", type=int, default=10000, help="size of the synthetic organisation (0: none)")
    parser.add_argument("--pairs", type=int, default=6, help="endpoints sampled per input (pairs among them)")
    parser.add_argument("--no-exhaustive", action="store_true", help="skip reach over every TCP port")
    args = parser.parse_args(argv)
    results = []
    for path in sorted((ROOT / "designs").glob("*.yaml")):
        results.append(bench_network(path.name, build_network(load(str(path))), args.pairs, not args.no_exhaustive))
        print(json.dumps(results[-1]), flush=True)
    if args.enis:
        start = time.perf_counter()
        network = build_network(Design.model_validate(organisation(args.enis)))
        built = time.perf_counter() - start
        result = bench_network(f"synthetic-{args.enis}", network, args.pairs, not args.no_exhaustive)
        result["build_s"] = built
        results.append(result)
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
