"""Transit gateway rules: TGW001.

A peering attachment carries only static routes: AWS does not propagate routes over it, so naming it
in a propagation list is a mistake the console and the API refuse.
"""

from __future__ import annotations

from typing import Iterable

from ..network.resolve import find_in
from .registry import CheckContext, Finding, rule


@rule("TGW001", "error", "Peering attachments are not in route propagation lists",
      semantics=("TGW-01", "TGW-04"),
      rationale="Transit gateway peering attachments support static routes only; AWS refuses to enable propagation "
                "for them, so a design that counts on it routes nothing to the peer.",
      fix="Remove the propagation and add static routes to the peering attachment in both transit gateways' tables.",
      peers={})
def tgw_peering_propagation(ctx: CheckContext) -> Iterable[Finding]:
    for tname, tgw in sorted(ctx.design.transit_gateways.items()):
        for aname, attachment in sorted(tgw.attachments.items()):
            if attachment.type != "peering" or not attachment.propagate_to:
                continue
            tables = ", ".join(find_in(tgw.route_tables, t) or t for t in attachment.propagate_to)
            yield ctx.finding(
                "TGW001", f"peering attachment {aname} of transit gateway {tname} propagates to {tables}, but peering "
                "attachments take static routes only", ("transit_gateways", tname, "attachments", aname, "propagate_to"),
                f"transit gateway {tname} / attachment {aname}", key="propagation")
