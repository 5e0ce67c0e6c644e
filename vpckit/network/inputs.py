"""What a question about a network accepts: a built network, a design, or the path of any input."""

from __future__ import annotations

from os import PathLike
from typing import Any

from ..errors import VpckitError
from ..model import Design
from .build import Network, build_network

__all__ = ["as_network"]


def as_network(value: Network | Design | str | PathLike, asked: str = "expected") -> Network:
    """A built network from a network, a design or the path of an input (read with :func:`vpckit.load`).

    >>> as_network("designs/three-tier.yaml").design.name
    'three-tier'
    >>> as_network(3, "reach()")
    Traceback (most recent call last):
    ...
    vpckit.errors.VpckitError: reach() expected a Network, a Design or the path of an input, got int
    """
    if isinstance(value, Network):
        return value
    if isinstance(value, Design):
        return build_network(value)
    if isinstance(value, (str, PathLike)):
        from ..sources import load

        return build_network(load(str(value)))
    words: Any = asked if asked.endswith("expected") else f"{asked} expected"
    raise VpckitError(f"{words} a Network, a Design or the path of an input, got {type(value).__name__}")
