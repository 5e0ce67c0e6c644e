"""What a question about a network accepts: a built network, a design, or the path of any input."""

from __future__ import annotations

from os import PathLike
from typing import Any

from ..errors import VpckitError
from ..model import Design
from .build import Network, build_network

__all__ = ["as_network", "design_of"]


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
    if isinstance(value, (Design, str, PathLike)):
        return build_network(value)
    words = asked if asked.endswith("expected") else f"{asked} expected"
    raise VpckitError(f"{words} a Network, a Design or the path of an input, got {type(value).__name__}")


def design_of(value: Design | Network | str | PathLike | Any, asked: str) -> tuple[Design, str | None]:
    """The design of ``value`` (a design, a built network, or the path of an input, then read) and the path it
    was read from (None for a design made in memory); ``asked`` names the caller in the error for anything else.

    >>> design_of("designs/three-tier.yaml", "draw()")[0].name
    'three-tier'
    >>> design_of(42, "draw()")
    Traceback (most recent call last):
    ...
    vpckit.errors.VpckitError: draw() expected the path of an input, a Design or a Network, got int
    """
    if isinstance(value, Network):
        value = value.design
    if isinstance(value, Design):
        file = value.source.file
        return value, (file if file and file != "<memory>" else None)
    if isinstance(value, (str, PathLike)):
        from ..sources import load

        return load(str(value)), str(value)
    raise VpckitError(f"{asked} expected the path of an input, a Design or a Network, got {type(value).__name__}")
