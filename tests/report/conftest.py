"""A small design with findings of several rules, written to a temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest

DESIGN = """\
name: exposed
vpcs:
  prod:
    cidr: 10.0.0.0/16
    internet_gateway: igw
    subnets:
      public-a: {az: us-east-1a, cidr: 10.0.0.0/24, route_table: public, tier: public}
      app-a: {az: us-east-1a, cidr: 10.0.10.0/24, route_table: private, nacl: app, tier: app}
    route_tables:
      public:
        routes:
          - {destination: 0.0.0.0/0, target: igw}
      private: {}
    nacls:
      app:
        ingress:
          - {rule: 50, protocol: tcp, ports: 22, cidr: 0.0.0.0/0, action: deny}
          - {rule: 100, protocol: tcp, ports: 22, cidr: 0.0.0.0/0}
        egress:
          - {rule: 100, protocol: all, cidr: 0.0.0.0/0}
    security_groups:
      bastion:
        description: SSH jump host
        ingress:
          - {protocol: tcp, ports: 22, source: 0.0.0.0/1, description: first half}
          - {protocol: tcp, ports: 22, source: 128.0.0.0/1, description: second half}
        suppress:
          - {rule: SG006, reason: egress is filtered by the network firewall}
      web:
        description: Public web
        ingress:
          - {protocol: -1, ports: 80, source: 0.0.0.0/0, description: everything}
    instances:
      jump: {subnet: public-a, public_ip: true, security_groups: [bastion]}
      app-1: {subnet: app-a, security_groups: [web], public_ip: true}
suppressions:
  - {rule: VPC009, resource: vpcs/prod, reason: flow logs are enabled account-wide by the landing zone}
expectations:
  - {name: ssh to the bastion, from: internet, to: jump, protocol: tcp, port: 22, expect: reachable}
"""

#: The same design with a subnet added near the top (every later line moves down).
UNRELATED_EDIT = DESIGN.replace(
    "      public-a: {",
    "      spare: {az: us-east-1a, cidr: 10.0.99.0/24, route_table: private}\n      public-a: {",
)


@pytest.fixture
def design_file(tmp_path: Path) -> Path:
    path = tmp_path / "exposed.yaml"
    path.write_text(DESIGN, encoding="utf-8")
    return path


@pytest.fixture
def design_text() -> str:
    return DESIGN


@pytest.fixture
def edited_design_text() -> str:
    return UNRELATED_EDIT
