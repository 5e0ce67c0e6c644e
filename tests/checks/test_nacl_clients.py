"""NACL006 judges reply rules by the clients that really use them (aws-semantics NACL-07, §1.7).

A NACL needs reply rules only for the ephemeral ports of the flow's actual clients: the interfaces
of its own subnets for flows it lets out, the interfaces at the peer addresses for flows it admits
from inside the design, and anything in 1024-65535 for clients outside (the internet, on-premises).
"""

from __future__ import annotations

from typing import Any

import pytest

from vpckit.checks import run_checks
from vpckit.model import Design


def design(client_os: str, db_ingress_cidr: str, db_reply_ports: str, nat_in_app: bool = False) -> dict[str, Any]:
    app: dict[str, Any] = {"subnet": "app", "private_ip": "10.0.1.10", "os": client_os}
    vpc: dict[str, Any] = {
        "cidr": "10.0.0.0/16",
        "subnets": {
            "app": {"az": "us-east-1a", "cidr": "10.0.1.0/24", "nacl": "app"},
            "db": {"az": "us-east-1a", "cidr": "10.0.2.0/24", "nacl": "db"},
        },
        "nacls": {
            "app": {
                "ingress": [{"rule": 100, "protocol": "tcp", "ports": db_reply_ports, "cidr": "10.0.2.0/24"}],
                "egress": [{"rule": 100, "protocol": "tcp", "ports": 5432, "cidr": "10.0.2.0/24"}],
            },
            "db": {
                "ingress": [{"rule": 100, "protocol": "tcp", "ports": 5432, "cidr": db_ingress_cidr}],
                "egress": [{"rule": 100, "protocol": "tcp", "ports": db_reply_ports, "cidr": db_ingress_cidr}],
            },
        },
        "instances": {"app-1": app, "db-1": {"subnet": "db", "private_ip": "10.0.2.10"}},
    }
    if nat_in_app:
        vpc["internet_gateway"] = "igw"
        vpc["nat_gateways"] = {"nat": {"subnet": "app", "private_ip": "10.0.1.100"}}
    return {"vpcs": {"prod": vpc}}


def nacl006(data: dict[str, Any]) -> list[str]:
    return [f.message for f in run_checks(Design.model_validate(data)) if f.rule == "NACL006"]


@pytest.mark.parametrize(
    "case, data, expected",
    [
        ("linux clients inside: 32768-65535 is enough",
         design("linux", "10.0.1.0/24", "32768-65535"), []),
        ("windows clients inside: 49152-65535 is enough",
         design("windows", "10.0.1.0/24", "49152-65535"), []),
        ("windows clients, replies only up to 60999",
         design("windows", "10.0.1.0/24", "32768-60999"), ["tcp 61000-65535", "windows instance clients on 49152-65535"]),
        ("clients outside the VPC may use 1024-65535",
         design("linux", "0.0.0.0/0", "32768-65535"), ["tcp 1024-32767", "clients outside the VPCs"]),
        ("a NAT gateway in the client subnet uses 1024-65535 (NAT-04)",
         design("linux", "10.0.1.0/24", "32768-65535", nat_in_app=True), ["tcp 1024-32767", "nat gateway"]),
    ],
)
def test_reply_rules_follow_the_real_clients(case: str, data: dict[str, Any], expected: list[str]) -> None:
    messages = nacl006(data)
    if not expected:
        assert messages == [], case
    else:
        assert messages, case
        assert any(all(part in message for part in expected) for message in messages), (case, messages)
