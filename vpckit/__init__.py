"""vpckit: design, validate, troubleshoot and draw AWS VPC networks.

Every function takes what a user naturally has: the path of any input vpckit reads, a
:class:`Design`, or a built :class:`Network` (see ``docs/library.md``).

>>> import vpckit
>>> design = vpckit.load("designs/three-tier.yaml")
>>> design.name
'three-tier'
>>> [f.rule for f in vpckit.validate(design, config=False).failing("warning")]
[]
>>> vpckit.reach(design, {"from": "internet", "to": "web", "port": 443}).verdict
'reachable'

The set questions take a built network (or a design, or a path):

>>> [(row.protocol, row.ports) for row in vpckit.ports(design, "app-1", "orders-db").open()]
[('tcp', '5432')]
>>> vpckit.exposure(design).destinations()
['prod/web']
"""

__version__ = "0.1.0"

from .errors import InputError, NotSupportedError, QueryError, RenderError, VpckitError  # noqa: E402

__all__ = [
    "__version__",
    # reading and building
    "load", "Design", "build_network", "Network",
    # validation
    "validate", "Report", "Finding", "Config", "load_config",
    # questions
    "reach", "Query", "Answer", "ports", "exposure", "matrix", "diff",
    # drawing
    "draw",
    # errors
    "VpckitError", "InputError", "QueryError", "RenderError", "NotSupportedError",
]

#: public name -> (module, attribute): imported on first use, so that `import vpckit` (and every
#: command line run) stays light.
_LAZY: dict[str, tuple[str, str | None]] = {
    "load": ("sources", "load"),
    "Design": ("model", "Design"),
    "build_network": ("network", "build_network"),
    "Network": ("network", "Network"),
    "validate": ("checks.validation", "validate"),
    "Report": ("checks.validation", "Report"),
    "Finding": ("checks", "Finding"),
    "Config": ("config", "Config"),
    "load_config": ("config", "load_config"),
    "reach": ("reach", None),  # the package itself, callable as reach(network, query)
    "Query": ("reach", "Query"),
    "Answer": ("reach", "Answer"),
    "ports": ("flows", "ports"),
    "exposure": ("flows", "exposure"),
    "matrix": ("flows", "matrix"),
    "diff": ("flows.diff", "diff"),
    "draw": ("render", "draw"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        found = importlib.import_module(f".{module}", __name__)
        return found if attribute is None else getattr(found, attribute)
    raise AttributeError(f"module 'vpckit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
