"""vpckit: design, validate, troubleshoot and draw AWS VPC networks.

>>> import vpckit
>>> design = vpckit.load("designs/three-tier.yaml")
>>> design.name
'three-tier'

The set questions take a built network (or a design, or a path):

>>> [(row.protocol, row.ports) for row in vpckit.ports(design, "app-1", "orders-db").open()]
[('tcp', '5432')]
>>> vpckit.exposure(design).destinations()
['prod/web']
"""

__version__ = "0.1.0"

from .errors import InputError, NotSupportedError, QueryError, RenderError, VpckitError  # noqa: E402

__all__ = ["__version__", "Design", "load", "build_network", "ports", "exposure", "VpckitError", "InputError", "QueryError", "RenderError", "NotSupportedError"]


def __getattr__(name: str):
    # The model, the readers, the engine and the set questions are imported on first use, so that
    # `import vpckit` (and every command line run) stays light.
    if name == "Design":
        from .model import Design

        return Design
    if name == "load":
        from .sources import load

        return load
    if name in ("ports", "exposure"):
        from . import flows

        return getattr(flows, name)
    if name == "build_network":
        from .network import build_network

        return build_network
    raise AttributeError(f"module 'vpckit' has no attribute {name!r}")
