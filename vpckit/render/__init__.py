"""Architecture diagrams: a design (and optionally a reachability answer) → Graphviz DOT → SVG/PNG/PDF.

>>> from vpckit.model import Design
>>> d = Design.model_validate({"name": "demo", "vpcs": {"p": {"cidr": "10.0.0.0/16"}}})
>>> "cluster_vpc.p" in diagram_source(d)
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import QueryError
from ..model import Design
from .diagram import VIEWS, build, cluster_id, dot_id, network_of, subnet_facts
from .output import DEFAULT_TIMEOUT, FORMATS, RENDERERS, Renderer, find_renderer, format_of, write

__all__ = ["VIEWS", "FORMATS", "RENDERERS", "DEFAULT_TIMEOUT", "Renderer", "build", "cluster_id", "dot_id", "diagram_source", "draw", "network_of", "path_answer",
           "find_renderer", "format_of", "subnet_facts"]


def diagram_source(design: Design, view: str = "detailed", network: Any = None, answer: Any = None) -> str:
    """The DOT text of the diagram (byte-identical for the same design, view and answer).

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}})
    >>> diagram_source(d) == diagram_source(d), diagram_source(d, "vpcs").count('"vpc.p" [')
    (True, 1)
    """
    if network is None:
        network = network_of(design)
    graph = build(design, view, network)
    if answer is not None:
        from .diagram import shown_as
        from .path import overlay

        overlay(graph, answer, view, shown_as(design, network))
    return graph.source


def draw(design: Design | Any, output: Path | str, view: str = "detailed", network: Any = None, answer: Any = None,
         renderer: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Render the diagram of ``design`` (a design, a built network, or the path of any input) to ``output``
    (.svg, .png, .pdf, .dot, or .html: the interactive view of :mod:`vpckit.render.html`); return the
    format written. ``renderer``
    (``dot`` or ``pure``) names the program; by default Graphviz's ``dot`` when installed, else graphviz-pure.

    >>> import tempfile
    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16"}}})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     draw(d, Path(folder) / "p.dot")
    'dot'
    """
    from ..network import Network
    from ..network.inputs import design_of

    if network is None and isinstance(design, Network):
        network = design
    design, _ = design_of(design, "draw()")
    fmt = format_of(Path(output))  # an unknown extension fails before any work
    output = Path(output)
    program = find_renderer("svg" if fmt == "html" else fmt, prefer=renderer) if fmt != "dot" else None
    if network is None and fmt == "html":
        network = network_of(design)
    source = diagram_source(design, view, network, answer)
    if fmt != "html":
        return write(source, output, program, timeout)
    from types import SimpleNamespace

    from ..files import write_atomic
    from .diagram import iter_node_ids
    from .html import component_facts, page
    from .output import render_bytes

    svg = render_bytes(source, "svg", program, timeout).decode("utf-8")
    facts = component_facts(network, set(iter_node_ids(SimpleNamespace(source=source))))
    write_atomic(output, page(svg, facts, design.name or "vpckit diagram").encode("utf-8"))
    return fmt


def path_answer(design: Design, text: str) -> tuple[Any, Any]:
    """The network and the reach answer for a ``--path`` text (``FROM -> TO : PROTO/PORT``).

    Raises :class:`~vpckit.errors.QueryError` for a malformed text or an unknown endpoint.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16",
    ...     "subnets": {"a": {"az": "us-east-1a", "cidr": "10.0.0.0/24"}}, "instances": {"web": {"subnet": "a"}}}}})
    >>> path_answer(d, "internet -> web : tcp/443")[1].verdict
    'unreachable'
    """
    from .path import parse_path

    query_keys = parse_path(text)
    from ..network import build_network
    from ..reach import answer, parse_query

    try:
        query = parse_query(query_keys)
    except QueryError as error:
        raise QueryError(f"--path '{text}': {str(error).removeprefix('invalid query: ')}") from None
    network = build_network(design)
    return network, answer(network, query)
