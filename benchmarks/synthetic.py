"""A generator of synthetic organisations for benchmarks: N VPCs x subnets x ENIs, peering and a transit gateway.

Each VPC (10.<i>.0.0/16, two AZs) has an internet gateway, a NAT gateway, public and private
subnets (/24), a public and a private route table (0/0 to the IGW / NAT, 10.0.0.0/8 to the
transit gateway, the next VPC's CIDR over a peering), three NACLs of about a dozen numbered
rules each, and eight security groups of about ten rules each (CIDRs and references to other
groups). Every VPC is attached to one transit gateway whose single route table receives
every attachment's CIDR by propagation; each VPC peers with the next one.

    python benchmarks/synthetic.py --enis 1000 > org.yaml   # writes a native design
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

ENIS_PER_SUBNET = 25


def shape(enis: int) -> tuple[int, int]:
    """(VPCs, subnets per VPC) for roughly ``enis`` ENIs at 25 ENIs per subnet.

    >>> shape(1000), shape(10000), shape(50000)
    ((10, 4), (40, 10), (100, 20))
    """
    subnets = max(2, enis // ENIS_PER_SUBNET)
    for vpcs, per_vpc in ((10, 4), (40, 10), (100, 20)):
        if vpcs * per_vpc >= subnets:
            return max(1, subnets // per_vpc), per_vpc
    return max(1, subnets // 20), 20


def _nacl(i: int, kind: str) -> dict[str, Any]:
    ingress = [
        {"rule": 50, "protocol": "tcp", "ports": 3389, "cidr": "0.0.0.0/0", "action": "deny"},
        {"rule": 60, "protocol": "tcp", "ports": 23, "cidr": "0.0.0.0/0", "action": "deny"},
        {"rule": 100, "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0" if kind == "public" else "10.0.0.0/8"},
        {"rule": 110, "protocol": "tcp", "ports": 80, "cidr": "0.0.0.0/0" if kind == "public" else "10.0.0.0/8"},
        {"rule": 120, "protocol": "tcp", "ports": 22, "cidr": f"10.{i}.0.0/16"},
        {"rule": 130, "protocol": "tcp", "ports": 8080, "cidr": "10.0.0.0/8"},
        {"rule": 140, "protocol": "tcp", "ports": 5432, "cidr": "10.0.0.0/8"},
        {"rule": 150, "protocol": "icmp", "icmp_type": 3, "icmp_code": 4, "cidr": "0.0.0.0/0"},
        {"rule": 160, "protocol": "icmp", "cidr": "10.0.0.0/8"},
        {"rule": 200, "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"},
        {"rule": 210, "protocol": "udp", "ports": "1024-65535", "cidr": "0.0.0.0/0"},
        {"rule": 220, "protocol": "udp", "ports": 53, "cidr": "10.0.0.0/8"},
    ]
    egress = [
        {"rule": 50, "protocol": "tcp", "ports": 25, "cidr": "0.0.0.0/0", "action": "deny"},
        {"rule": 100, "protocol": "tcp", "ports": 443, "cidr": "0.0.0.0/0"},
        {"rule": 110, "protocol": "tcp", "ports": 80, "cidr": "0.0.0.0/0"},
        {"rule": 120, "protocol": "tcp", "ports": 22, "cidr": "10.0.0.0/8"},
        {"rule": 130, "protocol": "tcp", "ports": 8080, "cidr": "10.0.0.0/8"},
        {"rule": 140, "protocol": "tcp", "ports": 5432, "cidr": "10.0.0.0/8"},
        {"rule": 150, "protocol": "icmp", "cidr": "0.0.0.0/0"},
        {"rule": 160, "protocol": "udp", "ports": 53, "cidr": "0.0.0.0/0"},
        {"rule": 200, "protocol": "tcp", "ports": "1024-65535", "cidr": "0.0.0.0/0"},
        {"rule": 210, "protocol": "udp", "ports": "1024-65535", "cidr": "0.0.0.0/0"},
    ]
    return {"ingress": ingress, "egress": egress}


def _groups(i: int) -> dict[str, Any]:
    groups = {}
    tiers = ["web", "app", "db", "cache", "batch", "admin", "monitor", "shared"]
    for n, tier in enumerate(tiers):
        previous = tiers[n - 1]
        ingress = [
            {"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0" if tier == "web" else "10.0.0.0/8"},
            {"protocol": "tcp", "ports": 8080 + n, "source": previous},
            {"protocol": "tcp", "ports": 22, "source": "admin"},
            {"protocol": "tcp", "ports": 9100, "source": "monitor"},
            {"protocol": "icmp", "icmp_type": 8, "icmp_code": -1, "source": "10.0.0.0/8"},
            {"protocol": "tcp", "ports": 5432, "source": "app"},
            {"protocol": "tcp", "ports": "6379", "source": f"10.{i}.0.0/16"},
            {"protocol": "udp", "ports": 53, "source": "10.0.0.0/8"},
            {"protocol": "tcp", "ports": "7000-7100", "source": "shared"},
            {"protocol": "all", "source": tier},
        ]
        egress = [
            {"protocol": "tcp", "ports": 443, "destination": "0.0.0.0/0"},
            {"protocol": "tcp", "ports": 80, "destination": "0.0.0.0/0"},
            {"protocol": "tcp", "ports": "1-65535", "destination": "10.0.0.0/8"},
            {"protocol": "udp", "ports": 53, "destination": "10.0.0.0/8"},
            {"protocol": "icmp", "destination": "0.0.0.0/0"},
        ]
        groups[tier] = {"ingress": ingress, "egress": egress}
    return groups


def organisation(enis: int, roles: bool = False) -> dict[str, Any]:
    """A native design (as a dict) with about ``enis`` instances.

    >>> org = organisation(1000)
    >>> len(org["vpcs"]), sum(len(v["instances"]) for v in org["vpcs"].values())
    (10, 1000)
    """
    vpc_count, per_vpc = shape(enis)
    vpcs: dict[str, Any] = {}
    attachments: dict[str, Any] = {}
    peerings: dict[str, Any] = {}
    tiers = list(_groups(0))
    for i in range(vpc_count):
        name = f"vpc{i:03d}"
        subnets, instances = {}, {}
        for s in range(per_vpc):
            public = s < 2
            az = "us-east-1a" if s % 2 == 0 else "us-east-1b"
            sname = f"{'pub' if public else 'priv'}{s:02d}"
            subnets[sname] = {"az": az, "cidr": f"10.{i}.{s}.0/24", "route_table": "public" if public else "private",
                              "nacl": "public" if public else ("data" if s % 3 == 0 else "private")}
            for e in range(ENIS_PER_SUBNET):
                # role-based: every instance of a subnet plays its subnet's role (one group, one OS, as an
                # auto scaling group would); otherwise instances of one subnet mix groups and OSes
                instances[f"i{s:02d}-{e:02d}"] = {
                    "subnet": sname, "security_groups": [tiers[s % len(tiers)] if roles else tiers[(s + e) % len(tiers)]],
                    "public_ip": public and (roles or e % 5 == 0),
                    "os": "linux" if roles else ("windows" if e % 7 == 0 else "linux"),
                }
        nxt = f"vpc{(i + 1) % vpc_count:03d}"
        routes_private = [{"destination": "0.0.0.0/0", "target": "nat"}, {"destination": "10.0.0.0/8", "target": "tgw"}]
        routes_public = [{"destination": "0.0.0.0/0", "target": "igw"}, {"destination": "10.0.0.0/8", "target": "tgw"}]
        if vpc_count > 1 and i < vpc_count - 1:
            peerings[f"pcx-{i:03d}"] = {"requester": name, "accepter": nxt}
        for pcx, other in ((f"pcx-{i:03d}", (i + 1)), (f"pcx-{i - 1:03d}", i - 1)):
            if pcx in peerings or (pcx == f"pcx-{i - 1:03d}" and i > 0):
                if 0 <= other < vpc_count:
                    routes_private.append({"destination": f"10.{other}.0.0/16", "target": pcx})
        vpcs[name] = {
            "cidr": f"10.{i}.0.0/16",
            "internet_gateway": "igw",
            "subnets": subnets,
            "route_tables": {"public": {"routes": routes_public}, "private": {"routes": routes_private}},
            "nat_gateways": {"nat": {"subnet": "pub00"}},
            "nacls": {"public": _nacl(i, "public"), "private": _nacl(i, "private"), "data": _nacl(i, "data")},
            "security_groups": _groups(i),
            "instances": instances,
        }
        attachments[name] = {"vpc": name, "subnets": ["pub00", "pub01"], "route_table": "all", "propagate_to": ["all"]}
    return {
        "name": f"synthetic-{enis}",
        "vpcs": vpcs,
        "peering_connections": peerings,
        "transit_gateways": {"tgw": {"attachments": attachments, "route_tables": {"all": {}}}},
    }


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic organisation as JSON (a valid native design) to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enis", type=int, default=1000)
    parser.add_argument("--roles", action="store_true", help="role-based: one group and OS per subnet (few classes)")
    args = parser.parse_args(argv)
    json.dump(organisation(args.enis, roles=args.roles), sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
