"""Network ACL rules NACL001-NACL003, NACL005-NACL007 and NACL010, on first-match semantics.

Every question is answered from what the NACL actually admits (:func:`._filters.evaluate_nacl`):
entries in rule-number order, first match wins, implicit ``*`` deny, protocol ``-1`` ignoring
ports (NACL-03, NACL-04, NACL-09). So a lower-numbered deny really closes a port that a later
allow opens, and an entry that never decides a packet is reported as shadowed.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from netaddr import IPSet

from ..model import Design, NetworkAcl, protocol_name
from ._common import cached, nacl_subnets, settings
from ._filters import ALL, ICMP, ICMPV6, KEY_MAX, TCP, UDP, NaclVerdict, evaluate_nacl, intervals_text, \
    merge_intervals, nacl_families, open_to_world, world_label
from .registry import CheckContext, Finding, rule

#: Replies of clients whose ephemeral range is Linux's (32768-60999) — the least a NACL must allow.


def _nacls(design: Design, used_only: bool = True, custom_too: bool = False) -> Iterator[tuple[str, str, NetworkAcl, list[str]]]:
    """NACLs with their subnets: the used ones, plus unassociated custom ones when ``custom_too``.

    The exposure rules look at custom NACLs even before they are associated (as peers do: they are
    written to be associated), but not at an unused default NACL, which AWS creates by itself.
    """
    for vpc_name, vpc in design.iter_vpcs():
        for name, acl in sorted(vpc.network_acls.items()):
            subnets = nacl_subnets(vpc, name)
            if subnets or not used_only or (custom_too and name != vpc.default_network_acl):
                yield vpc_name, name, acl, subnets


def is_aws_default_allow_all(design: Design, vpc_name: str, name: str) -> bool:
    """Whether NACL ``name`` is the VPC's default NACL exactly as AWS creates it: allow everything.

    Such a NACL is AWS's choice, not the author's: every subnet starts with it and security groups
    do the filtering (NACL-01). The exposure rules report it once, at info, instead of a warning per
    port (see docs/validate.md).

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}})
    >>> is_aws_default_allow_all(d, "p", d.vpcs["p"].default_network_acl)
    True
    """
    vpc = design.vpcs[vpc_name]
    if name != vpc.default_network_acl:
        return False
    acl = vpc.network_acls[name]
    for entries in (acl.ingress, acl.egress):
        if not entries or len(entries) > 2:
            return False
        for entry in entries:
            if (entry.action, entry.protocol, entry.rule) != ("allow", ALL, 100 if entry.cidr.version == 4 else 101):
                return False
            if entry.cidr.prefixlen != 0:
                return False
    return True


def _verdict(ctx: CheckContext, vpc_name: str, name: str, direction: str, family: int) -> NaclVerdict:
    acl = ctx.design.vpcs[vpc_name].network_acls[name]
    entries = getattr(acl, direction)
    # Keyed by content: organisations copy the same NACL into every VPC, and each is evaluated once.
    content = tuple((e.rule, e.protocol, e.action, str(e.cidr), e.ports and (e.ports.low, e.ports.high),
                     e.icmp_type, e.icmp_code) for e in entries)
    return cached(ctx, ("nacl", content, family), lambda: evaluate_nacl(entries, family))


def _entry_index(acl: NetworkAcl, direction: str, number: int) -> int:
    for index, entry in enumerate(getattr(acl, direction)):
        if entry.rule == number:
            return index
    return 0


def _label(ctx: CheckContext, vpc_name: str, name: str, subnets: list[str]) -> str:
    default = " (the VPC's default NACL)" if name == ctx.design.vpcs[vpc_name].default_network_acl else ""
    used = f", used by subnet(s) {', '.join(subnets)}" if subnets else " (not associated with any subnet yet)"
    return f"NACL {name}{default}{used}"


def _groups_behind(ctx: CheckContext, vpc_name: str, subnets: list[str], port: int,
                   admitted: dict[int, IPSet]) -> list[str]:
    """The interfaces in ``subnets`` whose security groups, pooled (SG-01), also open ``port`` to the world part of
    what the NACL admits (``admitted``: protocol -> addresses), as ``interface (security group ...)``. Each rule is
    asked of the engine's compiled group, so it counts exactly when the walk would let that traffic through (SG-02).
    Interfaces share groups and organisations copy NACLs: each (groups, protocol, port, admitted set) is asked once."""
    cfg = settings(ctx)
    network = ctx.network
    by_subnet = cached(ctx, ("interfaces-by-subnet",), lambda: _interfaces_by_subnet(network))
    # One token per distinct admitted set, so that the per-interface lookups below hash a small key.
    tokens = {protocol: cached(ctx, ("nacl001-admitted", tuple(str(c) for c in addresses.iter_cidrs())), object)
              for protocol, addresses in admitted.items()}
    found: list[str] = []
    for iface in (i for name in subnets for i in by_subnet.get(f"subnet:{vpc_name}/{name}", ())):
        if not iface.usable:
            continue
        groups = tuple(g for g in iface.security_groups if g in network.security_groups)
        for protocol, addresses in sorted(admitted.items()):
            def opens() -> bool:
                opened = IPSet()
                for setting in groups:
                    opened |= _group_opens(ctx, network.security_groups[setting], protocol, port, addresses,
                                           tokens[protocol])
                return open_to_world(opened, cfg.wide_prefix_ipv4, cfg.wide_prefix_ipv6)

            if cached(ctx, ("nacl001-behind", groups, protocol, port, tokens[protocol]), opens):
                names = ", ".join(network.security_groups[g].name for g in groups)
                found.append(f"{iface.name} (security group{'s' if len(groups) > 1 else ''} {names})")
                break
    return sorted(set(found))


def _group_opens(ctx: CheckContext, group, protocol: int, port: int, addresses: IPSet,  # type: ignore[no-untyped-def]
                 admitted_key: object) -> IPSet:
    """The addresses of ``addresses`` from which ``group``'s inbound rules admit ``protocol``/``port``."""
    from netaddr import IPAddress, IPRange

    from ..network.addressing import ip_key

    def compute() -> IPSet:
        opened = IPSet()
        for sg_rule in group.ingress:
            if sg_rule.peer_kind != "cidr":
                continue  # a group reference admits interfaces inside AWS, never the internet
            overlap = addresses & IPSet(IPRange(IPAddress(first, version), IPAddress(last, version))
                                        for version, first, last in sg_rule.ranges)
            if not overlap:
                continue
            peer = ip_key(overlap.iter_cidrs()[0][0])
            _, matched, _ = group.allowed("ingress", protocol, peer, [(port, port)], None, False)
            if sg_rule in matched:
                opened |= overlap
        return opened

    return cached(ctx, ("nacl001-group", group.setting, protocol, port, admitted_key), compute)


