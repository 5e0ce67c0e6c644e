"""The interactive view: one self-contained HTML file with the diagram, pan and zoom, search and details.

``vpckit diagram SOURCE -o net.html`` writes the SVG of the diagram inline, the facts of every drawn
component as JSON (addresses, CIDRs, the route table, NACL and group rules that apply, what the internet
reaches on it and who reaches it), and a small script: drag to pan, wheel or +/- to zoom, a search box
that finds a component by name, id or address, and a panel with the details of the clicked one. Nothing
is fetched from the network; the file opens anywhere.

The page also answers ``#search=TEXT`` in its address (it searches and shows the first match), which is
how the browser test drives it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

__all__ = ["page", "component_facts"]

#: Beyond this many interfaces the "who reaches it" question is left to ``vpckit exposure --to``.
REACH_LIMIT = 60
#: The resources whose callers the panel lists (gateways and load balancers' own interfaces are paths, not ends).
_REACHED_KINDS = ("instance", "network_interface", "rds", "lambda", "efs")


def component_facts(network: Any, drawn: set[str]) -> dict[str, dict[str, Any]]:
    """Component id -> what the details panel shows, for every drawn component the network knows.

    >>> from vpckit.model import Design
    >>> from vpckit.network import build_network
    >>> net = build_network(Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "subnets": {
    ...     "a": {"az": "us-east-1a", "cidr": "10.0.1.0/24"}}, "instances": {"web": {"subnet": "a"}}}}}))
    >>> facts = component_facts(net, {"eni:p/web", "subnet:p/a"})
    >>> facts["eni:p/web"]["addresses"], facts["subnet:p/a"]["cidr"]
    (['10.0.1.4'], '10.0.1.0/24')
    """
    names = network.display_names
    out: dict[str, dict[str, Any]] = {}
    for node in sorted(drawn):
        entry: dict[str, Any] = {"id": node, "name": names.get(node) or _short(node), "kind": node.split(":", 1)[0]}
        iface = network.interfaces.get(node)
        subnet = network.subnets.get(node) or (network.subnets.get(iface.subnet) if iface else None)
        if iface is not None:
            entry["addresses"] = [str(a) for a in (*iface.private_ips, *iface.public_ips, *iface.ipv6)]
            entry["security_groups"] = [_group(network, g) for g in iface.security_groups]
            entry["subnet"] = iface.subnet
        if node in network.subnets:
            entry["cidr"] = str(subnet.cidr) + (f", {subnet.ipv6_cidr}" if subnet.ipv6_cidr else "")
            entry["az"] = subnet.az
        if subnet is not None:
            table = network.route_tables.get(subnet.route_table)
            entry["route_table"] = {"name": _short(subnet.route_table),
                                    "routes": [route.text() for route in table.routes] if table else []}
            nacl = network.nacls.get(subnet.nacl)
            entry["nacl"] = {"name": _short(subnet.nacl),
                             "inbound": [e.text("ingress") for e in nacl.ingress] if nacl else [],
                             "outbound": [e.text("egress") for e in nacl.egress] if nacl else []}
        vpc = network.vpcs.get(node[len("vpc:"):]) if node.startswith("vpc:") else None
        if vpc is not None:
            entry["cidr"] = ", ".join(str(c) for c in vpc.cidrs)
        about = _about(network, node)
        if about:
            entry["about"] = about
        out[node] = entry
    _reachability(network, out)
    return out


def _about(network: Any, node: str) -> list[str]:
    """What a peering, a transit gateway or an attachment connects, and the routes that use it."""
    def vpc_text(name: str | None) -> str:
        info = network.vpcs.get(name) if name else None
        return f"VPC {name} ({', '.join(str(c) for c in info.cidrs)})" if info else f"VPC {name or '?'} (not in the input)"

    def routes_to(target: str, vpc: str | None = None) -> list[str]:
        """``route in app/public: 10.20.0.0/16`` for each route (of ``vpc``'s tables, if given) to ``target``."""
        return [f"route in {setting.split(':', 1)[-1]}: {route.destination}"
                for setting, table in sorted(network.route_tables.items())
                if vpc is None or setting.split(":", 1)[-1].split("/", 1)[0] == vpc
                for route in table.routes if route.target == target]

    if node in network.peerings:
        pcx = network.peerings[node]
        return [f"state {pcx.state}" + ("" if pcx.active else " (carries no traffic, PCX-08)"),
                f"{vpc_text(pcx.requester)} and {vpc_text(pcx.accepter)}",
                "same Region" if pcx.same_region else "between Regions", *routes_to(node)]
    hub = network.transit_gateways.get(node)
    if hub is not None:
        return [f"attachment {a.name}: {a.type}" + (f" of VPC {a.vpc}" if a.vpc else "") +
                (f", TGW route table {_short(a.route_table)}" if a.route_table else ", no TGW route table (TGW-03)")
                for _, a in sorted(hub.attachments.items())]
    if node.startswith("tgw-attach:"):
        tgw, _, name = node[len("tgw-attach:"):].partition("/")
        hub = network.transit_gateways.get(f"tgw:{tgw}")
        attachment = hub.attachments.get(name) if hub else None
        if attachment is None:
            return []
        lines = [f"state {attachment.state}", f"subnets {', '.join(_short(s) for s in attachment.subnets) or 'none'}"]
        table_name = _short(attachment.route_table) if attachment.route_table else None
        table = hub.route_tables.get(table_name) if table_name else None
        if table is not None:
            lines += [f"TGW route table {table_name}: {route.text()}" for route in table.routes]
        return lines + routes_to(f"tgw:{tgw}", attachment.vpc)
    return []


def _short(node: str) -> str:
    return node.split("/", 1)[1] if "/" in node else node.split(":", 1)[-1]


def _group(network: Any, setting: str) -> dict[str, Any]:
    group = network.security_groups.get(setting)
    return {"name": _short(setting),
            "inbound": [r.text("ingress") for r in group.ingress] if group else [],
            "outbound": [r.text("egress") for r in group.egress] if group else []}


def _reachability(network: Any, facts: dict[str, dict[str, Any]]) -> None:
    """What the internet reaches on each component, and (on networks small enough) who reaches it."""
    from ..flows import exposure

    for row in exposure(network).flows:
        node = row.destination.node
        for member in (node, *row.destination.members):
            if member in facts:
                facts[member].setdefault("from_internet", []).append(f"{row.protocol} {row.ports}")
    if len(network.interfaces) > REACH_LIMIT:
        for entry in facts.values():
            entry["reached_by_note"] = f"vpckit exposure SOURCE --to {entry['id']}"
        return
    for node, entry in facts.items():
        if node not in network.interfaces or network.interfaces[node].owner_kind not in _REACHED_KINDS:
            continue
        rows = exposure(network, to=node).flows
        entry["reached_by"] = sorted({f"{row.source.name}: {row.protocol} {row.ports}" for row in rows})


_STYLE = """
body{margin:0;font:13px Helvetica,Arial,sans-serif;color:#232F3E;display:flex;height:100vh}
#view{flex:1;min-width:0;overflow:hidden;cursor:grab;background:#fff}#view svg{width:100%;height:100%}
#side{flex:none;width:360px;border-left:1px solid #ccc;padding:10px;overflow:auto;background:#fafafa}
#search{width:100%;box-sizing:border-box;padding:6px;font-size:14px}
#results div{padding:2px 4px;cursor:pointer}#results div:hover{background:#e6f6f7}
.hit polygon,.hit path,.hit ellipse{stroke:#d13212!important;stroke-width:4px!important}
#details h2{font-size:15px;margin:10px 0 4px}#details h3{font-size:13px;margin:8px 0 2px}
#details ul{margin:0;padding-left:18px}#details .id{color:#687078;font-size:11px}
#zoom button{margin:4px 4px 0 0}
"""

_SCRIPT = r"""
const facts = JSON.parse(document.getElementById('facts').textContent);
const svg = document.querySelector('#view svg');
const box = svg.viewBox.baseVal; const home = {x: box.x, y: box.y, w: box.width, h: box.height};
let view = Object.assign({}, home);
function apply() { svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`); }
function zoom(f, cx, cy) {
  cx = cx === undefined ? view.x + view.w / 2 : cx; cy = cy === undefined ? view.y + view.h / 2 : cy;
  view = {x: cx - (cx - view.x) * f, y: cy - (cy - view.y) * f, w: view.w * f, h: view.h * f}; apply(); }
function toUser(x, y) { const p = svg.createSVGPoint(); p.x = x; p.y = y; return p.matrixTransform(svg.getScreenCTM().inverse()); }
function point(e) { return toUser(e.clientX, e.clientY); }
svg.addEventListener('wheel', e => { e.preventDefault(); const p = point(e); zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y); });
let drag = null;
svg.addEventListener('mousedown', e => { drag = {x: e.clientX, y: e.clientY, view: Object.assign({}, view)}; });
window.addEventListener('mouseup', () => { drag = null; });
window.addEventListener('mousemove', e => { if (!drag) return; const scale = svg.getScreenCTM().a;
  view.x = drag.view.x - (e.clientX - drag.x) / scale; view.y = drag.view.y - (e.clientY - drag.y) / scale; apply(); });
document.getElementById('in').onclick = () => zoom(1 / 1.3);
document.getElementById('out').onclick = () => zoom(1.3);
document.getElementById('fit').onclick = () => { view = Object.assign({}, home); apply(); };
function element(id) { return Array.from(svg.querySelectorAll('g[id]')).find(g => g.id === id); }
function text(parent, tag, value, cls) { const e = document.createElement(tag); e.textContent = value; if (cls) e.className = cls; parent.appendChild(e); return e; }
function list(parent, title, items) { if (!items || !items.length) return; text(parent, 'h3', title); const ul = text(parent, 'ul', '');
  items.forEach(i => text(ul, 'li', i)); }
function show(id) {
  const f = facts[id]; const panel = document.getElementById('details'); panel.textContent = '';
  svg.querySelectorAll('.hit').forEach(g => g.classList.remove('hit'));
  if (!f) return; const g = element(id); if (g) g.classList.add('hit');
  text(panel, 'h2', f.name); text(panel, 'div', f.id, 'id'); text(panel, 'div', f.kind, 'id');
  list(panel, 'Connects', f.about);
  list(panel, 'Addresses', f.addresses); if (f.cidr) list(panel, 'CIDR', [f.cidr]); if (f.az) list(panel, 'Availability zone', [f.az]);
  if (f.route_table) list(panel, 'Route table ' + f.route_table.name, f.route_table.routes);
  if (f.nacl) { list(panel, 'NACL ' + f.nacl.name + ' inbound', f.nacl.inbound); list(panel, 'NACL ' + f.nacl.name + ' outbound', f.nacl.outbound); }
  (f.security_groups || []).forEach(s => { list(panel, 'Security group ' + s.name + ' inbound', s.inbound); list(panel, 'Security group ' + s.name + ' outbound', s.outbound); });
  list(panel, 'Reached from the internet on', f.from_internet);
  list(panel, 'Reached by', f.reached_by);
  if (f.reached_by_note) list(panel, 'Who reaches it', [f.reached_by_note]);
  if (g) { const r = g.getBoundingClientRect(); const a = toUser(r.left, r.top), b = toUser(r.right, r.bottom);
    const cx = (a.x + b.x) / 2, cy = (a.y + b.y) / 2, w = Math.max(b.x - a.x, (b.y - a.y) * home.w / home.h) * 5;
    if (w < view.w) { const h = w * home.h / home.w; view = {x: cx - w / 2, y: cy - h / 2, w: w, h: h}; apply(); } }
}
function search(q) {
  q = q.trim().toLowerCase(); const results = document.getElementById('results'); results.textContent = '';
  if (!q) return [];
  const found = Object.values(facts).filter(f => [f.name, f.id, ...(f.addresses || []), f.cidr || ''].some(v => v.toLowerCase().includes(q)));
  found.slice(0, 50).forEach(f => { const d = text(results, 'div', f.name + '  ' + f.id); d.onclick = () => show(f.id); });
  return found;
}
document.getElementById('search').addEventListener('input', e => search(e.target.value));
document.getElementById('search').addEventListener('keydown', e => { if (e.key === 'Enter') { const f = search(e.target.value); if (f.length) show(f[0].id); } });
svg.querySelectorAll('g[id]').forEach(g => { if (facts[g.id]) { g.style.cursor = 'pointer';
  g.addEventListener('click', e => { e.stopPropagation(); show(g.id); }); } });
const asked = decodeURIComponent((location.hash.match(/search=([^&]*)/) || [])[1] || '');
if (asked) { document.getElementById('search').value = asked; const f = search(asked); if (f.length) show(f[0].id); }
document.body.setAttribute('data-ready', 'yes');
"""


def page(svg: str, facts: dict[str, dict[str, Any]], title: str) -> str:
    """The HTML page around an SVG diagram and its components' facts (self-contained).

    >>> out = page('<svg viewBox="0 0 10 10"><g id="eni:p/web"></g></svg>', {"eni:p/web": {"id": "eni:p/web"}}, "demo")
    >>> "<script>" in out and "eni:p/web" in out and "http" not in out.split("<body>")[1]
    True
    """
    svg = re.sub(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", "", svg.strip())
    data = json.dumps(facts, sort_keys=True).replace("</", "<\\/")  # never closes the script element early
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head>\n<body>"
            f"<div id=\"view\">{svg}</div>\n<div id=\"side\"><input id=\"search\" type=\"search\" "
            f"placeholder=\"Find a name, id or address\" autofocus><div id=\"zoom\"><button id=\"in\">+</button>"
            f"<button id=\"out\">&minus;</button><button id=\"fit\">fit</button></div><div id=\"results\"></div>"
            f"<div id=\"details\"><p>Click a component, or search for one.</p></div></div>\n"
            f"<script type=\"application/json\" id=\"facts\">{data}</script>\n<script>{_SCRIPT}</script>"
            f"</body></html>\n")
