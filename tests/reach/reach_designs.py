"""Small designs for the engine's tests, built from the conventions of aws-semantics §4.2.

VPC-A 10.0.0.0/16: public subnet P 10.0.1.0/24 (0/0 -> igw), private Q 10.0.2.0/24 (0/0 -> nat in P),
db D 10.0.3.0/24 (local only); web (P, EIP), app (Q), db (D).
"""

from __future__ import annotations

import copy
from typing import Any

from vpckit.model import Design


def base() -> dict[str, Any]:
    """The §4.2 baseline (S01) as a plain dict, ready to be varied."""
    return {
        "name": "scenario",
        "vpcs": {
            "a": {
                "cidr": "10.0.0.0/16",
                "internet_gateway": "igw",
                "subnets": {
                    "p": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "route_table": "pub"},
                    "q": {"az": "us-east-1a", "cidr": "10.0.2.0/24", "route_table": "priv"},
                    "d": {"az": "us-east-1a", "cidr": "10.0.3.0/24", "route_table": "db"},
                },
                "route_tables": {
                    "pub": {"routes": [{"destination": "0.0.0.0/0", "target": "igw"}]},
                    "priv": {"routes": [{"destination": "0.0.0.0/0", "target": "nat"}]},
                    "db": {},
                },
                "nat_gateways": {"nat": {"subnet": "p"}},
                "security_groups": {
                    "web": {"ingress": [{"protocol": "tcp", "ports": 443, "source": "0.0.0.0/0"},
                                        {"protocol": "tcp", "ports": 22, "source": "0.0.0.0/0"}]},
                    "app": {"ingress": [{"protocol": "tcp", "ports": 8080, "source": "web"}]},
                    "db": {"ingress": [{"protocol": "tcp", "ports": 5432, "source": "app"}]},
                },
                "instances": {
                    "web": {"subnet": "p", "private_ip": "10.0.1.10", "elastic_ip": "203.0.113.10",
                            "security_groups": ["web"]},
                    "app": {"subnet": "q", "private_ip": "10.0.2.10", "security_groups": ["app"]},
                    "db": {"subnet": "d", "private_ip": "10.0.3.10", "security_groups": ["db"]},
                },
            }
        },
    }


def design(data: dict[str, Any]) -> Design:
    """Validate a dict into a Design."""
    return Design.model_validate(copy.deepcopy(data))