def _interfaces_by_subnet(network) -> dict[str, list]:  # type: ignore[no-untyped-def]
    by_subnet: dict[str, list] = {}
    for iface in sorted(network.interfaces.values(), key=lambda i: i.node):
        by_subnet.setdefault(iface.subnet, []).append(iface)
    return by_subnet


def _world_ingress(ctx: CheckContext, rule_id: str, ports: Iterable[int], what: str,
                   layered: bool = False) -> Iterator[Finding]:
    """NACLs admitting ``ports`` from the whole internet. ``layered``: the NACL is one layer, so it is a warning
    only when a security group of an interface behind it admits the port from that range too, else info."""
    cfg = settings(ctx)
    for vpc_name, name, acl, subnets in _nacls(ctx.design, custom_too=True):
        if is_aws_default_allow_all(ctx.design, vpc_name, name):
            continue  # reported once, at info, by NACL003
        for port in ports:
            opened = []
            first_rule = None
            world: dict[int, IPSet] = {}
            for family in nacl_families(acl):
                verdict = _verdict(ctx, vpc_name, name, "ingress", family)
                for protocol in (TCP, UDP):
                    admitted = verdict.admitted(protocol, port)
                    if open_to_world(admitted, cfg.wide_prefix_ipv4, cfg.wide_prefix_ipv6):
                        world[protocol] = world.get(protocol, IPSet()) | admitted
                        opened.append((protocol_name(protocol), world_label(admitted)))
                        for part in verdict.admitted_over(protocol, port, port):
                            allows = [n for n, action, _ in part.decided_by if action == "allow"]
                            if allows and first_rule is None:
                                first_rule = allows[0]
            if not opened:
                continue
            how = "; ".join(f"{p}/{port} from {who}" for p, who in opened)
            by = f", allowed by rule {first_rule}" if first_rule is not None else ""
            message = f"{_label(ctx, vpc_name, name, subnets)} admits {what} ({how}{by}; evaluated first match by rule number)"
            severity = None
            if layered:
                behind = _groups_behind(ctx, vpc_name, subnets, port, world)
                if behind:
                    shown = ", ".join(behind[:3]) + (f" and {len(behind) - 3} more" if len(behind) > 3 else "")
                    message += f", and {shown} behind it admit{'s' if len(behind) == 1 else ''} it from there too"
                else:
                    # A range like 1024-65535 from 0.0.0.0/0 lets NAT and load-balancer replies in; it admits the
                    # port only as far as the NACL goes, and nothing behind it opens the port to the internet.
                    severity = "info"
                    message += (f"; nothing behind it does: no interface in its subnets has a security group that "
                                f"opens {port} to that range, so the port is closed one layer in")
            yield ctx.finding(
                rule_id, message,
                ("vpcs", vpc_name, "network_acls", name, "ingress", _entry_index(acl, "ingress", first_rule or 0)),
                f"vpc {vpc_name} / network ACL {name}", severity=severity, key=f"port/{port}",
            )


