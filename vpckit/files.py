"""Writing output files safely: never half a file, never over one of the run's own inputs.

A report or a diagram is written to a temporary file in the destination's folder and renamed
over the destination (``os.replace`` is atomic on POSIX and Windows), so a reader — a CI step, a
browser reloading an SVG — never sees a truncated file, and an interrupted run leaves the old
file intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import VpckitError

__all__ = ["OverwriteError", "write_atomic", "refuse_input_overwrite"]


class OverwriteError(VpckitError):
    """An output path that is one of the run's inputs (or inside an input folder)."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename; keep ``path``'s mode.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "report.txt"
    >>> write_atomic(target, b"ok\\n"); target.read_bytes()
    b'ok\\n'
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise VpckitError(f"{path}: cannot write: folder {folder} does not exist")
    if path.is_dir():
        raise VpckitError(f"{path}: cannot write: is a directory, expected a file name")
    try:
        mode = os.stat(path).st_mode & 0o7777 if path.exists() else None
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        # The file is written beside its destination and renamed over it: say that the folder refused
        # a new file (a system folder such as /proc, a read-only mount), not that the file is missing.
        reason = (error.strerror or str(error)).lower()
        raise VpckitError(f"{path}: cannot write: folder {folder} does not accept new files ({reason})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        else:  # mkstemp creates 0600; a new output gets the usual umask-derived mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        _discard(temporary)
        raise VpckitError(f"{path}: cannot write: {error.strerror or error}") from None
    except BaseException:
        _discard(temporary)
        raise


def _discard(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass


def refuse_input_overwrite(output: Path, inputs: Iterable[str | Path | None], option: str = "--output") -> None:
    """Raise :class:`OverwriteError` when ``output`` is one of ``inputs`` or lies inside an input folder.

    Paths are compared after resolving symbolic links, so ``./x.yaml``, ``x.yaml`` and a link to it
    are the same file.

    >>> refuse_input_overwrite(Path("design.yaml"), ["design.yaml"])
    Traceback (most recent call last):
    ...
    vpckit.files.OverwriteError: --output design.yaml is the input design.yaml: refusing to overwrite an input (use --force to write over it)
    """
    target = Path(os.path.realpath(output))
    for given in inputs:
        if given is None:
            continue
        source = Path(os.path.realpath(given))
        if target == source:
            raise OverwriteError(
                f"{option} {output} is the input {given}: refusing to overwrite an input (use --force to write over it)"
            )
        if source.is_dir() and source in target.parents:
            raise OverwriteError(
                f"{option} {output} is inside the input folder {given}, where it would be read as part of "
                "the input next time: write it elsewhere (or use --force)"
            )
