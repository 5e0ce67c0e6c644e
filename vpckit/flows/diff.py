"""``diff``: what a change opens or closes, between any two inputs vpckit reads.

Both networks are asked the same questions: interface classes and address atoms are taken over
*both* (an interface's class is the pair of its classes in the old and the new network, an atom is
a piece that neither network cuts), so a flow is compared with itself. For every pair of ends,
``ports`` runs in each network and the two answers are compared range by range; where a range got
through in one and not (or less) in the other, the row says ``opened`` or ``closed`` and names the
settings that made the difference: the blockers present on one side only, placed in their input
(``file:line:col``), or the path (gateway, peering, transit gateway) that appeared or went away.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from netaddr import IPAddress

from ..errors import QueryError
from ..network.build import Network
from ..network.places import design_path, place
from ..reach.engine import answer
from ..reach.answer import Blocker
from .atoms import address_atoms, cidrs_of, interface_classes
from .ports import as_network, ports
from .rows import EndpointInfo, FlowRow, PortsAnswer
from .segments import pieces
from .sharing import SharedAnswers

__all__ = ["diff", "DiffAnswer", "DiffRow", "Cause", "FAIL_ON"]

#: What ``--fail-on`` accepts.
FAIL_ON = ("opened", "closed", "internet", "any")
#: How much gets through: a change to a higher rank opens, to a lower one closes.
_RANK = {"closed": 0, "undetermined": 1, "partial": 2, "open": 3}
_LEFT_OUT = ("nat_gateway", "transit_gateway", "vpc_endpoint")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Cause:
    """A setting that makes the difference: on which side it acts, what it is, where it was written."""

    side: str  # "old" or "new": the input the setting is read from
    code: str
    component: str
    setting: str
    message: str
    place: str

    @property
    def identity(self) -> tuple:
        """The cause without its message (which names the one address or port it was asked with)."""
        return (self.side, self.code, self.component, self.setting, self.place)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"side": self.side, "code": self.code, "component": self.component, "setting": self.setting,
                "message": self.message, "place": self.place}


@dataclass(frozen=True)
class DiffRow:
    """One range whose status changed: ``row`` holds the ends, protocol and ports (and the new status)."""

    change: str  # opened | closed
    before: str
    after: str
    row: FlowRow
    causes: tuple[Cause, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The flow row of DESIGN.md with ``change``, ``before``, ``after`` and ``causes``."""
        out = self.row.to_dict()
        out.update(change=self.change, before=self.before, after=self.after,
                   causes=[c.to_dict() for c in self.causes])
        return out