@rule("NACL001", "warning", "No NACL admits SSH (22) or RDP (3389) from the whole internet",
      semantics=("NACL-03", "NACL-04", "NACL-09"),
      rationale="Subnet-level defence in depth for administration ports. Computed on what the NACL admits: a "
                "lower-numbered deny really closes the port (peers flag the later allow anyway), and 0.0.0.0/1 + "
                "128.0.0.0/1 is the whole internet. TCP and UDP, as AWS Config's nacl-no-unrestricted-ssh-rdp. The "
                "NACL is one layer: a warning when a security group of an interface in its subnets opens the port to "
                "that range too; info when nothing does (the ephemeral return range 1024-65535 from 0.0.0.0/0, "
                "which NAT and load-balancer replies need, admits 3389 only as far as the NACL goes).",
      fix="Add a lower-numbered DENY for 22/3389 from 0.0.0.0/0 (and ::/0), or narrow the allow's CIDR; at info "
          "nothing behind the NACL opens the port, so this is only needed for the NACL to close it by itself.",
      peers={"checkov": ("CKV_AWS_232", "CKV_AWS_231"), "trivy": "AWS-0105", "securityhub": "EC2.21", "cis": "5.1",
             "awsconfig": "nacl-no-unrestricted-ssh-rdp"})
def nacl_admin_ports(ctx: CheckContext) -> Iterable[Finding]:
    yield from _world_ingress(ctx, "NACL001", [22], "SSH", layered=True)
    yield from _world_ingress(ctx, "NACL001", [3389], "RDP", layered=True)


@rule("NACL002", "warning", "No NACL admits FTP (20, 21) from the whole internet",
      semantics=("NACL-03", "NACL-09"),
      rationale="FTP sends credentials in clear text; open to the internet at the subnet level it is an easy target.",
      fix="Add a lower-numbered DENY for 20-21 from 0.0.0.0/0 (and ::/0), or narrow the allow's CIDR.",
      peers={"checkov": ("CKV_AWS_230", "CKV_AWS_229")})
def nacl_ftp(ctx: CheckContext) -> Iterable[Finding]:
    yield from _world_ingress(ctx, "NACL002", [20], "FTP data")
    yield from _world_ingress(ctx, "NACL002", [21], "FTP control")


