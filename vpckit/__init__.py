"""vpckit: design, validate, troubleshoot and draw AWS VPC networks.

>>> import vpckit
>>> design = vpckit.load("designs/three-tier.yaml")
>>> design.name
'three-tier'
"""

__version__ = "0.1.0"

from .errors import InputError, NotSupportedError, QueryError, RenderError, VpckitError  # noqa: E402
from .model import Design  # noqa: E402
from .sources import load  # noqa: E402

__all__ = ["__version__", "Design", "load", "VpckitError", "InputError", "QueryError", "RenderError", "NotSupportedError"]
