"""The reachability engine: "can A reach B on port P", forward and return, every blocker named.

>>> from vpckit.reach import parse_query
>>> parse_query({"from": "internet", "to": "web", "port": 443}).port.to_text()
'443'
"""

import sys
import types

from .answer import Answer, Blocker, Hop
from .engine import answer, default_client_ports, reach
from .query import Query, parse_query

__all__ = ["Query", "Answer", "Hop", "Blocker", "answer", "reach", "parse_query", "default_client_ports"]


class _Package(types.ModuleType):
    """``vpckit.reach`` is both this package and the question it answers: Python binds a package's
    name on its parent when it is imported, so ``vpckit.reach(network, query)`` calls :func:`reach`."""

    def __call__(self, network, query=None, **keys):  # type: ignore[no-untyped-def]
        return reach(network, query, **keys)


sys.modules[__name__].__class__ = _Package
