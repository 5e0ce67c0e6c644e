"""The network: a networkx graph of a design's components plus the indexes that make questions fast."""

from .build import Endpoint, Network, build_network
from .inputs import as_network, design_of
from .resolve import Ref, find_in, find_in_vpc, route_target

__all__ = ["Ref", "find_in", "find_in_vpc", "route_target", "build_network", "as_network", "design_of", "Network", "Endpoint"]
