"""The one exception hierarchy of vpckit. Library code raises these; only the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VpckitError", "InputError", "QueryError", "RenderError", "NotSupportedError", "Position"]


@dataclass(frozen=True)
class Position:
    """A place in a source file (1-based line and column).

    >>> str(Position("d.yaml", 3, 5))
    'd.yaml:3:5'
    """

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"



class VpckitError(Exception):
    """Base of every error vpckit raises on purpose (exit status 2 at the command line)."""


class InputError(VpckitError):
    """An input that cannot be read: each problem carries the place it was found.

    >>> str(InputError("unknown key 'x'", Position("d.yaml", 3, 5)))
    "d.yaml:3:5: unknown key 'x'"
    """

    def __init__(self, message: str, position: Position | None = None, more: list["InputError"] | None = None):
        self.message = message
        self.position = position
        self.more = more or []
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line, each as ``file:line:col: message``."""
        head = f"{self.position}: {one_line(self.message)}" if self.position else one_line(self.message)
        return "\n".join([head, *(m.render() for m in self.more)])


class QueryError(VpckitError):
    """A reachability question that cannot be understood (unknown endpoint, bad protocol...)."""


class RenderError(VpckitError):
    """A diagram that cannot be drawn (no renderer, unknown format, unwritable path)."""


class NotSupportedError(VpckitError):
    """An input or feature vpckit recognises but does not support yet; the message says which."""


_UNPRINTABLE = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_UNPRINTABLE.update({0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def one_line(message: str) -> str:
    """``message`` with line breaks and control characters (quoted from an input) written as escapes, so that
    every problem stays on its own line.

    >>> one_line("unknown key 'a\\nb'")
    "unknown key 'a\\\\nb'"
    """
    return message.translate(_UNPRINTABLE)
