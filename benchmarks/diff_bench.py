"""How fast `diff` answers on synthetic organisations that differ in one rule.

For each size it builds the organisation twice — as generated, and with one change (a security
group rule of one VPC, or a NACL rule of one VPC's private subnets) — and times `diff`, reporting
interface classes, outside atoms, the pairs compared (only those from or to what the change
touches), the walks, and the changes found.

    python benchmarks/diff_bench.py --enis 1000 10000
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import organisation  # noqa: E402

from vpckit.flows.diff import diff  # noqa: E402
from vpckit.model import Design  # noqa: E402
from vpckit.network import build_network  # noqa: E402


def _changed(design: dict, change: str) -> dict:
    out = copy.deepcopy(design)
    vpc = out["vpcs"]["vpc000"]
    if change == "security-group rule":
        vpc["security_groups"]["db"]["ingress"].append({"protocol": "tcp", "ports": 3306, "source": "10.0.0.0/8"})
    else:
        vpc["nacls"]["private"]["ingress"].insert(0, {"rule": 40, "protocol": "tcp", "ports": 8080,
                                                      "cidr": "10.0.0.0/8", "action": "deny"})
    return out


def bench(enis: int, change: str, roles: bool) -> dict:
    design = organisation(enis, roles=roles)
    old = build_network(Design.model_validate(design))
    new = build_network(Design.model_validate(_changed(design, change)))
    start = time.perf_counter()
    answer = diff(old, new)
    elapsed = time.perf_counter() - start
    return {"enis": len(old.interfaces), "roles": roles, "change": change, "seconds": round(elapsed, 2),
            "classes": answer.classes, "atoms": answer.atoms, "pairs_compared": answer.pairs, "walks": answer.walks,
            "opened": len(answer.opened()), "closed": len(answer.closed()), "notes": answer.notes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enis", type=int, nargs="+", default=[1000])
    parser.add_argument("--roles", action="store_true", help="role-based organisations (one group and OS per subnet)")
    args = parser.parse_args(argv)
    for enis in args.enis:
        for change in ("security-group rule", "NACL rule"):
            print(json.dumps(bench(enis, change, args.roles)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