@rule("NACL003", "warning", "No NACL entry admits every port or protocol from the whole internet",
      semantics=("NACL-09",),
      rationale="An inbound ALLOW with protocol -1 (ports are ignored whatever the entry says) or tcp/udp 0-65535 "
                "from the world leaves the subnet with no NACL protection. Only entries that still decide traffic "
                "count (an entry fully shadowed by lower denies is NACL005's). AWS's untouched default NACL is reported "
                "once, at info: allowing all is AWS's default and security groups still filter; peers do not flag "
                "it either (NACL001/NACL002 skip it).",
      fix="Replace it with entries for the service ports plus the ephemeral return range 1024-65535.",
      peers={"checkov": "CKV_AWS_352", "trivy": "AWS-0102", "cfn_nag": ("W66", "W67")})
def nacl_all_ports(ctx: CheckContext) -> Iterable[Finding]:
    cfg = settings(ctx)
    for vpc_name, name, acl, subnets in _nacls(ctx.design, custom_too=True):
        if is_aws_default_allow_all(ctx.design, vpc_name, name):
            yield ctx.finding(
                "NACL003",
                f"{_label(ctx, vpc_name, name, subnets)} is AWS's allow-all default: security groups alone filter "
                "traffic to these subnets; give them a custom NACL for subnet-level defence in depth",
                ("vpcs", vpc_name, "network_acls", name), f"vpc {vpc_name} / network ACL {name}",
                severity="info", key="aws-default",
            )
            continue
        for family in nacl_families(acl):
            verdict = _verdict(ctx, vpc_name, name, "ingress", family)
            for index, entry in enumerate(acl.ingress):
                if entry.action != "allow" or entry.cidr.version != family:
                    continue
                every_port = entry.protocol == ALL or (
                    entry.protocol in (TCP, UDP) and (entry.ports is None or (entry.ports.low, entry.ports.high) == (0, KEY_MAX)))
                if not every_port:
                    continue
                decided = verdict.effective.get(entry.rule, IPSet())
                if not open_to_world(decided, cfg.wide_prefix_ipv4, cfg.wide_prefix_ipv6):
                    continue
                what = "every protocol and port" if entry.protocol == ALL else f"every {protocol_name(entry.protocol)} port"
                ignored = f" (its port range {entry.ports} is ignored for protocol -1)" if entry.protocol == ALL and entry.ports else ""
                yield ctx.finding(
                    "NACL003",
                    f"{_label(ctx, vpc_name, name, subnets)}: inbound rule {entry.rule} admits {what} from "
                    f"{world_label(decided)}{ignored}",
                    ("vpcs", vpc_name, "network_acls", name, "ingress", index), f"vpc {vpc_name} / network ACL {name}",
                    key=f"ingress:{entry.rule}",
                )


@rule("NACL005", "warning", "No NACL entry is shadowed by lower-numbered entries",
      semantics=("NACL-03",),
      rationale="First match wins: an entry whose traffic is entirely decided by lower-numbered entries never takes "
                "effect. A shadowed DENY is a hole someone believes is closed (aws-semantics S14); a shadowed ALLOW is "
                "dead weight that counts against the 20-entry quota.",
      fix="Renumber the entry below the ones that shadow it, or delete it.",
      peers={"cfn_nag": ("W71", "W72")})
