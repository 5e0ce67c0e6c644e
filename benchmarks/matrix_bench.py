"""How the matrix scales: interface classes, class pairs, walks, time and peak memory on synthetic organisations.

Role-based organisations (one group and OS per subnet: few classes) and mixed ones (many classes),
with --jobs 1 and --jobs 2, and the ratio against one `ports` question per interface pair
(extrapolated from the measured time per class pair).

    python benchmarks/matrix_bench.py --enis 500 1000 --roles
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import organisation  # noqa: E402

from vpckit.flows import matrix  # noqa: E402
from vpckit.model import Design  # noqa: E402
from vpckit.network import build_network  # noqa: E402


def bench(enis: int, roles: bool, jobs: int, by: str) -> dict:
    network = build_network(Design.model_validate(organisation(enis, roles=roles)))
    start = time.perf_counter()
    answer = matrix(network, by=by, jobs=jobs)
    elapsed = time.perf_counter() - start
    interfaces = sum(1 for i in network.interfaces.values() if i.owner_kind not in ("nat_gateway", "transit_gateway"))
    per_pair = elapsed / max(1, answer.class_pairs)
    return {"enis": len(network.interfaces), "roles": roles, "by": by, "jobs": jobs, "classes": answer.classes,
            "class_pairs": answer.class_pairs, "shared": answer.shared, "walks": answer.walks, "seconds": round(elapsed, 2),
            "cells": len(answer.cells), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "per_interface_pair_estimate_s": round(per_pair * interfaces * interfaces, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enis", type=int, nargs="+", default=[500])
    parser.add_argument("--roles", action="store_true")
    parser.add_argument("--by", default="subnet")
    args = parser.parse_args(argv)
    for enis in args.enis:
        for jobs in (1, 2):
            print(json.dumps(bench(enis, args.roles, jobs, args.by)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
