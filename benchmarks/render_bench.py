"""Diagram benchmark: a 200-VPC synthetic organisation drawn in the vpcs and subnets views.

    python benchmarks/render_bench.py                     # 200 VPCs, views vpcs and subnets
    python benchmarks/render_bench.py --vpcs 50 --views vpcs subnets detailed --formats svg png
    python benchmarks/render_bench.py --subnets 150 --views detailed   # one VPC with 150 subnets

The organisation: VPCs split over two regions, each VPC with two AZs, four /24 subnets (two
public, two private), an internet gateway, a NAT gateway, a few instances per subnet, a
transit-gateway attachment in its region's hub and a peering with the next VPC of its region. Reported per
view: time to build the network, to write the DOT text (vpckit's own work), and to lay it out
and write each format with every renderer installed (Graphviz's ``dot``, ``graphviz-pure``),
with the size of each output. Layout times are given as wall-clock and CPU time (the CPU time
of the layout program stays meaningful on a busy machine).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from typing import Any

from vpckit.model import Design
from vpckit.network import build_network
from vpckit.render import diagram_source

REGIONS = ("us-east-1", "eu-west-1")


def organisation(vpc_count: int, instances_per_subnet: int = 2) -> dict[str, Any]:
    """A native design (as a dict): ``vpc_count`` VPCs, hubs per region, a peering chain."""
    vpcs: dict[str, Any] = {}
    peerings: dict[str, Any] = {}
    hubs: dict[str, dict[str, Any]] = {r: {"region": r, "attachments": {}} for r in REGIONS}
    for i in range(vpc_count):
        name = f"vpc{i:03d}"
        region = REGIONS[i % len(REGIONS)]
        second, third = divmod(i, 256)
        base = f"10.{i % 256}" if vpc_count <= 256 else f"{10 + second}.{third}"
        azs = (f"{region}a", f"{region}b")
        subnets, instances = {}, {}
        for s in range(4):
            public = s < 2
            subnet = f"{'pub' if public else 'app'}-{'ab'[s % 2]}"
            subnets[subnet] = {"az": azs[s % 2], "cidr": f"{base}.{s}.0/24",
                               "route_table": "public" if public else "private"}
            for e in range(instances_per_subnet):
                instances[f"{subnet}-{e}"] = {"subnet": subnet}
        vpcs[name] = {
            "cidr": f"{base}.0.0/16",
            "region": region,
            "internet_gateway": "igw",
            "subnets": subnets,
            "nat_gateways": {"nat": {"subnet": "pub-a"}},
            "route_tables": {
                "public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]},
                "private": {"routes": [{"destination": "0.0.0.0/0", "target": "nat"},
                                       {"destination": "10.0.0.0/8", "target": f"hub-{region}"}]},
            },
            "instances": instances,
        }
        hubs[region]["attachments"][name] = {"vpc": name, "subnets": ["app-a", "app-b"]}
        peer = i + len(REGIONS)  # the next VPC of the same region
        if peer < vpc_count:
            peerings[f"pcx-{i:03d}"] = {"requester": name, "accepter": f"vpc{peer:03d}"}
    return {
        "name": f"synthetic-{vpc_count}-vpcs",
        "vpcs": vpcs,
        "peering_connections": peerings,
        "transit_gateways": {f"hub-{r}": hub for r, hub in hubs.items()},
    }


def one_vpc(subnet_count: int, instances_per_subnet: int = 2) -> dict[str, Any]:
    """One VPC with ``subnet_count`` subnets over three AZs (public, app and db tiers), a NAT gateway per AZ."""
    azs = ("us-east-1a", "us-east-1b", "us-east-1c")
    subnets: dict[str, Any] = {}
    instances: dict[str, Any] = {}
    tables: dict[str, Any] = {"public": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]}}
    nats = {f"nat-{a}": {"subnet": f"public-{a:03d}"} for a in range(len(azs))}
    for a in range(len(azs)):
        tables[f"private-{a}"] = {"routes": [{"destination": "0.0.0.0/0", "target": f"nat-{a}"}]}
    for i in range(subnet_count):
        tier = "public" if i < len(azs) else ("app", "db")[i % 2]
        name = f"{tier}-{i:03d}"
        subnets[name] = {"az": azs[i % len(azs)], "cidr": f"10.{i // 256}.{i % 256}.0/24", "tier": tier,
                         "route_table": "public" if tier == "public" else f"private-{i % len(azs)}"}
        instances.update({f"{name}-i{k}": {"subnet": name} for k in range(instances_per_subnet)})
    return {"name": f"one-vpc-{subnet_count}", "vpcs": {"big": {
        "cidr": "10.0.0.0/8" if subnet_count > 256 else "10.0.0.0/16", "internet_gateway": "igw",
        "subnets": subnets, "nat_gateways": nats, "route_tables": tables, "instances": instances}}}


def _renderers() -> list[tuple[str, str]]:
    found = []
    for name in ("dot", "graphviz-pure"):
        path = shutil.which(name)
        if path:
            found.append((name, path))
    return found


def _child_cpu() -> float:
    """CPU seconds used by finished child processes (the layout programs), immune to a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vpcs", type=int, default=200)
    parser.add_argument("--subnets", type=int, help="draw one VPC with this many subnets instead of an organisation")
    parser.add_argument("--views", nargs="+", default=["vpcs", "subnets"])
    parser.add_argument("--formats", nargs="+", default=["svg"])
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per layout")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    design = Design.model_validate(one_vpc(args.subnets) if args.subnets else organisation(args.vpcs))
    validated = time.perf_counter()
    network = build_network(design)
    built = time.perf_counter()
    subnets = sum(len(v.subnets) for v in design.vpcs.values())
    print(f"organisation: {len(design.vpcs)} VPCs, {subnets} subnets, "
          f"{sum(len(v.instances) for v in design.vpcs.values())} instances, "
          f"{len(design.peering_connections)} peerings, {len(design.transit_gateways)} transit gateways")
    print(f"model {validated - started:.2f}s, network {built - validated:.2f}s")
    renderers = _renderers()
    if not renderers:
        print("no renderer installed: only DOT generation is measured", file=sys.stderr)
    for view in args.views:
        t0 = time.perf_counter()
        source = diagram_source(design, view, network=network)
        t1 = time.perf_counter()
        again = diagram_source(design, view, network=network)
        print(f"\nview {view}: DOT {t1 - t0:.2f}s, {_size(len(source.encode()))}, "
              f"{source.count(' -> ')} edges, {source.count('subgraph')} clusters, stable={again == source}")
        for name, path in renderers:
            for fmt in args.formats:
                if name == "graphviz-pure" and fmt == "pdf":
                    continue
                t2, cpu2 = time.perf_counter(), _child_cpu()
                try:
                    done = subprocess.run([path, f"-T{fmt}"], input=source.encode(), capture_output=True,
                                          timeout=args.timeout, check=False)
                except subprocess.TimeoutExpired:
                    print(f"  {name:>13} {fmt}: over {args.timeout:.0f}s, stopped")
                    continue
                t3, cpu3 = time.perf_counter(), _child_cpu()
                status = "ok" if done.returncode == 0 else f"failed ({done.stderr.decode()[-200:].strip()})"
                print(f"  {name:>13} {fmt}: {t3 - t2:.2f}s wall, {cpu3 - cpu2:.2f}s CPU, "
                      f"{_size(len(done.stdout))} {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
