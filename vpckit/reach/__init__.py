"""The reachability engine: "can A reach B on port P", forward and return, every blocker named.

>>> from vpckit.reach import parse_query
>>> parse_query({"from": "internet", "to": "web", "port": 443}).port.to_text()
'443'
"""

from .answer import Answer, Blocker, Hop
from .engine import answer, default_client_ports
from .query import Query, parse_query

__all__ = ["Query", "Answer", "Hop", "Blocker", "answer", "parse_query", "default_client_ports"]
