"""Writing a diagram: DOT as text, SVG/PNG/PDF through a Graphviz-compatible ``dot`` program.

Which program: Graphviz's own ``dot`` when it is on PATH (every format); otherwise
``graphviz-pure`` (a runtime dependency: a self-contained port of Graphviz shipped as a wheel, so
rendering works after ``pip install vpckit`` alone; it writes SVG and PNG but not PDF). ``.dot`` needs neither. When nothing fits, :class:`RenderError` says exactly
what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import RenderError, VpckitError
from ..files import write_atomic

__all__ = ["FORMATS", "RENDERERS", "DEFAULT_TIMEOUT", "Renderer", "format_of", "find_renderer", "render_bytes", "write"]

#: Output formats by file suffix.
FORMATS: dict[str, str] = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot", ".html": "html"}

#: Formats each renderer writes.
PROGRAMS: tuple[tuple[str, frozenset[str]], ...] = (
    ("dot", frozenset({"svg", "png", "pdf"})),
    ("graphviz-pure", frozenset({"svg", "png"})),
)

INSTALL_HINT = (
    "graphviz-pure (a dependency of vpckit, for .svg and .png) is missing from this environment: "
    "reinstall vpckit (`pip install --force-reinstall vpckit`), "
    "or Graphviz itself (`apt-get install graphviz`, `brew install graphviz`, `choco install graphviz`); "
    "writing .dot needs neither"
)


@dataclass(frozen=True)
class Renderer:
    """A program that turns DOT into an image: its name and where it is."""

    name: str
    path: str


def format_of(path: Path) -> str:
    """The output format a file name asks for.

    >>> format_of(Path("net.svg")), format_of(Path("NET.PNG")), format_of(Path("net.dot"))
    ('svg', 'png', 'dot')
    >>> format_of(Path("net.jpg"))
    Traceback (most recent call last):
    ...
    vpckit.errors.RenderError: net.jpg: unknown diagram format '.jpg'; expected .svg, .png, .pdf, .dot or .html
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        suffix = f"'{path.suffix}'" if path.suffix else "(no extension)"
        raise RenderError(f"{path}: unknown diagram format {suffix}; expected .svg, .png, .pdf, .dot or .html")
    return fmt


def _which(program: str) -> str | None:
    """``program`` on PATH, else next to this Python (a venv's scripts folder that is not on PATH)."""
    found = shutil.which(program)
    if found:
        return found
    beside = Path(sys.executable).parent / program
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


#: The names ``--renderer`` takes, and the program each one means.
RENDERERS: dict[str, str] = {"dot": "dot", "pure": "graphviz-pure"}

#: How long a layout may take before it is stopped (``--timeout``): large networks are summarised long before.
DEFAULT_TIMEOUT = 120.0


def find_renderer(fmt: str, which: Callable[[str], str | None] = _which, prefer: str | None = None) -> Renderer:
    """The first program that can write ``fmt``: Graphviz's ``dot``, then ``graphviz-pure`` — or the one
    ``prefer`` names (``dot`` or ``pure``), so that the same input gives the same bytes on every machine.

    >>> find_renderer("svg", which=lambda p: "/opt/gp" if p == "graphviz-pure" else None)
    Renderer(name='graphviz-pure', path='/opt/gp')
    >>> find_renderer("pdf", which=lambda p: "/opt/gp" if p == "graphviz-pure" else None)
    Traceback (most recent call last):
    ...
    vpckit.errors.RenderError: cannot write .pdf: graphviz-pure does not write PDF; install Graphviz (`apt-get install graphviz`, `brew install graphviz`) or write .svg/.png
    """
    if prefer is not None:
        if prefer not in RENDERERS:
            raise RenderError(f"unknown renderer {prefer!r}; expected one of: {', '.join(RENDERERS)}")
        program = RENDERERS[prefer]
        path = which(program)
        formats = dict(PROGRAMS)[program]
        if path is None:
            raise RenderError(f"renderer {prefer} ({program}) is not installed; "
                              + ("install Graphviz (`apt-get install graphviz`, `brew install graphviz`)"
                                 if prefer == "dot" else INSTALL_HINT))
        if fmt not in formats:
            raise RenderError(f"renderer {prefer} does not write .{fmt}; it writes {', '.join(sorted(formats))}")
        return Renderer(program, path)
    found = {name: which(name) for name, _ in PROGRAMS}
    for name, formats in PROGRAMS:
        if found[name] and fmt in formats:
            return Renderer(name, found[name])
    if any(found.values()):
        raise RenderError(
            f"cannot write .{fmt}: graphviz-pure does not write PDF; install Graphviz "
            "(`apt-get install graphviz`, `brew install graphviz`) or write .svg/.png"
        )
    raise RenderError(f"cannot write .{fmt}: no Graphviz `dot` program found; {INSTALL_HINT}")


def render_bytes(source: str, fmt: str, renderer: Renderer | None = None, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Lay out DOT ``source`` and return the ``fmt`` image (``dot`` returns the source itself).

    The program runs in a process group of its own, stopped with everything it started when it takes longer
    than ``timeout`` seconds or when vpckit itself is interrupted: no layout is left running behind.

    >>> render_bytes("digraph { a -> b }", "dot")
    b'digraph { a -> b }'
    """
    if fmt == "dot":
        return source.encode("utf-8")
    renderer = renderer or find_renderer(fmt)
    try:
        process = subprocess.Popen([renderer.path, f"-T{fmt}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
    except OSError as error:
        raise RenderError(f"cannot run {renderer.name} ({renderer.path}): {error.strerror}; {INSTALL_HINT}") from None
    try:
        out, err = process.communicate(source.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise RenderError(f"{renderer.name} did not finish laying out the diagram in {timeout:g} s; draw a smaller "
                          "view (--view subnets or --view vpcs), or allow more time with --timeout") from None
    except BaseException:
        _stop(process)  # interrupted: take the layout down with us
        raise
    if process.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"{renderer.name} failed to draw the diagram: {detail[-1] if detail else process.returncode}")
    return out


def _stop(process: subprocess.Popen) -> None:
    """End ``process`` and everything in its process group, and reap it."""
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


def write(source: str, path: Path, renderer: Renderer | None = None, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Write DOT ``source`` to ``path`` in the format its suffix names; return the format.

    The output folder is checked before any layout work, so a bad path fails fast.

    >>> write("digraph {}", Path("/no/such/folder/d.svg"))
    Traceback (most recent call last):
    ...
    vpckit.errors.RenderError: /no/such/folder/d.svg: cannot write: folder /no/such/folder does not exist
    """
    fmt = format_of(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"{path}: cannot write: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise RenderError(f"{path}: cannot write: permission denied")
    data = render_bytes(source, fmt, renderer, timeout)
    try:
        write_atomic(path, data)  # a browser or CI step never sees half a diagram
    except VpckitError as error:
        raise RenderError(str(error)) from None
    return fmt
