"""How fast `exposure` answers on synthetic organisations, and what it would cost without atoms and classes.

For each size it builds the network, then times `exposure` (everything the internet reaches) and
`exposure --to B` for a few destinations, reporting atoms, classes, pairs asked, walks made, and the
ratio against the naive count: one `reach` walk per (source atom, destination interface, protocol
piece) for the internet question, per (source interface, protocol piece) for --to.

    python benchmarks/exposure_bench.py --enis 10000 50000 [--roles]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import organisation  # noqa: E402

from vpckit.flows import exposure  # noqa: E402
from vpckit.flows.atoms import address_atoms, interface_classes  # noqa: E402
from vpckit.flows.exposure import _atom_ends  # noqa: E402
from vpckit.model import Design  # noqa: E402
from vpckit.network import build_network  # noqa: E402


def bench(enis: int, destinations: int, roles: bool = False) -> dict:
    start = time.perf_counter()
    network = build_network(Design.model_validate(organisation(enis, roles=roles)))
    built = time.perf_counter() - start
    start = time.perf_counter()
    atoms, classes = address_atoms(network, with_interfaces=False), interface_classes(network)
    indexed = time.perf_counter() - start
    start = time.perf_counter()
    everything = exposure(network)
    internet_s = time.perf_counter() - start
    internet_atoms = len(_atom_ends(network, 4, "internet")) + len(_atom_ends(network, 6, "internet"))
    public = sum(1 for i in network.interfaces.values() if i.public_ips or i.ipv6)
    out = {
        "enis": len(network.interfaces), "roles": roles, "build_s": round(built, 2), "atoms_and_classes_s": round(indexed, 2),
        "atoms_v4": len(atoms[4]), "atoms_v6": len(atoms[6]), "internet_atoms": internet_atoms,
        "classes": len(classes), "internet_s": round(internet_s, 2), "internet_pairs": everything.pairs,
        "internet_walks": everything.walks, "internet_flows": len(everything.flows),
        "naive_internet_walks": internet_atoms * public * 8,
        "ratio_naive_vs_walks": round(internet_atoms * public * 8 / max(1, everything.walks), 1),
    }
    nodes = sorted(n for n, i in network.interfaces.items() if i.owner_kind == "instance")
    to_times, to_walks, to_pairs, to_shared = [], [], [], []
    for node in nodes[:: max(1, len(nodes) // max(1, destinations))][:destinations]:
        start = time.perf_counter()
        who = exposure(network, to=node)
        to_times.append(time.perf_counter() - start)
        to_walks.append(who.walks)
        to_pairs.append(who.pairs)
        to_shared.append(who.shared)
    out.update({"to_s": [round(t, 2) for t in to_times], "to_pairs": to_pairs, "to_shared": to_shared, "to_walks": to_walks,
                "naive_to_walks": len(network.interfaces) * 8})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enis", type=int, nargs="+", default=[10000])
    parser.add_argument("--destinations", type=int, default=2, help="how many --to questions per size")
    parser.add_argument("--roles", action="store_true", help="role-based organisations (one group and OS per subnet)")
    args = parser.parse_args(argv)
    for enis in args.enis:
        print(json.dumps(bench(enis, args.destinations, args.roles)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