@dataclass
class DiffAnswer:
    """Every range that opened or closed between ``old`` and ``new``, and what the comparison cost."""

    old: str
    new: str
    rows: list[DiffRow] = field(default_factory=list)
    classes: int = 0
    atoms: int = 0
    pairs: int = 0
    walks: int = 0
    notes: list[str] = field(default_factory=list)

    def opened(self) -> list[DiffRow]:
        """The rows that opened."""
        return [r for r in self.rows if r.change == "opened"]

    def closed(self) -> list[DiffRow]:
        """The rows that closed."""
        return [r for r in self.rows if r.change == "closed"]

    def fails(self, kind: str) -> bool:
        """Whether a change of ``kind`` (``opened``, ``closed``, ``internet``: opened from the internet, ``any``) exists."""
        if kind == "any":
            return bool(self.rows)
        if kind == "internet":
            return any(r.change == "opened" and r.row.source.kind == "internet" for r in self.rows)
        return any(r.change == kind for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        """``{"old", "new", "flows": [rows], "opened", "closed", "classes", "atoms", "pairs", "walks", "notes"}``."""
        return {"old": self.old, "new": self.new, "flows": [r.to_dict() for r in self.rows],
                "opened": len(self.opened()), "closed": len(self.closed()), "classes": self.classes,
                "atoms": self.atoms, "pairs": self.pairs, "walks": self.walks, "notes": list(self.notes)}


@dataclass(frozen=True)
class _End:
    text: str  # what both networks are asked with
    group: str  # rows of ends of one group merge (outside atoms into CIDRs)
    info: EndpointInfo
    interval: tuple[int, int] | None = None
    family: int | None = None
    nodes: tuple[str, ...] = ()  # the interfaces a class end stands for


def diff(old: Network | Any, new: Network | Any, *, sources: str | None = None, to: str | None = None,
         progress: Progress | None = None) -> DiffAnswer:
    """Every flow that ``new`` opens or closes compared with ``old``.

    ``old`` and ``new`` are networks, designs or paths of any input vpckit reads. ``sources`` limits
    the senders (a name, ``internet``), ``to`` the receivers (a name). Raises
    :class:`~vpckit.errors.QueryError` when ``sources`` or ``to`` names nothing in either network.

    >>> same = diff("designs/three-tier.yaml", "designs/three-tier.yaml")
    >>> same.rows
    []
    """
    old_net, new_net = as_network(old), as_network(new)
    result = DiffAnswer(_label(old, old_net), _label(new, new_net))
    classes = _joint_classes(old_net, new_net)
    result.classes = len(classes)
    outside = _outside_ends(old_net, new_net)
    result.atoms = len(outside)
    interfaces = [_interface_end(old_net, new_net, nodes) for nodes in classes]
    senders = [e for e in interfaces if _kind(old_net, new_net, e.text) not in _LEFT_OUT]
    receivers = [e for e in interfaces if _kind(old_net, new_net, e.text) not in _LEFT_OUT + ("load_balancer",)]
    receivers += _load_balancer_ends(old_net, new_net)
    if sources is not None:
        senders = _select(old_net, new_net, sources, outside, "--from")
    else:
        senders = outside + senders
    if to is not None:
        receivers = _select(old_net, new_net, to, outside, "--to")
    else:  # the network's own interfaces reach out too: to the internet and on premises
        receivers = receivers + outside
    scope = _scope(old_net, new_net)
    if scope.touched is not None:
        result.notes.append(f"only flows from or to what the change touches were compared ({scope.reason}); no "
                            "other walk consults a changed setting")
    protocols = sorted(scope.protocols) if scope.protocols is not None else None
    merged: dict[tuple, list] = {}
    shares: tuple[dict, dict] = ({}, {})  # per network: answers shared by sources a destination cannot tell apart
    causes: dict[tuple, tuple] = {}  # (old answer, new answer, their causes), by the answers' ids
    total = len(senders) * len(receivers)
    done = 0
    touched_receivers = [dst for dst in receivers if scope.touches(dst)]
    for src in senders:
        # an untouched source can only see a change at a touched destination
        for dst in receivers if scope.touches(src) else touched_receivers:
            done += 1
            if src.group == dst.group or (src.interval is not None and dst.interval is not None):
                continue
            if src.family and dst.family and src.family != dst.family:
                continue
            before = _ask(old_net, src, dst, result, protocols, shares[0])
            after = _ask(new_net, src, dst, result, protocols, shares[1])
            if before is None and after is None:
                continue
            result.pairs += 1
            for change in _changes(old_net, new_net, src, dst, before, after, causes):
                key = (src.group, dst.group, change.row.family, change.row.protocol, change.row.low, change.row.high,
                       change.change, change.before, change.after, tuple(c.identity for c in change.causes))
                entry = merged.setdefault(key, [src, dst, change, []])
                entry[3].append(src.interval or dst.interval)
            if progress is not None:
                progress(done, total)
    for src, dst, change, intervals in merged.values():
        result.rows.append(_relabel(old_net, new_net, src, dst, change, intervals))
    result.rows.sort(key=lambda r: (r.change != "opened", r.row.source.name, r.row.destination.name, r.row.family,
                                    r.row.protocol, r.row.low))
    return result


def _label(value: Any, network: Network) -> str:
    return str(value) if not isinstance(value, Network) else network.design.name


def _kind(old: Network, new: Network, node: str) -> str:
    iface = new.interfaces.get(node) or old.interfaces.get(node)
    return iface.owner_kind if iface is not None else ""


# --------------------------------------------------------------------------- the ends


def _joint_classes(old: Network, new: Network) -> list[tuple[str, ...]]:
    """Interfaces of either network grouped by their class in both (absent on one side counts as a class)."""
    index: dict[str, list[Any]] = {}
    for side, network in enumerate((old, new)):
        for number, klass in enumerate(interface_classes(network)):
            for member in klass.members:
                index.setdefault(member, [None, None])[side] = number
    groups: dict[tuple, list[str]] = {}
    for node in sorted(index):
        groups.setdefault(tuple(index[node]), []).append(node)
    return [tuple(members) for members in groups.values()]


def _interface_end(old: Network, new: Network, nodes: tuple[str, ...]) -> _End:
    node = nodes[0]
    iface = new.interfaces.get(node) or old.interfaces[node]
    names = tuple(dict.fromkeys((new.interfaces.get(n) or old.interfaces[n]).name for n in nodes))
    label = names[0] if len(names) == 1 else f"{names[0]} (+{len(names) - 1})"
    addresses = tuple(dict.fromkeys(
        f"{a}/{32 if a.version == 4 else 128}" for n in nodes for net in (new, old) if n in net.interfaces
        for a in (*net.interfaces[n].private_ips, *net.interfaces[n].ipv6)))
    return _End(node, f"class:{node}", EndpointInfo(label, "interface", iface.node, addresses,
                                                     names if len(names) > 1 else ()), nodes=tuple(nodes))


def _load_balancer_ends(old: Network, new: Network) -> list[_End]:
    ends = {}
    for network in (old, new):
        for lb in network.load_balancers.values():
            text = f"{lb.vpc}/{lb.name}"
            ends.setdefault(lb.node, _End(text, f"lb:{lb.node}", EndpointInfo(text, "load_balancer", lb.node)))
    return [ends[k] for k in sorted(ends)]


def _outside_ends(old: Network, new: Network) -> list[_End]:
    """Representatives of the pieces of the outside (internet, on premises) that neither network cuts."""
    ends = []
    for family in (4, 6):
        starts = sorted(set(address_atoms(old, with_interfaces=False)[family].starts)
                        | set(address_atoms(new, with_interfaces=False)[family].starts))
        top = 2**32 - 1 if family == 4 else 2**128 - 1
        for low, nxt in zip(starts, [*starts[1:], top + 1]):
            found = _representative(old, new, family, low, nxt - 1)
            if found is not None:
                ends.append(found)
    return ends


def _representative(old: Network, new: Network, family: int, low: int, high: int) -> _End | None:
    from .exposure import _on_the_internet

    for value in dict.fromkeys((low, low + 1, (low + high) // 2, high)):
        if not low <= value <= high:
            continue
        address = IPAddress(value, family)
        kinds = {net.resolve_endpoint(str(address)).kind for net in (old, new)}
        if not kinds <= {"internet", "onprem"}:
            continue  # owned, or inside a VPC, in one of them
        endpoint = new.resolve_endpoint(str(address))
        if endpoint.kind == "internet" and not _on_the_internet(address):
            return None
        if kinds == {"internet"}:
            return _End(str(address), "internet", EndpointInfo("internet", "internet", "internet"), (low, high), family)
        name = endpoint.node.split(":", 1)[-1] if endpoint.kind == "onprem" else "on premises"
        return _End(str(address), f"onprem:{name}", EndpointInfo(name, "onprem", endpoint.node), (low, high), family)
    return None


def _select(old: Network, new: Network, text: str, outside: list[_End], flag: str) -> list[_End]:
    """The ends a ``--from``/``--to`` names: ``internet``, ``on-prem``, or a resource of either network."""
    lowered = text.strip().lower()
    if lowered in ("internet", "0.0.0.0/0"):
        return [e for e in outside if e.group == "internet"]
    if lowered in ("on-prem", "onprem", "on-premises"):
        return [e for e in outside if e.group.startswith("onprem:")]
    for network in (new, old):
        try:
            endpoint = network.resolve_endpoint(text)
        except QueryError:
            continue
        return [_End(text, f"end:{endpoint.node}", EndpointInfo(text, endpoint.kind, endpoint.node))]
    try:
        new.resolve_endpoint(text)
    except QueryError as error:  # neither knows it: the error with close names
        raise QueryError(f"{flag}: {error}") from None
    raise QueryError(f"{flag} {text}: not found")


# --------------------------------------------------------------------------- what the change touches

#: Parts of a network whose change can touch any flow: compared as a whole.
_GLOBAL = ("vpcs", "peerings", "transit_gateways", "nat_gateways", "gateway_endpoints", "inspection_endpoints",
           "onprem", "prefix_lists", "vpn_prefixes", "account_addresses")
#: Interfaces that other flows go through: a change there can touch any flow.
_PATH_KINDS = ("nat_gateway", "transit_gateway", "vpc_endpoint")
_PROTOCOL_NAMES = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6"}


@dataclass
class _Scope:
    """The ends whose flows a change can touch (None: any), and the protocols it can touch (None: any)."""

    touched: set[str] | None = None
    protocols: set[str] | None = None
    reason: str = ""

    def touches(self, end: _End) -> bool:
        return self.touched is None or bool(self.touched & set(end.nodes or (end.info.node,)))


def _changed(old: Network, new: Network, part: str) -> set[str]:
    before, after = getattr(old, part), getattr(new, part)
    return {key for key in set(before) | set(after) if before.get(key) != after.get(key)}


def _scope(old: Network, new: Network) -> _Scope:
    """Which flows can differ: those from or to an interface whose groups, NACL, route table or subnet changed.

    A walk decides only by the components it consults (the premise of interface classes and atoms,
    checked by the property tests); a walk that consults none that changed answers alike in both
    networks. A change where walks of other ends pass (a NAT gateway, a transit gateway, an edge or
    TGW route table, a peering, a gateway, an appliance) can touch any flow: then everything is compared.
    """
    if any(_changed(old, new, part) for part in _GLOBAL):
        return _Scope(reason="")
    tables = _changed(old, new, "route_tables")
    edge = {t for net in (old, new) for vpc in net.vpcs.values() for t in vpc.edge_tables.values()}
    if any(t.startswith("tgw") or t in edge for t in tables):
        return _Scope()
    nacls, groups = _changed(old, new, "nacls"), _changed(old, new, "security_groups")
    subnets = _changed(old, new, "subnets") | {node for net in (old, new) for node, subnet in net.subnets.items()
                                               if subnet.nacl in nacls or subnet.route_table in tables}
    touched = _changed(old, new, "interfaces")
    for net in (old, new):
        touched |= {node for node, iface in net.interfaces.items()
                    if iface.subnet in subnets or set(iface.security_groups) & groups}
    for net in (old, new):
        if any(net.interfaces[n].owner_kind in _PATH_KINDS or not net.interfaces[n].source_dest_check
               for n in touched if n in net.interfaces):
            return _Scope()
    balancers = _changed(old, new, "load_balancers")
    for net in (old, new):  # a load balancer answers through its interfaces and its targets
        for lb in net.load_balancers.values():
            if lb.node in balancers or set(lb.interfaces) & touched or _target_interfaces(net, lb) & touched:
                touched.add(lb.node)
    protocols = None
    if not (tables or subnets - {n for net in (old, new) for n, s in net.subnets.items() if s.nacl in nacls}
            or _changed(old, new, "interfaces") or balancers):
        protocols = _rule_protocols(old, new, nacls, groups)
    what = ", ".join(sorted(nacls | groups | tables | balancers)) or "interfaces"
    return _Scope(touched, protocols, f"changed: {what}")


def _target_interfaces(network: Network, lb) -> set[str]:
    """The interfaces of a load balancer's targets (as the engine resolves them)."""
    out: set[str] = set()
    for _, _, targets in lb.target_groups.values():
        for target in targets:
            for text in (f"{lb.vpc}/{target}", target):
                try:
                    endpoint = network.resolve_endpoint(text)
                except QueryError:
                    continue
                out.update(endpoint.interfaces or (endpoint.node,))
                break
    return out


def _rule_protocols(old: Network, new: Network, nacls: set[str], groups: set[str]) -> set[str] | None:
    """The protocols of the rules that differ (a rule of one protocol changes no flow of another); None: all."""
    numbers: set[int] = set()
    for part, keys in (("nacls", nacls), ("security_groups", groups)):
        for key in keys:
            before, after = getattr(old, part).get(key), getattr(new, part).get(key)
            for side in ("ingress", "egress"):
                rules_before = set(getattr(before, side, ()) if before is not None else ())
                rules_after = set(getattr(after, side, ()) if after is not None else ())
                numbers |= {rule.protocol for rule in rules_before ^ rules_after}
    if -1 in numbers or not numbers:
        return None
    return {_PROTOCOL_NAMES.get(n, str(n)) for n in numbers}


# --------------------------------------------------------------------------- the comparison


def _ask(network: Network, src: _End, dst: _End, result: DiffAnswer, protocols: list[str] | None = None,
         shares: dict | None = None) -> PortsAnswer | None:
    """``ports`` in one network; None when an end does not exist there (or they share no address family).

    A source class that the destination cannot tell from one already asked takes its answer
    (:class:`~vpckit.flows.sharing.SharedAnswers`): the statuses of its rows hold for it too, and its
    rows are relabelled and its causes walked anew.
    """
    shared = None
    if shares is not None and src.nodes and src.text in network.interfaces and dst.nodes and \
            dst.text in network.interfaces:
        shared = shares.setdefault(dst.text, SharedAnswers(network, (dst.text,)))
        found = shared.lookup(src.text)
        if found is not None:
            return found
    try:
        answer = ports(network, src.text, dst.text, protocols=protocols)
    except QueryError:
        return None
    result.walks += answer.walks
    if shared is not None:
        shared.store(src.text, answer)
    return answer


def _key(row: FlowRow) -> tuple:
    return (row.family, row.protocol, row.numbers)


def _changes(old: Network, new: Network, src: _End, dst: _End, before: PortsAnswer | None,
             after: PortsAnswer | None, causes: dict) -> list[DiffRow]:
    """The ranges whose status differs between two answers for the same pair of ends."""
    old_rows: dict[tuple, list[FlowRow]] = {}
    new_rows: dict[tuple, list[FlowRow]] = {}
    for rows, asked in ((old_rows, before), (new_rows, after)):
        for row in asked.flows if asked is not None else ():
            rows.setdefault(_key(row), []).append(row)
    out: list[DiffRow] = []
    for key in sorted(set(old_rows) | set(new_rows), key=str):
        olds, news = old_rows.get(key, []), new_rows.get(key, [])
        cuts = {edge for row in (*olds, *news) for edge in (row.low, row.high + 1)}
        low = min(row.low for row in (*olds, *news))
        high = max(row.high for row in (*olds, *news))
        for lo, hi in pieces(low, high, cuts):
            was = next((r for r in olds if r.low <= lo <= r.high), None)
            now = next((r for r in news if r.low <= lo <= r.high), None)
            was_status = was.status if was is not None else "closed"
            now_status = now.status if now is not None else "closed"
            if _RANK[was_status] == _RANK[now_status] and (was_status != "partial" or
                                                           was.failing_client_ports == now.failing_client_ports):
                continue
            opened = _RANK[now_status] > _RANK[was_status] or (
                _RANK[now_status] == _RANK[was_status] and _width(now) < _width(was))
            shown = now if now is not None else was
            row = FlowRow(shown.family, shown.protocol, lo, hi, now_status, shown.source, shown.destination,
                          now.blockers if now is not None else (), now.failing_client_ports if now is not None else (),
                          now.undetermined if now is not None else (), now.via if now is not None else (), shown.numbers)
            out.append(DiffRow("opened" if opened else "closed", was_status, now_status, row))
    changes = []
    for change in _merged(out):
        # sources that took the same shared answers in both networks have the same causes: walk them once
        key = (id(before), id(after), dst.text, change.change, change.row.family, change.row.protocol,
               change.row.low, change.row.high)
        known = causes.get(key)
        if known is None or known[0] is not before or known[1] is not after:  # ids of answers gone are reused
            known = causes[key] = (before, after, _causes(old, new, src, dst, change, before is None, after is None))
        changes.append(replace(change, causes=known[2]))
    return changes


def _width(row: FlowRow | None) -> int:
    return sum(hi - lo + 1 for lo, hi in row.failing_client_ports) if row is not None else 0


def _blocker_key(blocker: Blocker) -> tuple:
    return (blocker.code, blocker.component, blocker.setting, blocker.leg)


def _causes(old: Network, new: Network, src: _End, dst: _End, change: DiffRow, absent_before: bool,
            absent_after: bool) -> tuple[Cause, ...]:
    """What made the difference: blockers on one side only; else the path or the end that came or went.

    The blockers come from a ``reach`` walk of exactly the changed range in each network (so their
    messages name those ports); each is placed where the new input declares the setting, or the old
    one when the change removed it.
    """
    row = change.row
    if absent_before or absent_after:
        side, network = ("new", new) if absent_before else ("old", old)
        missing = [e for e in (row.source, row.destination) if e.kind not in ("internet", "onprem")]
        return tuple(Cause(side, "ADDED" if absent_before else "REMOVED", e.node, e.node,
                           f"{e.name} is {'new' if absent_before else 'gone'}", place(network.design, e.node))
                     for e in missing[:2])
    was, now = _walk(old, src, dst, row), _walk(new, src, dst, row)
    old_blockers = {_blocker_key(b): b for b in (*was.blockers, *was.undetermined)} if was else {}
    new_blockers = {_blocker_key(b): b for b in (*now.blockers, *now.undetermined)} if now else {}
    if change.change == "opened":
        differing = [("old", b) for k, b in old_blockers.items() if k not in new_blockers]
    else:
        differing = [("new", b) for k, b in new_blockers.items() if k not in old_blockers]
    causes = [Cause(side, b.code, b.component, b.setting, b.message, _place(old, new, b.setting or b.component))
              for side, b in differing]
    if not causes:  # the same blockers: the path itself changed (a gateway, peering or attachment came or went)
        old_via = set(_via(was))
        new_via = set(_via(now))
        for component in sorted(new_via - old_via):
            causes.append(Cause("new", "PATH", component, component, f"the flow now goes through {component}",
                                _place(old, new, component)))
        for component in sorted(old_via - new_via):
            causes.append(Cause("old", "PATH", component, component, f"the flow no longer goes through {component}",
                                _place(old, new, component)))
    return tuple(sorted(causes, key=lambda c: (c.side, c.component, c.code)))


def _walk(network: Network, src: _End, dst: _End, row: FlowRow):
    """The ``reach`` answer for exactly the row's range (its first ICMP type/code; none for the ``other`` row,
    whose own blockers are not re-walked)."""
    query = row.query(src.text, dst.text)
    try:
        return answer(network, query, row.family) if query is not None else None
    except QueryError:
        return None


def _via(result) -> list[str]:
    if result is None:
        return []
    return [hop.component for hop in result.forward if hop.kind in ("igw", "eigw", "pcx", "tgw", "vgw", "lb", "vpce",
                                                                     "nat")]


def _place(old: Network, new: Network, setting: str) -> str:
    """Where to look: the new input when it still declares the setting, else the old one."""
    first = setting.split(",", 1)[0]
    if design_path(new.design, first, exact=True):
        return place(new.design, first)
    if design_path(old.design, first, exact=True):
        return place(old.design, first)
    return place(new.design, first)


def _merged(rows: list[DiffRow]) -> list[DiffRow]:
    """Neighbouring ranges with the same change and causes as one row."""
    out: list[DiffRow] = []
    for row in rows:
        last = out[-1] if out else None
        if last is not None and last.row.high + 1 == row.row.low and (
                last.change, last.before, last.after, last.causes, _key(last.row)) == (
                row.change, row.before, row.after, row.causes, _key(row.row)) and row.row.space != "icmp":
            out[-1] = DiffRow(last.change, last.before, last.after,
                              replace(last.row, high=row.row.high), last.causes)
        else:
            out.append(row)
    return out


def _relabel(old: Network, new: Network, src: _End, dst: _End, change: DiffRow, intervals: list) -> DiffRow:
    """The row with its ends as the question named them, outside atoms merged into the fewest CIDRs."""
    row = change.row

    def end(e: _End, shown: EndpointInfo) -> EndpointInfo:
        if e.interval is not None:
            return EndpointInfo(e.info.name, e.info.kind, e.info.node, tuple(cidrs_of(row.family, sorted(set(intervals)))))
        addresses = e.info.addresses or shown.addresses
        return EndpointInfo(e.info.name, e.info.kind, e.info.node, addresses, e.info.members).of_family(row.family)

    relabelled = FlowRow(row.family, row.protocol, row.low, row.high, row.status, end(src, row.source),
                         end(dst, row.destination), row.blockers, row.failing_client_ports, row.undetermined,
                         row.via, row.numbers)
    return DiffRow(change.change, change.before, change.after, relabelled, change.causes)