def nacl_shadowed(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, name, acl, subnets in _nacls(ctx.design, used_only=False):
        for direction in ("ingress", "egress"):
            entries = getattr(acl, direction)
            numbers = [e.rule for e in entries]
            for family in nacl_families(acl):
                verdict = _verdict(ctx, vpc_name, name, direction, family)
                for index, entry in enumerate(entries):
                    if entry.cidr.version != family or numbers.count(entry.rule) > 1:
                        continue  # duplicate numbers are NACL004's
                    if verdict.effective.get(entry.rule):
                        continue
                    shadows = [e for e in entries if e.rule < entry.rule and e.cidr.version == family
                               and _overlaps(e, entry)]
                    by = ", ".join(f"{e.rule} ({e.action})" for e in shadows) or "lower-numbered entries"
                    if entry.action == "deny" and any(e.action == "allow" for e in shadows):
                        what = "this DENY never takes effect: the traffic it names is already allowed"
                        severity = "warning"
                    else:
                        what = "it never decides any packet"
                        severity = "info" if all(e.action == entry.action for e in shadows) else "warning"
                    yield ctx.finding(
                        "NACL005",
                        f"NACL {name} {direction} rule {entry.rule} ({entry.action} {_entry_text(entry)}) is shadowed by "
                        f"rule(s) {by}; {what}",
                        ("vpcs", vpc_name, "network_acls", name, direction, index), f"vpc {vpc_name} / network ACL {name}",
                        severity=severity, key=f"{direction}:{entry.rule}",
                    )


def _entry_text(entry) -> str:
    proto = protocol_name(entry.protocol)
    if entry.protocol in (TCP, UDP) and entry.ports is not None:
        proto += f"/{entry.ports}"
    elif entry.protocol in (ICMP, ICMPV6) and entry.icmp_type not in (None, -1):
        proto += f" type {entry.icmp_type}" + (f" code {entry.icmp_code}" if entry.icmp_code not in (None, -1) else "")
    return f"{proto} {entry.cidr}"


def _overlaps(a, b) -> bool:
    from ._filters import rule_key_range

    if a.protocol != ALL and b.protocol != ALL and a.protocol != b.protocol:
        return False
    if not (IPSet([a.cidr]) & IPSet([b.cidr])):
        return False
    if ALL in (a.protocol, b.protocol):
        return True
    a_low, a_high = rule_key_range(a.protocol, a.ports, a.icmp_type, a.icmp_code)
    b_low, b_high = rule_key_range(b.protocol, b.ports, b.icmp_type, b.icmp_code)
    return a_low <= b_high and b_low <= a_high


def _return_like(entry, ephemeral: tuple[int, int]) -> bool:
    """Entries for the ephemeral range are the return half of someone else's flow, not a service."""
    if entry.protocol not in (TCP, UDP) or entry.ports is None:
        return True
    low, high = entry.ports.low, entry.ports.high
    return (low, high) == (0, KEY_MAX) or (low >= 1024 and high - low >= 1000) or (
        low <= ephemeral[0] and high >= ephemeral[1])


@rule("NACL006", "warning", "NACLs let replies through on the clients' ephemeral ports",
      semantics=("NACL-07", "SG-10"),
      rationale="Security groups are stateful, NACLs are not: for every flow a NACL admits, the replies are checked "
                "against the other direction on the client's ephemeral port — 32768-60999 for Linux, 49152-65535 for "
                "Windows, 1024-65535 for NAT gateways, load balancers and unknown internet clients (aws-semantics "
                "§1.7). Without a matching entry the connection hangs although every security group allows it.",
      fix="Add an entry in the other direction covering the clients' ephemeral ports: those of the interfaces "
          "that start the flow when they are in the design, 1024-65535 (the `ephemeral_ports` setting) for clients "
          "outside; deny unwanted ports with lower-numbered entries.")
def nacl_ephemeral(ctx: CheckContext) -> Iterable[Finding]:
    cfg = settings(ctx)
    low, high = cfg.ephemeral_ports
    for vpc_name, name, acl, subnets in _nacls(ctx.design):
        for direction, other in (("ingress", "egress"), ("egress", "ingress")):
            for family in nacl_families(acl):
                forward = _verdict(ctx, vpc_name, name, direction, family)
                back = _verdict(ctx, vpc_name, name, other, family)
                for index, entry in enumerate(getattr(acl, direction)):
                    if entry.action != "allow" or entry.cidr.version != family or _return_like(entry, (low, high)):
                        continue
                    peers = forward.effective.get(entry.rule, IPSet())
                    if not peers:
                        continue
                    needed, clients = _client_ports(ctx, vpc_name, subnets, direction, peers, (low, high))
                    span_low, span_high = needed[0][0], needed[-1][1]
                    allowed = [(s.low, s.high) for s in back.admitted_over(entry.protocol, span_low, span_high)
                               if peers.issubset(s.admitted)]
                    allowed = merge_intervals(allowed)
                    missing = [gap for interval in needed for gap in _missing(interval, allowed)]
                    if not missing:
                        continue
                    flow = (f"{direction} rule {entry.rule} admits {_entry_text(entry)}"
                            if direction == "ingress" else f"egress rule {entry.rule} lets out {_entry_text(entry)}")
                    if missing == needed:
                        consequence = f"so every reply to {clients} is dropped and connections hang"
                    else:
                        consequence = f"so replies to {clients} are dropped on some connections"
                    yield ctx.finding(
                        "NACL006",
                        f"NACL {name}: {flow}, but its {other} entries do not allow the replies to all of "
                        f"{world_label(peers)} on {protocol_name(entry.protocol)} {intervals_text(missing)}, {consequence}",
                        ("vpcs", vpc_name, "network_acls", name, direction, index), f"vpc {vpc_name} / network ACL {name}",
                        key=f"{direction}:{entry.rule}",
                    )


def _client_ports(
    ctx: CheckContext, vpc_name: str, subnets: list[str], direction: str, peers: IPSet, fallback: tuple[int, int],
) -> tuple[list[tuple[int, int]], str]:
    """The ephemeral ports the clients of a flow really use, and who they are (aws-semantics §1.7).

    Flows a NACL lets out start at the interfaces of its own subnets; flows it admits start at
    the peers, which are known interfaces when the peers lie inside the design's VPCs. Clients
    outside (the internet, on-premises) may use any of 1024-65535: the configured range.
    """
    from ..errors import VpckitError
    from ..reach import default_client_ports

    try:
        network = ctx.network
    except VpckitError:
        return [fallback], f"clients on {fallback[0]}-{fallback[1]}"
    index = _interface_index(ctx, network)
    if direction == "egress":
        key: tuple = ("egress", tuple(f"subnet:{vpc_name}/{subnet}" for subnet in sorted(subnets)))
        interfaces_of = lambda: [i for node in key[1] for i in index.by_subnet.get(node, ())]  # noqa: E731
    else:
        if not peers.issubset(index.inside):
            return [fallback], f"clients outside the VPCs (they may use {fallback[0]}-{fallback[1]})"
        key = ("ingress", tuple(str(c) for c in peers.iter_cidrs()))
        interfaces_of = lambda: index.within(peers)  # noqa: E731
    if key not in index.clients:  # many rules of many NACLs ask about the same clients
        index.clients[key] = _client_kinds(network, interfaces_of(), fallback, default_client_ports)
    return index.clients[key]


def _client_kinds(network, interfaces: list, fallback: tuple[int, int], default_client_ports) -> tuple[list, str]:
    if not interfaces:
        return [fallback], f"clients on {fallback[0]}-{fallback[1]}"
    kinds: dict[tuple[int, int], set[str]] = {}
    for interface in interfaces:
        kind = f"{interface.os} instance" if interface.owner_kind in ("instance", "network_interface") and interface.os \
            else interface.owner_kind.replace("_", " ")
        kinds.setdefault(default_client_ports(network, None, interface), set()).add(kind)  # type: ignore[arg-type]
    who = "; ".join(f"{', '.join(sorted(k))} clients on {a}-{b}" for (a, b), k in sorted(kinds.items()))
    return merge_intervals(sorted(kinds)), who


class _InterfaceIndex:
    """The network's interfaces by subnet and by address, built once per validation (rules ask per NACL entry)."""

    def __init__(self, ctx: CheckContext, network) -> None:
        self.by_subnet: dict[str, list] = {}
        self.addresses: dict[int, list[tuple[int, str]]] = {4: [], 6: []}
        for node, interface in network.interfaces.items():
            self.by_subnet.setdefault(interface.subnet, []).append(interface)
            for ip in (*interface.private_ips, *interface.ipv6):
                self.addresses[ip.version].append((int(ip), node))
        for values in self.addresses.values():
            values.sort()
        self.network = network
        self.inside = IPSet(cidr for vpc in ctx.design.vpcs.values() for cidr in (*vpc.cidrs, *vpc.ipv6_cidrs))
        self.clients: dict[tuple, tuple[list, str]] = {}

    def within(self, peers: IPSet) -> list:
        """The interfaces with an address in ``peers``, in address order, each once."""
        from bisect import bisect_left, bisect_right

        found: dict[str, None] = {}
        for cidr in peers.iter_cidrs():
            values = self.addresses[cidr.version]
            start = bisect_left(values, (int(cidr.first), ""))
            stop = bisect_right(values, (int(cidr.last), "\uffff"))
            found.update((node, None) for _, node in values[start:stop])
        return [self.network.interfaces[node] for node in found]


def _interface_index(ctx: CheckContext, network) -> _InterfaceIndex:
    index = ctx.__dict__.get("_nacl_interface_index")
    if index is None or index.network is not network:
        index = ctx.__dict__["_nacl_interface_index"] = _InterfaceIndex(ctx, network)
    return index


def _missing(span: tuple[int, int], allowed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, start = [], span[0]
    for a, b in allowed:
        if a > start:
            out.append((start, a - 1))
        start = max(start, b + 1)
    if start <= span[1]:
        out.append((start, span[1]))
    return out


@rule("NACL007", "info", "Every custom NACL is associated with a subnet",
      semantics=("NACL-01",),
      rationale="An unassociated NACL filters nothing; it usually means a subnet silently fell back to the default "
                "(allow-all) NACL instead of the one written for it.",
      fix="Associate the NACL with the subnets it was written for (`nacl:` on the subnet), or delete it.",
      peers={"checkov": "CKV2_AWS_1", "securityhub": "EC2.16"})
def nacl_unused(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, name, acl, subnets in _nacls(ctx.design, used_only=False):
        if subnets or name == ctx.design.vpcs[vpc_name].default_network_acl:
            continue
        yield ctx.finding("NACL007", f"NACL {name} is not associated with any subnet",
                          ("vpcs", vpc_name, "network_acls", name), f"vpc {vpc_name} / network ACL {name}", key="unused")


@rule("NACL010", "warning", "Restrictive NACLs let Path-MTU discovery through (ICMP 3/4, ICMPv6 2)",
      semantics=("NACL-13",),
      rationale="Traffic leaving the VPC (internet, VPN, inter-Region peering, transit gateway) meets smaller MTUs "
                "than the VPC's 9001 bytes. Routers then send ICMP 'fragmentation needed' (type 3 code 4; ICMPv6 "
                "'packet too big', type 2); a NACL that drops them makes large TCP transfers hang while small "
                "requests work (aws-semantics S58). A warning when the NACL admits TCP from outside the VPC, info "
                "when only from inside it.",
      fix="Allow icmp type 3 code 4 (and icmpv6 type 2) from the addresses the subnet talks to outside the VPC, in "
          "both directions.")
def nacl_pmtud(ctx: CheckContext) -> Iterable[Finding]:
    for vpc_name, name, acl, subnets in _nacls(ctx.design):
        inside = IPSet(ctx.design.vpcs[vpc_name].cidrs + list(ctx.design.vpcs[vpc_name].ipv6_cidrs))
        for direction in ("ingress", "egress"):
            for family in nacl_families(acl):
                verdict = _verdict(ctx, vpc_name, name, direction, family)
                tcp = IPSet()
                for part in verdict.slices:
                    if part.protocol == TCP:
                        tcp |= part.admitted
                if not tcp:
                    continue
                icmp, key, label = (ICMP, 3 * 256 + 4, "icmp 3/4") if family == 4 else (ICMPV6, 2 * 256, "icmpv6 type 2")
                missing = tcp - verdict.admitted(icmp, key)
                if not missing:
                    continue
                outside = missing - inside
                word = "from" if direction == "ingress" else "to"
                if outside:
                    consequence = (f"traffic {word} outside the VPC ({world_label(outside)}) meets smaller MTUs, so "
                                   f"Path-MTU discovery breaks and large transfers stall")
                else:
                    consequence = ("inside the VPC the MTU is 9001 everywhere, so this bites only once the traffic "
                                   "crosses a transit gateway (8500), a VPN or inter-Region peering (1500)")
                yield ctx.finding(
                    "NACL010",
                    f"NACL {name} admits TCP {word} {world_label(tcp)} but not {label} {word} "
                    f"{'those addresses' if missing == tcp else world_label(missing)}; {consequence}",
                    ("vpcs", vpc_name, "network_acls", name, direction), f"vpc {vpc_name} / network ACL {name}",
                    severity="warning" if outside else "info",
                    key=f"{direction}:ipv{family}",
                )
