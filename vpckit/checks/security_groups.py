"""Security-group rules SG001-SG010, computed on address and port coverage.

A group is open to the world on a port when the union of its rules admitting that port covers
"the world" (``0.0.0.0/1`` + ``128.0.0.0/1`` does, ``::/0`` does, a managed prefix list is its
entries, a public block as wide as ``wide_prefix_ipv4`` counts) — not when a rule's text equals
``0.0.0.0/0`` (SG-01, SG-02, SG-09). Protocol ``-1`` opens every port of every protocol.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from netaddr import IPNetwork, IPSet

from ..model import Design, default_security_group
from ..network.resolve import security_group
from ._common import cached, settings, vpc_group_users
from ._filters import ALL, OTHER, TCP, UDP, Slice, merge_intervals, open_to_world, peer_addresses, \
    security_group_slices, world_label, intervals_text
from .registry import CheckContext, Finding, rule

_PEERS_SSH = {"checkov": "CKV_AWS_24", "trivy": "AWS-0107", "cfn_nag": "W2", "securityhub": "EC2.13",
              "cis": ("5.2", "5.3")}


def _groups(design: Design) -> Iterator[tuple[str, str, object]]:
    for vpc_name, vpc in design.iter_vpcs():
        for name, group in sorted(vpc.security_groups.items()):
            yield vpc_name, name, group


def _slices(ctx: CheckContext, vpc_name: str, name: str, direction: str) -> list[Slice]:
    group = ctx.design.vpcs[vpc_name].security_groups[name]
    rules = group.ingress if direction == "ingress" else group.egress
    return cached(ctx, ("sg", vpc_name, name, direction),
                  lambda: security_group_slices(ctx.design, rules, "source" if direction == "ingress" else "destination"))


def _world_slices(ctx: CheckContext, vpc_name: str, name: str, direction: str = "ingress") -> list[Slice]:
    cfg = settings(ctx)

    def wide(admitted) -> bool:
        # groups of many VPCs admit the same few address sets (0.0.0.0/0, 10.0.0.0/8...): decide each once
        key = ("open-to-world", tuple(admitted.iter_cidrs()), cfg.wide_prefix_ipv4, cfg.wide_prefix_ipv6)
        return cached(ctx, key, lambda: open_to_world(admitted, cfg.wide_prefix_ipv4, cfg.wide_prefix_ipv6))

    return cached(ctx, ("world", vpc_name, name, direction),
                  lambda: [s for s in _slices(ctx, vpc_name, name, direction) if wide(s.admitted)])


def _contributing_rule(ctx: CheckContext, vpc_name: str, name: str, protocol: int, low: int, high: int,
                       direction: str = "ingress") -> int:
    """Index of the first rule that admits public addresses somewhere in ``protocol`` ``low..high``."""
    from ._filters import PRIVATE, rule_key_range

    group = ctx.design.vpcs[vpc_name].security_groups[name]
    rules = group.ingress if direction == "ingress" else group.egress
    for index, rule_ in enumerate(rules):
        addresses = peer_addresses(ctx.design, rule_.source if direction == "ingress" else rule_.destination)
        if not addresses or not (addresses - PRIVATE):
            continue
        if rule_.protocol == ALL:
            return index
        if rule_.protocol == protocol:
            span = rule_key_range(protocol, rule_.ports, rule_.icmp_type, rule_.icmp_code)
            if span[0] <= high and low <= span[1]:
                return index
    return 0


def _all_ports_open(ctx: CheckContext, vpc_name: str, name: str, direction: str = "ingress") -> bool:
    """Every port of TCP and UDP (or every protocol) is open to the world."""
    open_slices = _world_slices(ctx, vpc_name, name, direction)
    for protocol in (TCP, UDP):
        covered = merge_intervals((s.low, s.high) for s in open_slices if s.protocol == protocol)
        if covered == [(0, 65535)]:
            return True
    return any(s.protocol == OTHER for s in open_slices)


def _open_ports(ctx: CheckContext, vpc_name: str, name: str, ports: Iterable[int]) -> dict[int, list[tuple[int, Slice]]]:
    """For each of ``ports``, the TCP/UDP slices open to the world that contain it."""
    out: dict[int, list[tuple[int, Slice]]] = {}
    for part in _world_slices(ctx, vpc_name, name):
        if part.protocol not in (TCP, UDP):
            continue  # protocol -1 rules show up in the TCP and UDP slices too
        for port in ports:
            if part.low <= port <= part.high:
                out.setdefault(port, []).append((part.protocol, part))
    return out


def _exposure_note(ctx: CheckContext, vpc_name: str, name: str, protocol: int, port: int) -> tuple[str, dict]:
    from .exposure import internet_exposure

    exposure = internet_exposure(ctx, vpc_name, name, protocol, port)
    if exposure is None:
        return "", {}
    reachable = [e for e, verdict in exposure.items() if verdict != "unreachable"]
    if not exposure:
        return " No resource uses the group, so nothing is reachable through it today.", {"reachable_from_internet": []}
    if reachable:
        return (f" Reachable from the internet right now (public IP, IGW route, NACLs both ways, groups): "
                f"{', '.join(reachable)}.", {"reachable_from_internet": reachable})
    return (" Not reachable from the internet today (no public IP, no IGW route, or a NACL blocks it), but any "
            "change to routing or addressing would expose it.", {"reachable_from_internet": []})


def _port_rule_findings(ctx: CheckContext, rule_id: str, ports: Iterable[int], what: str) -> Iterator[Finding]:
    ports = list(ports)
    for vpc_name, name, group in _groups(ctx.design):
        hits = _open_ports(ctx, vpc_name, name, ports)
        for port in sorted(hits):
            for protocol, part in hits[port]:
                index = _contributing_rule(ctx, vpc_name, name, protocol, port, port)
                note, extra = _exposure_note(ctx, vpc_name, name, protocol, port)
                proto = "tcp" if protocol == TCP else "udp"
                yield ctx.finding(
                    rule_id,
                    f"security group {name} admits {proto}/{port} ({what}) from {world_label(part.admitted)}"
                    f" — open to the world on address coverage.{note}",
                    ("vpcs", vpc_name, "security_groups", name, "ingress", index),
                    f"vpc {vpc_name} / security group {name}",
                    key=f"{proto}/{port}", **extra,
                )
    yield from _combined_group_findings(ctx, rule_id, ports, what)


def _combined_group_findings(ctx: CheckContext, rule_id: str, ports: list[int], what: str) -> Iterator[Finding]:
    """Resources whose groups together — none alone — open a port to the world (SG-01: groups are unioned)."""
    cfg = settings(ctx)
    for vpc_name, vpc in ctx.design.iter_vpcs():
        combos: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for name_ in vpc.security_groups:
            for collection, user in vpc_group_users(ctx, vpc_name, name_):
                combos.setdefault((collection, user), []).append(name_)
        by_groups: dict[tuple[str, ...], list[str]] = {}
        for (collection, user), names in sorted(combos.items()):
            if len(names) > 1:
                by_groups.setdefault(tuple(sorted(names)), []).append(user)
        for names, users in sorted(by_groups.items()):
            for port in ports:
                for protocol in (TCP, UDP):
                    if any(_admits(ctx, vpc_name, n, protocol, port, cfg) for n in names):
                        continue  # each such group is reported on its own
                    union = IPSet()
                    for n in names:
                        for part in _slices(ctx, vpc_name, n, "ingress"):
                            if part.protocol == protocol and part.low <= port <= part.high:
                                union |= part.admitted
                    if not open_to_world(union, cfg.wide_prefix_ipv4, cfg.wide_prefix_ipv6):
                        continue
                    proto = "tcp" if protocol == TCP else "udp"
                    yield ctx.finding(
                        rule_id,
                        f"security groups {' + '.join(names)} together admit {proto}/{port} ({what}) from "
                        f"{world_label(union)} on {', '.join(users)} — no single group does, but AWS unions the "
                        f"groups of an interface",
                        ("vpcs", vpc_name, "security_groups", names[0]),
                        f"vpc {vpc_name} / security groups {' + '.join(names)}", key=f"combined:{proto}/{port}",
                        resources=users,
                    )


def _admits(ctx: CheckContext, vpc_name: str, name: str, protocol: int, port: int, cfg) -> bool:
    return any(part.protocol == protocol and part.low <= port <= part.high
               and open_to_world(part.admitted, cfg.wide_prefix_ipv4, cfg.wide_prefix_ipv6)
               for part in _slices(ctx, vpc_name, name, "ingress"))


@rule("SG001", "error", "No security group admits SSH (22) from the whole internet",
      semantics=("SG-01", "SG-02"),
      rationale="SSH open to 0.0.0.0/0 or ::/0 is the most scanned and brute-forced door on the internet. vpckit "
                "computes coverage: 0.0.0.0/1 + 128.0.0.0/1, a prefix list holding the world, or a protocol -1 rule "
                "are as open as 0.0.0.0/0.",
      fix="Allow SSH only from known addresses (a /32 or a corporate prefix list), or use Session Manager.",
      peers=_PEERS_SSH)
def sg_ssh(ctx: CheckContext) -> Iterable[Finding]:
    return _port_rule_findings(ctx, "SG001", [22], "SSH")


@rule("SG002", "error", "No security group admits RDP (3389) from the whole internet",
      semantics=("SG-01", "SG-02"),
      rationale="RDP open to the world is a common ransomware entry point; coverage is computed, not string-matched.",
      fix="Allow RDP only from known addresses, or use Fleet Manager / a bastion behind a VPN.",
      peers={"checkov": "CKV_AWS_25", "trivy": "AWS-0107", "cfn_nag": "W2", "securityhub": "EC2.14",
             "cis": ("5.2", "5.3")})
def sg_rdp(ctx: CheckContext) -> Iterable[Finding]:
    return _port_rule_findings(ctx, "SG002", [3389], "RDP")


@rule("SG003", "warning", "Ports open to the world are only the authorized ones (default 80 and 443)",
      semantics=("SG-01", "SG-02"),
      rationale="Security Hub EC2.18: unrestricted inbound access should be limited to ports meant to be public "
                "(the `authorized_ports` setting, default 80 and 443). Ports reported by SG001/SG002/SG004/SG005 "
                "are not repeated here. Plain HTTP (80) open to the world is reported at info even when authorized "
                "(checkov CKV_AWS_260 fails it).",
      fix="Restrict the source of the rule, or add the port to `authorized_ports` if it is meant to be public.",
      peers={"checkov": "CKV_AWS_260", "cfn_nag": "W2", "securityhub": "EC2.18"})
def sg_unauthorized_ports(ctx: CheckContext) -> Iterable[Finding]:
    cfg = settings(ctx)
    # Ports another enabled rule reports are not repeated here.
    skip = set(cfg.authorized_ports)
    skip |= {22} if cfg.is_enabled("SG001") else set()
    skip |= {3389} if cfg.is_enabled("SG002") else set()
    skip |= set(cfg.high_risk_ports) if cfg.is_enabled("SG004") else set()
    for vpc_name, name, group in _groups(ctx.design):
        if _all_ports_open(ctx, vpc_name, name):
            continue  # SG005
        for protocol in (TCP, UDP):
            open_ranges = merge_intervals((s.low, s.high) for s in _world_slices(ctx, vpc_name, name)
                                          if s.protocol == protocol)
            for low, high in open_ranges:
                ranges = [(lo, hi) for lo, hi in _subtract((low, high), skip)]
                if not ranges:
                    continue
                proto = "tcp" if protocol == TCP else "udp"
                index = _contributing_rule(ctx, vpc_name, name, protocol, low, high)
                yield ctx.finding(
                    "SG003",
                    f"security group {name} admits {proto} {intervals_text(ranges)} from the whole internet; "
                    f"authorized public ports are {', '.join(map(str, cfg.authorized_ports)) or 'none'}",
                    ("vpcs", vpc_name, "security_groups", name, "ingress", index),
                    f"vpc {vpc_name} / security group {name}",
                    key=f"{proto}/{intervals_text(ranges)}",
                )
        # Plain HTTP open to the world is authorized by EC2.18's default list but is what checkov's
        # CKV_AWS_260 reports: say it, at info, so nothing checkov catches goes unmentioned.
        if 80 in cfg.authorized_ports and 80 not in cfg.high_risk_ports:
            for protocol, part in _open_ports(ctx, vpc_name, name, [80]).get(80, []):
                if protocol != TCP:
                    continue
                yield ctx.finding(
                    "SG003",
                    f"security group {name} admits plain HTTP (tcp/80) from {world_label(part.admitted)}; authorized "
                    f"by `authorized_ports`, but unencrypted — redirect to 443 at a load balancer instead",
                    ("vpcs", vpc_name, "security_groups", name, "ingress",
                     _contributing_rule(ctx, vpc_name, name, TCP, 80, 80)),
                    f"vpc {vpc_name} / security group {name}", severity="info", key="tcp/80",
                )


def _subtract(span: tuple[int, int], ports: set[int]) -> Iterator[tuple[int, int]]:
    low, high = span
    start = low
    for port in sorted(p for p in ports if low <= p <= high):
        if port > start:
            yield (start, port - 1)
        start = port + 1
    if start <= high:
        yield (start, high)


@rule("SG004", "warning", "No security group admits high-risk ports from the whole internet",
      semantics=("SG-01", "SG-02"),
      rationale="Databases, mail, file sharing and admin consoles open to the internet are routinely exploited. "
                "The list is the `high_risk_ports` setting; the default profile is Security Hub EC2.19's "
                "(others: cis, aws-config-restricted-common-ports, prowler). SSH and RDP are SG001/SG002.",
      fix="Restrict the source to known addresses or another security group.",
      peers={"securityhub": "EC2.19", "awsconfig": "restricted-common-ports"})
def sg_high_risk(ctx: CheckContext) -> Iterable[Finding]:
    cfg = settings(ctx)
    ports = [p for p in cfg.high_risk_ports if p not in (22, 3389)]
    for vpc_name, name, group in _groups(ctx.design):
        if _all_ports_open(ctx, vpc_name, name):
            continue  # SG005 says it once
        yield from _port_rule_findings_one(ctx, vpc_name, name, ports, cfg.high_risk_profile)


def _port_rule_findings_one(ctx, vpc_name, name, ports, profile) -> Iterator[Finding]:
    hits = _open_ports(ctx, vpc_name, name, ports)
    for port in sorted(hits):
        for protocol, part in hits[port]:
            proto = "tcp" if protocol == TCP else "udp"
            note, extra = _exposure_note(ctx, vpc_name, name, protocol, port)
            yield ctx.finding(
                "SG004",
                f"security group {name} admits high-risk {proto}/{port} (profile {profile}) from "
                f"{world_label(part.admitted)}.{note}",
                ("vpcs", vpc_name, "security_groups", name, "ingress",
                 _contributing_rule(ctx, vpc_name, name, protocol, port, port)),
                f"vpc {vpc_name} / security group {name}",
                key=f"{proto}/{port}", **extra,
            )


@rule("SG005", "error", "No security group admits every port from the whole internet",
      semantics=("SG-02",),
      rationale="A rule with protocol -1 (ports are ignored, whatever the rule says) or tcp/udp 0-65535 from the "
                "world exposes every service on every member, including ones installed later.",
      fix="Replace the rule with rules for the specific ports the service needs.",
      peers={"checkov": "CKV_AWS_277", "cfn_nag": "W42"})
def sg_all_ports(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, name, group in _groups(ctx.design):
        if _all_ports_open(ctx, vpc_name, name):
            index = _contributing_rule(ctx, vpc_name, name, TCP, 0, 65535)
            note, extra = _exposure_note(ctx, vpc_name, name, TCP, 22)
            yield ctx.finding(
                "SG005", f"security group {name} admits every port from the whole internet.{note}",
                ("vpcs", vpc_name, "security_groups", name, "ingress", index),
                f"vpc {vpc_name} / security group {name}", key="all", **extra,
            )


@rule("SG006", "warning", "Egress to the whole internet on every port is a deliberate choice",
      semantics=("SG-03",),
      rationale="AWS gives every new group an allow-all egress rule; it lets a compromised host exfiltrate data or "
                "reach command-and-control anywhere. Policy-dependent: lower the severity in vpckit.toml if your "
                "egress is filtered elsewhere. AWS's implicit default rule (a group that lists no egress) is reported at "
                "info, a written allow-all at warning: peers flag only written rules (Terraform removes the default). "
                "The default group is SG007's.",
      fix="Write explicit egress rules for the destinations and ports the workload needs.",
      peers={"checkov": "CKV_AWS_382", "trivy": "AWS-0104", "cfn_nag": ("W5", "W40", "F1000")})
def sg_open_egress(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, name, group in _groups(ctx.design):
        if name == ctx.design.vpcs[vpc_name].default_security_group:
            continue
        if _all_ports_open(ctx, vpc_name, name, "egress"):
            index = _contributing_rule(ctx, vpc_name, name, TCP, 0, 65535, "egress")
            written = "egress" in group.model_fields_set
            yield ctx.finding(
                "SG006",
                f"security group {name} allows all traffic to the whole internet"
                + ("" if written else " (AWS's default egress rule, since the group lists no egress)"),
                ("vpcs", vpc_name, "security_groups", name, "egress", index) if written
                else ("vpcs", vpc_name, "security_groups", name),
                f"vpc {vpc_name} / security group {name}", key="egress-all",
                # AWS's own default rule is reported for the record; one the author wrote is a choice to review
                severity=None if written else "info",
            )


@rule("SG007", "warning", "The default security group has no rules",
      semantics=("SG-04",),
      rationale="Resources launched without a group get the VPC's default group, whose default rules let every "
                "member talk to every other and to the internet. CIS and Security Hub require it to be empty so that "
                "forgetting a group fails closed.",
      fix="Remove every rule of the default group (write it with `ingress: []` and `egress: []`) and give "
          "resources their own groups.",
      peers={"checkov": "CKV2_AWS_12", "trivy": "AWS-0173", "securityhub": "EC2.2", "cis": "5.4"})
def sg_default_closed(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, vpc in ctx.design.iter_vpcs():
        name = vpc.default_security_group
        group = vpc.security_groups.get(name)
        if group is None or not (group.ingress or group.egress):
            continue
        users = vpc_group_users(ctx, vpc_name, name)
        used = f"; used by {', '.join(n for _, n in users[:5])}" if users else ""
        yield ctx.finding(
            "SG007",
            f"the default security group of VPC {vpc_name} has {len(group.ingress)} inbound and "
            f"{len(group.egress)} outbound rule(s){used}",
            ("vpcs", vpc_name, "security_groups", name), f"vpc {vpc_name} / security group {name}", key="default",
        )


@rule("SG008", "info", "Every security group and rule has a description",
      rationale="Descriptions are how a reviewer knows why a port is open; AWS audits and peers require them.",
      fix="Add `description:` to the group and to each of its rules.",
      peers={"checkov": "CKV_AWS_23", "trivy": ("AWS-0099", "AWS-0124"), "cfn_nag": "W36"})
def sg_descriptions(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, name, group in _groups(ctx.design):
        base = ("vpcs", vpc_name, "security_groups", name)
        resource = f"vpc {vpc_name} / security group {name}"
        vpc = ctx.design.vpcs[vpc_name]
        is_default = name == vpc.default_security_group
        if is_default and group == default_security_group(name, has_ipv6=bool(vpc.ipv6_cidrs)):
            continue  # AWS's own default group: AWS wrote its description and rules
        if not group.description and not is_default:  # AWS describes the default group itself
            yield ctx.finding("SG008", f"security group {name} has no description", base, resource, key="group")
        for direction in ("ingress", "egress"):
            if direction not in group.model_fields_set:
                continue  # rules AWS created, not written by anyone
            missing = [i for i, r in enumerate(getattr(group, direction)) if not r.description]
            if missing:
                yield ctx.finding(
                    "SG008",
                    f"security group {name}: {len(missing)} {direction} rule(s) without a description "
                    f"(#{', #'.join(map(str, missing))})",
                    (*base, direction, missing[0]), resource, key=direction,
                )


@rule("SG009", "info", "Security groups are used",
      rationale="Unused groups accumulate permissive rules that are attached later by mistake. (A rule naming a group "
                "of another VPC that it cannot match — no active same-Region peering — is REF002's, an error.)",
      fix="Delete unused groups, or attach them to the resources they were made for.",
      peers={"checkov": "CKV2_AWS_5", "securityhub": "EC2.22"})
def sg_unused(ctx: CheckContext) -> Iterable[Finding]:
    design = ctx.design
    for vpc_name, name, group in _groups(design):
        vpc = design.vpcs[vpc_name]
        if name != vpc.default_security_group and not vpc_group_users(ctx, vpc_name, name) and not _referenced(design, vpc_name, name):
            yield ctx.finding("SG009", f"security group {name} is not used by any resource",
                              ("vpcs", vpc_name, "security_groups", name), f"vpc {vpc_name} / security group {name}",
                              key="unused")


def _referenced(design: Design, vpc_name: str, name: str) -> bool:
    for other_vpc, other_name, group in _groups(design):
        for rule_ in [*group.ingress, *group.egress]:
            peer = getattr(rule_, "source", None) or getattr(rule_, "destination", None)
            if isinstance(peer, str) and (other_vpc, other_name) != (vpc_name, name):
                found = security_group(design, other_vpc, peer)
                if found is not None and (found.vpc, found.name) == (vpc_name, name):
                    return True
    return False


@rule("SG010", "info", "Inbound rules are no wider than needed (admin ports from single hosts, narrow port ranges)",
      semantics=("SG-02",),
      rationale="Admin ports (`admin_ports`, default 22 and 3389) should be open to single hosts, not public "
                "networks; inbound port ranges wider than `max_port_range` usually open more than the service uses.",
      fix="Use /32 (or /128) sources for admin access, and list the service's ports instead of a range.",
      peers={"cfn_nag": ("W9", "W27", "W29"), "cfn-lint": ("E3687", "E3688")})
def sg_too_wide(ctx: CheckContext) -> Iterable[Finding]:
    from ._filters import PRIVATE

    cfg = settings(ctx)
    for vpc_name, name, group in _groups(ctx.design):
        resource = f"vpc {vpc_name} / security group {name}"
        for index, rule_ in enumerate(group.ingress):
            path = ("vpcs", vpc_name, "security_groups", name, "ingress", index)
            addresses = peer_addresses(ctx.design, rule_.source)
            world = addresses is not None and open_to_world(addresses, cfg.wide_prefix_ipv4, cfg.wide_prefix_ipv6)
            if world or rule_.protocol not in (TCP, UDP) or rule_.ports is None:
                continue  # the world is SG001-SG005's; protocol -1 is SG005's
            low, high = rule_.ports.low, rule_.ports.high
            admin = [p for p in cfg.admin_ports if low <= p <= high]
            if admin and isinstance(rule_.source, IPNetwork) and rule_.source.size > 1 and (IPSet([rule_.source]) - PRIVATE):
                yield ctx.finding("SG010", f"security group {name} admits admin port(s) {', '.join(map(str, admin))} "
                                  f"from public network {rule_.source}, not a single host", path, resource,
                                  key=f"admin:{index}")
            elif high - low + 1 > cfg.max_port_range:
                yield ctx.finding("SG010", f"security group {name} admits a range of {high - low + 1} ports "
                                  f"({low}-{high}) from {rule_.source}", path, resource, key=f"range:{low}-{high}:{rule_.source}")

