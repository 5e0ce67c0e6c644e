"""The tier a subnet belongs to, as the design says it (validate and the set questions read it alike)."""

from __future__ import annotations

from typing import Any

__all__ = ["tier_of"]


def tier_of(name: str, subnet: Any) -> str | None:
    """The tier a subnet declares: ``tier``, a ``Tier`` tag, or a ``public``/``private`` name.

    >>> from vpckit.model import Subnet
    >>> tier_of("public-a", Subnet(az="x", cidr="10.0.0.0/24")), tier_of("x", Subnet(az="x", cidr="10.0.0.0/24", tier="db"))
    ('public', 'db')
    """
    declared = subnet.tier or subnet.tags.get("Tier") or subnet.tags.get("tier")
    if declared:
        return declared.lower()
    label = f"{name} {subnet.tags.get('Name', '')}".lower()
    for word in ("public", "private", "isolated"):
        if word in label:
            return word
    return None
