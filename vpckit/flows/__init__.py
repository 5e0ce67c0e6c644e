"""Questions about sets of flows, answered by running the reach walk over sets (DESIGN.md).

>>> from vpckit.flows import ports
>>> ports.__name__
'ports'
"""

from .exposure import ExposureAnswer, exposure
from .matrix import MatrixAnswer, MatrixCell, matrix
from .ports import PROTOCOL_CHOICES, ports
from .rows import EndpointInfo, FlowRow, PortsAnswer

__all__ = ["ports", "exposure", "ExposureAnswer", "matrix", "MatrixAnswer", "MatrixCell", "PortsAnswer", "FlowRow", "EndpointInfo", "PROTOCOL_CHOICES"]
